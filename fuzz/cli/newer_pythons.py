"""``python -m fuzz newer-pythons``: the same as ``python3 -m fuzz.newer_pythons``, from the installed command."""

from __future__ import annotations

import argparse

from fuzz.newer_pythons.__main__ import __doc__ as DESCRIPTION
from fuzz.newer_pythons.__main__ import add_arguments, run


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("newer-pythons", help=run.__doc__, description=DESCRIPTION)
    add_arguments(parser)
    parser.set_defaults(handler=run)
