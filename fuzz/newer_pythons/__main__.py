"""``python3 -m fuzz.newer_pythons``: prepare CPython 3.14 and 3.15 into the cache, or report what is there.

Exit 0 when every version is ready or was skipped for a reason the machine
cannot help (one line each says which), 1 when a preparation failed, 2 on
bad usage. ``python -m fuzz newer-pythons`` is the same command.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from fuzz.newer_pythons import CACHE_VARIABLE, VERSIONS, default_cache, interpreter_path, manifest


@contextlib.contextmanager
def _locked(cache: Path) -> Iterator[None]:
    """One preparing process per cache at a time (a second waits, then finds the work done)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def describe(version: str, record: manifest.Manifest, cache: Path) -> str:
    """One line: the version, the Debian package it came from, and the interpreter's path."""
    return (
        f"Python {version}: ready, python{version} {record.full_version} from Debian {record.suite}, "
        f"{interpreter_path(cache, version)}"
    )


def ensure(cache: Path, versions: Sequence[str], prepare: bool, out: TextIO) -> tuple[dict[str, Path], bool]:
    """Prepare what is missing (if ``prepare``); the ready interpreters, and whether any preparation failed."""
    ready: dict[str, Path] = {}
    failed = False
    missing = []
    for version in versions:
        record = manifest.read(cache / version)
        if record is not None:
            print(describe(version, record, cache), file=out)
            ready[version] = interpreter_path(cache, version)
        elif not prepare:
            print(f"Python {version}: not prepared (python3 -m fuzz.newer_pythons prepares it)", file=out)
        else:
            missing.append(version)
    if not missing:
        return ready, failed
    # Only here: every command's parser is built from this module, and preparing imports zipfile, lzma...
    from fuzz.newer_pythons.prepare import PreparationError, Preparer, Unavailable, scratch_folder

    with _locked(cache), scratch_folder(cache) as scratch:
        try:
            preparer = Preparer(cache, Path(scratch))
        except Unavailable as exc:
            print(f"Python {', '.join(missing)}: skipped, {exc}", file=out)
            return ready, failed
        for version in missing:
            record = manifest.read(cache / version)  # another process may have made it while this one waited
            started = time.monotonic()
            try:
                if record is None:
                    record = preparer.prepare(version)
                    print(f"Python {version}: prepared in {time.monotonic() - started:.1f} s", file=out)
            except Unavailable as exc:
                print(f"Python {version}: skipped, {exc}", file=out)
                continue
            except (PreparationError, OSError) as exc:
                print(f"error: Python {version} could not be prepared: {exc}", file=sys.stderr)
                failed = True
                continue
            print(describe(version, record, cache), file=out)
            ready[version] = interpreter_path(cache, version)
    return ready, failed


def _version(text: str) -> str:
    if text not in VERSIONS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one this prepares; use one of {', '.join(VERSIONS)}")
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache",
        type=Path,
        help=f"cache folder (default ${CACHE_VARIABLE}, else {default_cache()})",
    )
    parser.add_argument(
        "--version", dest="versions", action="append", type=_version, help=f"one of {', '.join(VERSIONS)} (repeatable)"
    )
    parser.add_argument("--check", action="store_true", help="only report what is prepared; download nothing")
    parser.add_argument(
        "--paths", action="store_true", help="print the ready interpreters' paths on stdout (reports go to stderr)"
    )


def run(args: argparse.Namespace) -> int:
    """Prepare the newer CPython versions (or report them); print their paths with ``--paths``."""
    cache = (args.cache or default_cache()).expanduser().resolve()
    if cache.exists() and not cache.is_dir():
        print(f"error: --cache {cache} is a file; pass a folder", file=sys.stderr)
        return 2
    out = sys.stderr if args.paths else sys.stdout
    ready, failed = ensure(cache, args.versions or list(VERSIONS), not args.check, out)
    if args.paths:
        for path in ready.values():
            print(path)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m fuzz.newer_pythons", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
