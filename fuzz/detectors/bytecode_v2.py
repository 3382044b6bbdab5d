"""``bytecode-v2``: submodule detection that is as fast as the proposal and loses nothing.

What the fuzzer showed: ``proposed`` reads *sequences* of instructions
(``LOAD_GLOBAL`` followed by ``LOAD_ATTR``), so any other way of reaching a
package (a local alias, a walrus, a conditional, a container, ``sys.modules``)
loses the submodule, and its per-function cache goes stale when globals,
cells or ``__code__`` change. ``legacy`` is robust because it only asks
whether each component of a loaded submodule's name appears among the names
the code uses, but it answers by scanning all of ``sys.modules`` per package.

This detector asks legacy's question from the other end. For each package
the function depends on, it looks up ``package.name`` in ``sys.modules`` for
every name the code uses (or, when the package has fewer attributes than the
code has names, for every attribute of the package that is a module and one
of those names: importing a submodule binds it there), and recurses into what
it finds: a handful of dict look-ups instead of a scan, and the same answer as
legacy for every loaded submodule whose parents are loaded and hold it. It also goes where both older detectors
stop:

- names and dependencies of *nested* code objects (inner functions, lambdas,
  comprehensions, generator expressions, class bodies);
- modules passed as *default arguments*;
- string constants, so ``getattr(package, "sub")``, ``sys.modules["pkg"]``
  and ``importlib.import_module("pkg")`` count as uses of ``sub`` / ``pkg``;
- modules held one level down in a dependency that is a dict, list, tuple,
  set or frozenset.

- on Python 3.15 and later, submodules a lazy import (PEP 810) left *pending*:
  ``lazy import pkg.sub`` followed by an eager ``import pkg.other`` binds the
  real ``pkg`` while ``pkg.sub`` waits in ``sys.lazy_modules``, not in
  ``sys.modules``, until first use. Such a submodule is recorded as a
  :class:`PendingSubmodule`, which imports it by name when unpickled, so the
  pickling process imports nothing.

The only cache is keyed by the code object, which is immutable, and holds
only what the code object determines (its names); globals, cells, defaults
and ``sys.modules`` are read afresh on every pickle, so nothing can go stale.
Reads co_names and co_consts only, never instruction sequences, so it does
not depend on the CPython version's bytecode.
"""

from __future__ import annotations

import importlib
import sys
import types
import weakref
from collections.abc import Collection, Iterable

from fuzz.detectors import DependencyAwareDetector

_names_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
MODULE = types.ModuleType


def code_names(code: types.CodeType) -> tuple[frozenset[str], frozenset[str]]:
    """(names the code and its nested code use, identifier-like string constants)."""
    cached = _names_cache.get(code)
    if cached is None:
        names: set[str] = set(code.co_names)
        strings: set[str] = set()
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                inner_names, inner_strings = code_names(const)
                names |= inner_names
                strings |= inner_strings
            elif isinstance(const, str) and const.replace(".", "_").isidentifier():
                strings.add(const)
        cached = (frozenset(names), frozenset(strings))
        _names_cache[code] = cached
    return cached


def _modules_in(value: object) -> Iterable[types.ModuleType]:
    if isinstance(value, types.ModuleType):
        yield value
    elif isinstance(value, (list, tuple, set, frozenset)):
        yield from (v for v in value if isinstance(v, types.ModuleType))
    elif isinstance(value, dict):
        yield from (v for v in value.values() if isinstance(v, types.ModuleType))


def find_submodules(
    code: types.CodeType,
    dependencies: Iterable[object],
    modules: dict | None = None,
    pending: Collection[str] | None = None,
) -> list[types.ModuleType]:
    """Loaded submodules of the packages in ``dependencies`` that ``code`` can name.

    ``dependencies`` are the values the function reaches directly (globals it
    names, closure contents, defaults). Drop-in for cloudpickle's
    ``_find_imported_submodules(code, top_level_dependencies)``. ``modules``
    and ``pending`` default to ``sys.modules`` and ``sys.lazy_modules``.
    """
    modules = sys.modules if modules is None else modules
    names, strings = code_names(code)
    words = names | {part for s in strings for part in s.split(".")}
    packages = {}
    for dep in dependencies:
        for module in _modules_in(dep):
            if getattr(module, "__package__", None):
                packages[id(module)] = module
    # A string naming a loaded top-level package (``sys.modules["pkg"]``) makes it a dependency too.
    for text in strings:
        top = modules.get(text.partition(".")[0])
        if isinstance(top, types.ModuleType) and getattr(top, "__package__", None):
            packages.setdefault(id(top), top)
    found: dict[str, types.ModuleType] = {}
    stack = list(packages.values())
    while stack:
        package = stack.pop()
        prefix = package.__name__ + "."
        for word in _children_to_try(package, words):
            name = prefix + word
            if name in found:
                continue
            submodule = modules.get(name)
            if not isinstance(submodule, types.ModuleType) and name in modules:
                # sys.modules holds None (an import blocked) or another object under the name
                # of a child the package still holds: the function reaches that child through
                # the package, so the chain goes on through the package's namespace (read
                # directly: getattr could run a lazy package's __getattr__). The name is in
                # sys.modules, so cloudpickle pickles the child by reference.
                submodule = getattr(package, "__dict__", {}).get(word)
                if getattr(submodule, "__name__", None) != name:
                    continue
            if isinstance(submodule, types.ModuleType):
                found[name] = submodule
                stack.append(submodule)
    pending = getattr(sys, "lazy_modules", ()) if pending is None else pending
    if pending:
        loaded = [*packages.values(), *found.values()]
        found.update(pending_submodules(loaded, words, pending, modules))
    return list(found.values())


class PendingSubmodule(types.ModuleType):
    """A submodule a lazy import will load on first use, recorded without importing it.

    cloudpickle records *module objects*, and a module object exists only once
    it is imported; importing it here would change the user's process (an
    import a program chose to defer). This stand-in carries the name only, and
    unpickles as an import of that name in the loading interpreter, which is
    what a recorded submodule is for.
    """

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return _import_quietly, (self.__name__,)


def _import_quietly(name: str) -> None:
    # Unpickled in the loading interpreter: a pending module that fails to import there is
    # left to fail where the function uses it, as at home, rather than failing the whole load.
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001
        pass


# No importable module by this name: cloudpickle pickles the function by value, so the loading
# interpreter needs nothing of this project.
_import_quietly.__module__ = "_pending_submodule_import"


def pending_submodules(
    packages: Iterable[types.ModuleType], words: frozenset[str], pending: Collection[str], modules: dict
) -> dict[str, PendingSubmodule]:
    """Submodules of loaded ``packages`` that a lazy import left pending and ``words`` can name.

    Legacy's rule (every component after the package among the code's
    names), applied to ``sys.lazy_modules`` instead of ``sys.modules``: that
    set is small, so scanning it is cheap. ``sys.lazy_modules`` also holds
    names bound by ``lazy from pkg import name`` that are attributes, not
    modules, so a name is kept only when the import system can find it,
    looked up from its loaded parent's ``__path__`` without importing anything.
    A child the package's namespace already binds (``lazy from . import
    sub`` in its ``__init__``) is left alone: importing the package binds it
    again wherever the function is loaded.
    """
    out: dict[str, PendingSubmodule] = {}
    for package in packages:
        prefix = package.__name__ + "."
        namespace = getattr(package, "__dict__", {})
        for name in pending:
            if not isinstance(name, str) or not name.startswith(prefix) or name in modules or name in out:
                continue
            tail = name[len(prefix) :]
            if tail.partition(".")[0] in namespace or not set(tail.split(".")) <= words:
                continue
            if _findable(package, tail):
                out[name] = PendingSubmodule(name)
    return out


def _findable(package: types.ModuleType, tail: str) -> bool:
    """Whether ``package.tail`` is a module the meta path finds, searched level by level without importing."""
    path = getattr(package, "__path__", None)
    name = package.__name__
    for part in tail.split("."):
        if path is None:
            return False
        name = f"{name}.{part}"
        spec = None
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            try:
                spec = find_spec(name, path) if find_spec is not None else None
            except Exception:  # noqa: BLE001
                spec = None
            if spec is not None:
                break
        if spec is None:
            return False
        path = spec.submodule_search_locations
    return True


def _children_to_try(package: types.ModuleType, words: frozenset[str]) -> Iterable[str]:
    """The names worth looking up under ``package``: the fewer of two supersets.

    Importing ``package.child`` binds ``child`` in the package's namespace, so
    a loaded child's name is both one of the code's words and one of the
    package's attributes. A big function (hundreds of names) under a small
    package is cheapest from the attribute side; a small function under a
    big package (hundreds of attributes) from the word side.
    """
    namespace = getattr(package, "__dict__", {})
    if len(namespace) < len(words):
        return [
            name for name, value in list(namespace.items()) if name in words and isinstance(value, types.ModuleType)
        ]
    return words


def defaults_of(func: types.FunctionType) -> list[object]:
    """Default argument values: what this detector adds to cloudpickle's dependencies."""
    return [*(func.__defaults__ or ()), *(func.__kwdefaults__ or {}).values()]


def _detect(func: types.FunctionType, code: types.CodeType, dependencies: Iterable[object]) -> list[types.ModuleType]:
    # cloudpickle passes globals and cells; the defaults are this detector's addition (see docs/bytecode-v2.md).
    return find_submodules(code, [*dependencies, *defaults_of(func)])


#: Detector entry point: ``bytecode_v2(func) -> list of modules``; sides hand it cloudpickle's own dependencies.
bytecode_v2 = DependencyAwareDetector(_detect)
