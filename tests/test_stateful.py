"""The state machine: pickle, change the world, pickle again."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from strategies.pickling_history import PicklingHistory

STATEFUL = settings(max_examples=25, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.slow
def test_pickling_history_keeps_candidate_working(fuzz_sides, fuzz_isolation):
    run_state_machine_as_test(lambda: PicklingHistory(*fuzz_sides, fuzz_isolation), settings=STATEFUL)


def test_pickling_history_finds_proposed_stale_cache(side_factory, fork_isolation):
    # Seeded and without shrinking: the point is that a failure is found, quickly.
    seeded = settings(STATEFUL, max_examples=150, database=None, derandomize=True, phases=[Phase.generate])
    with pytest.raises(AssertionError, match="regression"):
        run_state_machine_as_test(
            lambda: PicklingHistory(side_factory("legacy"), side_factory("proposed"), fork_isolation),
            settings=seeded,
        )
