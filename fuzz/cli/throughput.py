"""``python -m fuzz throughput``: the fuzzer's own differential cases per second.

Per isolation mode and worker count (:mod:`fuzz.perf.throughput`), and with
``--equivalence N`` the proof that batching changes no verdict
(:mod:`fuzz.perf.equivalence`); exits 0, 1 if a verdict changed, 2 on bad input.
"""

from __future__ import annotations

import argparse

from fuzz.cli import add_side_options
from fuzz.cli.output import write_json
from fuzz.config.option_types import positive_int, positive_seconds, report_path
from fuzz.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from fuzz.isolation.pool import FORKING_MODES, ISOLATION_MODES, default_mode
from fuzz.perf import equivalence, throughput


def _choices(value: str, every: tuple) -> tuple:
    return every if value in ("all", "both") else (value,)


def run(args: argparse.Namespace) -> int:
    """Measure differential cases per second per isolation mode and worker count."""
    isolations = _choices(args.isolation, ISOLATION_MODES)
    if default_mode() == "spawn" and set(isolations) & set(FORKING_MODES):
        if args.isolation in FORKING_MODES:
            raise UsageError(f"{args.isolation} isolation needs os.fork; use --isolation spawn here")
        isolations = ("spawn",)
    auto = throughput.auto_workers()
    workers = tuple(dict.fromkeys(1 if w == "1" else auto for w in _choices(args.workers, ("1", "auto"))))
    print(
        f"throughput | baseline {args.baseline} | candidate {args.candidate} | {auto} CPUs | "
        f"{args.seconds:g} s per configuration | pool of {args.cases} generated cases (seed {args.seed})"
        + (f", {throughput.POOL_PARTS[args.part]}" if args.part != "all" else ""),
        flush=True,
    )
    print(f"{'isolation':10} {'workers':>7} {'cases':>7} {'wall s':>8} {'cases/s':>9} {'cpu ms/case':>12}  verdicts")

    def show(row: throughput.ThroughputRow) -> None:
        verdicts = ", ".join(f"{kind} {count}" for kind, count in row.verdicts.items())
        print(
            f"{row.isolation:10} {row.workers:7d} {row.cases:7d} {row.wall_s:8.2f} {row.cases_per_s:9.1f} "
            f"{row.cpu_ms_per_case:12.2f}  {verdicts}",
            flush=True,
        )

    report = throughput.measure_throughput(
        args.baseline,
        args.candidate,
        isolations=isolations,
        workers=workers,
        seconds=args.seconds,
        pool=args.cases,
        part=args.part,
        seed=args.seed,
        timeout=args.timeout,
        progress=show,
    )
    print(f"case generation (excluded above): {report.pool / report.generation_s:.1f} cases/s in this process")
    for (faster, slower), by_workers in report.ratios().items():
        for count, ratio in by_workers.items():
            print(f"{faster} / {slower} with {count} worker{'s' if count > 1 else ''}: {ratio:.2f}x")
    data = report.to_dict()
    code = EXIT_OK
    if args.equivalence:
        print(f"judging {args.equivalence} seeded cases per case and batched, each in its own process...", flush=True)
        same = equivalence.compare_modes(args.equivalence, args.seed, args.baseline, args.candidate, args.timeout)
        print(same.summary())
        for index, _, _ in same.differences[:10]:
            print(f"  case {index} of the pool (seed {args.seed}) judged differently")
        data["equivalence"] = same.to_dict()
        code = EXIT_OK if same.identical else EXIT_FINDINGS
    write_json(args.json, data)
    return code


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("throughput", help=run.__doc__, description=__doc__)
    add_side_options(parser, "legacy", "proposed", runs_children=False)
    parser.add_argument(
        "--isolation", choices=(*ISOLATION_MODES, "all"), default="all", help="one mode, or all of them (default)"
    )
    parser.add_argument(
        "--workers", choices=("1", "auto", "both"), default="both", help="1, one per core (auto), or both (default)"
    )
    parser.add_argument("--seconds", type=positive_seconds, default=5.0, help="seconds per configuration (default 5)")
    parser.add_argument("--cases", type=positive_int, default=200, help="size of the generated case pool (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated cases (default 0)")
    parser.add_argument("--timeout", type=positive_seconds, default=10.0, help="seconds a child may run (default 10)")
    part = parser.add_mutually_exclusive_group()
    part.add_argument(
        "--shareable-only",
        dest="part",
        action="store_const",
        const="shareable",
        default="all",
        help="keep only the generated cases batch isolation can run in a shared child (no standard library)",
    )
    part.add_argument(
        "--unshareable-only",
        dest="part",
        action="store_const",
        const="unshareable",
        help="keep only the others (standard-library cases: one fresh child per run in every mode)",
    )
    parser.add_argument(
        "--equivalence",
        type=positive_int,
        metavar="N",
        help="also judge N seeded cases per case (fork) and batched, and compare every verdict (exit 1 if any differ)",
    )
    parser.add_argument("--json", metavar="FILE", type=report_path, help="also write the report as JSON")
    parser.set_defaults(handler=run)
