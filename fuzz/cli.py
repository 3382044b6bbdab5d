"""Command line: ``python -m fuzz COMMAND``.

Every command takes sides as spec strings (see :mod:`fuzz.sides`). Exit codes
are the same everywhere: 0 nothing failing, 1 a regression or crash was found,
2 bad usage or configuration (the message says what and how to fix).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence

from fuzz.isolation import MODES, Isolation, IsolationError, default_mode
from fuzz.known_cases import CASES
from fuzz.oracle import run_case
from fuzz.sides import SideSpecError, make_side

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user; printed as one line, exit code 2."""


def _add_side_options(parser: argparse.ArgumentParser, baseline: str, candidate: str) -> None:
    parser.add_argument("--baseline", default=baseline, help=f"side spec of the baseline (default {baseline})")
    parser.add_argument("--candidate", default=candidate, help=f"side spec of the candidate (default {candidate})")
    parser.add_argument(
        "--isolation",
        choices=MODES,
        default=default_mode(),
        help=f"how fresh interpreters are made (default {default_mode()})",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a child may run (default 10)")


def cmd_known(args: argparse.Namespace) -> int:
    """Run the hand-written cases (the seed's edge cases and known hazards)."""
    baseline, candidate = make_side(args.baseline), make_side(args.candidate)
    if args.repeat < 1:
        raise UsageError("--repeat must be at least 1")
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
            if verdict.kind not in ("match", "uninformative"):
                print(f"{'':24} {verdict.reason}")
    print(
        f"{len(timings)} case runs; median {statistics.median(timings) * 1000:.1f} ms per case "
        f"({args.isolation} isolation)"
    )
    return EXIT_FINDINGS if failing else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    known = commands.add_parser("known", help=cmd_known.__doc__, description=cmd_known.__doc__)
    _add_side_options(known, "legacy", "proposed")
    known.add_argument("--repeat", type=int, default=1, help="run each case N times (for timing)")
    known.set_defaults(handler=cmd_known)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, SideSpecError, IsolationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
