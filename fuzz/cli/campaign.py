"""``python -m fuzz campaign``: fuzz for hours, in rounds, keeping what was found between runs.

Runs until its ``--budget`` is spent, or until stopped (Ctrl-C, SIGTERM)
when it has none; rewrites its Markdown and JSON reports (default
``.fuzz/reports/campaign.md`` and ``.json``, with ``campaign-discovery.png``
and ``campaign-coverage-heatmap.png`` beside them when the ``plot`` extra is
installed) after every round of ``--report-every`` seconds and at exit. Findings are
saved to ``--findings`` as the gate saves them, and their Hypothesis choices
to the example database (``--database``, default ``.fuzz/database``), whose
entries the next run replays first. ``--replay-from DIR`` adds read-only
databases (a nightly campaign's, on a shared filesystem) that are replayed
and never written. Exit codes as the gate's: 0, 1, 2, 3, and 130 or 143 when
stopped, after the reports are written.
"""

from __future__ import annotations

import argparse
import os
import random

from fuzz.campaign.rounds import MIN_ROUND_S, CampaignRun
from fuzz.cli import add_side_options
from fuzz.cli.gate import add_search_options
from fuzz.config.option_types import database_directory, existing_database, positive_seconds
from fuzz.config.run_config import CampaignConfig
from fuzz.oracle.side_probe import check_tree_sides


def run(args: argparse.Namespace) -> int:
    """Fuzz in rounds until the budget or an interrupt; report after every round."""
    check_tree_sides([args.baseline, args.candidate], args.timeout)
    # A restarted campaign must not search again what the last one did: a fresh seed, reported.
    seed = random.SystemRandom().randrange(2**31) if args.seed is None else args.seed
    return CampaignRun(CampaignConfig.from_options(args, seed)).run()


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("campaign", help=run.__doc__, description=__doc__)
    add_side_options(parser, "legacy", "proposed")
    parser.add_argument(
        "--budget", type=round_seconds, default=None, help="wall-clock seconds in all (default: until stopped)"
    )
    parser.add_argument(
        "--report-every", type=round_seconds, default=300.0, help="seconds per round and report (default 300)"
    )
    parser.add_argument(
        "--database",
        type=database_directory,
        default=os.path.join(".fuzz", "database"),
        help="the Hypothesis example database findings are kept in and replayed from (default .fuzz/database)",
    )
    parser.add_argument(
        "--replay-from",
        type=existing_database,
        action="append",
        default=[],
        metavar="DIR",
        help="also replay this database, read-only (repeatable)",
    )
    # No --seed: a fresh one, written in the report (pass it again to repeat a campaign's search).
    add_search_options(parser, fresh_seed=True, reports="campaign")
    parser.set_defaults(handler=run)


def round_seconds(text: str) -> float:
    """Seconds, at least one round's worth (workers take seconds to start)."""
    value = positive_seconds(text)
    if value < MIN_ROUND_S:
        raise argparse.ArgumentTypeError(f"{text}: a campaign's rounds need at least {MIN_ROUND_S:.0f} s each")
    return value
