"""Command line: ``python -m fuzz COMMAND``.

Every command takes sides as spec strings (see :mod:`fuzz.oracle.sides`). Exit codes
are the same everywhere: 0 nothing failing, 1 a regression or crash was found,
2 bad usage or configuration (the message says what and how to fix), 3 the
run could not judge enough to pass (the gate's INCOMPLETE), 130 stopped by
Ctrl-C, 143 stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from fuzz.config.option_types import positive_seconds
from fuzz.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, FuzzError, UsageError
from fuzz.isolation import interrupts
from fuzz.isolation.pool import ISOLATION_MODES, default_mode

#: Exit code when stdout's reader went away (128 + SIGPIPE, as a shell reports a tool killed by it).
EXIT_BROKEN_PIPE = 141

__all__ = ["EXIT_FINDINGS", "EXIT_INCOMPLETE", "EXIT_OK", "EXIT_USAGE", "UsageError", "add_side_options", "main"]


def add_side_options(
    parser: argparse.ArgumentParser, baseline: str, candidate: str, *, runs_children: bool = True
) -> None:
    """``--baseline`` and ``--candidate`` (spec strings, see :mod:`fuzz.oracle.sides`); with ``runs_children``,
    ``--isolation`` and ``--timeout`` for the fresh interpreters the command loads pickles in."""
    parser.add_argument("--baseline", default=baseline, help=f"side spec of the baseline (default {baseline})")
    parser.add_argument("--candidate", default=candidate, help=f"side spec of the candidate (default {candidate})")
    if not runs_children:
        return
    parser.add_argument(
        "--isolation",
        choices=ISOLATION_MODES,
        default=default_mode(),
        help=f"how fresh interpreters are made (default {default_mode()})",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=10.0,
        help="seconds a child may run, and a side may take to pickle one function (default 10)",
    )


#: Modules defining one subcommand each, through ``add_parser(subparsers)``.
COMMANDS = (
    "fuzz.cli.gate",
    "fuzz.cli.real_code",
    "fuzz.cli.campaign",
    "fuzz.cli.merge",
    "fuzz.cli.known",
    "fuzz.cli.replay",
    "fuzz.cli.repro",
    "fuzz.cli.corpus_seed",
    "fuzz.cli.promote",
    "fuzz.cli.coverage",
    "fuzz.cli.bench",
    "fuzz.cli.slowness",
    "fuzz.cli.throughput",
    "fuzz.cli.matrix",
    "fuzz.cli.newer_pythons",
)


_MARKUP = re.compile(r":[a-z]+:`~?([^`]+)`|``([^`]+)``")


def plain(text: str) -> str:
    """Docstring text without its reStructuredText markup, for ``--help``."""
    return _MARKUP.sub(lambda m: m.group(1) or m.group(2), text)


class _PlainHelp(argparse.HelpFormatter):
    """Help and descriptions come from docstrings: show them as plain text."""

    def _format_text(self, text: str) -> str:
        return super()._format_text(plain(text))

    def _expand_help(self, action: argparse.Action) -> str:
        return plain(super()._expand_help(action))


class _Parser(argparse.ArgumentParser):
    """Every command's parser shows plain help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _PlainHelp)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m fuzz", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (argparse's own, 2, for a value its ``type=`` refused)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.handler(args)
    except FuzzError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print(f"interrupted by {interrupts.signal_name(exc)}", file=sys.stderr)
        return interrupts.exit_code(exc)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as the shell's own tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE
