"""How a helper process is told its work: one JSON file, named as its only argument.

The case workers and the gate's warm-up search are started by a watcher
with ``python -m MODULE JOB.json``: a file, not a command line, because a
job holds cases (sources, package files) that no command line should carry,
and the watcher keeps the file beside the worker's results for a post-mortem.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable


def run_job_file(argv: list[str], program: str, run: Callable[[dict], int]) -> int:
    """Read the job file ``argv`` names and ``run`` it; a wrong command line gets a usage line and exit 2."""
    if len(argv) != 1:
        print(f"usage: python -m {program} JOB.json (started by the gate and replay)", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        return run(json.load(handle))
