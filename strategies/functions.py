"""Assemble accesses into one function's module source, with ground truth.

The function is ``f``; it may be ``async``, a generator, decorated, or built
by a factory ``make`` whose parameters become closure cells. Its body opens
with local imports and aliases, then padding and colliding names, then one
statement group per access, and returns (or yields) the tuple of values the
accesses produced, so the return value proves which modules were reached.

The ground truth is the union, over accesses that run, of the submodules each
needs imported beforehand, minus what ``__init__`` files and the function's
own imports bring in.
"""

from __future__ import annotations

from hypothesis import strategies as st

from fuzz.case import Case
from fuzz.tags import CLOSURE, FN, INIT, NODE, NOISE, SIZE, UNIVERSE, need, tag
from fuzz.tags import access as access_tag
from strategies.accesses import Access, accesses, needed_by, render_access
from strategies.padding import noise, noise_lines, noise_setup, padding_lines, padding_setup, padding_sizes
from strategies.universe import Universe, universes

FUNCTION_KINDS = ("plain", "async", "generator", "decorated")

_DECORATOR = [
    "import functools",
    "",
    "",
    "def passthrough(fn):",
    "    @functools.wraps(fn)",
    "    def wrapper(*args, **kwargs):",
    "        return fn(*args, **kwargs)",
    "",
    "    return wrapper",
]


def _imports_first(lines: list[str]) -> list[str]:
    """Module setup as a person writes it: unique imports on top, then the rest in order."""
    imports = list(dict.fromkeys(line for line in lines if line.startswith("import ")))
    return imports + [line for line in lines if not line.startswith("import ")]


def _indent(lines: list[str], level: int) -> list[str]:
    return [("    " * level + line) if line else "" for line in lines]


def universe_tags(universe: Universe) -> list[str]:
    tags = [tag(UNIVERSE, "stdlib" if universe.stdlib else "packages")]
    if not universe.stdlib:
        kinds = {n.kind for n in universe.nodes}
        tags += [tag(NODE, k) for k in sorted(kinds)]
        if any(n.eager for n in universe.nodes):
            tags.append(tag(INIT, "eager"))
        if any(n.reexports for n in universe.nodes):
            tags.append(tag(INIT, "reexport"))
        if any(n.lazy for n in universe.nodes):
            tags.append(tag(INIT, "lazy"))
    return tags


def build_case(
    universe: Universe,
    items: list[Access],
    kind: str,
    pad: int,
    noise_pairs: list[tuple[str, str]],
    reuse_factory: bool,
) -> Case:
    """Write the module source for ``items`` and compute its ground truth."""
    rendered = [render_access(universe, a, i) for i, a in enumerate(items)]
    self_imported = set().union(*(r.self_imported for r in rendered))
    needed: set[str] = set()
    need_tags = []
    access_tags = []
    for i, (access, r) in enumerate(zip(items, rendered)):
        own = needed_by(universe, access, r.covered, r.own_imports | self_imported)
        needed |= own
        access_tags.append(access_tag(i, access.way, access.placement, access.use, own))
        # Which way of access needs which module: lets a report blame the access whose needs were missed.
        need_tags += [need(access.way, name) for name in sorted(own)]

    factory = [pair for r in rendered for pair in r.factory]
    tops = universe.tops()
    # A factory called before with other modules: another function object, other cells.
    earlier = [tops[(tops.index(arg) + 1) % len(tops)] for _, arg in factory] if reuse_factory else []
    setup = [line for r in rendered for line in r.setup] + padding_setup(pad) + noise_setup(noise_pairs)
    lines = _imports_first(setup + [f"import {top}" for top in earlier])
    if kind == "decorated":
        lines += ["", "", *_DECORATOR]
    params = ", ".join(p for r in rendered for p in r.params)
    prelude = sorted((line for r in rendered for line in r.prelude), key=lambda s: not s.startswith(("import", "from")))
    body = prelude + padding_lines(pad) + noise_lines(noise_pairs) + [line for r in rendered for line in r.body]
    values = "(" + ", ".join(f"v{i}" for i in range(len(items))) + ("," if len(items) == 1 else "") + ")"
    body.append(f"yield {values}" if kind == "generator" else f"return {values}")
    header = [f"{'async ' if kind == 'async' else ''}def f({params}):"]
    if kind == "decorated":
        header.insert(0, "@passthrough")
    function = header + _indent(body, 1)

    tags = [t for a in items for t in a.tags()] + [tag(FN, kind)] + universe_tags(universe)
    tags += [tag(NOISE, role) for _, role in noise_pairs] + need_tags
    tags += access_tags
    if pad >= 100:
        tags.append(tag(SIZE, "large"))
    if factory:
        args = ", ".join(arg for _, arg in factory)
        lines += ["", "", f"def make({', '.join(p for p, _ in factory)}):", *_indent(function, 1), "    return f"]
        if earlier:
            lines += ["", "", f"earlier = make({', '.join(earlier)})"]
            tags.append(tag(CLOSURE, "factory-reused"))
        entry = f"make({args})"
    else:
        lines += ["", "", *function]
        entry = "f"
    source = "\n".join(lines).lstrip("\n") + "\n"
    return Case(
        files=universe.files(),
        source=source,
        entry=entry,
        needed=tuple(sorted(needed)),
        tags=tuple(dict.fromkeys(tags)),
        name="generated",
    )


@st.composite
def cases(draw: st.DrawFn, universe_strategy: st.SearchStrategy[Universe] | None = None) -> Case:
    """A generated function, its package universe and its ground truth."""
    universe = draw(universe_strategy if universe_strategy is not None else universes())
    if not universe.targets():
        universe = draw(universes())
    items = draw(st.lists(accesses(universe), min_size=1, max_size=3))
    kind = draw(st.sampled_from(FUNCTION_KINDS))
    pad = draw(padding_sizes())
    noise_pairs = draw(noise())
    reuse = draw(st.booleans())
    return build_case(universe, items, kind, pad, noise_pairs, reuse)
