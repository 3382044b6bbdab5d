"""Detectors with deliberate bugs, and deliberately harmless variations.

A fuzzer that cannot find a planted bug cannot be trusted to find a real one.
Each ``buggy_*`` detector below is ``legacy`` with one realistic mistake; the
test suite and the gate must call each of them a ``regression`` or a
``crash``. Each ``equivalent_*`` detector differs from ``legacy`` in a way
that cannot break an unpickled function; they must never be called a
regression. Use them as sides: ``detector:fuzz.detectors.planted:buggy_ignore_closures``.
"""

from __future__ import annotations

import builtins
import re
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
    """Every loaded submodule of every package the function reaches (over-eager), that can be imported again.

    Only modules the import system loaded (with a ``__spec__``): a module made by hand and put in
    ``sys.modules`` (:mod:`strategies.hazards`) is pickled by name and fails to import when unpickled,
    so recording it is not harmless.
    """
    found = []
    for dep in top_level_dependencies(func):
        if isinstance(dep, types.ModuleType) and getattr(dep, "__package__", None):
            prefix = dep.__name__ + "."
            found += [
                m
                for n, m in list(sys.modules.items())
                if isinstance(n, str) and n.startswith(prefix) and getattr(m, "__spec__", None) is not None
            ]
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


# -- Bugs that live in one dimension of the input space each (strategies/: names, package shapes,
# function kinds, closure layouts, sys.modules hazards). Each misses, or crashes on, exactly the
# modules of its dimension, so a generator that never reaches the dimension passes it.


def _components(module: object) -> list[str]:
    """The dotted name's components below the top-level package ('' when it has no name)."""
    return str(getattr(module, "__name__", "")).split(".")[1:]


def buggy_private_names(func: types.FunctionType) -> list[types.ModuleType]:
    """Drops private submodules (``pkg._impl``), taking them for implementation details nobody reaches."""
    return [m for m in legacy(func) if not any(part.startswith("_") for part in _components(m))]


#: What a hand-written pattern for identifiers takes a dotted module name to be: ASCII only.
_ASCII_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def buggy_ascii_names(func: types.FunctionType) -> list[types.ModuleType]:
    """Keeps only names an ASCII identifier pattern matches: a non-ASCII submodule (PEP 3131) is lost."""
    return [m for m in legacy(func) if _ASCII_DOTTED.match(str(getattr(m, "__name__", "")))]


#: The widest name component ``buggy_long_names`` copes with.
NAME_WIDTH = 32


def buggy_long_names(func: types.FunctionType) -> list[types.ModuleType]:
    """Drops submodules with a name component wider than :data:`NAME_WIDTH`, like a fixed-width field."""
    return [m for m in legacy(func) if all(len(part) <= NAME_WIDTH for part in _components(m))]


def buggy_builtin_names(func: types.FunctionType) -> list[types.ModuleType]:
    """Drops submodules named like a builtin (``pkg.type``), taking the name for the builtin it shadows."""
    return [m for m in legacy(func) if not any(hasattr(builtins, part) for part in _components(m))]


def buggy_keyword_names(func: types.FunctionType) -> list[types.ModuleType]:
    """Looks names up with a keyword's trailing underscore stripped (``pkg.async_`` as ``pkg.async``): lost."""
    found = []
    for module in legacy(func):
        name = str(getattr(module, "__name__", ""))
        if sys.modules.get(".".join(part.rstrip("_") or part for part in name.split("."))) is not None:
            found.append(module)
    return found


def _names_init_assigns(package: object) -> set[str]:
    """Names the package's own ``__init__`` code binds (from its loader, as ``inspect`` would get them)."""
    get_code = getattr(getattr(package, "__loader__", None), "get_code", None)
    try:
        code = get_code(package.__name__) if get_code is not None else None  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001  (no code to read: nothing assigned)
        return set()
    return set(code.co_names) if code is not None else set()


def buggy_skips_shadowed(func: types.FunctionType) -> list[types.ModuleType]:
    """Drops a submodule whose name its package's ``__init__`` also binds, taking it for a plain attribute.

    Harmless for a child ``__init__`` imports itself (it is loaded with the package anyway); wrong for a
    child whose name ``__init__`` binds to a stand-in that only the child's import replaces.
    """
    found = []
    for module in legacy(func):
        parent, _, child = str(getattr(module, "__name__", "")).rpartition(".")
        if child not in _names_init_assigns(sys.modules.get(parent)):
            found.append(module)
    return found


def buggy_functions_only(func: types.FunctionType) -> list[types.ModuleType]:
    """Skips functions defined in a class body, as if methods were always pickled with their class by name."""
    scopes = func.__qualname__.split(".")
    if len(scopes) > 1 and scopes[-2] != "<locals>":
        return []
    return legacy(func)


def buggy_first_cell_only(func: types.FunctionType) -> list[types.ModuleType]:
    """Reads only the first closure cell (``func.__closure__[0]``): a module in any later cell is missed."""
    return find_submodules(func.__code__, [*global_items(func).values(), *closure_values(func)[:1]])


def buggy_live_scan(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy`` without its snapshot of ``sys.modules``: an import during the scan raises RuntimeError."""
    found: list[types.ModuleType] = []
    names = set(func.__code__.co_names)
    for dep in top_level_dependencies(func):
        if isinstance(dep, types.ModuleType) and getattr(dep, "__package__", None):
            prefix = dep.__name__ + "."
            for loaded in sys.modules:
                if loaded is not None and loaded.startswith(prefix) and set(loaded[len(prefix) :].split(".")) <= names:
                    found.append(sys.modules[loaded])
    return found


def buggy_sorts_by_name(func: types.FunctionType) -> list[types.ModuleType]:
    """Sorts what ``legacy`` found by ``__name__``: ``None`` or an object in a module's place breaks it."""
    return sorted(legacy(func), key=lambda module: module.__name__)


def equivalent_sorted(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy``'s modules sorted by name, whatever ``sys.modules`` holds in their place."""
    return sorted(legacy(func), key=lambda module: str(getattr(module, "__name__", "")))


def equivalent_items_scan(func: types.FunctionType) -> list[types.ModuleType]:
    """The scan written over a snapshot of ``sys.modules.items()``, skipping keys that are not names."""
    found: list[types.ModuleType] = []
    names = set(func.__code__.co_names)
    for dep in top_level_dependencies(func):
        if not isinstance(dep, types.ModuleType) or not getattr(dep, "__package__", None):
            continue
        prefix = dep.__name__ + "."
        for loaded, module in list(sys.modules.items()):
            if isinstance(loaded, str) and loaded.startswith(prefix) and set(loaded[len(prefix) :].split(".")) <= names:
                found.append(module)
    return found


BUGGY = (
    "buggy_ignore_closures",
    "buggy_drop_deepest",
    "buggy_raise_on_closures",
    "buggy_first_level_only",
    "buggy_many_names",
    "buggy_own_names_only",
)
#: Planted bugs that each live in one dimension of the input space, and the case tags (any one of them)
#: a case needs to show the bug (``python -m fuzz coverage`` lists every dimension and value).
BREADTH_BUGGY: dict[str, tuple[str, ...]] = {
    "buggy_private_names": ("names:private",),
    "buggy_ascii_names": ("names:non-ascii",),
    "buggy_long_names": ("names:long",),
    "buggy_builtin_names": ("names:builtin",),
    "buggy_keyword_names": ("names:keyword-suffix",),
    "buggy_skips_shadowed": ("init:shadow",),
    "buggy_functions_only": ("fn:method", "fn:classmethod", "fn:staticmethod", "fn:property"),
    "buggy_first_cell_only": ("cell-at:only", "cell-at:first", "cell-at:middle", "cell-at:last"),
    "buggy_live_scan": ("hazard:import-during-scan",),
    "buggy_sorts_by_name": ("hazard:none-entry", "hazard:replaced-by-object", "hazard:unhashable-replacement"),
}
EQUIVALENT = (
    "equivalent_reversed",
    "equivalent_with_parents",
    "equivalent_superset",
    "equivalent_sorted",
    "equivalent_items_scan",
)
