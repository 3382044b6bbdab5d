"""The gate's campaign properties, collected by pytest under :mod:`fuzz.gate.campaign_plugin`.

Unlike ``tests/test_differential.py`` these never fail on a finding: every
verdict is recorded, so one run reports every distinct way a candidate breaks
functions rather than the first. Each shard is seeded (``--seed`` and the
shard number) and never shrinks, so the same seed and example budget give the
same cases. The stateless part gets three quarters of the shard's time, the
state machine the rest. Stateless cases go through a
:class:`~fuzz.oracle.judge.CasePipeline`, so Hypothesis draws and pickles the next
case while the last one's children run.

With a database (``python -m fuzz campaign``), the stateless part first
replays its shard's slice of the entries earlier runs saved (Hypothesis's
reuse phase; :mod:`fuzz.gate.example_database`), then generates. The state
machine is seeded per shard too, so no two shards try the same histories.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from hypothesis import given, seed

from fuzz.gate.campaign_plugin import BudgetExhausted, Campaign
from fuzz.gate.example_database import CASES_KEY
from fuzz.generation.hypothesis_internals import state_machine_test, use_database_key
from fuzz.generation.seeded_draws import current_choices, fuzzing_settings
from fuzz.oracle.judge import CasePipeline, Judged
from strategies import cases_for
from strategies.pickling_history import PicklingHistory


def test_campaign_shard(campaign: Campaign, campaign_sides, campaign_isolation) -> None:
    baseline, candidate = campaign_sides
    start = time.time()

    def stateless_until() -> float:
        """Three quarters of the search for generated functions, the rest for histories (the deadline may move)."""
        deadline = campaign.current_deadline()
        return start + 0.75 * (deadline - start) if deadline else 0.0

    pipeline = CasePipeline(baseline, candidate, campaign_isolation)

    # The choices each case was drawn from, until its verdict is in: a finding keeps them for the shrinker.
    drawn: dict[int, str | None] = {}

    def record(judged: list[Judged]) -> None:
        for one in judged:
            campaign.judge(one.case, one.verdict, one.elapsed, choices=drawn.pop(id(one.case), None))

    replay = campaign.database.replay if campaign.database is not None else None

    @fuzzing_settings(campaign.examples, replay=replay)
    @seed(campaign.seed)
    @given(case=cases_for(campaign.inputs))
    def stateless(case):
        until = stateless_until()
        if until and time.time() >= until:
            raise BudgetExhausted
        drawn[id(case)] = current_choices()
        record(pipeline.push(case))

    if replay is not None:
        # Hypothesis replays the entries saved under this key (see fuzz.gate.example_database).
        use_database_key(stateless, CASES_KEY)
    _until_budget(stateless, stateless_until)
    # The last case submitted is still running: its verdict counts too.
    _until_budget(lambda: record(pipeline.drain()), lambda: 0.0)

    if campaign.inputs == "real-code":
        return  # state-machine histories are generated functions only: real code has no part in them

    def machine() -> PicklingHistory:
        return PicklingHistory(baseline, candidate, campaign_isolation, judge=campaign.judge)

    stateful_examples = max(1, campaign.examples // 10) if campaign.examples else 0
    stateful = fuzzing_settings(stateful_examples, stateful_step_count=6)
    histories = seed(campaign.seed)(state_machine_test(machine, stateful))
    _until_budget(histories, campaign.current_deadline)


def _until_budget(run: Callable[[], None], deadline: Callable[[], float]) -> None:
    """Run a property until it ends or the deadline stops it.

    Stopping a run midway makes Hypothesis's replay of the last example stop
    at a different point, which it reports as flaky; past the deadline that is
    expected, and every verdict is already on disk.
    """
    try:
        run()
    except BudgetExhausted:
        pass
    except Exception:
        if not deadline() or time.time() < deadline():
            raise
