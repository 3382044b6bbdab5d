"""The differential properties: run them against any pair of sides.

With the defaults (``legacy`` against ``installed``) they must pass. Point
them at a candidate with ``--fuzz-candidate SPEC`` to gate it, e.g.
``pytest tests/test_differential.py --fuzz-candidate proposed``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note

from fuzz.oracle.explain import explain
from fuzz.oracle.judge import run_case
from strategies import cases
from strategies.universe import package_universes, stdlib_universes


def _check(case, fuzz_sides, fuzz_isolation):
    verdict = run_case(case, *fuzz_sides, fuzz_isolation)
    note(explain(verdict))
    assert not verdict.failing, "\n" + case.render() + "\n" + explain(verdict)


@given(case=cases(package_universes()))
def test_candidate_keeps_generated_packages_working(case, fuzz_sides, fuzz_isolation):
    _check(case, fuzz_sides, fuzz_isolation)


@pytest.mark.slow
@given(case=cases(stdlib_universes()))
def test_candidate_keeps_stdlib_packages_working(case, fuzz_sides, fuzz_isolation):
    _check(case, fuzz_sides, fuzz_isolation)
