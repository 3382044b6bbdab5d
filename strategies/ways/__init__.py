"""The ways a generated function can reach a module: one table, one small module per family.

Each way is a :class:`Way` in :data:`WAYS`: how many attribute steps it
needs, how many variants it has, whether its base is evaluated in a nested
scope only, whether it imports part of the path itself (then the access
draws where to split the path), and the function that writes its base
expression. The families:

- :mod:`.direct`: the package's global name, ``import ... as``, a module alias;
- :mod:`.closures`: a closure cell from a factory, a cell read by a nested scope;
- :mod:`.aliases`: a local, a default argument, a conditional, a walrus;
- :mod:`.containers`: an attribute of a class or instance, a container item;
- :mod:`.dynamic`: ``getattr``, ``globals()``, ``sys.modules``, importing.

The table's order is part of what a seed draws: a new way goes at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from strategies.ways import aliases, closures, containers, direct, dynamic
from strategies.ways.fragments import AccessParts, Base, Rendered


@dataclass(frozen=True)
class Way:
    """One way of reaching a module."""

    #: Writes the expression the access starts from (see :data:`strategies.ways.fragments.Base`).
    base: Callable[[AccessParts, int, Rendered], Base]
    #: Attribute steps below the top-level package the way needs.
    min_steps: int = 0
    #: How many variants :attr:`base` knows.
    variants: int = 1
    #: Whether the base is evaluated in a nested scope only.
    needs_nested_scope: bool = False
    #: Whether the way imports a prefix of the path itself (the access draws how long).
    splits: bool = False
    #: How many times as often as other ways it is drawn: the closure way is the only one that puts a module
    #: in a closure cell, where closure size and the module's position among the cells matter
    #: (:mod:`strategies.closure_layout`).
    weight: int = 1

    @property
    def family(self) -> str:
        """The module the way is written in: ``direct``, ``closures``, ``aliases``, ``containers``, ``dynamic``."""
        return self.base.__module__.rpartition(".")[2]


#: Every way a generated function reaches a module.
WAYS = {
    "global-dotted": Way(direct.global_dotted),
    "import-as": Way(direct.import_as, min_steps=1, splits=True),
    "module-alias": Way(direct.module_alias),
    "closure": Way(closures.closure, weight=3),
    "cell": Way(closures.cell, needs_nested_scope=True),
    "local-alias": Way(aliases.local_alias),
    "default-arg": Way(aliases.default_arg),
    "object-attr": Way(containers.object_attr, variants=3),
    "container-item": Way(containers.container_item, variants=3),
    "getattr-const": Way(dynamic.getattr_const, min_steps=1),
    "getattr-computed": Way(dynamic.getattr_computed, min_steps=1),
    "conditional": Way(aliases.conditional),
    "walrus": Way(aliases.walrus, variants=2),
    "globals-lookup": Way(dynamic.globals_lookup),
    "sys-modules": Way(dynamic.sys_modules),
    "import-module": Way(dynamic.import_module, min_steps=1, splits=True),
    "import-inside": Way(dynamic.import_inside, min_steps=1, variants=2, splits=True),
}
