"""Load a package directory under a private top-level name.

Two cloudpickle trees (say, a pull request's base and head) must live side by
side in one process, and neither may be the ``cloudpickle`` the rest of the
process imports. Loading each under its own alias keeps their module globals,
caches and monkeypatches apart; the child that unpickles loads the same tree
under the same alias so that the references a pickle holds (for example
``<alias>.cloudpickle._make_function``) resolve to that tree's code.

Standard library only: the fresh interpreters import this module too.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types


class AliasLoadError(ImportError):
    """The package directory could not be imported under its alias."""


def load_package_as(alias: str, package_dir: str) -> types.ModuleType:
    """Import ``package_dir/__init__.py`` as the package ``alias``.

    Submodules resolve through the package's ``__path__``, so relative imports
    inside the package (``from . import cloudpickle``) load the tree's own
    files. A failure removes every half-imported ``alias`` module again.
    """
    if alias in sys.modules:
        return sys.modules[alias]
    init = os.path.join(package_dir, "__init__.py")
    spec = importlib.util.spec_from_file_location(alias, init, submodule_search_locations=[package_dir])
    if spec is None or spec.loader is None:
        raise AliasLoadError(f"cannot build an import spec for {init}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        for name in [n for n in sys.modules if n == alias or n.startswith(alias + ".")]:
            del sys.modules[name]
        raise
    return module
