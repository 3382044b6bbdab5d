"""CPython releases newer than the machine's, prepared from Debian's archive into a cache folder.

Bytecode changes with every CPython release, so the fuzzer must run on the
newest ones; a machine whose own distribution is older has no package for
them. Debian's testing and unstable suites carry them, built against a newer
C library than an older Debian has: they are downloaded with a private apt
configuration (never touching the machine's), unpacked together with their
own C library into a folder of the cache, and patched to load that C library
instead of the machine's. Standard library only, so it runs from a checkout
before the project is installed::

    python3 -m fuzz.newer_pythons            # prepare 3.14 and 3.15 (a second run only reports)
    python3 -m fuzz.newer_pythons --paths    # then print the interpreters' paths, one per line

What a machine lacks (apt, a Debian archive in its sources, a package in the
archive) is reported in one line and the version skipped; see
:mod:`fuzz.newer_pythons.prepare`.
"""

from __future__ import annotations

import os
from pathlib import Path

from fuzz.newer_pythons import manifest

#: The versions prepared by default: the ones no pyenv or python.org build reaches this machine with.
VERSIONS = ("3.14", "3.15")

#: Environment variable naming the cache folder (the ``--cache`` option wins over it).
CACHE_VARIABLE = "FUZZ_PYTHONS_CACHE"


def default_cache() -> Path:
    """``$FUZZ_PYTHONS_CACHE``, else the user's cache folder (XDG), shared by every checkout of the project."""
    override = os.environ.get(CACHE_VARIABLE)
    if override:
        return Path(override).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base).resolve() / "cloudpickle-submodule-fuzz" / "pythons"


def interpreter_path(cache: Path, version: str) -> Path:
    """Where the prepared ``python3.X`` of ``version`` lives in ``cache``."""
    return cache / version / "root" / "usr" / "bin" / f"python{version}"


def prepared(cache: Path | None = None) -> dict[str, Path]:
    """Version to interpreter path, for the complete preparations in the cache (reads manifests only: cheap)."""
    folder = cache or default_cache()
    found = {}
    for version in VERSIONS:
        path = interpreter_path(folder, version)
        if manifest.read(folder / version) is not None and path.is_file():
            found[version] = path
    return found
