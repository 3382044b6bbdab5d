"""A planted bug must be caught; a harmless variation must not be blamed."""

from __future__ import annotations

import pytest

from fuzz.corpus.known_cases import CASES, UNIVERSE
from fuzz.detectors.planted import BREADTH_BUGGY, BUGGY, EQUIVALENT, NAMES_LIMIT
from fuzz.model.case import Case
from fuzz.oracle.judge import run_case
from tests.generated_pool import POOL_SIZE, seeded_pool

#: A function naming one more name than ``buggy_many_names`` copes with.
MANY_NAMES = Case(
    UNIVERSE,
    "import pkg.sub\nimport types\n"
    f"NS = types.SimpleNamespace(**{{f'n{{k}}': k for k in range({NAMES_LIMIT})}})\n"
    "def f():\n" + "".join(f"    x{k} = NS.n{k}\n" for k in range(NAMES_LIMIT)) + "    return pkg.sub.VALUE\n",
    needed=("pkg.sub",),
    name="many names",
)


def _one_child(child: str, source_tail: str = "", init: str = "", **kw) -> Case:
    """``pkg.<child>`` reached as ``pkg.<child>.VALUE`` by ``f`` (imported by the parent first)."""
    files = (("pkg/__init__.py", init), (f"pkg/{child}.py", f"VALUE = 'pkg.{child}'\n"))
    body = kw.pop("source", None) or f"def f():\n    return pkg.{child}.VALUE\n"
    return Case(files, f"import pkg.{child}\n{source_tail}{body}", needed=(f"pkg.{child}",), name=child, **kw)


#: The hazard module-level code of strategies.hazards, written out.
IMPORTING_KEY = (
    "import sys\nimport types\n\n\nclass ImportingKey(str):\n    def startswith(self, *args):\n"
    "        during = str(self) + '.during'\n        if sys.modules.pop(during, None) is None:\n"
    "            sys.modules[during] = types.ModuleType(during)\n        return str.startswith(self, *args)\n"
)
#: One case per breadth bug: the one dimension value it needs, and nothing else unusual.
BREADTH_CASES = {
    "buggy_private_names": _one_child("_impl"),
    "buggy_ascii_names": _one_child("données"),
    "buggy_long_names": _one_child("a_submodule_name_well_past_thirty_two_characters"),
    "buggy_builtin_names": _one_child("format"),
    "buggy_keyword_names": _one_child("async_"),
    # The stand-in's VALUE differs: missing the submodule gives a wrong value, not an error.
    "buggy_skips_shadowed": _one_child("sub", init="import types\nsub = types.SimpleNamespace(VALUE='shadow')\n"),
    "buggy_functions_only": _one_child(
        "sub", source="class Service:\n    def f(self):\n        return pkg.sub.VALUE\n", entry="Service().f"
    ),
    "buggy_first_cell_only": _one_child(
        "sub",
        source="def make(a_cell0, clo0):\n    def f():\n        cells = (a_cell0,)\n        return clo0.sub.VALUE\n"
        "    return f\n",
        entry="make(0, pkg)",
    ),
    "buggy_live_scan": _one_child(
        "sub", IMPORTING_KEY, steps=("sys.modules[ImportingKey('pkg.scanned')] = types.ModuleType('pkg.scanned')",)
    ),
    "buggy_sorts_by_name": _one_child(
        "sub",
        "import sys\nimport types\nNOISE = types.SimpleNamespace(other=1)\n",
        source="def f():\n    n = NOISE.other\n    return pkg.sub.VALUE\n",
        steps=("sys.modules['pkg.other'] = None",),
    ),
}
CASES = {
    **CASES,
    "many_names": (MANY_NAMES, "match"),
    **{f"breadth_{name}": (case, "match") for name, case in BREADTH_CASES.items()},
}

# For each planted bug, a known case that exposes it, and the verdict it must get.
EXPOSED_BY = {
    "buggy_ignore_closures": ("closure_factory", "regression"),
    "buggy_drop_deepest": ("dotted_leaf", "regression"),
    "buggy_raise_on_closures": ("seed_func5_closure", "crash"),
    "buggy_first_level_only": ("dotted_leaf", "regression"),
    "buggy_many_names": ("many_names", "regression"),
    "buggy_own_names_only": ("seed_func3", "regression"),
    **{name: (f"breadth_{name}", "crash" if name in ("buggy_live_scan", "buggy_sorts_by_name") else "regression")
       for name in BREADTH_BUGGY},
}  # fmt: skip


def test_every_planted_bug_has_an_exposing_case():
    assert set(EXPOSED_BY) == set(BUGGY) | set(BREADTH_BUGGY)


@pytest.mark.parametrize("detector", [*BUGGY, *BREADTH_BUGGY])
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


@pytest.mark.parametrize("detector", sorted(BREADTH_BUGGY))
@pytest.mark.slow
def test_the_generator_exposes_each_breadth_bug(detector, side_factory, fork_isolation):
    """Generated cases, not only the hand-written one, expose each breadth bug, on a case of its dimension.

    The cases of the bug's dimension among the seeded pool are judged until one fails; the full gate
    does the same among everything it draws (``tests/test_gate.py`` runs it on two of these bugs).
    """
    dimension = set(BREADTH_BUGGY[detector])
    mine = [case for case in seeded_pool() if dimension & set(case.tags)]
    assert mine, f"no case of {sorted(dimension)} among {POOL_SIZE} generated ones"
    baseline, candidate = side_factory("legacy"), side_factory(f"detector:fuzz.detectors.planted:{detector}")
    judged = 0
    for case in mine:
        judged += 1
        if run_case(case, baseline, candidate, fork_isolation).failing:
            return
    pytest.fail(f"none of the {judged} generated cases of {sorted(dimension)} exposed {detector}")
