"""A detector that makes the child import a module chosen by the case.

The case names the module in a global ``BOMB``; its universe makes importing
that module hang, segfault or exit. Baseline children never import it, so any
death is the candidate's: the oracle must call it a ``crash``.
"""

from __future__ import annotations

import os
import sys
import types

from fuzz.detector_legacy import legacy


def add_bomb(func: types.FunctionType) -> list[types.ModuleType]:
    found = legacy(func)
    name = func.__globals__.get("BOMB")
    if isinstance(name, str):
        # Stand-in module: enough for cloudpickle to pickle it by reference.
        module = sys.modules.setdefault(name, types.ModuleType(name))
        found.append(module)
    return found


def _universe_dir(func: types.FunctionType) -> str | None:
    """The directory the case's packages live in, found through a global module."""
    for value in func.__globals__.values():
        path = getattr(value, "__file__", None) or ""
        if isinstance(value, types.ModuleType) and os.sep + "universe" + os.sep in path:
            return path.split(os.sep + "universe" + os.sep)[0] + os.sep + "universe"
    return None


def _bomb(func: types.FunctionType, body: str) -> list[types.ModuleType]:
    """Plant a module whose import does ``body`` next to the case's packages, and record it."""
    found = legacy(func)
    universe = _universe_dir(func)
    if universe is not None:
        name = "planted_bomb_module"
        with open(os.path.join(universe, name + ".py"), "w") as handle:
            handle.write(body)
        found.append(sys.modules.setdefault(name, types.ModuleType(name)))
    return found


def segfault_in_child(func: types.FunctionType) -> list[types.ModuleType]:
    """Every unpickling child that imports the recorded modules segfaults."""
    return _bomb(func, "import ctypes\nctypes.string_at(0)\n")


def hang_in_child(func: types.FunctionType) -> list[types.ModuleType]:
    """Every unpickling child that imports the recorded modules hangs."""
    return _bomb(func, "import time\ntime.sleep(3600)\n")


def kill_worker_once(func: types.FunctionType) -> list[types.ModuleType]:
    """Kills the pickling process the first time it runs in a run (marker file in $FUZZ_KILL_MARKER)."""
    marker = os.environ.get("FUZZ_KILL_MARKER")
    if marker and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(3)
    return legacy(func)
