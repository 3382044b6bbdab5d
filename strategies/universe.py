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

import dataclasses
import functools
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
    #: Children ``__init__`` imports lazily (PEP 810, 3.15+): ``(child, "from")`` writes ``lazy from . import
    #: child``, ``(child, "import")`` writes ``lazy import pkg.child`` (:mod:`strategies.lazy_imports`).
    lazy_imports: tuple[tuple[str, str], ...] = ()

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
            or any(child == self.short for child, _ in parent.lazy_imports)
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
    lines += [
        f"lazy from . import {child}\n" if style == "from" else f"lazy import {node.name}.{child}\n"
        for child, style in node.lazy_imports
    ]
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
# strategy was built anew inside each draw. Reusing equal strategies changes
# nothing that is drawn (same choices, same labels), so seeds give the same cases.
_NAME_CATEGORY = st.sampled_from(tuple(NAME_CATEGORIES))
_INNER_KINDS = st.sampled_from(["module", "package", "namespace"])
_LEAF_KINDS = st.sampled_from(["module"])
_TOP_LISTS = st.lists(st.sampled_from(TOP_NAMES), min_size=1, max_size=3, unique=True)
_TOP_KINDS = st.sampled_from(["package", "package", "namespace", "module"])


@functools.cache
def _subsets(names: tuple[str, ...], max_size: int | None = None) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(names), max_size=max_size, unique=True)


@functools.cache
def _alias_lists(size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(ALIAS_NAMES), min_size=size, max_size=size)


def _under(prefix: str, node: Node) -> Node:
    """``node`` (named relative to a subtree's root, which is "") placed under ``prefix``."""
    return dataclasses.replace(node, name=f"{prefix}.{node.name}" if node.name else prefix)


@functools.cache
def _child_name_lists(pool: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)


@functools.cache
def _subtree(depth: int, kind: str, pool: tuple[str, ...]) -> st.SearchStrategy[list[Node]]:
    """A subtree at ``depth`` whose root is a ``kind``, named relative to its root, children named from ``pool``."""
    return _draw_subtree(depth, kind, pool)


@st.composite
def _draw_subtree(draw: st.DrawFn, depth: int, kind: str, pool: tuple[str, ...]) -> list[Node]:
    if kind == "module" or depth >= MAX_DEPTH:
        return [Node("", "module")]
    child_names = draw(_child_name_lists(pool))
    nodes: list[Node] = []
    for child in child_names:
        child_kind = draw(_INNER_KINDS if depth + 1 < MAX_DEPTH else _LEAF_KINDS)
        nodes += [_under(child, node) for node in draw(_subtree(depth + 1, child_kind, pool))]
    if kind == "namespace":
        return [Node("", "namespace"), *nodes]
    eager = draw(_subsets(tuple(child_names), len(child_names)))
    rest = [c for c in child_names if c not in eager]
    lazy = draw(_subsets(tuple(rest))) if rest else []
    reexported = draw(_subsets(tuple(child_names), 1))
    aliases = draw(_alias_lists(len(reexported)))
    reexports = tuple(zip(aliases, reexported))
    plain = tuple(c for c in rest if c not in lazy and c not in reexported)
    shadows = draw(_subsets(plain, 1)) if plain else []
    return [Node("", "package", tuple(eager), reexports, tuple(lazy), tuple(shadows)), *nodes]


@st.composite
def package_universes(draw: st.DrawFn) -> Universe:
    """1 to 3 top-level packages (or modules), up to four levels deep, submodules named from one category."""
    category = draw(_NAME_CATEGORY)
    pool = NAME_CATEGORIES[category]
    tops = draw(_TOP_LISTS)
    nodes: list[Node] = []
    for top in tops:
        kind = draw(_TOP_KINDS)
        nodes += [_under(top, node) for node in draw(_subtree(1, kind, pool))]
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
