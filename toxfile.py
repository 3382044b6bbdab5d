"""tox plugin (loaded by tox from this file): find pyenv's interpreters without setup.

tox discovers interpreters on PATH, and pyenv's shims only answer for the
versions activated in the shell, so ``py312`` would be skipped on a machine
that has 3.12 installed through pyenv. Appending every pyenv version's ``bin``
directory to PATH (after what is already there) makes each installed
interpreter visible; machines without pyenv are unaffected. The CPython
releases :mod:`fuzz.newer_pythons` prepared (``python3 -m fuzz.newer_pythons``)
are appended the same way, so ``py314`` and ``py315`` find them.
"""

from __future__ import annotations

import glob
import os
import sys

from tox.plugin import impl


@impl
def tox_add_core_config(core_conf: object, state: object) -> None:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    extra = sorted(glob.glob(os.path.join(root, "versions", "*", "bin")))
    extra += [str(python.parent) for python in _prepared_pythons()]
    os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), *extra])


def _prepared_pythons() -> list:
    """The prepared newer interpreters (this checkout's ``fuzz`` is importable before it is installed)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        from fuzz.newer_pythons import prepared
    finally:
        sys.path.pop(0)
    return list(prepared().values())
