"""What a side's ``dumps`` changes in the pickling process is named, undone, and judged a finding."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import types

import pytest

from fuzz.isolation.outcomes import LoadOutcome, LoadStatus
from fuzz.isolation.pickling_guard import PicklingGuard
from fuzz.isolation.process_tree import become_subreaper, children_of
from fuzz.isolation.side_effects import EffectKind, SideEffect
from fuzz.model.verdict import Kind, classify, side_report
from tests.test_isolation import ctrl_c_enabled

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _kinds(effects: tuple[SideEffect, ...]) -> set[EffectKind]:
    return {e.kind for e in effects}


def test_a_clean_dumps_changes_nothing():
    outcome = PicklingGuard().dumps("candidate", "spec", lambda func: b"pickle", None)
    assert outcome.side_effects == ()


def test_sys_modules_changes_are_named_and_undone():
    real_json = sys.modules.get("json")

    def poisons(func: object) -> bytes:
        sys.modules["json"] = None  # type: ignore[assignment]
        sys.modules[42] = object()  # type: ignore[index]
        sys.modules["fuzz_test_junk"] = "not a module"  # type: ignore[assignment]
        sys.modules["fuzz_test_imported"] = types.ModuleType("fuzz_test_imported")
        return b""

    try:
        outcome = PicklingGuard().dumps("candidate", "spec", poisons, None)
        words = [e.words for e in outcome.side_effects]
        assert _kinds(outcome.side_effects) == {EffectKind.IMPORTED, EffectKind.REPLACED, EffectKind.ODD_ENTRY}
        assert "imported `fuzz_test_imported` into the pickling process" in words
        assert "replaced `json` in sys.modules with another object" in words
        assert "put `42`, `fuzz_test_junk` in sys.modules, which is no module" in words
        # Undone, but for the import: a module stays imported.
        assert sys.modules.get("json") is real_json
        assert 42 not in sys.modules and "fuzz_test_junk" not in sys.modules
        assert "fuzz_test_imported" in sys.modules
    finally:
        sys.modules.pop("fuzz_test_imported", None)
        sys.modules.pop(42, None)  # type: ignore[call-overload]
        sys.modules.pop("fuzz_test_junk", None)
        if real_json is not None:
            sys.modules["json"] = real_json


def test_import_system_signal_handlers_and_cwd_are_put_back(tmp_path):
    path, meta_path, cwd = list(sys.path), list(sys.meta_path), os.getcwd()
    handler = signal.getsignal(signal.SIGUSR1)

    def meddles(func: object) -> bytes:
        sys.path.insert(0, str(tmp_path))
        sys.meta_path.append(object())  # type: ignore[arg-type]
        signal.signal(signal.SIGUSR1, lambda *_: None)
        os.chdir(tmp_path)
        return b""

    outcome = PicklingGuard().dumps("candidate", "spec", meddles, None)
    assert _kinds(outcome.side_effects) == {EffectKind.IMPORT_SYSTEM, EffectKind.SIGNAL, EffectKind.WORKING_DIRECTORY}
    assert "changed the handler of `SIGUSR1`" in [e.words for e in outcome.side_effects]
    assert (sys.path, sys.meta_path, os.getcwd()) == (path, meta_path, cwd)
    assert signal.getsignal(signal.SIGUSR1) is handler


def test_a_thread_left_running_is_named():
    stop = threading.Event()

    def starts_a_thread(func: object) -> bytes:
        threading.Thread(target=stop.wait, name="left-behind", daemon=True).start()
        return b""

    try:
        outcome = PicklingGuard().dumps("candidate", "spec", starts_a_thread, None)
        assert [e.words for e in outcome.side_effects] == ["left 1 thread running (`left-behind`)"]
    finally:
        stop.set()


@linux_only
def test_a_detached_process_is_found_and_killed_in_a_subreaper():
    """``setsid`` and a double fork leave no link to us but the subreaper's: the grandchild must still die."""
    read, write = os.pipe()
    worker = os.fork()
    if worker == 0:  # a worker of its own: becoming a subreaper is for the life of a process
        os.close(read)
        try:
            assert become_subreaper()

            def detaches(func: object) -> bytes:
                child = os.fork()
                if child == 0:
                    os.setsid()
                    if os.fork() == 0:
                        signal.signal(signal.SIGTERM, signal.SIG_IGN)
                        time.sleep(60)
                    os._exit(0)
                os.waitpid(child, 0)
                return b""

            outcome = PicklingGuard().dumps("candidate", "spec", detaches, None)
            left = children_of(os.getpid())
            os.write(write, repr(([e.words for e in outcome.side_effects], sorted(left))).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        words, left = eval(pipe.read())
    os.waitpid(worker, 0)
    assert words == ["left 1 process running"]
    assert left == [], "the detached grandchild was not ended"


@pytest.mark.parametrize(
    "exception, text",
    [
        (SystemExit(3), "SystemExit: 3"),
        (KeyboardInterrupt("raised by the side"), "KeyboardInterrupt: raised by the side"),
        (BaseException("bare"), "BaseException: bare"),
    ],
)
def test_a_base_exception_raised_by_the_side_is_its_error(exception, text):
    def raises(func: object) -> bytes:
        raise exception

    outcome = PicklingGuard().dumps("candidate", "spec", raises, None)
    assert outcome.error == text and outcome.data is None


_CTRL_C = """
import os, signal, time
from fuzz.isolation.pickling_guard import PicklingGuard

def interrupted(func):
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(5)
    return b""

try:
    PicklingGuard().dumps("candidate", "spec", interrupted, None)
except KeyboardInterrupt:
    print("stopped")
else:
    print("swallowed")
"""


def test_a_real_ctrl_c_while_pickling_still_stops_the_run():
    # In a process of its own: the signal goes to the main thread, which a test worker may not be running on.
    # With Ctrl-C handled as at a terminal, even when the tests were started with SIGINT ignored (``cmd &``).
    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C], capture_output=True, text=True, timeout=60, preexec_fn=ctrl_c_enabled
    )
    assert done.stdout.strip() == "stopped", done.stdout + done.stderr


_HOME = LoadOutcome(LoadStatus.RETURNED, "1")


def _side(effects: tuple[SideEffect, ...]) -> object:
    return side_report("s", (), None, _HOME, _HOME, (), side_effects=effects)


def test_only_a_change_the_baseline_did_not_make_is_a_finding():
    imported = (SideEffect(EffectKind.IMPORTED, "imported `alpha.core` into the pickling process"),)
    verdict = classify(_side(()), _side(imported), _HOME, ())
    assert verdict.kind == Kind.SIDE_EFFECT and verdict.failing
    assert "imported `alpha.core`" in verdict.reason
    assert classify(_side(imported), _side(imported), _HOME, ()).kind == Kind.MATCH
    assert classify(_side(imported), _side(()), _HOME, ()).kind == Kind.MATCH
