"""Search for a failing case with Hypothesis, outside of a test run.

Used where a caller needs the failing case itself rather than a test failure:
the tests that prove the strategies find planted bugs, and tools that want a
minimal example for each kind of access. Seeded, so the same seed and budget
give the same answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import find
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from fuzz.generation.seeded_draws import fuzzing_settings
from fuzz.isolation.pool import Isolation
from fuzz.model.case import Case
from fuzz.model.verdict import FAILING, Verdict
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import Side


@dataclass(frozen=True)
class Found:
    case: Case
    verdict: Verdict
    #: Cases run before the first failing one was generated.
    examples: int


def find_failing_case(
    strategy: st.SearchStrategy[Case],
    baseline: Side,
    candidate: Side,
    isolation: Isolation,
    *,
    max_examples: int = 200,
    seed: int = 0,
    shrink: bool = False,
    kinds: tuple[str, ...] = FAILING,
) -> Found | None:
    """The first (or, with ``shrink``, the minimal) case whose verdict is in ``kinds``."""
    runs = 0
    first_hit: list[int] = []

    def failing(case: Case) -> bool:
        nonlocal runs
        runs += 1
        hit = run_case(case, baseline, candidate, isolation).kind in kinds
        if hit and not first_hit:
            first_hit.append(runs)
        return hit

    try:
        config = fuzzing_settings(max_examples, shrink=shrink)
        case = find(strategy, failing, settings=config, random=random.Random(seed))
    except NoSuchExample:
        return None
    return Found(case, run_case(case, baseline, candidate, isolation), first_hit[0])
