"""cloudpickle checkouts for ``tree:PATH`` sides, made from the installed package."""

from __future__ import annotations

import shutil
from pathlib import Path

from fuzz.oracle.sides import INSTALLED_DIR

#: Lose every submodule two levels down (``a.b.c``): a plausible upstream slip.
LOSE_DEEP = (
    "if not tokens - set(code.co_names):",
    "if not tokens - set(code.co_names) and name.count('.') < 2:",
)


def copy_tree(root: Path, patch: tuple[str, str] | None = None) -> Path:
    """A cloudpickle checkout at ``root``, optionally patched; returns ``root``."""
    shutil.copytree(INSTALLED_DIR, root / "cloudpickle", ignore=shutil.ignore_patterns("__pycache__"))
    if patch is not None:
        core = root / "cloudpickle" / "cloudpickle.py"
        text = core.read_text()
        assert patch[0] in text, "the installed cloudpickle changed; update the patch"
        core.write_text(text.replace(patch[0], patch[1]))
    return root
