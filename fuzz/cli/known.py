"""``python -m fuzz known``: the hand-written cases, one line each.

The quickest answer to "does this candidate still get the proposal's own edge
cases right?", and a timing probe for one case (``--repeat``).
"""

from __future__ import annotations

import argparse
import statistics
import time

from fuzz.cli import add_side_options
from fuzz.config.option_types import positive_int
from fuzz.corpus.known_cases import CASES
from fuzz.errors import EXIT_FINDINGS, EXIT_OK
from fuzz.isolation.pickling_guard import PicklingGuard
from fuzz.isolation.pool import Isolation
from fuzz.model.verdict import UNREMARKABLE
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import make_sides


def run(args: argparse.Namespace) -> int:
    """Run the hand-written cases (the seed's edge cases and known hazards)."""
    baseline, candidate = make_sides(args.baseline, args.candidate, PicklingGuard(args.timeout))
    failing = 0
    timings: list[float] = []
    with Isolation(args.isolation, timeout=args.timeout) as isolation:
        print(f"baseline {args.baseline} | candidate {args.candidate} | isolation {args.isolation}")
        print(f"{'case':24} {'verdict':15} {'baseline submodules':34} candidate submodules")
        for name, (case, _) in CASES.items():
            for _ in range(args.repeat):
                start = time.perf_counter()
                verdict = run_case(case, baseline, candidate, isolation)
                timings.append(time.perf_counter() - start)
            failing += verdict.failing
            print(
                f"{name:24} {verdict.kind:15} {', '.join(verdict.baseline.submodules) or '-':34} "
                f"{', '.join(verdict.candidate.submodules) or '-'}"
            )
            if verdict.kind not in UNREMARKABLE:
                print(f"{'':24} {verdict.reason}")
    print(
        f"{len(timings)} case runs; median {statistics.median(timings) * 1000:.1f} ms per case "
        f"({args.isolation} isolation)"
    )
    return EXIT_FINDINGS if failing else EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("known", help=run.__doc__, description=run.__doc__)
    add_side_options(parser, "legacy", "proposed")
    parser.add_argument("--repeat", type=positive_int, default=1, help="run each case N times (for timing)")
    parser.set_defaults(handler=run)
