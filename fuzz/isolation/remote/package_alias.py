"""Load a package directory under a private top-level name.

Two cloudpickle trees (say, a pull request's base and head) must live side by
side in one process, and neither may be the ``cloudpickle`` the rest of the
process imports. Loading each under its own alias keeps their module globals,
caches and monkeypatches apart; the child that unpickles loads the same tree
under the same alias so that the references a pickle holds (for example
``<alias>.cloudpickle._make_function``) resolve to that tree's code.

A tree that imports itself by its absolute name (cloudpickle 2.x's
``__init__.py`` says ``from cloudpickle.cloudpickle import *``) would load
the installed cloudpickle instead of itself. So every module of an aliased
tree is loaded by :class:`_AliasLoader`, which reads ``import cloudpickle...``
and ``from cloudpickle...`` in its source as the alias: the tree's own
modules, whatever its layout.

Standard library only: the fresh interpreters import this module too.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import types

# For the type checker only: a child imports nothing it does not need.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec

#: The name a tree's own absolute self-imports use.
OWN_NAME = "cloudpickle"


class AliasLoadError(ImportError):
    """The package directory could not be imported under its alias."""


# importlib.machinery would add a module to what every child holds before unpickling (3.13 loads it late).
_SourceFileLoader = importlib._bootstrap_external.SourceFileLoader


class _AliasLoader(_SourceFileLoader):
    """A source loader that reads the tree's absolute self-imports as imports of its alias."""

    def __init__(self, fullname: str, path: str, alias: str) -> None:
        super().__init__(fullname, path)
        self.alias = alias
        self._self_import = re.compile(rb"^(\s*(?:from|import)\s+)" + OWN_NAME.encode() + rb"\b", re.MULTILINE)

    def source_to_code(self, data: bytes, path: str, *, _optimize: int = -1) -> types.CodeType:  # type: ignore[override]
        data = self._self_import.sub(rb"\1" + self.alias.encode(), data)
        return super().source_to_code(data, path)

    def get_code(self, fullname: str) -> types.CodeType:
        # Compile from source every time: bytecode cached for the tree as written would skip the rewrite.
        source = self.get_data(self.path)
        return self.source_to_code(source, self.path)


class _AliasFinder:
    """Finds ``ALIAS.X`` in the aliased tree's directory, loaded by :class:`_AliasLoader`."""

    def __init__(self, alias: str, package_dir: str) -> None:
        self.alias = alias
        self.package_dir = package_dir

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if not fullname.startswith(self.alias + "."):
            return None
        parts = fullname.split(".")[1:]
        base = os.path.join(self.package_dir, *parts)
        for location, is_package in ((os.path.join(base, "__init__.py"), True), (base + ".py", False)):
            if os.path.isfile(location):
                loader = _AliasLoader(fullname, location, self.alias)
                search = [os.path.dirname(location)] if is_package else None
                return importlib.util.spec_from_file_location(
                    fullname, location, loader=loader, submodule_search_locations=search
                )
        return None


def load_package_as(alias: str, package_dir: str) -> types.ModuleType:
    """Import ``package_dir/__init__.py`` as the package ``alias``.

    Submodules resolve through :class:`_AliasFinder`, so relative imports
    and the tree's absolute self-imports load the tree's own files. A
    failure removes every half-imported ``alias`` module again.
    """
    if alias in sys.modules:
        return sys.modules[alias]
    init = os.path.join(package_dir, "__init__.py")
    finder = _AliasFinder(alias, package_dir)
    sys.meta_path.insert(0, finder)
    loader = _AliasLoader(alias, init, alias)
    spec = importlib.util.spec_from_file_location(alias, init, loader=loader, submodule_search_locations=[package_dir])
    if spec is None or spec.loader is None:
        raise AliasLoadError(f"cannot build an import spec for {init}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        for name in [n for n in sys.modules if n == alias or n.startswith(alias + ".")]:
            del sys.modules[name]
        sys.meta_path.remove(finder)
        raise
    return module
