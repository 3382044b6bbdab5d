"""Option types for the command line and the pytest plugins: every value is checked as it is parsed.

Each function here is an argparse ``type=``: it turns the text into a value
or raises :class:`argparse.ArgumentTypeError` with what was wrong and what
to pass instead, and argparse exits with code 2 before anything runs. A bad
value must never be found after a minute of fuzzing (``--timeout nan``
judging nothing, ``--budget nan`` never ending, ``--json`` naming a
directory losing the report).
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from typing import TypeVar

#: Workers per core beyond which a run spends its budget starting workers.
WORKERS_PER_CORE = 4

_N = TypeVar("_N", int, float)


def _number(
    parse: Callable[[str], _N], unit: str, fits: Callable[[_N], bool], expected: str, doc: str
) -> Callable[[str], _N]:
    """The option type of a number that ``parse`` reads, and that must ``fits``: else a ``unit`` ``expected``."""

    def number(text: str) -> _N:
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {unit}") from None
        if not fits(value):
            raise argparse.ArgumentTypeError(f"{text!r}: expected {expected}")
        return value

    number.__doc__ = doc
    return number


def _at_least(least: int, doc: str) -> Callable[[str], int]:
    return _number(int, "whole number", lambda value: value >= least, f"at least {least}", doc)


def _above_zero(unit: str, doc: str) -> Callable[[str], float]:
    # nan and inf parse as floats; neither bounds anything.
    return _number(float, unit, lambda value: math.isfinite(value) and value > 0, f"a finite {unit} above 0", doc)


positive_seconds = _above_zero("number of seconds", "A finite number of seconds above zero.")
positive_number = _above_zero("number", "A finite number above zero.")
positive_int = _at_least(1, "A whole number of at least 1.")
non_negative_int = _at_least(0, "A whole number of at least 0.")


def max_workers() -> int:
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


def workers(text: str) -> int:
    """``auto`` (one per core) or a count from 1 to :data:`WORKERS_PER_CORE` per core."""
    if text == "auto":
        return os.cpu_count() or 1
    value = positive_int(text)
    cap = max_workers()
    if value > cap:
        raise argparse.ArgumentTypeError(
            f"{value}: this machine has {os.cpu_count()} cores, and each worker runs a fork server per side; "
            f"use at most {cap} ({WORKERS_PER_CORE} per core), or 'auto'"
        )
    return value


def sizes(text: str) -> tuple[int, ...]:
    """Comma-separated whole numbers of at least 1, such as ``100,1000,10000``."""
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected comma-separated integers, e.g. 100,1000,10000") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give at least one size, each at least 1")
    return values


def report_path(text: str) -> str:
    """A file a report can be written to: opened for appending now, so a bad path fails before the run."""
    if not text:
        raise argparse.ArgumentTypeError("expected a file name")
    directory = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(directory):
        raise argparse.ArgumentTypeError(f"{text!r}: directory {directory} does not exist; create it or choose another")
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is a directory; name a file in it, such as {text}/report")
    existed = os.path.exists(text)
    try:
        with open(text, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} cannot be written: {exc.strerror or exc}") from None
    if not existed:
        os.unlink(text)  # written for real at the end; a run that stops early leaves no empty file
    return text


#: What ``--plot`` can draw to.
PLOT_SUFFIXES = (".png", ".svg")


def plot_path(text: str) -> str:
    """A writable ``.png`` or ``.svg`` file."""
    if not text.lower().endswith(PLOT_SUFFIXES):
        raise argparse.ArgumentTypeError(f"{text!r}: the file name must end in .png or .svg")
    return report_path(text)


def existing_corpus(text: str) -> str:
    """A corpus directory that exists (to read from)."""
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"corpus directory {text!r} does not exist; pass --corpus DIR")
    return text


def _directory_to_be(what: str, doc: str) -> Callable[[str], str]:
    """The option type of a directory that may not exist yet, but cannot be a file."""

    def directory(text: str) -> str:
        if os.path.exists(text) and not os.path.isdir(text):
            raise argparse.ArgumentTypeError(f"{text!r} is a file, not {what}")
        return text

    directory.__doc__ = doc
    return directory


corpus_directory = _directory_to_be(
    "a corpus directory", "A corpus directory: it may not exist yet, but it cannot be a file."
)
database_directory = _directory_to_be(
    "an example database directory",
    "A Hypothesis example database (a directory): it may not exist yet, but it cannot be a file.",
)


def existing_database(text: str) -> str:
    """A database to replay from: it must exist (a typo would silently replay nothing)."""
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a directory; name an example database to replay from")
    return text


def shard_of(text: str) -> tuple[int, int]:
    """``K/N``: this run is part K of N, from 1 to N (each part searches with its own seeds)."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected K/N, such as 2/4 (part 2 of 4)") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be from 1 to N, such as 1/{max(n, 1)}")
    return k, n


def shard_text(shard: tuple[int, int]) -> str:
    """``(K, N)`` back as ``K/N``, as :func:`shard_of` reads it."""
    return f"{shard[0]}/{shard[1]}"


#: The pytest-xdist gateway kinds a campaign's workers can run on.
GATEWAY_KINDS = ("popen", "socket", "ssh", "vagrant_ssh")


def gateway(text: str) -> str:
    """A pytest-xdist (execnet) gateway spec, such as ``socket=10.0.0.2:8888`` or ``ssh=host//python=python3``."""
    kinds = [part.split("=", 1)[0] for part in text.split("//")]
    if "*" in kinds[0]:
        raise argparse.ArgumentTypeError(f"{text!r}: write one --tx per worker instead of N*SPEC")
    if not any(kind in GATEWAY_KINDS for kind in kinds):
        raise argparse.ArgumentTypeError(
            f"{text!r}: not a gateway spec; expected one of {', '.join(k + '=...' for k in GATEWAY_KINDS[1:])} "
            "or popen (see pytest-xdist's --tx)"
        )
    return text
