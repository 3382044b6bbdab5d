"""``python -m fuzz replay`` / ``repro`` / ``corpus-seed``: the saved corpus.

``replay`` reruns every corpus entry and says, per file, whether its verdict
for this Python changed since it was recorded (a fixed candidate turns
``regression`` into ``match``). ``repro FILE`` prints a standalone script for
an upstream issue. ``corpus-seed`` writes the hand-written cases of
:mod:`fuzz.corpus.known_cases` into the corpus with the verdict observed here.

A corpus file that does not parse is reported with its path and field; every
other entry still runs, and the exit code is 2 unless a regression or crash
(exit 1) was found. Entries are replayed in a supervised worker
(:mod:`fuzz.workers.supervisor`): a candidate that hangs or kills the process costs
the entry a ``crash`` (or ``unjudged``) verdict, never the replay.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time

from fuzz.cli import add_side_options
from fuzz.corpus.format import CorpusEntry, CorpusFormatError, running_version, today
from fuzz.corpus.known_cases import CASES
from fuzz.corpus.reproducer import ReproducerError, reproducer
from fuzz.corpus.store import corpus_files, load, save
from fuzz.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, UsageError
from fuzz.isolation.pool import Isolation
from fuzz.oracle import run_case
from fuzz.sides import make_side
from fuzz.verdict import FAILING, UNJUDGED
from fuzz.workers.supervisor import SupervisedJob

DEFAULT_CORPUS = "corpus"


def _corpus_dir(path: str) -> str:
    if not os.path.isdir(path):
        raise UsageError(f"corpus directory {path!r} does not exist; pass --corpus DIR")
    return path


def _recorded(line: dict, version: str) -> str | None:
    """The verdict the entry records for this Python (read again if the worker died on it)."""
    if "recorded" in line:
        return line["recorded"]
    try:
        return load(line["corpus"]).verdict_for(version)
    except (OSError, CorpusFormatError):
        return None


def replay(args: argparse.Namespace) -> int:
    """Rerun every corpus entry; report each verdict against the recorded one."""
    directory = _corpus_dir(args.corpus)
    version = running_version()
    counts = {"same": 0, "changed": 0, "new": 0, "bad": 0}
    failing = unjudged = 0
    print(
        f"replay {directory} | baseline {args.baseline} | candidate {args.candidate} | "
        f"isolation {args.isolation} | python {version}"
    )
    print(f"{'file':56} {'recorded':15} {'now':15} status")

    def show(event: dict) -> None:
        nonlocal failing, unjudged
        if event["event"] == "bad":
            counts["bad"] += 1
            print(f"error: {event['error']}", file=sys.stderr)
            return
        line = event["record"]
        kind, recorded = line["kind"], _recorded(line, version)
        status = "new" if recorded is None else "same" if recorded == kind else "changed"
        counts[status] += 1
        failing += kind in FAILING
        unjudged += kind == UNJUDGED
        note = status
        entry_sides = line.get("entry_sides")
        if entry_sides and tuple(entry_sides) != (args.baseline, args.candidate):
            note += f" (recorded with {entry_sides[0]} vs {entry_sides[1]}, not these sides)"
        print(f"{os.path.basename(line['corpus']):56} {recorded or '-':15} {kind:15} {note}")
        if status == "new":
            print(f"{'':56} no verdict recorded for Python {version}")
        elif status == "changed":
            print(f"{'':56} {line['reason']}")

    settings = {"baseline": args.baseline, "candidate": args.candidate, "isolation": args.isolation}
    with tempfile.TemporaryDirectory(prefix="fuzz-replay-") as scratch:
        # Supervised: a candidate that hangs or kills the process it pickles in costs one entry, not the replay.
        job = SupervisedJob("replay", {**settings, "timeout": args.timeout}, scratch, deadline=math.inf)
        job.add([{"id": path, "corpus": path, "source": "corpus"} for path in corpus_files(directory)])
        shown = 0
        try:
            while True:
                running = job.poll()
                for event in job.events[shown:]:
                    show(event)
                shown = len(job.events)
                if not running:
                    break
                time.sleep(0.02)
        finally:
            if not job.finished:
                job.stop("the replay was stopped")
    if job.bad_sides is not None:
        raise UsageError(job.bad_sides)
    total = sum(counts.values())
    print(
        f"{total} entries: {counts['same']} same, {counts['changed']} changed, "
        f"{counts['new']} new, {counts['bad']} bad; {failing} failing ({' or '.join(FAILING)}), {unjudged} unjudged"
    )
    if args.expect_recorded:
        # CI mode: recorded regressions are expected; a verdict that moved is the news.
        return EXIT_USAGE if counts["bad"] else EXIT_FINDINGS if counts["changed"] else EXIT_OK
    if failing:
        return EXIT_FINDINGS
    return EXIT_USAGE if counts["bad"] else EXIT_INCOMPLETE if unjudged else EXIT_OK


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
