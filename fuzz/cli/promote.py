"""``python -m fuzz promote FILE...``: move reviewed findings into the corpus.

The gate saves what it finds to ``.fuzz/findings/`` (git-ignored), so a
run never touches the tracked ``corpus/``, which holds reviewed cases only.
Once a finding has been read and is worth keeping (a regression the
corpus should go on checking, a case for an upstream issue), this saves it
into the corpus (merging with a copy already there, by content) and removes
it from the findings. The corpus file is then ready for ``git add``.
"""

from __future__ import annotations

import argparse
import os

from fuzz.config.option_types import corpus_directory
from fuzz.corpus.store import load, save
from fuzz.errors import EXIT_OK, UsageError


def run(args: argparse.Namespace) -> int:
    """Save findings into the corpus and drop them from where they were."""
    entries = []
    for path in args.files:
        if not os.path.isfile(path):
            raise UsageError(f"{path!r} is not a file; pass findings such as .fuzz/findings/NAME.case.py")
        entries.append((path, load(path)))  # every file is read before any is moved
    for path, entry in entries:
        saved = save(entry, args.corpus)
        if not args.keep and os.path.abspath(path) != os.path.abspath(saved):
            os.unlink(path)
        print(f"{path} -> {saved}")
    return EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("promote", help=run.__doc__, description=__doc__)
    parser.add_argument("files", nargs="+", metavar="FILE", help="finding files (.fuzz/findings/NAME.case.py)")
    parser.add_argument("--corpus", type=corpus_directory, default="corpus", help="the corpus (default corpus)")
    parser.add_argument("--keep", action="store_true", help="leave the findings where they are")
    parser.set_defaults(handler=run)
