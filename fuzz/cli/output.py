"""Writing a command's JSON output: a failure to write is the user's to fix, said in one line."""

from __future__ import annotations

import json

from fuzz.errors import UsageError


def write_json(path: str | None, data: dict, option: str = "--json") -> None:
    """Write ``data`` to ``path`` (nothing if ``None``) and say so."""
    if path is None:
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write it ({exc.strerror})") from exc
    print(f"wrote {path}")
