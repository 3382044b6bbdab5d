"""Findings are shrunk to 1-minimal cases, thresholds are named exactly, and one bug is one root cause."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz.corpus.store import load
from fuzz.detectors.planted import NAMES_LIMIT
from fuzz.model.case import Case
from fuzz.oracle.judge import run_case
from fuzz.shrinking.case_reducer import candidates, names_in_entry, reduce_case
from fuzz.shrinking.shrinker import shrink_finding, signature

REPO = Path(__file__).resolve().parent.parent
PLANTED = "detector:fuzz.detectors.planted:"

PKG = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\nOTHER = 1\n"), ("pkg/spare.py", "X = 1\n"))
NOISY = Case(
    PKG,
    "import pkg.sub\nimport pkg.spare\nimport types\nSPARE = types.SimpleNamespace(a=1)\n\n"
    "def f():\n    unused = SPARE.a\n    p = pkg\n    for _ in range(1):\n        v0 = p.sub.VALUE\n"
    "    v1 = pkg.spare.X\n    return (v0, v1)\n",
    needed=("pkg.spare", "pkg.sub"),
    name="a local alias among noise",
)


@pytest.fixture(scope="module")
def proposed_pair(side_factory):
    return side_factory("legacy"), side_factory("proposed")


def test_the_reducer_reaches_a_1_minimal_case(proposed_pair, fork_isolation):
    def judge(case: Case):
        return run_case(case, *proposed_pair, fork_isolation)

    target = signature(judge(NOISY))
    assert target[0] == "regression"

    def keeps(case: Case) -> bool:
        try:
            return signature(judge(case)) == target
        except Exception:  # noqa: BLE001  (a candidate whose module no longer runs keeps nothing)
            return False

    reduction = reduce_case(NOISY, keeps, time.time() + 60)
    assert reduction.complete
    source = reduction.case.source
    assert "SPARE" not in source and "spare" not in source and "for _" not in source, source
    assert [path for path, _ in reduction.case.files] == ["pkg/sub.py"]
    # 1-minimal: every single reduction of the result loses the finding.
    assert not any(keeps(candidate) for _, candidate in candidates(reduction.case))


def test_a_finding_without_recorded_choices_is_shrunk_by_the_reducer(proposed_pair, fork_isolation):
    def judge(case: Case):
        return run_case(case, *proposed_pair, fork_isolation)

    shrunk = shrink_finding(NOISY, signature(judge(NOISY)), judge, time.time() + 60)
    assert shrunk.complete and shrunk.verdict.kind == "regression"
    assert shrunk.hypothesis_skipped == "no choices were recorded for this case"
    assert len(shrunk.case.source.splitlines()) < len(NOISY.source.splitlines())


def test_names_are_counted_in_the_entry_function():
    case = Case((), "import types\nNS = types.SimpleNamespace(a=1, b=2)\ndef f():\n    x = NS.a\n    return NS.b\n")
    assert names_in_entry(case) == 3  # NS, a, b


def run_gate(tmp_path: Path, *args: str) -> dict:
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "gate", "--corpus", str(tmp_path / "none"), "--findings",
         str(tmp_path / "findings"), "--json", str(report), "--markdown", str(tmp_path / "report.md"),
         "--workers", "2", "--budget", "240", *args],
        capture_output=True, text=True, timeout=400, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(report.read_text())


@pytest.mark.slow
def test_every_finding_of_a_seeded_gate_is_shrunk_and_1_minimal(tmp_path, proposed_pair, fork_isolation):
    report = run_gate(tmp_path, "--max-examples", "60", "--seed", "4")
    assert report["findings"]
    for finding in report["findings"]:
        assert finding["shrunk"], finding["unshrunk"]
        assert finding["shrink"]["complete"], finding["root_cause"]
        # The corpus file holds the shrunk case exactly as the finding shows it.
        case = load(finding["corpus"]).case
        assert case.render() == finding["source"]
        target = tuple(finding["signature"])

        def keeps(candidate: Case, target: tuple = target) -> bool:
            try:
                return signature(run_case(candidate, *proposed_pair, fork_isolation)) == target
            except Exception:  # noqa: BLE001
                return False

        assert keeps(case), f"the shrunk case no longer shows its finding: {finding['root_cause']}"
        kept = [what for what, candidate in candidates(case) if keeps(candidate)]
        assert kept == [], f"{finding['root_cause']}: still fails without {kept}\n{finding['source']}"


@pytest.mark.slow
def test_a_size_threshold_is_named_exactly(tmp_path):
    # Seed 3 draws a case past the limit among its first 40 (seed 1 needed 80 for the same one finding).
    report = run_gate(tmp_path, "--candidate", PLANTED + "buggy_many_names", "--max-examples", "40", "--seed", "3")
    thresholds = [f["threshold"] for f in report["findings"] if f["threshold"]]
    assert thresholds, [f["root_cause"] for f in report["findings"]]
    assert {(t["fails_with_names"], t["passes_with_names"]) for t in thresholds} == {(NAMES_LIMIT + 1, NAMES_LIMIT)}
    assert f"{NAMES_LIMIT + 1} names or more (passes with {NAMES_LIMIT})" in report["findings"][0]["root_cause"]


@pytest.mark.slow
def test_a_detector_that_breaks_one_family_of_ways_gives_one_root_cause(tmp_path):
    report = run_gate(tmp_path, "--candidate", PLANTED + "buggy_own_names_only", "--max-examples", "80")
    causes = [f["root_cause"] for f in report["findings"]]
    assert len(causes) == 1, causes
    # The package bound under another name at module level: an ``import ... as`` name or an alias.
    assert "reached through a name a module-level import binds" in causes[0] or "module-level alias" in causes[0]


def test_a_reviewed_corpus_case_joins_the_shrunk_finding_of_its_root_cause(proposed_pair, fork_isolation):
    """A corpus case is small already: shown as committed, never as "not shrunk" beside its own root cause."""
    from fuzz.model.records import record
    from fuzz.report.findings import (
        REVIEWED,
        Group,
        findings_by_root_cause,
        group_before_shrinking,
        not_shrinkable_because,
    )

    def judged(name: str, source: str) -> dict:
        case = load(str(REPO / "corpus" / name)).case
        return record(case, run_case(case, *proposed_pair, fork_isolation), source, 0.0)

    reviewed = judged("walrus-4f0fd703ee46.case.py", "corpus")
    generated = judged("local-alias-13144644ada6.case.py", "campaign")
    assert (reviewed["kind"], generated["kind"]) == ("regression", "regression")
    assert not_shrinkable_because(reviewed) == REVIEWED and not_shrinkable_because(generated) == ""
    # A walrus and a local alias are one family of ways: one group, whose example is the one that can be
    # shrunk, however small the corpus case is.
    (group,) = group_before_shrinking([reviewed, generated, dict(generated, size=10**6)], ("regression",))
    assert group.key[1] == "aliases" and group.example["source"] == "campaign"
    assert group.ways == ["local-alias", "walrus"]
    # A group seen only in reviewed corpus cases (here as if it had been told apart before shrinking)
    # joins the shrunk finding of its root cause.
    groups = [
        Group(("regression", "walrus-only"), [reviewed]),
        Group(("regression", "aliases"), [generated, generated]),
    ]
    shrunk = {groups[1].key: dict(generated, shrink={"complete": True})}
    unshrunk = {groups[0].key: REVIEWED}
    (finding,) = findings_by_root_cause(groups, shrunk, unshrunk)
    assert finding.count == 3 and finding.unshrunk == "" and finding.example["source"] == "campaign"
    assert sorted(finding.patterns) == ["local-alias", "walrus"]
