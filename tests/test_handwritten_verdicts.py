"""The oracle's verdicts on hand-written cases, including the seed's own."""

from __future__ import annotations

import pytest

from fuzz.corpus.known_cases import CASES
from fuzz.oracle.judge import run_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_legacy_vs_proposed(name, side_factory, fork_isolation):
    case, expected = CASES[name]
    verdict = run_case(case, side_factory("legacy"), side_factory("proposed"), fork_isolation)
    assert verdict.kind == expected, verdict


@pytest.mark.parametrize("baseline", ["legacy", "installed"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_legacy_agrees_with_itself_and_installed(name, baseline, side_factory, fork_isolation):
    case, _ = CASES[name]
    verdict = run_case(case, side_factory(baseline), side_factory("legacy"), fork_isolation)
    assert verdict.kind in ("match", "shared_failure", "uninformative"), verdict
    assert verdict.baseline.submodules == verdict.candidate.submodules


def test_ground_truth_reports_missed_and_extra(side_factory, fork_isolation):
    case, _ = CASES["local_alias"]
    verdict = run_case(case, side_factory("legacy"), side_factory("proposed"), fork_isolation)
    assert verdict.baseline.missed == () and verdict.baseline.extra == ()
    assert verdict.candidate.missed == ("pkg.sub",)
    assert verdict.candidate.load is not None
    assert "AttributeError" in verdict.candidate.load.value
