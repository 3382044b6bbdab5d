"""The strategies must find what is wrong: in ``proposed`` and in planted bugs.

Each search is seeded and bounded, so a pass is reproducible and a failure
means the strategies lost reach, not bad luck.
"""

from __future__ import annotations

import pytest

from fuzz.detectors.planted import BUGGY
from fuzz.generation.search import find_failing_case
from strategies import cases

#: Examples each search may use before it counts as a miss.
BUDGET = 300

#: ``proposed`` in the fast lane; the planted bugs, each caught on its own case there, searched for in the full suite.
CANDIDATES = [
    "proposed",
    *(pytest.param(f"detector:fuzz.detectors.planted:{name}", marks=pytest.mark.slow) for name in BUGGY),
]


@pytest.mark.parametrize("candidate", CANDIDATES)
def test_strategies_find_a_failure(candidate, side_factory, fork_isolation):
    found = find_failing_case(
        cases(), side_factory("legacy"), side_factory(candidate), fork_isolation, max_examples=BUDGET, seed=1
    )
    assert found is not None, f"no regression or crash in {BUDGET} examples against {candidate}"
    assert found.verdict.failing
    assert found.examples <= BUDGET


@pytest.mark.slow
def test_legacy_is_not_blamed_for_itself(side_factory, fork_isolation):
    found = find_failing_case(
        cases(), side_factory("legacy"), side_factory("installed"), fork_isolation, max_examples=60, seed=1
    )
    assert found is None, found
