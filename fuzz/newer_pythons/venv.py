"""Virtualenvs for any interpreter, the prepared ones included.

``python -m venv`` installs pip through ``ensurepip``, which Debian's builds
replace with a lookup of the machine's own pip wheels: on an older machine
those do not fit the newer interpreter and the venv is left without pip. A
Debian build ships its own pip wheel under ``share/python-wheels`` beside
it, so such a venv is made without pip and pip installed from that wheel
(a wheel is a zip, runnable as ``python WHEEL/pip``). Every other interpreter
gets a plain ``python -m venv``.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path


def bundled_pip_wheel(python: str) -> str | None:
    """The pip wheel a Debian-built interpreter ships beside it (``PREFIX/share/python-wheels``), if any."""
    prefix = Path(os.path.realpath(python)).parent.parent
    wheels = sorted(glob.glob(str(prefix / "share" / "python-wheels" / "pip-*.whl")))
    return wheels[-1] if wheels else None


def create(python: str, env: Path) -> Path:
    """Make a virtualenv for ``python`` at ``env`` with a working pip; return the venv's python."""
    wheel = bundled_pip_wheel(python)
    target = env / "bin" / "python"
    if wheel is None:
        subprocess.run([python, "-m", "venv", str(env)], check=True)
    else:
        subprocess.run([python, "-m", "venv", "--without-pip", str(env)], check=True)
        subprocess.run(
            [str(target), os.path.join(wheel, "pip"), "install", "--quiet", "--disable-pip-version-check", wheel],
            check=True,
        )
    return target


def main(argv: list[str]) -> int:
    """``python3 -m fuzz.newer_pythons.venv PYTHON FOLDER``: :func:`create`, for shell scripts such as CI's."""
    if len(argv) != 2:
        print("usage: python3 -m fuzz.newer_pythons.venv PYTHON FOLDER", file=sys.stderr)
        return 2
    try:
        create(argv[0], Path(argv[1]))
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"error: no virtualenv for {argv[0]} at {argv[1]}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
