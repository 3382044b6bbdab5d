"""A detector that makes the child import a module chosen by the case.

The case names the module in a global ``BOMB``; its universe makes importing
that module hang, segfault or exit. Baseline children never import it, so any
death is the candidate's: the oracle must call it a ``crash``.
"""

from __future__ import annotations

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
