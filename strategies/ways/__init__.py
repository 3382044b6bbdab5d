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
    #: How a finding lists the way (``pkg.sub.X``), and how a root cause names it as a mechanism
    #: ("a submodule reached through its package's global name").
    words: str = ""
    mechanism: str = ""
    #: The Python feature a case shows by using the way (:data:`fuzz.generation.input_coverage.FEATURES`), if any.
    feature: str = ""

    @property
    def family(self) -> str:
        """The module the way is written in: ``direct``, ``closures``, ``aliases``, ``containers``, ``dynamic``."""
        return self.base.__module__.rpartition(".")[2]


#: Every way a generated function reaches a module.
WAYS = {
    "global-dotted": Way(direct.global_dotted, words="pkg.sub.X", mechanism="its package's global name"),
    "import-as": Way(direct.import_as, min_steps=1, splits=True,
                     words="import pkg.sub as m", mechanism="a name a module-level import binds"),
    "module-alias": Way(direct.module_alias, words="m = pkg at module level", mechanism="a module-level alias"),
    "closure": Way(closures.closure, weight=3, words="a factory's closure variable", mechanism="a closure variable"),
    "cell": Way(closures.cell, needs_nested_scope=True,
                words="a local read by a nested scope", mechanism="a local that a nested scope reads (a cell)"),
    "local-alias": Way(aliases.local_alias, words="p = pkg; p.sub", mechanism="a local alias"),
    "default-arg": Way(aliases.default_arg, words="def f(m=pkg)", mechanism="a default argument"),
    "object-attr": Way(containers.object_attr, variants=3,
                       words="Holder.mod.sub", mechanism="an attribute of another object"),
    "container-item": Way(containers.container_item, variants=3,
                          words="box['m'].sub", mechanism="an item of a container"),
    "getattr-const": Way(dynamic.getattr_const, min_steps=1,
                         words="getattr(pkg, 'sub')", mechanism="getattr with a constant name"),
    "getattr-computed": Way(dynamic.getattr_computed, min_steps=1,
                            words="getattr with a computed name", mechanism="getattr with a computed name"),
    "conditional": Way(aliases.conditional, words="(pkg if c else None).sub", mechanism="a conditional expression"),
    "walrus": Way(aliases.walrus, variants=2, feature="walrus",
                  words="(p := pkg).sub", mechanism="an assignment expression"),
    "globals-lookup": Way(dynamic.globals_lookup, words="globals()['pkg']", mechanism="a globals() lookup"),
    "sys-modules": Way(dynamic.sys_modules, words="sys.modules['pkg']", mechanism="a sys.modules lookup"),
    "import-module": Way(dynamic.import_module, min_steps=1, splits=True,
                         words="importlib.import_module('pkg')", mechanism="importlib.import_module"),
    "import-inside": Way(dynamic.import_inside, min_steps=1, variants=2, splits=True,
                         words="an import inside the function", mechanism="an import inside the function"),
}  # fmt: skip
