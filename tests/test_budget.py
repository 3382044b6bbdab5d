"""How a gate shares its budget by need (fuzz.gate.budget): the deadlines, and the clock the report reads."""

from __future__ import annotations

import pytest

from fuzz.gate.budget import (
    HUNT,
    REPORT_S,
    SEARCH,
    SEARCH_FLOOR_SHARE,
    SHRINK,
    BudgetPlan,
    PhaseClock,
    hunt_seconds,
)
from fuzz.gate.run import RunPlan


def test_a_minute_keeps_a_tenth_for_the_hunt_and_a_shorter_budget_none():
    assert hunt_seconds(60, hunt=True) == pytest.approx(6.0)
    assert hunt_seconds(600, hunt=True) == pytest.approx(60.0)
    assert hunt_seconds(30, hunt=True) == 0.0
    assert hunt_seconds(60, hunt=False) == 0.0


def test_with_nothing_to_shrink_the_search_runs_until_the_hunt_and_the_report():
    plan = BudgetPlan(start=1000.0, budget=60.0, hunt_s=6.0, workers=2)
    assert plan.hunt_deadline == pytest.approx(1060.0 - REPORT_S)
    assert plan.search_deadline(pending=0, per_finding_s=6.0) == pytest.approx(1060.0 - REPORT_S - 6.0)
    # The bar for a 60 s gate: at least 85% of the wall-clock in the search when nothing fails.
    assert (plan.search_deadline(0, 6.0) - plan.start) / plan.budget >= 0.85


def test_findings_waiting_end_the_search_earlier_but_never_before_the_floor():
    plan = BudgetPlan(start=0.0, budget=120.0, hunt_s=12.0, workers=2)
    free = plan.search_deadline(0, 6.0)
    # Three findings on two workers: two rounds of six seconds after the search.
    assert plan.search_deadline(3, 6.0) == pytest.approx(free - 12.0)
    assert plan.search_deadline(4, 6.0) == pytest.approx(free - 12.0)
    assert plan.search_deadline(100, 6.0) == pytest.approx(SEARCH_FLOOR_SHARE * 120.0)
    # Done shrinking, the time goes back to the search: all but the report's and the hunt's.
    assert free == pytest.approx(120.0 - REPORT_S - 12.0)


def test_the_clock_counts_overlapping_phases_once():
    clock = PhaseClock()
    clock.begin(SEARCH, 0.0)
    clock.until(SEARCH, 50.0)
    clock.begin(SHRINK, 10.0)
    clock.until(SHRINK, 20.0)
    clock.begin(SHRINK, 45.0)
    clock.until(SHRINK, 55.0)
    clock.begin(HUNT, 55.0)
    clock.until(HUNT, 58.0)
    assert clock.seconds(SEARCH) == pytest.approx(50.0)
    assert clock.seconds(SHRINK) == pytest.approx(20.0)
    assert clock.seconds(SEARCH, SHRINK) == pytest.approx(55.0)
    spent = clock.spent(start=0.0, budget=60.0)
    assert spent["search_share"] == pytest.approx(50 / 60, abs=1e-3)
    assert spent["search_or_shrink_share"] == pytest.approx(55 / 60, abs=1e-3)
    assert spent["hunt_s"] == pytest.approx(3.0)


def test_a_clock_never_runs_backwards():
    clock = PhaseClock()
    clock.begin(SEARCH, 5.0)
    clock.until(SEARCH, 9.0)
    clock.until(SEARCH, 7.0)
    assert clock.seconds(SEARCH) == pytest.approx(4.0)
    assert clock.seconds(HUNT) == 0.0


def test_max_examples_keeps_fixed_shares_so_the_seed_decides_what_is_shrunk():
    assert RunPlan.for_gate(60.0).adaptive
    assert not RunPlan.for_gate(60.0, max_examples=200).adaptive
    assert RunPlan.for_gate(60.0, max_examples=200).campaign_share == pytest.approx(0.5)
