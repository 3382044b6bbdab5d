"""``python -m fuzz slowness``: generated functions the candidate pickles slower than the baseline.

Runs :func:`fuzz.perf.slowness.hunt` and prints the confirmed slow cases,
worst first, with the source of the worst; reports and exits 0, 2 on bad
input.
"""

from __future__ import annotations

import argparse

from fuzz.cli import add_side_options
from fuzz.cli.output import write_json
from fuzz.config.option_types import positive_int, positive_number, report_path
from fuzz.errors import EXIT_OK
from fuzz.oracle.sides import make_side
from fuzz.perf import slowness


def _show_case(rank: int, case: slowness.SlowCase, with_source: bool) -> None:
    print(f"\n#{rank}: {case.ratio:.2f}x slower ({case.slower_mode}); tags {', '.join(case.case.tags)}")
    for mode, timing in case.timings().items():
        print(
            f"  {mode:12} baseline {timing.baseline_s * 1e6:9.1f} µs  candidate {timing.candidate_s * 1e6:9.1f} µs"
            f"  candidate/baseline {timing.ratio:.2f}x"
        )
    if with_source:
        print("  " + case.source.replace("\n", "\n  "))


def run(args: argparse.Namespace) -> int:
    """Hunt generated functions that the candidate pickles more than --factor times slower."""
    baseline, candidate = make_side(args.baseline), make_side(args.candidate)
    print(
        f"slowness hunt | baseline {args.baseline} | candidate {args.candidate} | {args.examples} examples "
        f"(seed {args.seed}) | factor {args.factor:g} | min of {args.repeats} runs per mode",
        flush=True,
    )
    report = slowness.hunt(
        baseline, candidate, examples=args.examples, factor=args.factor, seed=args.seed, repeats=args.repeats
    )
    medians = ", ".join(f"{mode} {ratio:.2f}x" for mode, ratio in report.median_ratios.items())
    print(
        f"{report.examples} cases timed ({report.skipped} skipped, {report.duplicates} duplicates dropped); "
        f"median candidate/baseline per mode: {medians}; the candidate fares worst on: {report.slower_mode}"
    )
    shown = list(report.slow)
    if not shown:
        print(f"no case confirmed above {args.factor:g}x")
        if report.worst is not None:
            print("the worst case seen:")
            shown = [report.worst]
    for rank, case in enumerate(shown, 1):
        _show_case(rank, case, with_source=rank == 1)
    if len(shown) > 1:
        print("\n(source of #1 only; --json FILE holds every source)")
    write_json(args.json, report.to_dict())
    return EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("slowness", help=run.__doc__, description=__doc__)
    add_side_options(parser, "legacy", "proposed", runs_children=False)
    parser.add_argument("--examples", type=positive_int, default=100, help="generated cases to time (default 100)")
    parser.add_argument(
        "--factor", type=positive_number, default=1.5, help="report cases slower than this (default 1.5: 50%% slower)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated cases (default 0)")
    parser.add_argument("--repeats", type=positive_int, default=5, help="timed runs per case and mode (default 5)")
    parser.add_argument("--json", metavar="FILE", type=report_path, help="also write the report as JSON")
    parser.set_defaults(handler=run)
