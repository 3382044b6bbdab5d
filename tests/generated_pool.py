"""The first cases a seeded run of the generator draws: what the gate's campaign would see.

Several test modules look for a generated case of one dimension among the
same 1,000 cases (seed 1); drawing them takes seconds, so each test process
draws them once, here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

from fuzz.generation.seeded_draws import seeded_cases
from fuzz.isolation.pool import Isolation
from fuzz.model.case import Case
from fuzz.oracle.judge import run_case

#: Cases drawn: about half of what a 60 s gate generates.
POOL_SIZE = 1000


@functools.cache
def seeded_pool() -> tuple[Case, ...]:
    return tuple(seeded_cases(POOL_SIZE, seed=1))


def assert_a_generated_case_exposes(
    detector: str, dimension: set[str], side_factory: Callable, isolation: Isolation, tried: int = 300
) -> None:
    """Fail unless a pooled case tagged with one of ``dimension`` fails the planted ``detector`` against legacy."""
    mine = [case for case in seeded_pool() if dimension & set(case.tags)]
    assert mine, f"no case of {sorted(dimension)} among {POOL_SIZE:,} generated ones"
    baseline, candidate = side_factory("legacy"), side_factory(f"detector:fuzz.detectors.planted:{detector}")
    for case in mine[:tried]:
        if run_case(case, baseline, candidate, isolation).failing:
            return
    pytest.fail(f"none of {min(len(mine), tried)} generated cases of {sorted(dimension)} exposed {detector}")
