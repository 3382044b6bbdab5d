"""``proposed``: the bytecode scan of cloudpickle issue 576 / PR 582.

This module is the specification under test and is transcribed from the
proposal as written, defects included: the per-function cache that never
notices a changed ``__code__``, ``__globals__`` or closure cell; the look-ahead
that only follows an unbroken ``LOAD_ATTR``/``LOAD_METHOD`` chain; the scan of
the outer code object only. Do not "fix" anything here: the fuzzer exists to
find out what these choices cost. A corrected detector belongs in its own
module.
"""

from __future__ import annotations

import dis
import opcode
import sys
import types
import weakref
from collections.abc import Iterable

from fuzz.detectors import DependencyAwareDetector
from fuzz.detectors.dependencies import get_cell_contents

LOAD_GLOBAL = opcode.opmap["LOAD_GLOBAL"]
LOAD_DEREF = opcode.opmap["LOAD_DEREF"]

# Keyed by the function object, as in the proposal.
_extract_candidate_submodule_names_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _extract_candidate_submodule_names(func: types.FunctionType) -> list[str]:
    """Dotted names that look like submodule accesses, from the bytecode."""
    out_names = _extract_candidate_submodule_names_cache.get(func)
    if out_names is not None:
        return out_names

    code = func.__code__
    f_globals = func.__globals__

    closure_map = {name: get_cell_contents(cell) for name, cell in zip(code.co_freevars, func.__closure__ or [])}

    instructions = list(dis.get_instructions(code))
    candidate_submodule_names = []

    for i, instruction in enumerate(instructions):
        candidate_module = None
        if instruction.opcode == LOAD_GLOBAL:
            candidate_module = f_globals.get(instruction.argval)
        elif instruction.opcode == LOAD_DEREF:
            candidate_module = closure_map.get(instruction.argval)

        if isinstance(candidate_module, types.ModuleType):
            current_path = [candidate_module.__name__]
            for j in range(i + 1, len(instructions)):
                next_instr = instructions[j]
                if next_instr.opname in ("LOAD_ATTR", "LOAD_METHOD"):
                    current_path.append(next_instr.argval)
                    candidate_submodule_names.append(".".join(current_path))
                else:
                    break

    _extract_candidate_submodule_names_cache[func] = candidate_submodule_names
    return candidate_submodule_names


def find_submodules_via_bytecode(
    func: types.FunctionType, top_level_dependencies: Iterable[object]
) -> list[types.ModuleType]:
    """The proposal's replacement for ``_find_imported_submodules``."""
    if not any(
        x for x in top_level_dependencies if isinstance(x, types.ModuleType) and getattr(x, "__package__", None)
    ):
        return []

    found_submodules = set()
    for candidate_submodule_name in _extract_candidate_submodule_names(func):
        candidate_submodule = sys.modules.get(candidate_submodule_name)
        if candidate_submodule is not None:
            found_submodules.add(candidate_submodule)
    return list(found_submodules)


#: Detector entry point: ``proposed(func) -> list of modules``; sides hand it the dependencies cloudpickle
#: itself computed, as the proposal's diff does.
proposed = DependencyAwareDetector(lambda func, code, dependencies: find_submodules_via_bytecode(func, dependencies))
