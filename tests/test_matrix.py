"""The per-version matrix and the CI replay mode."""

from __future__ import annotations

import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from fuzz.cli.matrix import ROOT, to_markdown, version_dependent
from fuzz.interpreters import discover

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_discover_finds_the_running_interpreter():
    versions = [i.version for i in discover()]
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in versions
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))))


def test_version_dependent_patterns():
    table = {
        "dead-branch": {"3.9": {"match": 3}, "3.11": {"benign": 1, "match": 2}},
        "local-alias": {"3.9": {"regression": 2, "match": 1}, "3.11": {"regression": 5}},
    }
    assert version_dependent(table, ["3.9", "3.11"]) == ["dead-branch"]
    markdown = to_markdown(table, ["3.9", "3.11"], Namespace(baseline="legacy", candidate="proposed", seed=0,
                                                             max_examples=10))  # fmt: skip
    assert "| local-alias | regression 2/3 | regression 5/5 |" in markdown
    assert "depends on the version: dead-branch." in markdown


@pytest.mark.slow
def test_matrix_on_the_running_interpreter(tmp_path):
    out = tmp_path / "matrix.json"
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "matrix", "--python", sys.executable, "--max-examples", "10",
         "--json", str(out), "--corpus", str(REPO / "corpus")],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # legacy against proposed: the corpus holds regressions
    data = json.loads(out.read_text())
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert data["versions"] == [version]
    assert data["patterns"]["local-alias"][version]["regression"] >= 1
    assert "| pattern |" in proc.stdout
    assert not (REPO / "fuzz" / ".fuzz").exists(), "the matrix's gate runs wrote into the package"


def test_each_interpreter_gets_this_checkout_installed():
    assert (ROOT / "pyproject.toml").is_file() and (ROOT / "fuzz" / "__main__.py").is_file()


@pytest.mark.slow
def test_replay_expect_recorded_passes_on_the_committed_corpus():
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "replay", "--expect-recorded"], capture_output=True, text=True, cwd=REPO,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 changed" in proc.stdout
