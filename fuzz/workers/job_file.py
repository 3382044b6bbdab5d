"""How a helper process is told its work: one JSON file, named as its only argument.

The case workers (started under a :class:`~fuzz.workers.watcher.Watcher`)
and the gate's warm-up search (started by the gate) run as ``python -m MODULE
JOB.json``: a file, not a command line, because a job holds cases (sources,
package files) that no command line should carry, and the file stays beside
the helper's results for a post-mortem.

Both helpers also live alike (:func:`helper_lifetime`): a side may start
processes while pickling and detach them, so a helper adopts them, and
whatever way its job ends, it stops its pickling guard and ends every
process left below it, so none outlives the job.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fuzz.isolation.pickling_guard import PicklingGuard
from fuzz.isolation.process_tree import become_subreaper, kill_descendants


def exit_with_job(program: str, run: Callable[[dict], int]) -> None:
    """A helper's ``__main__``: run the job file its command line names, and exit with the job's code.

    A wrong command line gets a usage line and exit 2.
    """
    if len(sys.argv) != 2:
        print(f"usage: python -m {program} JOB.json (started by the gate and replay)", file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as handle:
        sys.exit(run(json.load(handle)))


@contextmanager
def helper_lifetime(timeout: float, worker_file: str | None) -> Iterator[PicklingGuard]:
    """The pickling guard of a helper's job (``timeout`` per pickle), and an end to all it started."""
    # Processes a side starts and detaches while pickling come back here, to be seen and ended.
    become_subreaper()
    guard = PicklingGuard(timeout, worker_file)
    try:
        yield guard
    finally:
        guard.close()
        kill_descendants()
