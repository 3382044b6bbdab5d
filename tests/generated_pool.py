"""The first cases a seeded run of the generator draws: what the gate's campaign would see.

Several test modules look for a generated case of one dimension among the
same 1,000 cases (seed 1); drawing them takes seconds, so each test process
draws them once, here.
"""

from __future__ import annotations

import functools

from fuzz.case import Case
from fuzz.generation import seeded_cases

#: Cases drawn: about half of what a 60 s gate generates.
POOL_SIZE = 1000


@functools.cache
def seeded_pool() -> tuple[Case, ...]:
    return tuple(seeded_cases(POOL_SIZE, seed=1))
