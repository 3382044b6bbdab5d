"""``python -m fuzz corpus-seed``: write the hand-written cases into the corpus with this Python's verdicts.

The cases of :mod:`fuzz.corpus.known_cases` (the proposal's own edge cases
and known hazards) are saved as written; exit 1 if, for legacy against
proposed, a verdict differs from what the table expects.
"""

from __future__ import annotations

import argparse
import os

from fuzz.cli import add_side_options
from fuzz.config.option_types import corpus_directory
from fuzz.corpus.format import CorpusEntry, running_version, today
from fuzz.corpus.known_cases import CASES
from fuzz.corpus.store import save
from fuzz.errors import EXIT_FINDINGS, EXIT_OK
from fuzz.isolation.pool import Isolation
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import make_side


def run(args: argparse.Namespace) -> int:
    """Write the hand-written cases into the corpus with the verdicts observed here."""
    baseline, candidate = make_side(args.baseline), make_side(args.candidate)
    disagreements = 0
    with Isolation(args.isolation, timeout=args.timeout) as isolation:
        for key, (case, expected) in CASES.items():
            verdict = run_case(case, baseline, candidate, isolation)
            # Hand-written cases state their world themselves: saved as written.
            path = save(CorpusEntry.from_verdict(case, verdict, with_held=False), args.corpus)
            note = ""
            if (args.baseline, args.candidate) == ("legacy", "proposed") and verdict.kind != expected:
                disagreements += 1
                note = f"  (known_cases.py expects {expected}: {verdict.reason})"
            print(f"{key:24} {verdict.kind:15} {os.path.relpath(path)}{note}")
    print(f"{len(CASES)} cases saved for Python {running_version()} on {today()}")
    return EXIT_FINDINGS if disagreements else EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("corpus-seed", help=run.__doc__, description=__doc__)
    parser.add_argument("--corpus", type=corpus_directory, default="corpus", help="corpus directory (default corpus)")
    add_side_options(parser, "legacy", "proposed")
    parser.set_defaults(handler=run)
