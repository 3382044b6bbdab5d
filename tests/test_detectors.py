"""The reference detectors, checked in process against cloudpickle itself."""

from __future__ import annotations

import itertools

import pytest
from cloudpickle import cloudpickle as installed
from hypothesis import given

from fuzz.corpus.known_cases import CASES
from fuzz.detectors.legacy import legacy
from fuzz.detectors.proposed import _extract_candidate_submodule_names_cache, proposed
from fuzz.model.case import materialise
from strategies import cases
from tests.detector_calls import functions_in, names_or_error


def installed_detection(func):
    """What the installed cloudpickle's own function returns for ``func``."""
    f_globals_ref = installed._extract_code_globals(func.__code__)
    f_globals = {k: func.__globals__[k] for k in f_globals_ref if k in func.__globals__}
    closure = [installed._get_cell_contents(c) for c in func.__closure__ or ()]
    return installed._find_imported_submodules(func.__code__, itertools.chain(f_globals.values(), closure))


@pytest.mark.parametrize("name", sorted(CASES))
def test_legacy_equals_installed_find_imported_submodules(name):
    case, _ = CASES[name]
    with materialise(case) as mat:
        ours = legacy(mat.func)
        theirs = installed_detection(mat.func)
        assert [m.__name__ for m in ours] == [m.__name__ for m in theirs]
        assert all(a is b for a, b in zip(ours, theirs))


def test_installed_cloudpickle_still_has_the_legacy_function():
    # If a release drops it, "legacy" no longer describes what is installed.
    assert callable(installed._find_imported_submodules)


def test_proposed_caches_per_function_and_never_invalidates():
    case, _ = CASES["dotted_leaf"]
    with materialise(case) as mat:
        package = "pkg" + mat.suffix
        first = {m.__name__ for m in proposed(mat.func)}
        assert first == {package + ".sub", package + ".sub.leaf"}
        assert mat.func in _extract_candidate_submodule_names_cache
        # New code that names the package but no submodule: the stale cache wins.
        mat.func.__code__ = eval(f"lambda: {package}", mat.namespace).__code__
        assert {m.__name__ for m in proposed(mat.func)} == first
        assert legacy(mat.func) == []


def test_proposed_fails_fast_without_packages():
    def f():
        return len("x")

    assert proposed(f) == []
    assert f not in _extract_candidate_submodule_names_cache


@given(case=cases())
def test_legacy_equals_installed_on_generated_cases(case):
    with materialise(case) as mat:
        functions = functions_in(mat.func)
        assert functions, case.entry
        for func in functions:
            assert names_or_error(legacy, func) == names_or_error(installed_detection, func)
