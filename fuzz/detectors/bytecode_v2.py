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

The only cache is keyed by the code object, which is immutable, and holds
only what the code object determines (its names); globals, cells, defaults
and ``sys.modules`` are read afresh on every pickle, so nothing can go stale.
Reads co_names and co_consts only, never instruction sequences, so it does
not depend on the CPython version's bytecode.
"""

from __future__ import annotations

import sys
import types
import weakref
from collections.abc import Iterable

from fuzz.detectors import DependencyAwareDetector
from fuzz.detectors.dependencies import top_level_dependencies

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
    code: types.CodeType, dependencies: Iterable[object], modules: dict | None = None
) -> list[types.ModuleType]:
    """Loaded submodules of the packages in ``dependencies`` that ``code`` can name.

    ``dependencies`` are the values the function reaches directly (globals it
    names, closure contents, defaults). Drop-in for cloudpickle's
    ``_find_imported_submodules(code, top_level_dependencies)``.
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
    return list(found.values())


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


def dependencies_of(func: types.FunctionType) -> list[object]:
    """What the function reaches directly: named globals (nested code too), cells, defaults."""
    return [*top_level_dependencies(func), *defaults_of(func)]


def _detect(func: types.FunctionType, code: types.CodeType, dependencies: Iterable[object]) -> list[types.ModuleType]:
    # cloudpickle passes globals and cells; the defaults are this detector's addition (see docs/bytecode-v2.md).
    return find_submodules(code, [*dependencies, *defaults_of(func)])


#: Detector entry point: ``bytecode_v2(func) -> list of modules``; sides hand it cloudpickle's own dependencies.
bytecode_v2 = DependencyAwareDetector(_detect)
