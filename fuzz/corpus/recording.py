"""Adding a Python version's verdict to a corpus entry that records none for it.

A new CPython release starts with no verdicts in the corpus, and the replay
tests can only skip its entries. Recording is deliberately narrow: only a
verdict the replay judged (never ``unjudged``), only with the sides the entry
was recorded with (a verdict means something only for its sides), and never
over a verdict already there (a moved verdict is news to look at, not to
overwrite). The entry is saved through :func:`fuzz.corpus.store.save`, which
merges the verdict in atomically.
"""

from __future__ import annotations

import os

from fuzz.corpus.format import CorpusEntry, CorpusFormatError
from fuzz.corpus.store import load, save
from fuzz.model.verdict import UNJUDGED


def record_verdict(path: str, version: str, kind: str, sides: tuple[str, str]) -> str | None:
    """Record ``kind`` for ``version`` in the entry at ``path``; None if recorded, else why not (one phrase)."""
    if kind == UNJUDGED:
        return "not recorded: the replay could not judge it"
    try:
        entry = load(path)
    except (OSError, CorpusFormatError) as exc:
        return f"not recorded: the file does not load ({exc})"
    if (entry.baseline, entry.candidate) != sides:
        return (
            f"not recorded: the entry's sides are {entry.baseline} vs {entry.candidate}, not {sides[0]} vs {sides[1]}"
        )
    if version in entry.verdicts:
        return f"not recorded: it already records {entry.verdicts[version]} for Python {version}"
    addition = CorpusEntry(entry.case, entry.baseline, entry.candidate, {version: kind}, entry.found)
    save(addition, os.path.dirname(os.path.abspath(path)))
    return None
