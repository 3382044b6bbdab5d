"""Recording a Python version's verdict into corpus entries that have none (``replay --record``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from fuzz.corpus.format import running_version
from fuzz.corpus.recording import record_verdict
from fuzz.corpus.store import load

REPO = Path(__file__).resolve().parent.parent
ENTRY = REPO / "corpus" / "local-alias-13144644ada6.case.py"
SIDES = ("legacy", "proposed")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / ENTRY.name
    shutil.copy(ENTRY, target)
    return target


def test_a_judged_verdict_is_added_and_nothing_else_changes(tmp_path):
    path = _copy(tmp_path)
    before = path.read_text(encoding="utf-8").splitlines()
    assert record_verdict(str(path), "3.99", "match", SIDES) is None
    after = path.read_text(encoding="utf-8").splitlines()
    assert load(str(path)).verdicts["3.99"] == "match"
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1 and changed[0][1].startswith("# verdicts: ")


def test_nothing_is_recorded_over_a_verdict_for_other_sides_or_when_unjudged(tmp_path):
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "already records regression" in (record_verdict(str(path), "3.11", "match", SIDES) or "")
    assert "sides are legacy vs proposed" in (record_verdict(str(path), "3.99", "match", ("legacy", "x")) or "")
    assert "could not judge" in (record_verdict(str(path), "3.99", "unjudged", SIDES) or "")
    assert path.read_text(encoding="utf-8") == text


def test_replay_record_writes_this_pythons_verdict(tmp_path):
    path = _copy(tmp_path)
    version = running_version()
    expected = load(str(ENTRY)).verdicts.get(version, "regression")
    path.write_text(
        "\n".join(
            '# verdicts: {"3.99": "match"}' if line.startswith("# verdicts: ") else line
            for line in path.read_text(encoding="utf-8").split("\n")
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "replay", "--record", "--corpus", str(tmp_path)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert f"recorded {expected} for Python {version}" in proc.stdout, proc.stdout + proc.stderr
    assert load(str(path)).verdicts == {"3.99": "match", version: expected}
