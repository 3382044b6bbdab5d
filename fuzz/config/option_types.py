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

#: Workers per core beyond which a run spends its budget starting workers.
WORKERS_PER_CORE = 4


def _whole(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{text}: expected at least {least}")
    return value


def _above_zero(text: str, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a {unit}") from None
    if not math.isfinite(value) or value <= 0:
        # nan and inf parse as floats; neither bounds anything.
        raise argparse.ArgumentTypeError(f"{text!r}: expected a finite {unit} above 0")
    return value


def positive_seconds(text: str) -> float:
    """A finite number of seconds above zero."""
    return _above_zero(text, "number of seconds")


def positive_number(text: str) -> float:
    """A finite number above zero."""
    return _above_zero(text, "number")


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    return _whole(text, 1)


def non_negative_int(text: str) -> int:
    """A whole number of at least 0."""
    return _whole(text, 0)


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


def _directory_to_be(text: str, what: str) -> str:
    """A directory that may not exist yet, but cannot be a file."""
    if os.path.exists(text) and not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not {what}")
    return text


def corpus_directory(text: str) -> str:
    """A corpus directory: it may not exist yet, but it cannot be a file."""
    return _directory_to_be(text, "a corpus directory")


def database_directory(text: str) -> str:
    """A Hypothesis example database (a directory): it may not exist yet, but it cannot be a file."""
    return _directory_to_be(text, "an example database directory")


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
