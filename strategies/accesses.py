"""The ways a function can reach a module, and what each one needs.

Each way is one entry of :data:`strategies.ways.WAYS`; an :class:`Access` picks a way, a
target module, the attribute names used along the path (a re-exported alias
or the real name), how the target is used (load, call, store, del) and where
the access sits (:mod:`strategies.placements`). :func:`render_access` turns
it into the lines of module setup, function parameters, factory arguments and
body statements, plus the ground truth: the submodules that must already be
imported for the access to work once unpickled.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hypothesis import strategies as st

from fuzz.model.tags import AT, EXEC, USE, VIA, tag
from strategies.placements import PLACEMENTS, allowed_placements
from strategies.universe import Universe
from strategies.ways import WAYS
from strategies.ways.fragments import Rendered

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


@functools.lru_cache(maxsize=4096)
def _choice(values: tuple) -> st.SearchStrategy:
    """``sampled_from(values)``, built once per tuple while it is in use: building costs more than drawing.

    Bounded: many tuples (a universe's targets) are seen once, and a long
    campaign must not keep them all.
    """
    return st.sampled_from(values)


@st.composite
def accesses(draw: st.DrawFn, universe: Universe, dotted: bool = False) -> Access:
    """One access to a module of ``universe`` (``dotted``: to a submodule, which the universe must have)."""
    target = draw(_choice(tuple(t for t in universe.targets() if "." in t or not dotted)))
    parts = target.split(".")
    steps = len(parts) - 1
    # A way counts as many times as its weight (see strategies.ways.Way.weight).
    way = draw(_choice(tuple(w for w, spec in WAYS.items() if spec.min_steps <= steps for _ in range(spec.weight))))
    attrs = tuple(
        draw(_choice(tuple(universe.attribute_names(".".join(parts[: i + 1]))))) for i in range(1, len(parts))
    )
    split = draw(st.integers(1, len(parts))) if WAYS[way].splits else 1
    variant = draw(st.integers(0, WAYS[way].variants - 1))
    uses = ("load", "store") if universe.stdlib else USES
    use = draw(_choice(tuple(uses)))
    placement = draw(_choice(tuple(allowed_placements(use, WAYS[way].needs_nested_scope))))
    preimported = draw(_choice((True, True, True, True, False)))
    return Access(way, target, attrs, split, variant, use, placement, preimported)


def needed_by(
    universe: Universe,
    access: Access,
    covered: int,
    self_imported: set[str],
    home_loaded: frozenset[str] | set[str] = frozenset(),
) -> set[str]:
    """Submodules that must be imported before the unpickled access runs.

    A step from a package to its child needs nothing when the package's
    ``__init__`` imports the child (eagerly, as a re-export, or lazily through
    ``__getattr__``), or when the function imports it itself. A child whose
    name ``__init__`` shadows, and that nothing at home imported
    (``home_loaded``), is the stand-in at home too: the access reads that,
    and needs nothing from there on.
    """
    if not access.executed:
        return set()
    needed = set()
    parts = access.parts
    for k in range(max(covered, 1), len(parts)):
        name = ".".join(parts[: k + 1])
        node = universe.by_name[name]
        parent = universe.by_name.get(node.parent)
        if name in self_imported or node.loads_with_parent(parent):
            continue
        if node.shadowed_in(parent) and name not in home_loaded:
            break
        needed.add(name)
    return needed


def render_access(universe: Universe, access: Access, i: int) -> Rendered:
    """Source fragments for access number ``i`` of a function."""
    out = Rendered()
    out.setup.append(f"import {access.parts[0]}")
    if access.preimported:
        out.setup.append(f"import {access.target}")
    base, covered, self_imported = WAYS[access.way].base(access, i, out)
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
