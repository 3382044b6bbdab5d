"""How a helper process is told its work: one JSON file, named as its only argument.

The case workers and the gate's warm-up search are started by a watcher
with ``python -m MODULE JOB.json``: a file, not a command line, because a
job holds cases (sources, package files) that no command line should carry,
and the watcher keeps the file beside the worker's results for a post-mortem.

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


def run_job_file(argv: list[str], program: str, run: Callable[[dict], int]) -> int:
    """Read the job file ``argv`` names and ``run`` it; a wrong command line gets a usage line and exit 2."""
    if len(argv) != 1:
        print(f"usage: python -m {program} JOB.json (started by the gate and replay)", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        return run(json.load(handle))


def exit_with_job(program: str, run: Callable[[dict], int]) -> None:
    """A helper's ``__main__``: run the job file its command line names, and exit with the job's code."""
    sys.exit(run_job_file(sys.argv[1:], program, run))


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
