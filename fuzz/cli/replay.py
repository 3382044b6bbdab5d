"""``python -m fuzz replay``: rerun every corpus entry and compare its verdict with the recorded one.

Says, per file, whether its verdict for this Python changed since it was
recorded (a fixed candidate turns ``regression`` into ``match``). A corpus
file that does not parse is reported with its path and field; every other
entry still runs. Exit 1 on a regression or crash, else 2 if a file was bad,
else 3 if an entry could not be judged, else 0; ``--expect-recorded`` (for
CI) exits 1 only when a verdict moved; ``--record`` writes this Python's
verdict into the entries that record none for it (see
:mod:`fuzz.corpus.recording`). Entries are replayed in a supervised
worker (:mod:`fuzz.workers.supervisor`): a candidate that hangs or kills the
process costs the entry a ``crash`` (or ``unjudged``) verdict, never the replay.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time

from fuzz.cli import add_side_options
from fuzz.config.option_types import existing_corpus
from fuzz.corpus.format import CorpusFormatError, running_version
from fuzz.corpus.recording import record_verdict
from fuzz.corpus.store import corpus_files, load
from fuzz.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, UsageError
from fuzz.model.records import CaseRecord
from fuzz.model.verdict import FAILING, UNJUDGED
from fuzz.workers.events import Event
from fuzz.workers.supervisor import SupervisedJob

DEFAULT_CORPUS = "corpus"


def _recorded(line: CaseRecord, version: str) -> str | None:
    """The verdict the entry records for this Python (read again if the worker died on it)."""
    if "recorded" in line:
        return line["recorded"]
    try:
        return load(line["corpus"]).verdict_for(version)
    except (OSError, CorpusFormatError):
        return None


def run(args: argparse.Namespace) -> int:
    """Rerun every corpus entry; report each verdict against the recorded one."""
    directory = args.corpus
    version = running_version()
    counts = {"same": 0, "changed": 0, "new": 0, "bad": 0, "recorded": 0}
    failing = unjudged = 0
    print(
        f"replay {directory} | baseline {args.baseline} | candidate {args.candidate} | "
        f"isolation {args.isolation} | python {version}"
    )
    print(f"{'file':56} {'recorded':15} {'now':15} status")

    def show(event: dict) -> None:
        nonlocal failing, unjudged
        if event["event"] == Event.BAD:
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
        if status == "new" and args.record:
            why_not = record_verdict(line["corpus"], version, kind, (args.baseline, args.candidate))
            counts["recorded"] += why_not is None
            print(f"{'':56} {why_not or f'recorded {kind} for Python {version}'}")
        elif status == "new":
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
    total = sum(counts.values()) - counts["recorded"]
    recorded = f" ({counts['recorded']} recorded now)" if args.record else ""
    print(
        f"{total} entries: {counts['same']} same, {counts['changed']} changed, "
        f"{counts['new']} new{recorded}, {counts['bad']} bad; {failing} failing ({' or '.join(FAILING)}), "
        f"{unjudged} unjudged"
    )
    if args.expect_recorded:
        # CI mode: recorded regressions are expected; a verdict that moved is the news.
        return EXIT_USAGE if counts["bad"] else EXIT_FINDINGS if counts["changed"] else EXIT_OK
    if failing:
        return EXIT_FINDINGS
    return EXIT_USAGE if counts["bad"] else EXIT_INCOMPLETE if unjudged else EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("replay", help=run.__doc__, description=__doc__)
    parser.add_argument(
        "--corpus", type=existing_corpus, default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})"
    )
    add_side_options(parser, "legacy", "proposed")
    parser.add_argument(
        "--expect-recorded",
        action="store_true",
        help="exit 1 only if a verdict changed from the recorded one (for CI), not for recorded regressions",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="write this Python's verdict into entries that record none for it (judged ones, with the entry's sides)",
    )
    parser.set_defaults(handler=run)
