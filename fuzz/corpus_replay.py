"""Rerun every corpus entry and compare its verdict with the recorded one.

Shared by ``python -m fuzz replay`` and the gate. An entry that does not
parse, or whose case cannot be run, is reported with its path and field and
never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from fuzz.case import CaseError
from fuzz.corpus_format import CorpusEntry, CorpusFormatError, running_version
from fuzz.corpus_store import load_directory
from fuzz.isolation import Isolation
from fuzz.oracle import run_case
from fuzz.sides import Side
from fuzz.verdict import Verdict


@dataclass(frozen=True)
class Replayed:
    path: str
    entry: CorpusEntry | None
    verdict: Verdict | None
    #: The verdict recorded for this Python, if any.
    recorded: str | None
    #: ``same``, ``changed``, ``new`` (nothing recorded for this Python) or ``bad``.
    status: str
    #: For ``bad``: the error naming path and field.
    error: str = ""

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def same_sides(self) -> bool:
        return (
            self.entry is not None
            and self.verdict is not None
            and (
                (self.entry.baseline, self.entry.candidate) == (self.verdict.baseline.spec, self.verdict.candidate.spec)
            )
        )


def replay_corpus(directory: str, baseline: Side, candidate: Side, isolation: Isolation) -> Iterator[Replayed]:
    """Yield one :class:`Replayed` per corpus file, bad files first."""
    loaded = load_directory(directory)
    for error in loaded.errors:
        yield Replayed(getattr(error, "path", directory), None, None, None, "bad", str(error))
    version = running_version()
    for path, entry in loaded.entries:
        try:
            verdict = run_case(entry.case, baseline, candidate, isolation)
        except CaseError as exc:
            error = CorpusFormatError(path, "case", f"cannot be run: {exc}")
            yield Replayed(path, entry, None, entry.verdict_for(version), "bad", str(error))
            continue
        except Exception as exc:  # noqa: BLE001  (one broken entry must not stop the others)
            error = CorpusFormatError(path, "source", f"cannot be run: {type(exc).__name__}: {exc}")
            yield Replayed(path, entry, None, entry.verdict_for(version), "bad", str(error))
            continue
        recorded = entry.verdict_for(version)
        status = "new" if recorded is None else "same" if recorded == verdict.kind else "changed"
        yield Replayed(path, entry, verdict, recorded, status)
