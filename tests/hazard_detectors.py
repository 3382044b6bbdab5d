"""A detector that makes the child import a module chosen by the case.

The case names the module in a global ``BOMB``; its universe makes importing
that module hang, segfault or exit. Baseline children never import it, so any
death is the candidate's: the oracle must call it a ``crash``.
"""

from __future__ import annotations

import os
import sys
import types

from fuzz.detectors.legacy import legacy
from fuzz.isolation.remote.child_runtime import UniverseImporter, universe_table
from fuzz.model.case import VIRTUAL_ROOT


def add_bomb(func: types.FunctionType) -> list[types.ModuleType]:
    found = legacy(func)
    name = func.__globals__.get("BOMB")
    if isinstance(name, str):
        # Stand-in module: enough for cloudpickle to pickle it by reference.
        module = sys.modules.setdefault(name, types.ModuleType(name))
        found.append(module)
    return found


def _universe_importer(func: types.FunctionType) -> UniverseImporter | None:
    """What serves the case's packages (to this process and to children), found through a global module."""
    for value in func.__globals__.values():
        loader = getattr(getattr(value, "__spec__", None), "loader", None)
        if isinstance(value, types.ModuleType) and isinstance(loader, UniverseImporter):
            return loader
    return None


def _bomb(func: types.FunctionType, body: str) -> list[types.ModuleType]:
    """Plant a module whose import does ``body`` beside the case's packages, and record it.

    The importer's table is what the oracle sends to children, so they find it.
    """
    found = legacy(func)
    importer = _universe_importer(func)
    if importer is not None:
        name = "planted_bomb_module"
        importer.table.update(universe_table([(name + ".py", body)], VIRTUAL_ROOT))
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
