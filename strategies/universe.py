"""Package universes: the modules a generated function can reach.

A universe is 1 to 3 top-level packages or modules, up to four levels deep,
mixing regular packages, plain modules and namespace packages. ``__init__``
files may import children eagerly, re-export a child under another name, or
load children lazily through a PEP 562 ``__getattr__``, or bind a child's
name to a stand-in object that the child's import replaces (a package
attribute shadowing a submodule: a missed submodule then gives a wrong value,
not an error); each of these changes which submodules a function *needs*
recorded, and so feeds the ground truth. A universe's submodule names come
from one category of :data:`strategies.names.NAME_CATEGORIES`.
Every regular module defines ``VALUE`` (its own dotted name) and ``call()``,
so a function's return value proves which module it reached.

The standard-library universe instead draws real packages (``xml``,
``email``, ``concurrent``, ...), filtered against what a fresh interpreter
already holds, because a submodule that is already loaded there tests nothing.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from strategies.names import ALIAS_NAMES, MAX_DEPTH, NAME_CATEGORIES, STDLIB_TARGETS, TOP_NAMES


@dataclass(frozen=True)
class Node:
    """One module of a universe."""

    name: str
    #: ``package``, ``module`` (a plain .py file) or ``namespace`` (no __init__).
    kind: str
    eager: tuple[str, ...] = ()
    reexports: tuple[tuple[str, str], ...] = ()
    lazy: tuple[str, ...] = ()
    #: Children whose name ``__init__`` binds to a stand-in (a namespace with the child's attributes);
    #: importing the child replaces it with the module.
    shadows: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def parent(self) -> str:
        return self.name.rpartition(".")[0]

    def loads_with_parent(self, parent: Node | None) -> bool:
        """Whether using this module as an attribute of its parent needs no import."""
        if parent is None:
            return True
        return (
            self.short in parent.eager
            or self.short in parent.lazy
            or any(child == self.short for _, child in parent.reexports)
        )

    def shadowed_in(self, parent: Node | None) -> bool:
        """Whether the parent's ``__init__`` binds this module's name to a stand-in until it is imported."""
        return parent is not None and self.short in parent.shadows


@dataclass(frozen=True)
class Universe:
    nodes: tuple[Node, ...]
    stdlib: bool = False
    #: The :data:`strategies.names.NAME_CATEGORIES` entry the submodule names come from ("" for the stdlib).
    names: str = "plain"

    @functools.cached_property
    def by_name(self) -> dict[str, Node]:
        return {n.name: n for n in self.nodes}

    def children(self, name: str) -> list[Node]:
        return [n for n in self.nodes if n.parent == name]

    def tops(self) -> list[str]:
        return [n.name for n in self.nodes if "." not in n.name]

    def targets(self) -> list[str]:
        """Modules a function may aim at: those with identifying attributes."""
        return [n.name for n in self.nodes if n.kind != "namespace" or self.stdlib]

    def child_names(self) -> tuple[str, ...]:
        """The pool this universe's submodule names come from: the names a function collides with."""
        return NAME_CATEGORIES.get(self.names, NAME_CATEGORIES["plain"])

    def attribute_names(self, child: str) -> list[str]:
        """Attribute names by which ``child`` is reachable from its parent."""
        node = self.by_name[child]
        parent = self.by_name.get(node.parent)
        names = [node.short]
        if parent is not None:
            names += [alias for alias, target in parent.reexports if target == node.short]
        return names

    def files(self) -> tuple[tuple[str, str], ...]:
        if self.stdlib:
            return ()
        out = []
        for node in self.nodes:
            path = node.name.replace(".", "/")
            if node.kind == "package":
                out.append((path + "/__init__.py", _package_source(node)))
            elif node.kind == "module":
                out.append((path + ".py", _identifying_source(node.name)))
        return tuple(out)


def _identifying_source(name: str) -> str:
    return f"VALUE = {name!r}\nSPARE = 1\n\n\ndef call():\n    return VALUE\n"


def shadow_value(name: str) -> str:
    """What a shadowed module's ``VALUE`` reads while the stand-in is in its place."""
    return f"{name} (shadow)"


def _package_source(node: Node) -> str:
    lines = []
    if node.shadows:
        lines.append("import types\n")
        for child in node.shadows:
            value = shadow_value(f"{node.name}.{child}")
            fields = f"__name__={value!r}, VALUE={value!r}, SPARE=1, call=lambda: {value!r}"
            lines.append(f"{child} = types.SimpleNamespace({fields})\n")
    lines += [f"from . import {child}\n" for child in node.eager]
    lines += [f"from . import {child} as {alias}\n" for alias, child in node.reexports]
    lines.append(("\n" if lines else "") + _identifying_source(node.name))
    if node.lazy:
        lines.append(
            "\n\ndef __getattr__(attr):\n"
            f"    if attr in {tuple(node.lazy)!r}:\n"
            "        import importlib\n\n"
            "        return importlib.import_module(__name__ + '.' + attr)\n"
            "    raise AttributeError(attr)\n"
        )
    return "".join(lines)


# Strategies are built once and reused: Hypothesis validates every new strategy
# object and computes its properties, which cost more than the draws when a
# strategy was built anew inside each draw.
_NAME_CATEGORY = st.sampled_from(tuple(NAME_CATEGORIES))
_INNER_KINDS = st.sampled_from(["module", "package", "namespace"])
_LEAF_KINDS = st.sampled_from(["module"])
_TOP_KINDS = st.sampled_from(["package", "package", "namespace", "module"])
_ALIASES = st.sampled_from(ALIAS_NAMES)


@functools.cache
def _counts(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@functools.cache
def _selections(size: int, count: int) -> tuple[tuple[int, ...], ...]:
    """Every ordered selection of ``count`` distinct indices below ``size``, first ones first."""
    return tuple(itertools.permutations(range(size), count))


@functools.cache
def _selection_index(size: int, count: int) -> st.SearchStrategy[int]:
    return st.integers(0, len(_selections(size, count)) - 1)


def _pick(draw: st.DrawFn, names: Sequence[str], low: int, high: int) -> list[str]:
    """``low`` to ``high`` distinct ``names`` in any order: how many, then which selection of that many.

    Every ordered selection can be drawn, as with ``st.lists(st.sampled_from(names), unique=True)``,
    in two draws: a list takes two per element (one more? which?), draws again on a repeat, and
    costs a span per element. A universe is mostly such selections (children, eager imports, lazy
    ones, re-exports, stand-ins), and drawing them was two thirds of the time a case took to generate.
    Shrinking still goes towards fewer names, and towards the first ones.
    """
    high = min(high, len(names))
    count = draw(_counts(low, high)) if high > low else high
    choices = _selections(len(names), count)
    chosen = choices[draw(_selection_index(len(names), count))] if len(choices) > 1 else choices[0]
    return [names[i] for i in chosen]


def _draw_subtree(draw: st.DrawFn, name: str, depth: int, kind: str, pool: tuple[str, ...]) -> list[Node]:
    """The module ``name`` at ``depth``, a ``kind``, and everything under it, children named from ``pool``.

    A plain function handed ``draw`` rather than a composite strategy: a
    nested strategy costs Hypothesis a span and a validation per draw.
    """
    if kind == "module" or depth >= MAX_DEPTH:
        return [Node(name, "module")]
    child_names = _pick(draw, pool, 1, 3)
    nodes: list[Node] = []
    for child in child_names:
        child_kind = draw(_INNER_KINDS if depth + 1 < MAX_DEPTH else _LEAF_KINDS)
        nodes += _draw_subtree(draw, f"{name}.{child}", depth + 1, child_kind, pool)
    if kind == "namespace":
        return [Node(name, "namespace"), *nodes]
    eager = _pick(draw, child_names, 0, len(child_names))
    rest = [c for c in child_names if c not in eager]
    lazy = _pick(draw, rest, 0, len(rest))
    reexported = _pick(draw, child_names, 0, 1)
    aliases = [draw(_ALIASES) for _ in reexported]
    reexports = tuple(zip(aliases, reexported))
    plain = tuple(c for c in rest if c not in lazy and c not in reexported)
    shadows = _pick(draw, plain, 0, 1)
    return [Node(name, "package", tuple(eager), reexports, tuple(lazy), tuple(shadows)), *nodes]


@st.composite
def package_universes(draw: st.DrawFn) -> Universe:
    """1 to 3 top-level packages (or modules), up to four levels deep, submodules named from one category."""
    category = draw(_NAME_CATEGORY)
    pool = NAME_CATEGORIES[category]
    nodes: list[Node] = []
    for top in _pick(draw, TOP_NAMES, 1, 3):
        nodes += _draw_subtree(draw, top, 1, draw(_TOP_KINDS), pool)
    return Universe(tuple(nodes), names=category)


@functools.lru_cache(maxsize=1)
def _stdlib_nodes() -> tuple[Node, ...]:
    """Standard-library targets a fresh interpreter has not loaded, as nodes.

    Which children a package imports eagerly is learnt by importing each top
    in a fresh interpreter: the ground truth must match what the child sees.
    Forked from one server where the platform can fork (a dozen fresh
    interpreters in about 0.1 s, where spawning them took 0.55 s, on the path
    of each worker's first standard-library case), spawned elsewhere.
    """
    from fuzz.isolation.pool import Isolation, SideRuntime, default_mode

    nodes: dict[str, Node] = {}
    with Isolation(default_mode(), timeout=30) as isolation:
        preloaded = set(isolation.run(SideRuntime(), {"kind": "probe"}).preloaded)
        usable = [
            t
            for t in STDLIB_TARGETS
            if not any(".".join(t.split(".")[: i + 1]) in preloaded for i in range(1, t.count(".") + 1))
        ]
        for top in sorted({t.split(".")[0] for t in usable}):
            loaded = isolation.run(SideRuntime(), {"kind": "probe", "imports": [top]})
            if loaded.status != "returned":
                continue
            eager_closure = set(loaded.imported_by_load)
            for target in (t for t in usable if t.split(".")[0] == top):
                parts = target.split(".")
                for i in range(len(parts)):
                    name = ".".join(parts[: i + 1])
                    children = [
                        c.rpartition(".")[2] for c in eager_closure if c.rpartition(".")[0] == name and c != name
                    ]
                    nodes.setdefault(name, Node(name, "package" if i < len(parts) - 1 else "module"))
                    old = nodes[name]
                    nodes[name] = Node(name, old.kind if i == len(parts) - 1 else "package", tuple(sorted(children)))
    return tuple(sorted(nodes.values(), key=lambda n: n.name))


@st.composite
def stdlib_universes(draw: st.DrawFn) -> Universe:
    """A few standard-library packages the fresh interpreter has not loaded."""
    nodes = _stdlib_nodes()
    tops = sorted({n.name.split(".")[0] for n in nodes})
    if not tops:
        return Universe((), stdlib=True, names="")
    chosen = draw(st.lists(st.sampled_from(tops), min_size=1, max_size=2, unique=True))
    return Universe(tuple(n for n in nodes if n.name.split(".")[0] in chosen), stdlib=True, names="")


def universes() -> st.SearchStrategy[Universe]:
    """Generated packages most of the time, the standard library sometimes."""
    return st.one_of(package_universes(), package_universes(), package_universes(), stdlib_universes())
