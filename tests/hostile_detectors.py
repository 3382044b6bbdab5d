"""Candidate detectors that attack the process pickling with them, for the gate's fail-closed tests.

Each misbehaves the moment cloudpickle asks it for a function's submodules,
that is, inside ``dumps`` in whatever process pickles: the gate must fail
every one of them loudly, with a report naming what it did, and survive.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
import types

from fuzz.detectors.legacy import legacy


def sleeps(func: types.FunctionType) -> list[types.ModuleType]:
    """Hangs in Python code (the guard's timer stops it)."""
    time.sleep(1000)
    return []


def deaf(func: types.FunctionType) -> list[types.ModuleType]:
    """Hangs where no timer reaches (SIGALRM blocked): only a supervisor's kill stops it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(1000)
    return []


def exits(func: types.FunctionType) -> list[types.ModuleType]:
    """Ends the pickling process at once, without a traceback."""
    os._exit(3)


def segv(func: types.FunctionType) -> list[types.ModuleType]:
    """Segfaults the pickling process."""
    ctypes.string_at(0)
    return []


def raises(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises while pickling."""
    raise RuntimeError("hostile detector refuses")


def junk(func: types.FunctionType) -> list[object]:
    """Returns things that are not modules, and never the submodules needed."""
    return [42, object()]


def floods(func: types.FunctionType) -> list[types.ModuleType]:
    """Writes 10 MB to stdout per pickle, then detects like legacy."""
    sys.stdout.write("x" * 10_000_000)
    return legacy(func)


def poisons_sys_modules(func: types.FunctionType) -> list[types.ModuleType]:
    """Answers as legacy does, then blocks ``import json`` and leaves a key that is no module name."""
    found = legacy(func)
    sys.modules["json"] = None  # type: ignore[assignment]
    sys.modules[42] = object()  # type: ignore[index]
    return found


def leaves_a_daemon(func: types.FunctionType) -> list[types.ModuleType]:
    """Answers as legacy does after starting a detached process that ignores SIGTERM and sleeps."""
    found = legacy(func)
    child = os.fork()
    if child == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                time.sleep(1000)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    return found


def raises_system_exit(func: types.FunctionType) -> list[types.ModuleType]:
    raise SystemExit(3)


def raises_keyboard_interrupt(func: types.FunctionType) -> list[types.ModuleType]:
    raise KeyboardInterrupt("raised by the detector, not typed")


def raises_base_exception(func: types.FunctionType) -> list[types.ModuleType]:
    raise BaseException("a bare BaseException from the detector")
