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
import dis
import inspect
import opcode
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


# -- Bugs that live in one part of the language each (strategies/signatures.py, origins.py,
# function_kinds.py): a signature, an annotation, type parameters, where the function comes from.
# Each is legacy but for functions of that shape.


def buggy_kwonly_defaults(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on keyword-only defaults: reads ``__defaults__`` and ``__kwdefaults__`` as one tuple."""
    if func.__kwdefaults__:
        raise TypeError("planted bug: can only concatenate tuple (not 'dict') to tuple")
    return legacy(func)


def buggy_annotated(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing for an annotated function, taking an annotated one for a typed stub."""
    if func.__annotations__:
        return []
    return legacy(func)


def buggy_positional_only(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on positional-only parameters, as code written before PEP 570 that rebuilds the code object."""
    if func.__code__.co_posonlyargcount:
        raise ValueError("planted bug: unexpected positional-only parameters")
    return legacy(func)


#: ``*args`` and ``**kwargs`` in a code object's flags.
_STAR_FLAGS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS


def buggy_star_args(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing for a function taking ``*args`` or ``**kwargs``, taking it for a generic wrapper."""
    if func.__code__.co_flags & _STAR_FLAGS:
        return []
    return legacy(func)


def buggy_async_generators(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on asynchronous generators (``yield`` in ``async def``), a kind its author forgot."""
    if func.__code__.co_flags & inspect.CO_ASYNC_GENERATOR:
        raise TypeError("planted bug: async generators are not supported")
    return legacy(func)


def buggy_generic(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing for a function with type parameters (PEP 695), as if its code were the annotation scope's."""
    if getattr(func, "__type_params__", ()):
        return []
    return legacy(func)


def buggy_main_module(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing for a function of ``__main__``, as if the script were there when it is loaded."""
    if func.__module__ == "__main__":
        return []
    return legacy(func)


def buggy_imported_module(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing when the function's module is imported, as if it were pickled by reference.

    Wrong for modules registered with ``register_pickle_by_value``: pickled by value, imported here.
    """
    if func.__module__ in sys.modules:
        return []
    return legacy(func)


def buggy_builtins_module(func: types.FunctionType) -> list[types.ModuleType]:
    """Reads the function's builtins as a module (``vars(...)``) to skip builtin names.

    ``exec`` into a custom globals dict puts the builtins there as a dict, and ``vars`` of a dict raises.
    """
    vars(func.__globals__.get("__builtins__", builtins))
    return legacy(func)


def buggy_renamed_copy(func: types.FunctionType) -> list[types.ModuleType]:
    """Looks the function up by its name in its globals to share the original's answer; a copy made
    with ``types.FunctionType`` under another name finds another function there, and gets nothing.
    """
    namesake = func.__globals__.get(func.__name__)
    if isinstance(namesake, types.FunctionType) and namesake.__code__ is not func.__code__:
        return []
    return legacy(func)


def buggy_documented(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing for a function with a docstring, taking its first constant for the code's own.

    No generated function has a docstring; real code's often do (:mod:`strategies.real_shapes`).
    """
    if func.__doc__:
        return []
    return legacy(func)


def equivalent_defaults_too(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy``, plus the loaded submodules the code names of packages held in its defaults.

    Recording a loaded submodule more never breaks a function: at worst it is imported once more.
    """
    defaults = [*(func.__defaults__ or ()), *(func.__kwdefaults__ or {}).values()]
    return legacy(func) + find_submodules(func.__code__, defaults)


def equivalent_on_a_copy(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy`` asked about a ``types.FunctionType`` copy of the function: same code, globals and cells."""
    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__)
    return legacy(copy)


# -- Newer Pythons: lazy imports (PEP 810, 3.15+) and deferred annotations (PEP 649/749, 3.14+).


def _tops(modules: list[types.ModuleType]) -> set[str]:
    return {m.__name__.partition(".")[0] for m in modules if isinstance(getattr(m, "__name__", None), str)}


def buggy_pending_lazy(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing while a package it found has a lazily imported submodule pending (``sys.lazy_modules``).

    As if a package still importing lazily were half-loaded and better left to the unpickling side.
    """
    found = legacy(func)
    pending = getattr(sys, "lazy_modules", ())
    tops = _tops(found)
    if any(str(name).partition(".")[0] in tops for name in pending):
        return []
    return found


def equivalent_lazy_aware(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy`` asked about a copy whose globals leave out lazy-import proxies (no module, unpicklable anyway)."""
    lazy_type = getattr(types, "LazyImportType", ())
    kept = {name: value for name, value in func.__globals__.items() if not isinstance(value, lazy_type)}
    return legacy(types.FunctionType(func.__code__, kept, func.__name__, func.__defaults__, func.__closure__))


def buggy_deferred_annotations(func: types.FunctionType) -> list[types.ModuleType]:
    """Returns nothing for a function whose annotations are deferred (``__annotate__``, 3.14+).

    As if the annotation function's code were the function's own.
    """
    if getattr(func, "__annotate__", None) is not None:
        return []
    return legacy(func)


def equivalent_annotations_forced(func: types.FunctionType) -> list[types.ModuleType]:
    """``legacy`` after computing the deferred annotations, as cloudpickle does when it pickles them."""
    getattr(func, "__annotations__", None)
    return legacy(func)


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
#: Planted bugs that live in one part of the language each, and the case tags (any one of them) a
#: case needs to show the bug.
LANGUAGE_BUGGY: dict[str, tuple[str, ...]] = {
    "buggy_kwonly_defaults": ("param:keyword-only-default", "module-default:keyword-only"),
    "buggy_annotated": ("annotation:builtin", "annotation:module", "annotation:string", "annotation:postponed"),
    "buggy_positional_only": ("param:positional-only", "param:positional-only-default"),
    "buggy_star_args": ("param:varargs", "param:varkw"),
    "buggy_async_generators": ("fn:async-generator",),
    "buggy_generic": ("generic:type-params",),
    "buggy_main_module": ("origin:main",),
    "buggy_imported_module": ("origin:registered",),
    "buggy_builtins_module": ("origin:exec-globals",),
    "buggy_renamed_copy": ("origin:function-type",),
    "buggy_documented": ("shape:real",),
}
#: Planted bugs of newer Pythons' dimensions, the tags that show them, and the version they need.
NEWER_BUGGY: dict[str, tuple[tuple[str, ...], tuple[int, int]]] = {
    "buggy_pending_lazy": (("lazy:import-submodule", "lazy:import-package", "lazy:pending", "lazy:init-from",
                            "lazy:init-import", "lazy:from-import", "lazy:from-import-as"), (3, 15)),
    "buggy_deferred_annotations": (("annotation:builtin", "annotation:module", "annotation:string",
                                    "annotation:postponed", "annotation:submodule"), (3, 14)),
}  # fmt: skip
#: Harmless variations on those dimensions (``tests/test_newer_pythons.py``).
NEWER_EQUIVALENT = ("equivalent_lazy_aware", "equivalent_annotations_forced")
EQUIVALENT = (
    "equivalent_reversed",
    "equivalent_with_parents",
    "equivalent_superset",
    "equivalent_sorted",
    "equivalent_items_scan",
    "equivalent_defaults_too",
    "equivalent_on_a_copy",
)


# -- Size boundaries (strategies/operand_sizes.py). Each is legacy except where one operand of the
# function's bytecode no longer fits a byte (an EXTENDED_ARG prefix precedes its instruction) or a table
# holds more entries than a byte indexes: a generator that never draws that operand large passes it.

#: The largest argument one byte holds; a larger one takes EXTENDED_ARG prefixes, one per further byte.
BYTE = 0xFF
_ATTRIBUTE_LOADS = frozenset(opcode.opmap[name] for name in ("LOAD_ATTR", "LOAD_METHOD") if name in opcode.opmap)
_LOCAL_ACCESSES = frozenset(dis.haslocal)
#: Cell accesses: ``dis.hasfree``, plus ``LOAD_DEREF``, which 3.14's ``dis`` lists under ``haslocal`` only
#: (its argument indexes the locals and cells together), though it is still the load of a cell.
_CELL_ACCESSES = frozenset(dis.hasfree) | frozenset(
    opcode.opmap[name] for name in ("LOAD_DEREF", "LOAD_CLASSDEREF") if name in opcode.opmap
)
_JUMPS = frozenset(dis.hasjrel) | frozenset(dis.hasjabs)
_CONSTANT_LOADS = frozenset(dis.hasconst)


def _wide(func: types.FunctionType, opcodes: frozenset[int], limit: int = BYTE) -> bool:
    """Whether an instruction of ``opcodes`` in the function's own code takes an argument past ``limit``."""
    return any(i.opcode in opcodes and (i.arg or 0) > limit for i in dis.get_instructions(func.__code__))


def buggy_wide_attributes(func: types.FunctionType) -> list[types.ModuleType]:
    """Gives up on a function where an attribute load takes EXTENDED_ARG, as a one-byte decoder would.

    That is past name 255 of ``co_names`` (127 on 3.12+, whose ``LOAD_ATTR`` argument is the index times two).
    """
    return [] if _wide(func, _ATTRIBUTE_LOADS) else legacy(func)


def buggy_many_constants(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on a function with more than 256 constants, as a table a byte indexes would."""
    if len(func.__code__.co_consts) > BYTE + 1:
        raise IndexError("planted bug: a constant index past one byte")
    return legacy(func)


def buggy_wide_locals(func: types.FunctionType) -> list[types.ModuleType]:
    """Gives up on a function where a local's load or store takes EXTENDED_ARG (past local 255)."""
    return [] if _wide(func, _LOCAL_ACCESSES) else legacy(func)


def buggy_wide_cells(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on a function where a cell's load or store takes EXTENDED_ARG, as a decoder asserting one byte.

    That is past cell 255 (on 3.11+, past 255 locals and cells together: the index counts the locals first).
    """
    if _wide(func, _CELL_ACCESSES):
        raise ValueError("planted bug: a cell index past one byte")
    return legacy(func)


def buggy_far_jumps(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on a function with a jump whose offset takes EXTENDED_ARG (a loop around a long body)."""
    if _wide(func, _JUMPS):
        raise ValueError("planted bug: a jump offset past one byte")
    return legacy(func)


def buggy_wide_code_objects(func: types.FunctionType) -> list[types.ModuleType]:
    """Raises on a function that loads a nested code object with EXTENDED_ARG (past constant 255)."""
    if any(
        i.opcode in _CONSTANT_LOADS and (i.arg or 0) > BYTE and isinstance(i.argval, types.CodeType)
        for i in dis.get_instructions(func.__code__)
    ):
        raise ValueError("planted bug: a nested code object's index past one byte")
    return legacy(func)


def buggy_two_byte_arguments(func: types.FunctionType) -> list[types.ModuleType]:
    """Gives up on a function with an argument past two bytes (two EXTENDED_ARG prefixes: past name 65,535)."""
    return [] if _wide(func, frozenset(range(256)), 0xFFFF) else legacy(func)


#: Planted bugs at a size boundary, and the case tags (any one of them) a case needs to show the bug: the
#: operand its padding grows (``python -m fuzz coverage`` lists them); the count decides whether it does.
SIZE_BUGGY: dict[str, tuple[str, ...]] = {
    "buggy_wide_attributes": ("size:names",),
    "buggy_many_constants": ("size:constants", "size:code-objects"),
    "buggy_wide_locals": ("size:locals", "size:names"),
    "buggy_wide_cells": ("size:cells",),
    "buggy_far_jumps": ("size:jumps",),
    "buggy_wide_code_objects": ("size:code-objects",),
}
#: Past two bytes: names past 65,535, drawn about once in a million cases, so no 1,000-case run shows it.
HUGE_BUGGY: dict[str, tuple[str, ...]] = {"buggy_two_byte_arguments": ("size-band:65530-65540",)}
