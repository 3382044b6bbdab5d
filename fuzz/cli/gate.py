"""``python -m fuzz gate``: judge a candidate against a baseline within a time budget.

The pre-merge gate (:mod:`fuzz.gate.run`). Exit codes: 0 PASS; 1 FAIL (a
regression or crash, or with ``--strict`` a benign divergence); 2 bad usage
or configuration; 3 INCOMPLETE: nothing failed, but the run did not judge
what a pass needs (:mod:`fuzz.report.run_verdict` lists when); 130 Ctrl-C, 143
SIGTERM, each after writing the partial report. The budget is wall-clock and
enforced whatever the workers do; every process and temporary directory the
run made is gone when it returns, however it ends.
"""

from __future__ import annotations

import argparse
import os

from fuzz.cli import add_side_options
from fuzz.config.option_types import (
    corpus_directory,
    gateway,
    non_negative_int,
    positive_int,
    positive_seconds,
    report_path,
    shard_of,
    workers,
)
from fuzz.config.run_config import MIN_CASES, RunConfig
from fuzz.gate.run import GateRun
from fuzz.isolation.interrupts import InterruptGuard
from fuzz.isolation.process_tree import become_subreaper, kill_descendants
from fuzz.model.tags import INPUTS
from fuzz.oracle.side_probe import check_tree_sides


def run(args: argparse.Namespace) -> int:
    """Judge the candidate against the baseline; print the report, write Markdown and JSON."""
    # A checkout that hangs, raises or prints on import is bad usage, said before anything runs.
    check_tree_sides([args.baseline, args.candidate], args.timeout)
    # Whatever a side detached from its worker comes back up here when that worker dies: ended below.
    become_subreaper()
    gate = GateRun(RunConfig.from_options(args, report_name=args.reports))
    try:
        with InterruptGuard():
            gate.run_to_end()
            return gate.report()
    finally:
        kill_descendants()
        gate.clean_up()


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gate", help=run.__doc__, description=__doc__)
    add_gate_options(parser)


def add_gate_options(parser: argparse.ArgumentParser, reports: str = "gate") -> None:
    """The gate's options (``python -m fuzz real-code`` takes them too, with its own report names)."""
    add_side_options(parser, "legacy", "proposed")
    parser.add_argument(
        "--budget", type=positive_seconds, default=60.0, help="wall-clock seconds for the whole run (default 60)"
    )
    parser.add_argument("--max-examples", type=positive_int, default=None, help="stop after N generated cases")
    parser.add_argument(
        "--min-cases",
        type=non_negative_int,
        default=MIN_CASES,
        help=f"generated cases a pass needs judged (default {MIN_CASES}, or --max-examples if fewer)",
    )
    add_search_options(parser, reports=reports)
    parser.add_argument("--replay-only", action="store_true", help="replay the corpus only: no campaign")
    # A gate keeps no example database (python -m fuzz campaign does).
    parser.set_defaults(handler=run, reports=reports)


def add_search_options(parser: argparse.ArgumentParser, *, fresh_seed: bool = False, reports: str = "gate") -> None:
    """The options the gate and the campaign share: where the search runs, what it keeps, how it reports.

    ``fresh_seed``: without ``--seed``, the command draws one (and reports it)
    instead of using 0. ``reports``: the default report files' name.
    """
    parser.add_argument(
        "--workers", type=workers, default="auto", help="pytest-xdist workers: a number or 'auto' (default)"
    )
    parser.add_argument(
        "--inputs",
        choices=INPUTS,
        default="all",
        help="what generated cases are made of: every shape (all, the default), or real functions' shapes only",
    )
    parser.add_argument(
        "--tx",
        type=gateway,
        action="append",
        default=[],
        metavar="SPEC",
        help="run the workers on these pytest-xdist gateways instead (one --tx per worker, such as "
        "socket=HOST:PORT or ssh=HOST//python=PATH); each needs this project installed at the same path",
    )
    parser.add_argument(
        "--shard", type=shard_of, default=(1, 1), metavar="K/N", help="search part K of N (default 1/1: all of it)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None if fresh_seed else 0,
        help="seed of the search (default: a fresh one, written in the report)" if fresh_seed else "seed (default 0)",
    )
    parser.add_argument(
        "--corpus", type=corpus_directory, default="corpus", help="reviewed corpus to replay (default corpus)"
    )
    parser.add_argument(
        "--findings",
        type=corpus_directory,
        default=os.path.join(".fuzz", "findings"),
        help="where new findings are saved, and replayed from in later runs (default .fuzz/findings, "
        "git-ignored; 'python -m fuzz promote FILE' moves one into the corpus)",
    )
    parser.add_argument(
        "--json", type=report_path, help=f"write the JSON report here (default .fuzz/reports/{reports}.json)"
    )
    parser.add_argument(
        "--markdown", type=report_path, help=f"write the Markdown report here (default .fuzz/reports/{reports}.md)"
    )
    parser.add_argument("--strict", action="store_true", help="benign divergences fail the gate too")
    parser.add_argument(
        "--no-shrink", action="store_true", help="report findings as found, without shrinking them (faster)"
    )
    parser.add_argument(
        "--no-hunt",
        action="store_true",
        help="skip the slowness hunt: a correctness check only (a budget by need searches in the hunt's time)",
    )
