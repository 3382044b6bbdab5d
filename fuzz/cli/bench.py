"""``python -m fuzz bench``: the proposal's benchmark and a ``sys.modules`` scaling series.

Times the sides' raw ``dumps`` (:mod:`fuzz.perf.bench`); reports and exits 0,
2 on bad input. Asserts nothing: how fast is a measurement, not a verdict.
"""

from __future__ import annotations

import argparse

from fuzz.cli import add_side_options
from fuzz.cli.output import write_json
from fuzz.config.option_types import plot_path, positive_int, report_path, sizes
from fuzz.errors import EXIT_OK, UsageError
from fuzz.oracle.sides import make_side
from fuzz.perf import bench

TITLES = {
    "seed": "-- the proposal's benchmark: the same function object pickled again and again --",
    "new-function": "-- the same code, but a new function object per dumps (closure factory, decorator) --",
    "scaling": "-- dumps(func2) as sys.modules grows --",
}


def run(args: argparse.Namespace) -> int:
    """Time dumps of the proposal's benchmark functions with both sides, and as sys.modules grows."""
    if args.plot is not None and not bench.plotting_available():
        raise UsageError(
            "--plot needs matplotlib, which is not installed; "
            "install the plot extra (pip install -e '.[plot]') or leave out --plot"
        )
    baseline, candidate = make_side(args.baseline), make_side(args.candidate)
    seen: set[str] = set()

    def show(row: bench.BenchRow) -> None:
        if row.group not in seen:
            seen.add(row.group)
            print(TITLES[row.group])
        print(bench.format_row(row), flush=True)

    print(bench.header(baseline.spec, candidate.spec, args.repeat, args.number), flush=True)
    report = bench.bench_all(
        baseline, candidate, repeat=args.repeat, number=args.number, sizes=args.sizes, progress=show
    )
    print(bench.footer(report))
    write_json(args.json, report.to_dict())
    if args.plot is not None:
        bench.plot(report, args.plot)
        print(f"wrote {args.plot}")
    return EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help=run.__doc__, description=__doc__)
    add_side_options(parser, "legacy", "proposed", runs_children=False)
    parser.add_argument(
        "--repeat", type=positive_int, default=5, help="timed runs per row; the median is shown (default 5)"
    )
    parser.add_argument(
        "--number", type=positive_int, default=1000, help="dumps per timed run, as the seed (default 1000)"
    )
    parser.add_argument(
        "--sizes",
        type=sizes,
        default=",".join(map(str, bench.DEFAULT_SIZES)),
        help="sys.modules sizes of the scaling series (default %(default)s)",
    )
    parser.add_argument("--json", metavar="FILE", type=report_path, help="also write the rows as JSON")
    parser.add_argument(
        "--plot", metavar="FILE", type=plot_path, help="draw the scaling series to FILE.png or FILE.svg (needs [plot])"
    )
    parser.set_defaults(handler=run)
