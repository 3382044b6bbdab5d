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

import dataclasses
import functools

from hypothesis import event
from hypothesis import strategies as st

from fuzz.case import Case
from fuzz.tags import (
    ANNOTATION,
    CELL_AT,
    CELLS,
    CLOSURE,
    DEFAULT_AT,
    FN,
    GENERIC,
    HAZARD,
    INIT,
    MODULE_DEFAULT,
    NAMES,
    NODE,
    NOISE,
    ORIGIN,
    PARAM,
    SIZE,
    UNIVERSE,
    need,
    tag,
    values,
)
from fuzz.tags import access as access_tag
from strategies.accesses import Access, accesses, needed_by, render_access
from strategies.closure_layout import NO_EXTRAS, Layout, layouts, position, size_bucket
from strategies.function_kinds import FUNCTION_KINDS, KIND_NAMES
from strategies.hazards import HAZARDS, hazard_names
from strategies.origins import REBUILDING, Origin, origins
from strategies.padding import noise, noise_lines, noise_setup, padding_lines, padding_setup, padding_sizes
from strategies.signatures import MODULE_DEFAULT_PLACES, PLAIN, Signature, signatures
from strategies.universe import Universe, universes
from strategies.ways.fragments import Rendered, prefixes

#: The origin every case had before origins were drawn.
DYNAMIC = Origin("dynamic-module")
#: Kinds whose pickled object is the function itself (or a lambda in a dict), so it can be rebuilt
#: with ``types.FunctionType``; the others reach it through a class or a partial.
REBUILDABLE_KINDS = frozenset({"plain", "async", "generator", "decorated", "lambda-in-container", "async-generator"})
#: Kinds whose function is called with nothing the case could bind (a property's getter).
UNBOUND_KINDS = frozenset({"property"})

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
        tags.append(tag(NAMES, universe.names))
        kinds = {n.kind for n in universe.nodes}
        tags += [tag(NODE, k) for k in sorted(kinds)]
        if any(n.eager for n in universe.nodes):
            tags.append(tag(INIT, "eager"))
        if any(n.reexports for n in universe.nodes):
            tags.append(tag(INIT, "reexport"))
        if any(n.lazy for n in universe.nodes):
            tags.append(tag(INIT, "lazy"))
        if any(n.shadows for n in universe.nodes):
            tags.append(tag(INIT, "shadow"))
    return tags


def _home_loaded(items: list[Access], rendered: list[Rendered]) -> set[str]:
    """Modules of the universe the home process has imported when the function runs (its own imports too)."""
    loaded: set[str] = set()
    for access, r in zip(items, rendered):
        if access.preimported:
            loaded |= prefixes(access.parts, len(access.parts))
        loaded |= r.own_imports | r.self_imported
    return loaded


def _hazard_lines(universe: Universe, items: list[Access], hazard: str, child: str) -> tuple[list[str], list[str]]:
    """Module setup lines and steps that put the parent's ``sys.modules`` in the state ``hazard`` names."""
    if hazard == "none" or universe.stdlib:
        return [], []
    made = HAZARDS[hazard]
    return list(made.setup), [made.step.format(top=items[0].parts[0], child=child)]


def build_case(
    universe: Universe,
    items: list[Access],
    kind: str,
    pad: int,
    noise_pairs: list[tuple[str, str]],
    reuse_factory: bool,
    layout: Layout = NO_EXTRAS,
    hazard: str = "none",
    hazard_child: str = "",
    signature: Signature = PLAIN,
    origin: Origin = DYNAMIC,
) -> Case:
    """Write the module source for ``items`` and compute its ground truth."""
    shape = FUNCTION_KINDS[kind]
    if kind not in REBUILDABLE_KINDS and origin.name in REBUILDING:
        origin = DYNAMIC
    if kind in UNBOUND_KINDS:
        # A property's getter is called with the instance only: nothing else can be bound.
        signature = dataclasses.replace(signature, positional_only=(), positional=(), keyword_only=(), varargs=False)
    rendered = [render_access(universe, a, i) for i, a in enumerate(items)]
    self_imported = set().union(*(r.self_imported for r in rendered))
    home_loaded = _home_loaded(items, rendered)
    needed: set[str] = set()
    need_tags = []
    access_tags = []
    for i, (access, r) in enumerate(zip(items, rendered)):
        own = needed_by(universe, access, r.covered, r.own_imports | self_imported, home_loaded)
        needed |= own
        access_tags.append(access_tag(i, access.way, access.placement, access.use, own))
        # Which way of access needs which module: lets a report blame the access whose needs were missed.
        need_tags += [need(access.way, name) for name in sorted(own)]

    module_cells = [pair for r in rendered for pair in r.factory]
    cells_before, cells_after = layout.cells()
    factory = [(name, str(k)) for k, name in enumerate(cells_before)] + module_cells
    factory += [(name, str(k)) for k, name in enumerate(cells_after)]
    tops = universe.tops()
    # A factory called before with other modules: another function object, other cells.
    earlier = [tops[(tops.index(arg) + 1) % len(tops)] if arg in tops else arg for _, arg in factory]
    earlier = earlier if reuse_factory and module_cells else []
    hazard_setup, steps = _hazard_lines(universe, items, hazard, hazard_child)
    setup = [line for r in rendered for line in r.setup] + padding_setup(pad) + noise_setup(noise_pairs)
    setup += list(shape.imports) + origin.setup()
    lines = _imports_first(setup + [f"import {arg}" for arg in earlier if arg in tops] + hazard_setup)
    lines = signature.module_lines() + origin.opening() + lines
    if kind == "decorated":
        lines += ["", "", *_DECORATOR]
    defaults_before, defaults_after = layout.defaults()
    first = [shape.first_param] if shape.first_param else []
    module_params = [p for r in rendered for p in r.params]
    defaults = defaults_before + module_params + defaults_after
    top = items[0].parts[0]
    params, bound = signature.render(first, defaults, top)
    prelude = sorted((line for r in rendered for line in r.prelude), key=lambda s: not s.startswith(("import", "from")))
    extra_cells = cells_before + cells_after
    body = prelude + ([f"cells = ({', '.join(extra_cells)},)"] if extra_cells else [])
    body += padding_lines(pad) + noise_lines(noise_pairs) + [line for r in rendered for line in r.body]
    values = "(" + ", ".join(f"v{i}" for i in range(len(items))) + ("," if len(items) == 1 else "") + ")"
    body.append(f"yield {values}" if shape.is_generator else f"return {values}")
    generic = signature.type_parameters()
    header = [f"{'async ' if shape.is_async else ''}def f{generic}({', '.join(params)}){signature.returns(top)}:"]
    if shape.decorator:
        header.insert(0, shape.decorator)
    function = header + _indent(body, 1)
    definition, name = (["class Service:", *_indent(function, 1)], "Service") if shape.in_class else (function, "f")

    tags = [t for a in items for t in a.tags()] + [tag(FN, kind)] + universe_tags(universe)
    tags += [tag(NOISE, role) for _, role in noise_pairs] + need_tags
    tags += access_tags
    tags += [tag(HAZARD, hazard if steps else "none")]
    tags.append(tag(CELLS, size_bucket(len(factory))))
    tags.append(tag(CELL_AT, position(len(module_cells), len(cells_before), len(cells_after))))
    module_defaults = sum(1 for r in rendered for _ in r.params)
    tags.append(tag(DEFAULT_AT, position(module_defaults, layout.defaults_before, layout.defaults_after)))
    tags += [tag(PARAM, k) for k in signature.kinds(first, defaults)]
    if module_params:
        tags.append(tag(MODULE_DEFAULT, signature.module_defaults))
    tags += [tag(ANNOTATION, signature.annotation), tag(ORIGIN, origin.name)]
    if generic:
        tags.append(tag(GENERIC, "type-params"))
    if pad >= 100:
        tags.append(tag(SIZE, "large"))
    definitions: list[str] = []
    if factory:
        args = ", ".join(arg for _, arg in factory)
        definitions += ["", "", f"def make({', '.join(p for p, _ in factory)}):", *_indent(definition, 1)]
        definitions.append(f"    return {name}")
        if earlier:
            definitions += ["", "", f"earlier = make({', '.join(earlier)})"]
            tags.append(tag(CLOSURE, "factory-reused"))
        made = f"make({args})"
        exported = ["make"]
    else:
        definitions += ["", "", *definition]
        made = name
        exported = [name]
    if shape.in_container:
        # The lambda binds what the signature requires itself; a factory's function is the item, bound below.
        item = made if factory else f"lambda: {made}({', '.join(bound)})"
        bound = bound if factory else []
        definitions += ["", "", f"HANDLERS = {{'run': {item}}}"]
        exported.append("HANDLERS")
    lines += origin.definitions(definitions, exported)
    entry = origin.entry(shape.entry.format(obj=made))
    if bound:
        entry = f"functools.partial({entry}, {', '.join(bound)})"
        if "import functools" not in lines:
            lines.insert(len(signature.module_lines() + origin.opening()), "import functools")
    source = "\n".join(lines).lstrip("\n") + "\n"
    return Case(
        files=universe.files(),
        source=source,
        entry=entry,
        needed=tuple(sorted(needed)),
        steps=tuple(steps),
        tags=tuple(dict.fromkeys(tags)),
        name="generated",
        module_registered=origin.registered,
    )


@st.composite
def cases(draw: st.DrawFn, universe_strategy: st.SearchStrategy[Universe] | None = None) -> Case:
    """A generated function, its package universe, the parent's ``sys.modules`` state, and its ground truth."""
    universe = draw(universe_strategy if universe_strategy is not None else _UNIVERSES)
    if not universe.targets():
        universe = draw(_UNIVERSES)
    items = draw(st.lists(accesses(universe), min_size=1, max_size=3))
    kind = draw(_KINDS)
    pad = draw(_PADDING)
    noise_pairs = draw(_noise(universe.child_names()))
    reuse = draw(_BOOLEANS)
    layout = draw(layouts(any(a.way in ("closure", "default-arg") for a in items)))
    hazard = draw(_HAZARDS)
    child = draw(_one_of_names(universe.child_names())) if hazard != "none" else ""
    signature = draw(_SIGNATURES)
    if any(a.way == "default-arg" for a in items):
        # Where the module-valued defaults sit matters only when there are some: drawn for those alone.
        signature = dataclasses.replace(signature, module_defaults=draw(_MODULE_DEFAULT_PLACES))
    origin = draw(_ORIGINS)
    case = build_case(universe, items, kind, pad, noise_pairs, reuse, layout, hazard, child, signature, origin)
    for dimension in (NAMES, FN, HAZARD, CELLS, CELL_AT, PARAM, ANNOTATION, ORIGIN):
        for value in values(case.tags, dimension):
            event(f"{dimension}: {value}")
    return case


# Built once, not per case: Hypothesis validates each new strategy object and works out its
# properties, which cost more than drawing from it (the same strategies draw the same choices).
_KINDS = st.sampled_from(KIND_NAMES)
_UNIVERSES = universes()
_PADDING = padding_sizes()
_BOOLEANS = st.booleans()
_HAZARDS = hazard_names()
_SIGNATURES = signatures()
_MODULE_DEFAULT_PLACES = st.sampled_from(MODULE_DEFAULT_PLACES)
_ORIGINS = origins()
#: Per name pool.
_one_of_names = functools.cache(st.sampled_from)
_noise = functools.cache(noise)
