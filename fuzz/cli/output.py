"""Writing a command's JSON output: a failure to write is the user's to fix, said in one line."""

from __future__ import annotations

import json

from fuzz.errors import UsageError


def write_json(path: str | None, data: dict, option: str = "--json") -> None:
    """Write ``data`` to ``path`` (nothing if ``None``) and say so."""
    write_text(path, json.dumps(data, indent=2) + "\n", option)


def write_text(path: str | None, text: str, option: str) -> None:
    """Write ``text`` to ``path`` (nothing if ``None``) and say so; ``option`` names the path in an error."""
    if path is None:
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write it ({exc.strerror})") from exc
    print(f"wrote {path}")
