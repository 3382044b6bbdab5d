"""tox plugin (loaded by tox from this file): find pyenv's interpreters without setup.

tox discovers interpreters on PATH, and pyenv's shims only answer for the
versions activated in the shell, so ``py312`` would be skipped on a machine
that has 3.12 installed through pyenv. Appending every pyenv version's ``bin``
directory to PATH (after what is already there) makes each installed
interpreter visible; machines without pyenv are unaffected.
"""

from __future__ import annotations

import glob
import os

from tox.plugin import impl


@impl
def tox_add_core_config(core_conf: object, state: object) -> None:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    extra = sorted(glob.glob(os.path.join(root, "versions", "*", "bin")))
    os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), *extra])
