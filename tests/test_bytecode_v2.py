"""``bytecode-v2``: never loses a submodule legacy finds, and fixes what both older detectors miss."""

from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given
from hypothesis.stateful import run_state_machine_as_test

from fuzz.case import materialise
from fuzz.corpus.known_cases import CASES
from fuzz.corpus.store import load_directory
from fuzz.detectors.bytecode_v2 import bytecode_v2, find_submodules
from fuzz.detectors.legacy import legacy
from fuzz.oracle import run_case
from fuzz.pickling_history import PicklingHistory
from strategies import cases
from tests.detector_calls import functions_in, names_or_error
from tests.test_gate import REPO
from tests.test_stateful import STATEFUL

#: Limitations shared by legacy and proposed that bytecode-v2 lifts, by corpus entry name.
LIFTED = ("nested def", "default argument", "seed func4 / getattr case")


@given(case=cases())
def test_finds_everything_legacy_finds(case):
    with materialise(case) as mat:
        for func in functions_in(mat.func):
            ours, theirs = names_or_error(bytecode_v2, func), names_or_error(legacy, func)
            assert isinstance(ours, list), f"bytecode-v2 raised {ours}"
            if isinstance(theirs, list):  # (legacy raises on a key of sys.modules that is not a string)
                # Legacy also records what sys.modules holds in a module's place (None, an object):
                # pickling those imports nothing, so only the modules it records must be found.
                modules = {name for name in theirs if isinstance(sys.modules.get(name), types.ModuleType)}
                assert modules <= set(ours)


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_regression_on_known_cases(name, side_factory, fork_isolation):
    case, _ = CASES[name]
    verdict = run_case(case, side_factory("legacy"), side_factory("bytecode-v2"), fork_isolation)
    assert not verdict.failing, verdict
    assert verdict.kind != "shared_failure", verdict


@pytest.mark.parametrize("label", LIFTED)
def test_lifts_a_shared_limitation(label, side_factory, fork_isolation):
    entries = {entry.case.name: entry for _, entry in load_directory(str(REPO / "corpus")).entries}
    entry = entries[label]
    assert (entry.baseline, entry.candidate) == ("legacy", "proposed")
    assert set(entry.verdicts.values()) == {"shared_failure"}, "both older detectors fail here on every Python"
    verdict = run_case(entry.case, side_factory("legacy"), side_factory("bytecode-v2"), fork_isolation)
    assert verdict.kind == "fix", verdict


def test_state_changes_never_make_it_stale(side_factory, fork_isolation):
    run_state_machine_as_test(
        lambda: PicklingHistory(side_factory("legacy"), side_factory("bytecode-v2"), fork_isolation),
        settings=STATEFUL,
    )


def _package(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__package__ = name
    return module


@pytest.mark.parametrize("entry", [None, object()], ids=["blocked", "replaced"])
def test_a_child_blocked_in_sys_modules_is_still_followed_through_its_package(entry):
    """The gate's ``none-entry`` hazard: ``sys.modules['pkg.util'] = None`` after ``import pkg.util.deep``.

    ``pkg.util`` stays an attribute of ``pkg``, so ``pkg.util.deep`` still works at home and
    legacy records ``pkg.util.deep``; a detector that stops at the blocked name loses it.
    """
    pkg, util, deep = _package("pkg"), _package("pkg.util"), _package("pkg.util.deep")
    pkg.util, util.deep = util, deep
    modules = {"pkg": pkg, "pkg.util": entry, "pkg.util.deep": deep}
    code = compile("def f():\n    return pkg.util.deep\n", "<test>", "exec").co_consts[0]
    found = find_submodules(code, [pkg], modules)
    assert [m.__name__ for m in found] == ["pkg.util", "pkg.util.deep"]
    # Only a name sys.modules holds is followed: a child removed from sys.modules is not recorded.
    del modules["pkg.util"]
    assert find_submodules(code, [pkg], modules) == []
