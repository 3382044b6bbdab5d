"""``python -m fuzz bench`` / ``slowness`` / ``throughput``: how fast, not how correct.

``bench`` re-runs the proposal's benchmark and a ``sys.modules`` scaling
series (:mod:`fuzz.perf.bench`); ``slowness`` hunts generated functions the
candidate pickles slower than the baseline (:mod:`fuzz.perf.slowness`);
``throughput`` measures the fuzzer's own cases per second
(:mod:`fuzz.perf.throughput`). All three report and exit 0; only bad input exits 2.
"""

from __future__ import annotations

import argparse
import json
import os

from fuzz.cli.options import positive_seconds
from fuzz.errors import EXIT_OK, UsageError
from fuzz.isolation.pool import MODES, default_mode
from fuzz.perf import bench, slowness, throughput
from fuzz.sides import make_side

PLOT_SUFFIXES = (".png", ".svg")


# -- argument checks ----------------------------------------------------------------


def _at_least(option: str, value: float, least: float) -> None:
    if not value >= least:  # also rejects NaN
        raise UsageError(f"{option} must be at least {least:g} (got {value:g})")


def _writable(option: str, path: str | None) -> None:
    """Fail before measuring if an output file could not be written afterwards."""
    if path is None:
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"{option} {path}: directory {directory} does not exist; create it or choose another path")


def _write_json(path: str | None, data: dict) -> None:
    if path is None:
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
    except OSError as exc:
        raise UsageError(f"--json {path}: cannot write it ({exc.strerror})") from exc
    print(f"wrote {path}")


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise UsageError(f"--sizes {text!r}: expected comma-separated integers, e.g. 100,1000,10000") from None
    if not sizes or min(sizes) < 1:
        raise UsageError(f"--sizes {text!r}: give at least one size, each at least 1")
    return sizes


# -- bench ------------------------------------------------------------------------


def run_bench(args: argparse.Namespace) -> int:
    """Time dumps of the proposal's benchmark functions with both sides, and as sys.modules grows."""
    _at_least("--repeat", args.repeat, 1)
    _at_least("--number", args.number, 1)
    sizes = _sizes(args.sizes)
    _writable("--json", args.json)
    if args.plot is not None:
        if not args.plot.lower().endswith(PLOT_SUFFIXES):
            raise UsageError(f"--plot {args.plot}: the file name must end in .png or .svg")
        _writable("--plot", args.plot)
        if not bench.plotting_available():
            raise UsageError(
                "--plot needs matplotlib, which is not installed; "
                "install the plot extra (pip install -e '.[plot]') or leave out --plot"
            )
    baseline, candidate = make_side(args.baseline), make_side(args.candidate)
    seen: set[str] = set()

    def show(row: bench.Row) -> None:
        if row.group not in seen:
            seen.add(row.group)
            titles = {
                "seed": "-- the proposal's benchmark: the same function object pickled again and again --",
                "new-function": "-- the same code, but a new function object per dumps (closure factory, decorator) --",
                "scaling": "-- dumps(func2) as sys.modules grows --",
            }
            print(titles[row.group])
        print(bench.format_row(row), flush=True)

    print(bench.header(baseline.spec, candidate.spec, args.repeat, args.number), flush=True)
    report = bench.run_bench(baseline, candidate, repeat=args.repeat, number=args.number, sizes=sizes, progress=show)
    print(bench.footer(report))
    _write_json(args.json, report.to_dict())
    if args.plot is not None:
        bench.plot(report, args.plot)
        print(f"wrote {args.plot}")
    return EXIT_OK


# -- slowness -----------------------------------------------------------------------


def _show_case(rank: int, case: slowness.SlowCase, with_source: bool) -> None:
    print(f"\n#{rank}: {case.ratio:.2f}x slower ({case.slower_mode}); tags {', '.join(case.case.tags)}")
    for mode, timing in case.timings().items():
        print(
            f"  {mode:12} baseline {timing.baseline_s * 1e6:9.1f} µs  candidate {timing.candidate_s * 1e6:9.1f} µs"
            f"  candidate/baseline {timing.ratio:.2f}x"
        )
    if with_source:
        print("  " + case.source.replace("\n", "\n  "))


def run_slowness(args: argparse.Namespace) -> int:
    """Hunt generated functions that the candidate pickles more than --factor times slower."""
    _at_least("--examples", args.examples, 1)
    _at_least("--repeats", args.repeats, 1)
    if not args.factor > 0:
        raise UsageError(f"--factor must be above 0 (got {args.factor:g}); 1.5 reports cases 50% slower")
    _writable("--json", args.json)
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
    _write_json(args.json, report.to_dict())
    return EXIT_OK


# -- throughput ---------------------------------------------------------------------


def _choices(value: str, both: tuple) -> tuple:
    return both if value == "both" else (value,)


def run_throughput(args: argparse.Namespace) -> int:
    """Measure differential cases per second per isolation mode and worker count."""
    if not args.seconds > 0:
        raise UsageError(f"--seconds must be above 0 (got {args.seconds:g})")
    _at_least("--cases", args.cases, 1)
    _writable("--json", args.json)
    isolations = _choices(args.isolation, MODES)
    if "fork" in isolations and default_mode() != "fork":
        if args.isolation == "fork":
            raise UsageError("fork isolation needs os.fork; use --isolation spawn here")
        isolations = ("spawn",)
    auto = throughput.auto_workers()
    workers = tuple(dict.fromkeys(1 if w == "1" else auto for w in _choices(args.workers, ("1", "auto"))))
    print(
        f"throughput | baseline {args.baseline} | candidate {args.candidate} | {auto} CPUs | "
        f"{args.seconds:g} s per configuration | pool of {args.cases} generated cases (seed {args.seed})",
        flush=True,
    )
    print(f"{'isolation':10} {'workers':>7} {'cases':>7} {'wall s':>8} {'cases/s':>9} {'cpu ms/case':>12}  verdicts")

    def show(row: throughput.Row) -> None:
        verdicts = ", ".join(f"{kind} {count}" for kind, count in row.verdicts.items())
        print(
            f"{row.isolation:10} {row.workers:7d} {row.cases:7d} {row.wall_s:8.2f} {row.cases_per_s:9.1f} "
            f"{row.cpu_ms_per_case:12.2f}  {verdicts}",
            flush=True,
        )

    report = throughput.run_throughput(
        args.baseline,
        args.candidate,
        isolations=isolations,
        workers=workers,
        seconds=args.seconds,
        pool=args.cases,
        seed=args.seed,
        timeout=args.timeout,
        progress=show,
    )
    print(f"case generation (excluded above): {report.pool / report.generation_s:.1f} cases/s in this process")
    for count, ratio in report.fork_over_spawn().items():
        print(f"fork / spawn with {count} worker{'s' if count > 1 else ''}: {ratio:.1f}x")
    _write_json(args.json, report.to_dict())
    return EXIT_OK


# -- parsers ------------------------------------------------------------------------


def _sides(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", default="legacy", help="side spec of the baseline (default legacy)")
    parser.add_argument("--candidate", default="proposed", help="side spec of the candidate (default proposed)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help=run_bench.__doc__, description=run_bench.__doc__)
    _sides(parser)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per row; the median is shown (default 5)")
    parser.add_argument("--number", type=int, default=1000, help="dumps per timed run, as the seed (default 1000)")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, bench.DEFAULT_SIZES)),
        help="sys.modules sizes of the scaling series (default %(default)s)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--plot", metavar="FILE", help="draw the scaling series to FILE.png or FILE.svg (needs [plot])")
    parser.set_defaults(handler=run_bench)

    parser = subparsers.add_parser("slowness", help=run_slowness.__doc__, description=run_slowness.__doc__)
    _sides(parser)
    parser.add_argument("--examples", type=int, default=100, help="generated cases to time (default 100)")
    parser.add_argument("--factor", type=float, default=1.5, help="report cases slower than this (default 1.5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated cases (default 0)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per case and mode (default 5)")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.set_defaults(handler=run_slowness)

    parser = subparsers.add_parser("throughput", help=run_throughput.__doc__, description=run_throughput.__doc__)
    _sides(parser)
    parser.add_argument("--isolation", choices=(*MODES, "both"), default="both", help="default both")
    parser.add_argument(
        "--workers", choices=("1", "auto", "both"), default="both", help="1, one per core (auto), or both (default)"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per configuration (default 5)")
    parser.add_argument("--cases", type=int, default=200, help="size of the generated case pool (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated cases (default 0)")
    parser.add_argument("--timeout", type=positive_seconds, default=10.0, help="seconds a child may run (default 10)")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.set_defaults(handler=run_throughput)
