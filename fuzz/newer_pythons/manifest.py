"""What a prepared interpreter is made of, and the marker saying it is complete.

Each prepared version has a folder of its own in the cache. The manifest
records the exact Debian package versions it was made from (so a changed
verdict can be traced to a changed interpreter); the marker file is written
last, so a folder without it is a preparation that was cut short and is made
again, never used.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
COMPLETE = "complete"


@dataclass(frozen=True)
class Manifest:
    """A prepared interpreter: its version, where it came from, and the packages it holds."""

    python: str
    suite: str
    archive: str
    packages: dict[str, str] = field(default_factory=dict)
    patchelf: str = ""
    prepared: str = ""

    @property
    def full_version(self) -> str:
        """The Debian version of the interpreter's own package (``3.15.2-1``)."""
        return self.packages.get(f"python{self.python}", "?")


def write(folder: Path, manifest: Manifest) -> None:
    """Write the manifest, then the completion marker: the marker is what says "done"."""
    temporary = folder / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)
    (folder / COMPLETE).write_text("", encoding="utf-8")


def read(folder: Path) -> Manifest | None:
    """The manifest of a complete preparation, or None (absent, cut short, or unreadable)."""
    if not (folder / COMPLETE).is_file():
        return None
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def versions_of_debs(names: list[str]) -> dict[str, str]:
    """Package name to version, read from ``NAME_VERSION_ARCH.deb`` file names (``%3a`` is an epoch's colon)."""
    packages = {}
    for name in names:
        stem = os.path.basename(name)
        if not stem.endswith(".deb") or stem.count("_") != 2:
            continue
        package, version, _ = stem[: -len(".deb")].split("_")
        packages[package] = version.replace("%3a", ":")
    return dict(sorted(packages.items()))
