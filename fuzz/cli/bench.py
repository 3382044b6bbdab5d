"""``python -m fuzz bench``: the proposal's benchmark and a ``sys.modules`` scaling series; or, with
``--time-to-bug``, how soon a gate finds each planted bug.

By default it times the sides' raw ``dumps`` (:mod:`fuzz.perf.bench`). With
``--time-to-bug`` it runs seeded gates of ``legacy`` against every planted
buggy detector and reports the time from each gate's launch to its first
failing case (:mod:`fuzz.perf.time_to_bug`); ``--trees BASE HEAD`` adds the
time to each root cause of a cloudpickle pull request. Reports and exits 0,
2 on bad input, 130 when interrupted (after showing and writing the runs
made). Asserts nothing: how fast is a measurement, not a verdict.
"""

from __future__ import annotations

import argparse
import os

from fuzz.cli import add_side_options
from fuzz.cli.output import write_json, write_text
from fuzz.config.option_types import plot_path, positive_int, positive_seconds, report_path, sizes, workers
from fuzz.errors import EXIT_OK, UsageError
from fuzz.isolation.interrupts import InterruptGuard
from fuzz.isolation.process_tree import become_subreaper
from fuzz.oracle.side_probe import check_tree_sides
from fuzz.oracle.sides import make_side, parse_side_spec
from fuzz.perf import bench
from fuzz.perf import time_to_bug as ttb

TITLES = {
    "seed": "-- the proposal's benchmark: the same function object pickled again and again --",
    "new-function": "-- the same code, but a new function object per dumps (closure factory, decorator) --",
    "scaling": "-- dumps(func2) as sys.modules grows --",
}

#: Options of timing ``dumps`` only, with their defaults (``None`` in the parser, so a given one is seen).
DUMPS_DEFAULTS = {"baseline": "legacy", "candidate": "proposed", "repeat": 5, "number": 1000,
                  "sizes": bench.DEFAULT_SIZES, "plot": None}  # fmt: skip
#: Options of ``--time-to-bug`` only, with their defaults.
TIME_TO_BUG_DEFAULTS = {"seeds": 3, "detectors": None, "budget": 60.0, "workers": workers("auto"), "markdown": None,
                        "compare": None, "trees": None}  # fmt: skip


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _take(args: argparse.Namespace, defaults: dict, mode: str, other: dict) -> None:
    """Fill in this mode's defaults; an option of the other mode is a usage error that says which mode it is of."""
    given = [name for name in other if getattr(args, name) is not None]
    if given:
        raise UsageError(f"{_option(given[0])} is an option of {mode}; leave it out here")
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)


def run(args: argparse.Namespace) -> int:
    """Time dumps of the proposal's benchmark functions with both sides, and as sys.modules grows;
    or, with --time-to-bug, time a gate to each planted bug."""
    if args.time_to_bug:
        _take(args, TIME_TO_BUG_DEFAULTS, "timing dumps (without --time-to-bug)", DUMPS_DEFAULTS)
        return run_time_to_bug(args)
    _take(args, DUMPS_DEFAULTS, "--time-to-bug", TIME_TO_BUG_DEFAULTS)
    return run_dumps(args)


def run_dumps(args: argparse.Namespace) -> int:
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
        baseline,
        candidate,
        repeat=args.repeat,
        number=args.number,
        sizes=args.sizes,
        progress=show,
    )
    print(bench.footer(report))
    write_json(args.json, report.to_dict())
    if args.plot is not None:
        bench.plot(report, args.plot)
        print(f"wrote {args.plot}")
    return EXIT_OK


def run_time_to_bug(args: argparse.Namespace) -> int:
    """The time-to-bug benchmark, or (``--compare OLD NEW``) the comparison of two it wrote."""
    if len(args.compare or ()) > 2:
        raise UsageError("--compare takes OLD.json, or OLD.json NEW.json; not more")
    compared = [ttb.load(path) for path in args.compare or ()]
    if len(compared) == 2:
        if args.json is not None:
            raise UsageError("--json: comparing two results runs nothing, so there is no result to write")
        return _publish(ttb.comparison(*compared), args.markdown)
    detectors = ttb.planted_detectors() if args.detectors is None else ttb.chosen_detectors(args.detectors)
    trees = _checked_trees(args.trees)
    if not detectors and trees is None:
        raise UsageError("--detectors none leaves nothing to run; give --trees BASE HEAD, or name detectors")
    settings = ttb.BenchmarkSettings(detectors, args.seeds, args.budget, args.workers, trees)
    result = ttb.BenchmarkResult(settings)
    total = len(settings.requests())
    seeds = ttb.plural(args.seeds, "seed")
    parts = [f"{ttb.plural(len(detectors), 'planted detector')} x {seeds}"] if detectors else []
    parts += [f"the tree pair x {seeds}, whole gates"] if trees else []
    print(
        f"time to bug: {ttb.plural(total, 'gate')} ({', '.join(parts)}), --budget {args.budget:g}, "
        f"{ttb.plural(settings.workers, 'worker')}; a planted detector's gate stops at its first failure, "
        "one that finds nothing takes its whole budget",
        flush=True,
    )
    # A gate killed outright leaves its helpers' orphans here, to be ended (:mod:`fuzz.perf.timed_gate`).
    become_subreaper()
    done = 0

    def show(timing: ttb.GateTiming) -> None:
        nonlocal done
        done += 1
        print(f"[{done}/{total}] {ttb.run_line(timing)}", flush=True)

    try:
        with InterruptGuard():
            ttb.run_benchmark(result, progress=show)
    except KeyboardInterrupt:
        if result.runs:
            _finish(result, compared, args)
        raise
    return _finish(result, compared, args)


def _finish(result: ttb.BenchmarkResult, compared: list[ttb.BenchmarkResult], args: argparse.Namespace) -> int:
    """Show the tables (and the comparison), write the JSON and the Markdown."""
    text = ttb.table(result)
    if compared:
        text += "\n" + ttb.comparison(compared[0], result)
    write_json(args.json, result.to_dict())
    return _publish(text, args.markdown)


def _publish(text: str, markdown: str | None) -> int:
    """Print ``text`` and write it to ``markdown`` when given."""
    print("\n" + text, end="", flush=True)
    write_text(markdown, text, "--markdown")
    return EXIT_OK


def _checked_trees(trees: list[str] | None) -> tuple[str, str] | None:
    """``--trees BASE HEAD`` as absolute paths, each a cloudpickle checkout that imports (else a usage error)."""
    if trees is None:
        return None
    base, head = (os.path.abspath(path) for path in trees)
    for path in (base, head):
        parse_side_spec(f"tree:{path}")
    check_tree_sides([f"tree:{base}", f"tree:{head}"], timeout=30.0)
    return base, head


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help=run.__doc__, description=__doc__)
    add_side_options(parser, "legacy", "proposed", runs_children=False)
    parser.add_argument("--repeat", type=positive_int, help="timed runs per row; the median is shown (default 5)")
    parser.add_argument("--number", type=positive_int, help="dumps per timed run, as the seed (default 1000)")
    parser.add_argument(
        "--sizes",
        type=sizes,
        help=f"sys.modules sizes of the scaling series (default {','.join(map(str, bench.DEFAULT_SIZES))})",
    )
    parser.add_argument("--json", metavar="FILE", type=report_path, help="also write the rows (or the runs) as JSON")
    parser.add_argument(
        "--plot", metavar="FILE", type=plot_path, help="draw the scaling series to FILE.png or FILE.svg (needs [plot])"
    )
    group = parser.add_argument_group("time to bug", "with --time-to-bug (see the README's Performance section)")
    group.add_argument(
        "--time-to-bug",
        action="store_true",
        help="time seeded gates from launch to their first failure against every planted bug, instead of dumps",
    )
    group.add_argument("--seeds", type=positive_int, help="gates per detector, seeds 0 to N-1 (default 3)")
    group.add_argument(
        "--detectors",
        metavar="A,B",
        help="planted detectors to run (default: every one this Python can show); none: only --trees",
    )
    group.add_argument(
        "--budget", type=positive_seconds, help="each gate's --budget; not found within it is >budget (default 60)"
    )
    group.add_argument("--workers", type=workers, help="each gate's --workers: a number or 'auto' (default)")
    group.add_argument("--markdown", metavar="FILE", type=report_path, help="also write the tables as Markdown")
    group.add_argument(
        "--compare",
        nargs="+",
        metavar="FILE",
        help="OLD.json: print this run's medians beside those of an earlier --json; OLD.json NEW.json: "
        "compare two, running nothing",
    )
    group.add_argument(
        "--trees",
        nargs=2,
        metavar=("BASE", "HEAD"),
        help="two cloudpickle checkouts (a pull request's base and head): also time each root cause of "
        "gates of HEAD against BASE",
    )
    parser.set_defaults(handler=run, baseline=None, candidate=None)
