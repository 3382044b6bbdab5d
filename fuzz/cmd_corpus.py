"""``python -m fuzz replay`` / ``repro`` / ``corpus-seed``: the saved corpus.

``replay`` reruns every corpus entry and says, per file, whether its verdict
for this Python changed since it was recorded (a fixed candidate turns
``regression`` into ``match``). ``repro FILE`` prints a standalone script for
an upstream issue. ``corpus-seed`` writes the hand-written cases of
:mod:`fuzz.known_cases` into the corpus with the verdict observed here.

A corpus file that does not parse is reported with its path and field; every
other entry still runs, and the exit code is 2 unless a regression or crash
(exit 1) was found.
"""

from __future__ import annotations

import argparse
import os
import sys

from fuzz.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, add_side_options
from fuzz.corpus_format import CorpusEntry, CorpusFormatError, running_version, today
from fuzz.corpus_replay import replay_corpus
from fuzz.corpus_store import load, save
from fuzz.isolation import Isolation
from fuzz.known_cases import CASES
from fuzz.oracle import run_case
from fuzz.reproducer import ReproducerError, reproducer
from fuzz.sides import make_side
from fuzz.verdict import FAILING

DEFAULT_CORPUS = "corpus"


def _corpus_dir(path: str) -> str:
    if not os.path.isdir(path):
        raise UsageError(f"corpus directory {path!r} does not exist; pass --corpus DIR")
    return path


def replay(args: argparse.Namespace) -> int:
    """Rerun every corpus entry; report each verdict against the recorded one."""
    directory = _corpus_dir(args.corpus)
    baseline, candidate = make_side(args.baseline), make_side(args.candidate)
    version = running_version()
    counts = {"same": 0, "changed": 0, "new": 0, "bad": 0}
    failing = 0
    print(
        f"replay {directory} | baseline {args.baseline} | candidate {args.candidate} | "
        f"isolation {args.isolation} | python {version}"
    )
    print(f"{'file':56} {'recorded':15} {'now':15} status")
    with Isolation(args.isolation, timeout=args.timeout) as isolation:
        for item in replay_corpus(directory, baseline, candidate, isolation):
            counts[item.status] += 1
            if item.status == "bad":
                print(f"error: {item.error}", file=sys.stderr)
                continue
            assert item.verdict is not None
            failing += item.verdict.failing
            status = item.status
            if not item.same_sides:
                status += f" (recorded with {item.entry.baseline} vs {item.entry.candidate}, not these sides)"
            print(f"{item.name:56} {item.recorded or '-':15} {item.verdict.kind:15} {status}")
            if item.status == "new":
                print(f"{'':56} no verdict recorded for Python {version}")
            elif item.status == "changed":
                print(f"{'':56} {item.verdict.reason}")
    total = sum(counts.values())
    print(
        f"{total} entries: {counts['same']} same, {counts['changed']} changed, "
        f"{counts['new']} new, {counts['bad']} bad; {failing} failing ({' or '.join(FAILING)})"
    )
    if args.expect_recorded:
        # CI mode: recorded regressions are expected; a verdict that moved is the news.
        return EXIT_USAGE if counts["bad"] else EXIT_FINDINGS if counts["changed"] else EXIT_OK
    if failing:
        return EXIT_FINDINGS
    return EXIT_USAGE if counts["bad"] else EXIT_OK


def repro(args: argparse.Namespace) -> int:
    """Print a standalone reproducer script (Python and cloudpickle only) for one corpus file."""
    if not os.path.isfile(args.file):
        raise UsageError(f"{args.file!r} is not a file; pass a corpus file such as corpus/NAME.case.py")
    try:
        entry = load(args.file)
        script = reproducer(entry, args.side, origin=args.file)
    except (CorpusFormatError, ReproducerError) as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(script)
    return EXIT_OK


def seed(args: argparse.Namespace) -> int:
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
    parser = subparsers.add_parser("replay", help=replay.__doc__, description=replay.__doc__)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})")
    add_side_options(parser, "legacy", "proposed")
    parser.add_argument(
        "--expect-recorded",
        action="store_true",
        help="exit 1 only if a verdict changed from the recorded one (for CI), not for recorded regressions",
    )
    parser.set_defaults(handler=replay)

    parser = subparsers.add_parser("repro", help=repro.__doc__, description=repro.__doc__)
    parser.add_argument("file", help="a corpus file (corpus/NAME.case.py)")
    parser.add_argument(
        "--side",
        default=None,
        help="side whose pickling the script reproduces (default: the entry's recorded candidate); "
        "'installed' gives a script that tests whatever cloudpickle runs it",
    )
    parser.set_defaults(handler=repro)

    parser = subparsers.add_parser("corpus-seed", help=seed.__doc__, description=seed.__doc__)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})")
    add_side_options(parser, "legacy", "proposed")
    parser.set_defaults(handler=seed)
