"""Lazy imports (PEP 810, Python 3.15+): a package imported lazily, and whether it was used before the pickle.

``lazy import alpha.core`` binds ``alpha`` to a proxy that imports on first
use; until then the module global holds a ``lazy_import`` object (which no
pickler can pickle), and ``alpha.core`` is not in ``sys.modules`` but in
``sys.lazy_modules``. ``lazy from alpha import core`` binds ``core`` to a
proxy of its own, which stays one until ``core`` itself is used. A package's
``__init__`` may do the same (``lazy from . import core``, ``lazy import
alpha.core``): the child then loads on attribute access, as an eager import
would have loaded it. After ``lazy import alpha.core`` and an eager ``import
alpha``, ``alpha`` is a real module while ``alpha.core`` is pending: reaching
it as an attribute imports it.

Each form rewrites the imports of the case's first access (:func:`apply`);
what a function needs once unpickled is the same as with eager imports, except
that a global bound by ``lazy from`` is pickled by reference, so unpickling
imports that module and its parents itself. The first use, when drawn
"after", is a step run between the module and the pickle that touches the
lazily bound name (or reaches the pending module), as a program that ran
before it pickles would. The syntax does not compile before 3.15, so nothing
is drawn there.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace

from hypothesis import strategies as st

from strategies.universe import Universe

#: Whether the running Python has ``lazy import`` (PEP 810).
HAS_LAZY_IMPORTS = sys.version_info >= (3, 15)

#: Every form, with the line it writes for a first access to ``alpha.core`` (tags and coverage name them).
LAZY_FORMS: dict[str, str] = {
    "none": "every import eager",
    "import-submodule": "lazy import alpha.core",
    "import-package": "lazy import alpha",
    "from-import": "lazy from alpha import core",
    "from-import-as": "lazy from alpha import core as lazy_core",
    "pending": "lazy import alpha.core, then import alpha",
    "init-from": "lazy from . import core (in alpha/__init__.py)",
    "init-import": "lazy import alpha.core (in alpha/__init__.py)",
}
#: Forms written in a package's ``__init__`` rather than in the function's module.
INIT_FORMS = frozenset({"init-from", "init-import"})
#: Forms that bind a name of their own, which the function then reads.
FROM_FORMS = frozenset({"from-import", "from-import-as"})
#: Whether the lazily bound name (or pending module) is used between the module's run and the pickle.
FIRST_USES = ("before", "after")
#: The local the function reads a ``lazy from`` name into.
LAZY_LOCAL = "lazy_value"


@dataclass(frozen=True)
class LazyImport:
    form: str = "none"
    first_use: str = "before"
    #: Whether the module also imports lazily a sibling of the target that nothing reaches (as a module does
    #: what only some of its functions use): it stays pending in ``sys.lazy_modules`` through the pickle.
    spare: bool = False


#: Every case's imports before lazy ones were drawn: what shrinking goes back to.
EAGER = LazyImport()


@dataclass(frozen=True)
class Applied:
    """What a form did to one case: the module's import lines, any function line and step, and the truth."""

    lines: list[str]
    universe: Universe
    body: list[str]
    steps: list[str]
    #: Modules that unpickling imports by itself (a ``lazy from`` name pickled by reference).
    imported_by_unpickling: set[str]
    form: str


def _reach(target: str) -> str:
    """A step reaching ``target`` as an attribute chain (imports a pending module); a chain that breaks is left."""
    return f"try:\n    {target}\nexcept AttributeError:\n    pass\n"


def _rooted(line: str, name: str) -> bool:
    return line == f"import {name}" or line.startswith(f"import {name}.")


def _not_applied(lines: list[str], universe: Universe) -> Applied:
    return Applied(lines, universe, [], [], set(), "none")


def with_spare_line(
    applied: Applied, lazy: LazyImport, universe: Universe, target: str, reached: tuple[str, ...]
) -> Applied:
    """``applied`` with ``lazy``'s spare sibling (:func:`spare_line`) first, when a form was applied."""
    spare = spare_line(lazy, universe, target, reached) if applied.form != "none" else None
    return replace(applied, lines=[spare, *applied.lines]) if spare else applied


def spare_line(lazy: LazyImport, universe: Universe, target: str, reached: tuple[str, ...]) -> str | None:
    """``lazy import`` of a sibling of ``target`` that no access reaches and its parent does not load, if any."""
    parent = target.rpartition(".")[0]
    owner = universe.by_name.get(parent)
    if not lazy.spare or owner is None:
        return None
    for node in universe.nodes:
        unreached = not any(name == node.name or name.startswith(node.name + ".") for name in reached)
        if node.parent == parent and node.name != target and unreached and not node.loads_with_parent(owner):
            return f"lazy import {node.name}"
    return None


def apply(
    lazy: LazyImport,
    universe: Universe,
    target: str,
    lines: list[str],
    identify: str,
    module_level: str,
    taken: str,
) -> Applied:
    """Rewrite the case's imports of ``target`` (its first access's module) in ``lazy``'s form.

    ``lines`` are the module's setup lines (imports first), ``identify`` the
    attribute that names a module (``VALUE``), ``module_level`` what the
    module runs beyond its imports (the entry, earlier factory calls, steps):
    a form whose name that text uses would be used before the pickle anyway,
    so it is not applied (the case stays eager, and says so); ``taken`` every
    name the case writes, which a ``lazy from`` name must not collide with.
    """
    parts = target.split(".")
    top, parent, child = parts[0], ".".join(parts[:-1]), parts[-1]
    shadowed = any(node.shadows for node in universe.nodes if node.name.split(".")[0] == top)
    if lazy.form == "none" or universe.stdlib or shadowed or len(parts) < 2:
        return _not_applied(lines, universe)
    if re.search(rf"\b{re.escape(top)}\b", module_level) and lazy.form not in INIT_FORMS | {"pending"}:
        return _not_applied(lines, universe)
    use = [f"{top}\n"] if lazy.first_use == "after" else []
    if lazy.form in ("import-submodule", "import-package"):
        rooted = [line for line in lines if _rooted(line, top)]
        rest = [line for line in lines if not _rooted(line, top)]
        if lazy.form == "import-package":
            # Eager imports of the children first; the package's own lazy import rebinds the name last.
            moved = [line for line in rooted if line != f"import {top}"] + [f"lazy import {top}"]
        else:
            moved = ["lazy " + line for line in rooted]
        return Applied(moved + rest, universe, [], use, set(), lazy.form)
    if lazy.form == "pending":
        if any(line.startswith(f"import {target}.") for line in lines):
            return _not_applied(lines, universe)
        rest = [line for line in lines if line != f"import {target}"]
        moved = [f"lazy import {target}", *(line for line in rest if _rooted(line, top))]
        rest = [line for line in rest if not _rooted(line, top)]
        if f"import {top}" not in moved:
            moved.append(f"import {top}")
        steps = [_reach(target)] if lazy.first_use == "after" else []
        return Applied(moved + rest, universe, [], steps, set(), lazy.form)
    if lazy.form in FROM_FORMS:
        name = child if lazy.form == "from-import" else f"lazy_{child}"
        # The name as a name, not as an attribute (``alpha.core`` reads no global ``core``).
        if re.search(rf"(?<![.\w]){re.escape(name)}\b", "\n".join([*lines, taken])) or not name.isidentifier():
            return _not_applied(lines, universe)
        alias = "" if lazy.form == "from-import" else f" as {name}"
        moved = [*lines, f"lazy from {parent} import {child}{alias}"]
        steps = [f"{name}\n"] if lazy.first_use == "after" else []
        by_unpickling = {".".join(parts[: k + 1]) for k in range(len(parts))}
        return Applied(moved, universe, [f"{LAZY_LOCAL} = {name}.{identify}"], steps, by_unpickling, lazy.form)
    # A package's __init__ imports the target lazily (init_universe made it so): the child loads with its parent.
    if not any(child in dict(node.lazy_imports) for node in universe.nodes if node.name == parent):
        return _not_applied(lines, universe)
    steps = [_reach(target)] if lazy.first_use == "after" else []
    kept = [line for line in lines if line != f"import {target}"]
    return Applied(kept, universe, [], steps, set(), lazy.form)


def _init_fits(universe: Universe, target: str, targets: list[str]) -> bool:
    """Whether ``target``'s parent can import it lazily in its ``__init__``.

    The parent must be a regular package with no stand-in for a child, that
    loads the child no other way than eagerly (an eager ``from . import`` is
    made lazy), and no access may import below the child eagerly, which would
    import it before any first use.
    """
    parent, _, child = target.rpartition(".")
    owner = universe.by_name.get(parent)
    if universe.stdlib or owner is None or owner.kind != "package" or target not in universe.by_name:
        return False
    top = target.split(".")[0]
    if any(node.shadows for node in universe.nodes if node.name.split(".")[0] == top):
        return False
    node = universe.by_name[target]
    if node.loads_with_parent(replace(owner, eager=tuple(c for c in owner.eager if c != child))):
        return False
    return not any(other.startswith(target + ".") for other in targets)


def lazy_target(lazy: LazyImport, universe: Universe, targets: list[str]) -> str:
    """The access target a form applies to: the first submodule (one its ``__init__`` can defer, for those forms).

    A package alone has no submodule to defer; with none, the first target (the form then does not apply).
    """
    dotted = [target for target in targets if "." in target]
    if lazy.form in INIT_FORMS:
        dotted = [target for target in dotted if _init_fits(universe, target, targets)] or dotted
    return (dotted or targets)[0]


def init_universe(lazy: LazyImport, universe: Universe, target: str, targets: list[str]) -> Universe:
    """The universe with ``target``'s parent importing it lazily, for the ``__init__`` forms.

    Done before the ground truth is computed: the child then loads with its
    parent, as it did if the parent imported it eagerly (that import becomes
    the lazy one). Unchanged when the form is another or cannot apply (:func:`_init_fits`).
    """
    if lazy.form not in INIT_FORMS or not _init_fits(universe, target, targets):
        return universe
    parent, _, child = target.rpartition(".")
    owner = universe.by_name[parent]
    style = "from" if lazy.form == "init-from" else "import"
    eager = tuple(c for c in owner.eager if c != child)
    owner = replace(owner, eager=eager, lazy_imports=(*owner.lazy_imports, (child, style)))
    return replace(universe, nodes=tuple(owner if n.name == parent else n for n in universe.nodes))


def lazy_imports() -> st.SearchStrategy[LazyImport]:
    """Eager imports or one lazy form of :data:`LAZY_FORMS`, drawn in two steps; 3.15+.

    Eager first: every earlier case's, what shrinking goes back to. Drawn
    flat, ``none`` would be one draw in eight; in two steps, lazy twice to
    eager's once, about half the draws are lazy (Hypothesis favours the first
    branch) and, as a form that cannot apply falls back to eager imports,
    about a third of the cases.
    """
    forms = tuple(form for form in LAZY_FORMS if form != "none")
    # Two strategy objects: the same one twice would count as one branch.
    lazy = [st.builds(LazyImport, st.sampled_from(forms), _FIRST_USES, _SPARE) for _ in range(2)]
    return st.one_of(st.just(EAGER), *lazy)


_FIRST_USES = st.sampled_from(FIRST_USES)
_SPARE = st.booleans()
