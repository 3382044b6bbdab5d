"""A planted bug must be caught; a harmless variation must not be blamed."""

from __future__ import annotations

import pytest

from fuzz.case import Case
from fuzz.corpus.known_cases import CASES, UNIVERSE
from fuzz.detectors.planted import BUGGY, EQUIVALENT, NAMES_LIMIT
from fuzz.oracle import run_case

#: A function naming one more name than ``buggy_many_names`` copes with.
MANY_NAMES = Case(
    UNIVERSE,
    "import pkg.sub\nimport types\n"
    f"NS = types.SimpleNamespace(**{{f'n{{k}}': k for k in range({NAMES_LIMIT})}})\n"
    "def f():\n" + "".join(f"    x{k} = NS.n{k}\n" for k in range(NAMES_LIMIT)) + "    return pkg.sub.VALUE\n",
    needed=("pkg.sub",),
    name="many names",
)
CASES = {**CASES, "many_names": (MANY_NAMES, "match")}

# For each planted bug, a known case that exposes it, and the verdict it must get.
EXPOSED_BY = {
    "buggy_ignore_closures": ("closure_factory", "regression"),
    "buggy_drop_deepest": ("dotted_leaf", "regression"),
    "buggy_raise_on_closures": ("seed_func5_closure", "crash"),
    "buggy_first_level_only": ("dotted_leaf", "regression"),
    "buggy_many_names": ("many_names", "regression"),
    "buggy_own_names_only": ("seed_func3", "regression"),
}


def test_every_planted_bug_has_an_exposing_case():
    assert set(EXPOSED_BY) == set(BUGGY)


@pytest.mark.parametrize("detector", BUGGY)
def test_planted_bug_is_caught(detector, side_factory, fork_isolation):
    name, expected = EXPOSED_BY[detector]
    case, _ = CASES[name]
    verdict = run_case(
        case, side_factory("legacy"), side_factory(f"detector:fuzz.detectors.planted:{detector}"), fork_isolation
    )
    assert verdict.kind == expected, verdict
    assert verdict.failing


@pytest.mark.parametrize("detector", EQUIVALENT)
@pytest.mark.parametrize("name", sorted(CASES))
def test_equivalent_detector_is_never_a_regression(detector, name, side_factory, fork_isolation):
    case, _ = CASES[name]
    verdict = run_case(
        case, side_factory("legacy"), side_factory(f"detector:fuzz.detectors.planted:{detector}"), fork_isolation
    )
    assert not verdict.failing, verdict
    if detector == "equivalent_reversed":
        assert verdict.kind != "benign", "order alone must not count as a difference"
