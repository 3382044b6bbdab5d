"""The ways a function can reach a module, and what each one needs.

Each way is one entry of :data:`WAYS`; an :class:`Access` picks a way, a
target module, the attribute names used along the path (a re-exported alias
or the real name), how the target is used (load, call, store, del) and where
the access sits (:mod:`strategies.placements`). :func:`render_access` turns
it into the lines of module setup, function parameters, factory arguments and
body statements, plus the ground truth: the submodules that must already be
imported for the access to work once unpickled.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from hypothesis import strategies as st

from fuzz.tags import AT, EXEC, USE, VIA, tag
from strategies.placements import PLACEMENTS, allowed_placements
from strategies.universe import Universe


@dataclass(frozen=True)
class Way:
    """One way of reaching a module; ``min_steps`` is the attribute steps it needs."""

    min_steps: int = 0
    #: How many variants :func:`_base` knows for this way.
    variants: int = 1
    #: Whether the access evaluates its base in a nested scope only.
    needs_nested_scope: bool = False


#: Every way a generated function reaches a module (list 2 of the strategy spec).
WAYS = {
    "global-dotted": Way(),
    "import-as": Way(min_steps=1),
    "module-alias": Way(),
    "closure": Way(),
    "cell": Way(needs_nested_scope=True),
    "local-alias": Way(),
    "default-arg": Way(),
    "object-attr": Way(variants=3),
    "container-item": Way(variants=3),
    "getattr-const": Way(min_steps=1),
    "getattr-computed": Way(min_steps=1),
    "conditional": Way(),
    "walrus": Way(variants=2),
    "globals-lookup": Way(),
    "sys-modules": Way(),
    "import-module": Way(min_steps=1),
    "import-inside": Way(min_steps=1, variants=2),
}

USES = ("load", "call", "store", "del")


@dataclass(frozen=True)
class Access:
    way: str
    target: str
    #: Attribute name used for each step below the top-level package.
    attrs: tuple[str, ...]
    #: Components the way's base covers (import-as, import-module, import-inside).
    split: int
    variant: int
    use: str
    placement: str
    #: Whether the parent's module imports the target (otherwise it may fail at home).
    preimported: bool = True

    @property
    def parts(self) -> list[str]:
        return self.target.split(".")

    @property
    def executed(self) -> bool:
        return PLACEMENTS[self.placement].executes

    def tags(self) -> tuple[str, ...]:
        return (
            tag(VIA, self.way),
            tag(AT, self.placement),
            tag(USE, self.use),
            tag(EXEC, "live" if self.executed else "dead"),
        )


@dataclass
class Rendered:
    """Source fragments for one access (its needs are computed function-wide)."""

    setup: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    factory: list[tuple[str, str]] = field(default_factory=list)
    #: Lines that open the function body (local imports, local aliases).
    prelude: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    #: Modules the function imports itself, before any access runs.
    self_imported: set[str] = field(default_factory=set)
    #: Path components the base expression covers, and modules the access imports itself.
    covered: int = 1
    own_imports: set[str] = field(default_factory=set)


@functools.lru_cache(maxsize=4096)
def _choice(values: tuple) -> st.SearchStrategy:
    """``sampled_from(values)``, built once per tuple while it is in use: building costs more than drawing.

    Bounded: many tuples (a universe's targets) are seen once, and a long
    campaign must not keep them all.
    """
    return st.sampled_from(values)


@st.composite
def accesses(draw: st.DrawFn, universe: Universe) -> Access:
    """One access to a module of ``universe``."""
    target = draw(_choice(tuple(universe.targets())))
    parts = target.split(".")
    steps = len(parts) - 1
    way = draw(_choice(tuple(w for w, spec in WAYS.items() if spec.min_steps <= steps)))
    attrs = tuple(
        draw(_choice(tuple(universe.attribute_names(".".join(parts[: i + 1]))))) for i in range(1, len(parts))
    )
    split = draw(st.integers(1, len(parts))) if way in ("import-as", "import-module", "import-inside") else 1
    variant = draw(st.integers(0, WAYS[way].variants - 1))
    uses = ("load", "store") if universe.stdlib else USES
    use = draw(_choice(tuple(uses)))
    placement = draw(_choice(tuple(allowed_placements(use, WAYS[way].needs_nested_scope))))
    preimported = draw(_choice((True, True, True, True, False)))
    return Access(way, target, attrs, split, variant, use, placement, preimported)


def _base(access: Access, i: int, out: Rendered) -> tuple[str, int, set[str]]:
    """The expression the access starts from.

    Returns the expression, how many path components it already covers, and
    the modules the function imports by itself (which it does not need).
    """
    parts, top = access.parts, access.parts[0]
    prefix = ".".join(parts[: access.split])
    way, variant = access.way, access.variant
    if way == "global-dotted":
        return top, 1, set()
    if way == "import-as":
        out.setup.append(f"import {prefix} as mod{i}")
        return f"mod{i}", access.split, set()
    if way == "module-alias":
        out.setup.append(f"alias{i} = {top}")
        return f"alias{i}", 1, set()
    if way == "closure":
        out.factory.append((f"clo{i}", top))
        return f"clo{i}", 1, set()
    if way in ("cell", "local-alias"):
        out.prelude.append(f"loc{i} = {top}")
        return f"loc{i}", 1, set()
    if way == "default-arg":
        out.params.append(f"dflt{i}={top}")
        return f"dflt{i}", 1, set()
    if way == "object-attr":
        if variant == 0:
            out.setup += [f"class Holder{i}:", f"    mod = {top}"]
            return f"Holder{i}.mod", 1, set()
        if variant == 1:
            out.setup += ["import types", f"holder{i} = types.SimpleNamespace(mod={top})"]
            return f"holder{i}.mod", 1, set()
        out.setup += [
            f"class Owner{i}:",
            "    def __init__(self):",
            f"        self.mod = {top}",
            f"owner{i} = Owner{i}()",
        ]
        return f"owner{i}.mod", 1, set()
    if way == "container-item":
        box = (f"{{'m': {top}}}", f"[{top}]", f"({top},)")[variant]
        out.setup.append(f"box{i} = {box}")
        return f"box{i}" + ("['m']" if variant == 0 else "[0]"), 1, set()
    if way == "getattr-const":
        return f"getattr({top}, {access.attrs[0]!r})", 2, set()
    if way == "getattr-computed":
        pieces = ", ".join(repr(c) for c in access.attrs[0])
        return f"getattr({top}, ''.join([{pieces}]))", 2, set()
    if way == "conditional":
        return f"({top} if len(__name__) >= 0 else None)", 1, set()
    if way == "walrus":
        if variant == 0:
            return f"(w{i} := {top})", 1, set()
        return f"((w{i} := {top}) if len(__name__) >= 0 else None)", 1, set()
    if way == "globals-lookup":
        return f"globals()[{top!r}]", 1, set()
    if way == "sys-modules":
        out.setup.append("import sys")
        return f"sys.modules[{top!r}]", 1, set()
    if way == "import-module":
        out.setup.append("import importlib")
        return f"importlib.import_module({prefix!r})", access.split, _prefixes(parts, access.split)
    if way == "import-inside":
        out.self_imported = _prefixes(parts, access.split)
        if variant == 0 or access.split < 2:
            out.prelude.insert(0, f"import {prefix}")
            return top, 1, set()
        parent, _, child = prefix.rpartition(".")
        out.prelude.insert(0, f"from {parent} import {child} as inner{i}")
        return f"inner{i}", access.split, set()
    raise AssertionError(f"unknown way {way}")


def _prefixes(parts: list[str], n: int) -> set[str]:
    return {".".join(parts[: k + 1]) for k in range(n)}


def needed_by(universe: Universe, access: Access, covered: int, self_imported: set[str]) -> set[str]:
    """Submodules that must be imported before the unpickled access runs.

    A step from a package to its child needs nothing when the package's
    ``__init__`` imports the child (eagerly, as a re-export, or lazily through
    ``__getattr__``), or when the function imports it itself.
    """
    if not access.executed:
        return set()
    needed = set()
    parts = access.parts
    for k in range(max(covered, 1), len(parts)):
        name = ".".join(parts[: k + 1])
        node = universe.by_name[name]
        parent = universe.by_name.get(node.parent)
        if name not in self_imported and not node.loads_with_parent(parent):
            needed.add(name)
    return needed


def render_access(universe: Universe, access: Access, i: int) -> Rendered:
    """Source fragments for access number ``i`` of a function."""
    out = Rendered()
    out.setup.append(f"import {access.parts[0]}")
    if access.preimported:
        out.setup.append(f"import {access.target}")
    base, covered, self_imported = _base(access, i, out)
    reach = base + "".join("." + a for a in access.attrs[covered - 1 :])
    identify = "__name__" if universe.stdlib or universe.by_name[access.target].kind == "namespace" else "VALUE"
    if access.use == "load":
        statement, value = None, f"{reach}.{identify}"
    elif access.use == "call":
        statement, value = None, f"{reach}.call()"
    elif access.use == "store":
        statement, value = f"{reach}.STORED = 'stored'", "'stored'"
    else:
        statement, value = f"del {reach}.SPARE", "'deleted'"
    out.body += PLACEMENTS[access.placement].render(i, statement, value)
    if access.placement == "with":
        out.setup.append("import contextlib")
    out.covered = covered
    out.own_imports = self_imported
    return out
