"""Detectors with deliberate bugs, and deliberately harmless variations.

A fuzzer that cannot find a planted bug cannot be trusted to find a real one.
Each ``buggy_*`` detector below is ``legacy`` with one realistic mistake; the
test suite and the gate must call each of them a ``regression`` or a
``crash``. Each ``equivalent_*`` detector differs from ``legacy`` in a way
that cannot break an unpickled function; they must never be called a
regression. Use them as sides: ``detector:fuzz.detectors.planted:buggy_ignore_closures``.
"""

from __future__ import annotations

import sys
import types

from fuzz.detectors.dependencies import closure_values, global_items, top_level_dependencies
from fuzz.detectors.legacy import find_submodules, legacy


def buggy_ignore_closures(func: types.FunctionType) -> list[types.ModuleType]:
    """Looks only at globals: a package reached through a closure is missed."""
    names = func.__code__.co_names
    f_globals = func.__globals__
    return find_submodules(func.__code__, [f_globals[n] for n in names if n in f_globals])


def buggy_drop_deepest(func: types.FunctionType) -> list[types.ModuleType]:
    """Forgets the most deeply nested submodule it found."""
    found = legacy(func)
    if not found:
        return found
    deepest = max(found, key=lambda m: (m.__name__.count("."), m.__name__))
    return [m for m in found if m is not deepest]


def buggy_raise_on_closures(func: types.FunctionType) -> list[types.ModuleType]:
    """Crashes on any function with a closure, like an unguarded ``None``."""
    if func.__closure__:
        raise TypeError("planted bug: closures are not supported")
    return legacy(func)


def buggy_first_level_only(func: types.FunctionType) -> list[types.ModuleType]:
    """Keeps only direct children of a package (``a.b`` but never ``a.b.c``)."""
    found = []
    for module in legacy(func):
        parent = module.__name__.rpartition(".")[0]
        if "." not in parent:
            found.append(module)
    return found


def equivalent_reversed(func: types.FunctionType) -> list[types.ModuleType]:
    """The same modules as ``legacy``, in the opposite order."""
    return list(reversed(legacy(func)))


def equivalent_with_parents(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy`` plus every parent package of the modules it found (already imported).

    What ``legacy`` returns is kept as it is: it can hold ``None`` or another object that
    ``sys.modules`` holds in a module's place (:mod:`strategies.hazards`), which has no parents.
    """
    found = legacy(func)
    names = {m.__name__ for m in found if isinstance(m, types.ModuleType)}
    parents = []
    for name in sorted(names):
        while "." in name:
            name = name.rpartition(".")[0]
            parent = sys.modules.get(name)
            if isinstance(parent, types.ModuleType) and name not in names:
                names.add(name)
                parents.append(parent)
    return found + parents


def equivalent_superset(func: types.FunctionType) -> list[types.ModuleType]:
    """Every loaded submodule of every package the function reaches (over-eager)."""
    found = []
    for dep in top_level_dependencies(func):
        if isinstance(dep, types.ModuleType) and getattr(dep, "__package__", None):
            prefix = dep.__name__ + "."
            found += [m for n, m in list(sys.modules.items()) if n.startswith(prefix)]
    return found


def buggy_own_names_only(func: types.FunctionType) -> list[types.ModuleType]:
    """Follows a global only when it is named as its module is (``pkg`` for ``pkg``; ``sub`` for ``pkg.sub``).

    A package bound under another name (``import pkg.sub as m``, ``m = pkg``)
    is skipped, as a detector that matched names rather than objects would.
    """
    kept = [
        value
        for name, value in global_items(func).items()
        if not isinstance(value, types.ModuleType) or value.__name__.rpartition(".")[2] == name
    ]
    return find_submodules(func.__code__, kept + closure_values(func))


#: The most names ``buggy_many_names`` copes with: a function with more goes unnoticed.
NAMES_LIMIT = 40


def buggy_many_names(func: types.FunctionType) -> list[types.ModuleType]:
    """Gives up on functions with more than :data:`NAMES_LIMIT` names, like a fixed-size table would."""
    if len(func.__code__.co_names) > NAMES_LIMIT:
        return []
    return legacy(func)


BUGGY = (
    "buggy_ignore_closures",
    "buggy_drop_deepest",
    "buggy_raise_on_closures",
    "buggy_first_level_only",
    "buggy_many_names",
    "buggy_own_names_only",
)
EQUIVALENT = ("equivalent_reversed", "equivalent_with_parents", "equivalent_superset")
