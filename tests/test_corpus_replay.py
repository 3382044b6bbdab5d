"""Replay the saved corpus: one test per corpus file, test id = file name.

Each entry's verdict is recomputed with the sides it was recorded with
(``legacy`` against ``proposed`` for every seeded entry) and must equal the
verdict recorded for the running Python. A regression recorded as a
regression passes: this asserts the corpus still says what happens, and
``python -m fuzz replay`` is what fails on findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.corpus.format import running_version
from fuzz.corpus.store import corpus_files, load
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import SideSpecError

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = [Path(p) for p in corpus_files(str(CORPUS))] if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_replayed_verdict_equals_recorded(path, side_factory, fork_isolation):
    entry = load(str(path))  # a bad file fails here, naming its path and field
    version = running_version()
    recorded = entry.verdict_for(version)
    if recorded is None:
        pytest.skip(
            f"{path.name} records no verdict for Python {version} (only {', '.join(sorted(entry.verdicts))}); "
            "`python -m fuzz replay` shows what it does here"
        )
    try:
        baseline, candidate = side_factory(entry.baseline), side_factory(entry.candidate)
    except SideSpecError as exc:
        pytest.skip(f"{path.name} was recorded with sides that cannot be built here: {exc}")
    verdict = run_case(entry.case, baseline, candidate, fork_isolation)
    assert verdict.kind == recorded, (
        f"{path.name}: recorded {recorded} on Python {version} with {entry.baseline} vs {entry.candidate}, "
        f"now {verdict.kind}: {verdict.reason}"
    )
