"""``bytecode-v2``: never loses a submodule legacy finds, and fixes what both older detectors miss."""

from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given
from hypothesis.stateful import run_state_machine_as_test

from fuzz.corpus.known_cases import CASES
from fuzz.corpus.store import load_directory
from fuzz.detectors.bytecode_v2 import bytecode_v2, find_submodules
from fuzz.detectors.legacy import legacy
from fuzz.model.case import materialise
from fuzz.oracle.judge import run_case
from strategies import cases
from strategies.pickling_history import PicklingHistory
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


@pytest.mark.slow
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


def _on_disk(root, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def test_a_pending_lazy_submodule_is_recorded_and_imported_only_where_it_is_loaded(tmp_path, monkeypatch):
    """``lazy import pkg.core`` + ``import pkg.extra`` (3.15): ``pkg.core`` waits in ``sys.lazy_modules``.

    Run here on any Python by handing the pending set in: the stand-in must name
    the submodule, import nothing in this process, and import it when unpickled
    in a fresh interpreter.
    """
    import subprocess

    import cloudpickle

    top = f"lazypending_{tmp_path.name.replace('-', '_')}"
    _on_disk(tmp_path, {f"{top}/__init__.py": "", f"{top}/core.py": "VALUE = 1\n", f"{top}/extra.py": ""})
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    package = importlib.import_module(top)
    code = compile(f"def f():\n    return {top}.core.VALUE\n", "<test>", "exec").co_consts[0]
    pending = {f"{top}.core", f"{top}.missing", f"{top}.extra.attribute", "elsewhere.core"}
    found = find_submodules(code, [package], pending=pending)
    assert [m.__name__ for m in found] == [f"{top}.core"]
    assert f"{top}.core" not in sys.modules, "recording a pending submodule must not import it here"
    loaded = subprocess.run(
        [sys.executable, "-c", f"import pickle, sys; sys.path.insert(0, {str(tmp_path)!r}); "
         f"pickle.loads(sys.stdin.buffer.read()); print({top!r} + '.core' in sys.modules, 'fuzz' in sys.modules)"],
        input=cloudpickle.dumps(found), capture_output=True, timeout=60, check=True,
    )  # fmt: skip
    assert loaded.stdout.split() == [b"True", b"False"], loaded.stderr
    # A child the package's own namespace binds is imported with the package: not recorded again.
    package.core = "bound by the package"
    assert find_submodules(code, [package], pending=pending) == []
    # Names the code does not use are not recorded.
    other = compile(f"def g():\n    return {top}.extra\n", "<test>", "exec").co_consts[0]
    del package.core
    assert find_submodules(other, [package], pending=pending) == []


@pytest.mark.skipif(not hasattr(sys, "lazy_modules"), reason="lazy imports (PEP 810) arrived in Python 3.15")
def test_fixes_a_submodule_a_lazy_import_left_pending(side_factory, fork_isolation):
    from fuzz.model.case import Case

    files = (("alpha/__init__.py", ""), ("alpha/core.py", "VALUE = 'core'\n"), ("alpha/extra.py", ""))
    source = "lazy import alpha.core\nimport alpha.extra\ndef f():\n    return alpha.core.VALUE\n"
    case = Case(files, source, needed=("alpha.core",), name="pending lazy submodule")
    verdict = run_case(case, side_factory("legacy"), side_factory("bytecode-v2"), fork_isolation)
    assert verdict.kind == "fix", verdict
