"""Driving Hypothesis for the fuzzer's own runs: one settings recipe, one way to draw a seeded sample.

The gate's campaign, the matrix, the searches and the performance commands
all generate cases without a test database, a deadline, health checks or
(unless asked) shrinking: they want many cases fast and the same cases for
the same seed. :func:`fuzzing_settings` is that recipe; :func:`seeded_cases`
draws a fixed sample outside any test, driving Hypothesis with a predicate
that never holds, so it sees every generated example.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase
from hypothesis.errors import NoSuchExample

from fuzz.generation.hypothesis_internals import drawn_choices
from fuzz.model.case import Case

#: Examples a run may try when only a deadline bounds it.
UNBOUNDED = 10**9


def fuzzing_settings(
    max_examples: int, *, shrink: bool = False, replay: ExampleDatabase | None = None, **extra: Any
) -> settings:
    """Settings for generating cases: ``max_examples`` (0: unbounded), no deadline, no health checks.

    No database, unless ``replay``: its entries are then replayed before anything is generated
    (a campaign's, :mod:`fuzz.gate.example_database`).
    """
    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    return settings(
        max_examples=max_examples or UNBOUNDED,
        database=replay,
        deadline=None,
        phases=[Phase.reuse, *phases] if replay is not None else phases,
        suppress_health_check=list(HealthCheck),
        **extra,
    )


def current_choices() -> str | None:
    """The choices the running Hypothesis example was drawn from, as text (``None`` if they cannot be had).

    Replaying them (:mod:`fuzz.shrinking.shrinker`) gives the same case back,
    and lets Hypothesis's shrinker work on a finding after the campaign that
    found it, which never fails, has moved on. Hypothesis keeps them on the
    example's data, not in its public API (:mod:`fuzz.generation.hypothesis_internals`):
    a Hypothesis without them only costs the shrinker its first stage.
    """
    try:
        return base64.b64encode(drawn_choices()).decode("ascii")
    except Exception:  # noqa: BLE001  (see the docstring)
        return None


def seeded_cases(count: int, seed: int = 0, strategy: st.SearchStrategy[Case] | None = None) -> list[Case]:
    """``count`` cases drawn from ``strategy`` (default :func:`strategies.cases`), the same for the same seed."""
    if strategy is None:
        from strategies import cases

        strategy = cases()
    drawn: list[Case] = []

    def keep(case: Case) -> bool:
        drawn.append(case)
        return False

    try:
        find(strategy, keep, settings=fuzzing_settings(count), random=random.Random(seed))
    except NoSuchExample:
        pass
    return drawn[:count]
