"""Finding the CPython interpreters installed on this machine.

Bytecode changes with every CPython release, so a verdict on one version
says little about another. This finds the interpreters a matrix run can use:
pyenv's installs, ``python3.X`` on PATH, the running one, and the newer
releases :mod:`fuzz.newer_pythons` prepared into its cache.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

from fuzz import newer_pythons

MINIMUM = (3, 9)


@dataclass(frozen=True)
class Interpreter:
    version: str
    path: str


def version_of(path: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    major, _, minor = out.partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def discover() -> list[Interpreter]:
    """One interpreter per CPython minor version >= 3.9, the running one preferred."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    paths = [sys.executable]
    paths += sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3")))
    paths += [p for p in (shutil.which(f"python3.{minor}") for minor in range(9, 20)) if p]
    paths += [str(p) for p in newer_pythons.prepared().values()]
    found: dict[tuple[int, int], Interpreter] = {}
    for path in paths:
        version = version_of(path)
        if version is not None and version >= MINIMUM and version not in found:
            found[version] = Interpreter(f"{version[0]}.{version[1]}", path)
    return [found[v] for v in sorted(found)]
