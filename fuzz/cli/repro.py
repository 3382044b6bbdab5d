"""``python -m fuzz repro FILE``: a standalone reproducer script for one corpus file.

The script needs only Python and cloudpickle (with ``_function_getstate``,
that is cloudpickle 3.x, to swap a detector in), ready for an upstream issue
(:mod:`fuzz.corpus.reproducer`).
"""

from __future__ import annotations

import argparse
import os
import sys

from fuzz.corpus.reproducer import reproducer
from fuzz.corpus.store import load
from fuzz.errors import EXIT_OK, UsageError


def run(args: argparse.Namespace) -> int:
    """Print a standalone reproducer script (Python and cloudpickle only) for one corpus file."""
    if not os.path.isfile(args.file):
        raise UsageError(f"{args.file!r} is not a file; pass a corpus file such as corpus/NAME.case.py")
    entry = load(args.file)
    script = reproducer(entry, args.side, origin=args.file)
    sys.stdout.write(script)
    return EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("repro", help=run.__doc__, description=__doc__)
    parser.add_argument("file", help="a corpus file (corpus/NAME.case.py)")
    parser.add_argument(
        "--side",
        default=None,
        help="side whose pickling the script reproduces (default: the entry's recorded candidate); "
        "'installed' gives a script that tests whatever cloudpickle runs it",
    )
    parser.set_defaults(handler=run)
