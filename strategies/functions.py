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

import ast
import dataclasses
import functools
import re

from hypothesis import event, reject
from hypothesis import strategies as st

from fuzz.model.case import Case
from fuzz.model.tags import (
    ANNOTATION,
    ANNOTATION_READ,
    CELL_AT,
    CELLS,
    CLOSURE,
    DEFAULT_AT,
    FIRST_USE,
    FN,
    GENERIC,
    HAZARD,
    INIT,
    INPUTS,
    LAZY,
    MODULE_DEFAULT,
    NAMES,
    NODE,
    NOISE,
    ORIGIN,
    PARAM,
    REAL,
    SHAPE,
    UNIVERSE,
    need,
    tag,
    values,
)
from fuzz.model.tags import access as access_tag
from strategies.accesses import Access, accesses, needed_by, render_access
from strategies.closure_layout import NO_EXTRAS, Layout, layouts, position, size_bucket
from strategies.function_kinds import FUNCTION_KINDS, KIND_NAMES
from strategies.hazards import HAZARDS, hazard_names
from strategies.lazy_imports import (
    EAGER,
    FROM_FORMS,
    HAS_LAZY_IMPORTS,
    LazyImport,
    init_universe,
    lazy_imports,
    with_spare_line,
)
from strategies.lazy_imports import apply as apply_lazy
from strategies.lazy_imports import lazy_target as lazy_form_target
from strategies.operand_sizes import Size, padding_sizes
from strategies.origins import ORIGINS, REBUILDING, Origin, origins
from strategies.padding import noise, noise_lines, noise_setup
from strategies.real_shapes import RealShape, real_shapes
from strategies.signatures import (
    DEFERRED_ANNOTATIONS,
    MODULE_DEFAULT_PLACES,
    PARAMETER_KINDS,
    PLAIN,
    Signature,
    parameter_kinds,
    signatures,
)
from strategies.universe import Universe, package_universes, universes
from strategies.ways.fragments import Rendered, prefixes

#: The origin every case had before origins were drawn.
DYNAMIC = Origin("dynamic-module")
#: Kinds whose pickled object is the function itself (or a lambda in a dict), so it can be rebuilt
#: with ``types.FunctionType``; the others reach it through a class or a partial.
REBUILDABLE_KINDS = frozenset({"plain", "async", "generator", "decorated", "lambda-in-container", "async-generator"})
#: Kinds whose function is called with nothing the case could bind (a property's getter).
UNBOUND_KINDS = frozenset({"property"})
#: Kinds whose body reaches the function itself by its name ``f`` (to read its own annotations): the
#: rebuildable ones, whose pickled object is that function.
SELF_NAMED_KINDS = REBUILDABLE_KINDS
#: Origins whose module runs its imports as written before the pickle touches anything (lazy imports stay lazy).
LAZY_ORIGINS = frozenset({"dynamic-module", "main", "registered"})

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


#: The function kind a real shape is written as, by how the real function was reached.
_REAL_KINDS = {"method": "method", "staticmethod": "staticmethod", "classmethod": "classmethod"}
#: A real shape's parameter kinds, as :data:`strategies.signatures.PARAMETER_KINDS` names them.
_REAL_PARAMETER_KINDS = {"posonly": "positional-only", "positional": "positional", "kwonly": "keyword-only"}
_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def real_kind(real: RealShape) -> str:
    """The function kind (:data:`strategies.function_kinds.FUNCTION_KINDS`) that reaches a real shape as it was."""
    if real.binding in ("property", "cached_property"):
        return "property"
    if real.binding in _REAL_KINDS:
        return _REAL_KINDS[real.binding]
    if real.is_async:
        return "async-generator" if real.is_generator else "async"
    return "generator" if real.is_generator else "plain"


def real_parameter_kinds(real: RealShape) -> list[str]:
    """The parameter kinds a real shape's signature has."""
    found = set()
    for param in real.params:
        if param.kind in _REAL_PARAMETER_KINDS:
            found.add(_REAL_PARAMETER_KINDS[param.kind] + ("-default" if param.default else ""))
        else:
            found.add(param.kind)
    return sorted(found, key=PARAMETER_KINDS.index)


def _real_fits(real: RealShape, ours: list[str]) -> bool:
    """Whether the real body leaves the names of the generated lines ``ours`` alone.

    Every name a function binds anywhere is local all through it, and a
    ``global`` statement makes a name global all through it: a real body that
    binds ``alpha`` (a package the accesses read) or declares ``v0`` global
    would change what the generated lines do, and the ground truth with it.
    """
    taken = {*real.local_names, *real.global_names, *(p.name for p in real.params)}
    return not _names_in(ours) & taken


def _names_in(lines: list[str]) -> set[str]:
    """The bare names ``lines`` read or bind (attribute names are no names: ``x.VALUE`` reads ``x``)."""
    try:
        tree = ast.parse("async def _():\n" + "\n".join("    " + line for line in lines))
    except SyntaxError:  # (a line that is no statement: the defaults, the package names; take every word)
        return {name for line in lines for name in _IDENTIFIER.findall(line)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


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
    pad: Size,
    noise_pairs: list[tuple[str, str]],
    reuse_factory: bool,
    layout: Layout = NO_EXTRAS,
    hazard: str = "none",
    hazard_child: str = "",
    signature: Signature = PLAIN,
    origin: Origin = DYNAMIC,
    real: RealShape | None = None,
    lazy: LazyImport = EAGER,
) -> Case:
    """Write the module source for ``items`` and compute its ground truth.

    With ``real``, the function takes that real function's shape (signature,
    decorators, docstring, how it is reached, its real body in a branch that
    never runs) instead of ``kind`` and ``signature``, unless the real body
    binds a name the accesses read (:func:`_real_fits`).
    """
    if lazy.form != "none" and (origin.name not in LAZY_ORIGINS or hazard != "none"):
        lazy = EAGER  # the module would use the lazy name before the pickle (a hazard's step, an exec'd scope)
    if lazy.form in FROM_FORMS and real is not None:
        lazy = EAGER  # the real body's names are its own: the function's line reading the lazy name stays out
    # The lazy form applies to the first access that reaches a submodule (a package alone has none to defer).
    lazy_target = lazy_form_target(lazy, universe, [a.target for a in items])
    universe = init_universe(lazy, universe, lazy_target, [a.target for a in items])
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

    prelude = sorted((line for r in rendered for line in r.prelude), key=lambda s: not s.startswith(("import", "from")))
    cells_before, cells_after = layout.cells()
    extra_cells = cells_before + cells_after
    body = prelude + ([f"cells = ({', '.join(extra_cells)},)"] if extra_cells else [])
    body += pad.lines() + noise_lines(noise_pairs) + [line for r in rendered for line in r.body]
    defaults_before, defaults_after = layout.defaults()
    module_params = [p for r in rendered for p in r.params]
    defaults = defaults_before + module_params + defaults_after
    if real is not None and not _real_fits(
        real, [*body, *(d.replace("=", " = ", 1) for d in defaults), *universe.tops()]
    ):
        real = None
    kind = real_kind(real) if real is not None else kind
    shape = FUNCTION_KINDS[kind]
    if kind not in REBUILDABLE_KINDS and origin.name in REBUILDING:
        origin = DYNAMIC
    if kind in UNBOUND_KINDS:
        # A property's getter is called with the instance only: nothing else can be bound.
        signature = dataclasses.replace(signature, positional_only=(), positional=(), keyword_only=(), varargs=False)
    if real is not None:
        signature = dataclasses.replace(PLAIN, module_defaults="keyword-only")
    if signature.reads != "none" and kind not in SELF_NAMED_KINDS:
        signature = dataclasses.replace(signature, reads="none")
    if signature.annotation == "submodule" and not (
        items[0].preimported and not universe.stdlib and universe.by_name[items[0].target].kind != "namespace"
    ):
        signature = dataclasses.replace(signature, annotation="module")

    module_cells = [pair for r in rendered for pair in r.factory]
    pad_cells = pad.cells()  # sorted between the layout's cells before and the module cells
    factory = [(name, str(k)) for k, name in enumerate(cells_before)] + pad_cells + module_cells
    factory += [(name, str(k)) for k, name in enumerate(cells_after)]
    tops = universe.tops()
    # A factory called before with other modules: another function object, other cells.
    earlier = [tops[(tops.index(arg) + 1) % len(tops)] if arg in tops else arg for _, arg in factory]
    earlier = earlier if reuse_factory and module_cells else []
    hazard_setup, steps = _hazard_lines(universe, items, hazard, hazard_child)
    setup = [line for r in rendered for line in r.setup] + pad.setup() + noise_setup(noise_pairs)
    setup += list(shape.imports) + origin.setup()
    if real is not None:
        setup += [*real.imports, *real.call_imports]
    lines = _imports_first(setup + [f"import {arg}" for arg in earlier if arg in tops] + hazard_setup)
    identify = "__name__" if universe.stdlib or universe.by_name[lazy_target].kind == "namespace" else "VALUE"
    module_level = " ".join([*(arg for _, arg in factory), *earlier])
    reached = tuple(a.target for a in items)
    lazily = apply_lazy(lazy, universe, lazy_target, lines, identify, module_level, "\n".join(body + defaults))
    lazily = with_spare_line(lazily, lazy, universe, lazy_target, reached)
    lines, steps = lazily.lines, steps + lazily.steps
    body[:0] = lazily.body + signature.read_lines("f")
    needed -= lazily.imported_by_unpickling
    lines = signature.module_lines() + origin.opening() + lines
    if kind == "decorated":
        lines += ["", "", *_DECORATOR]
    first = [shape.first_param] if shape.first_param else []
    top = items[0].parts[0]
    noted = f"{items[0].target}.VALUE" if signature.annotation == "submodule" else top
    params, bound = signature.render(first, defaults, noted)
    values = "(" + ", ".join(f"v{i}" for i in range(len(items))) + ("," if len(items) == 1 else "") + ")"
    generic = signature.type_parameters()
    if real is not None:
        function = real.render("f", body, values, in_class=shape.in_class, extra_params=defaults)
        bound = []
    else:
        body.append(f"yield {values}" if shape.is_generator else f"return {values}")
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
    tags.append(tag(CELL_AT, position(len(module_cells), len(cells_before) + len(pad_cells), len(cells_after))))
    module_defaults = sum(1 for r in rendered for _ in r.params)
    tags.append(tag(DEFAULT_AT, position(module_defaults, layout.defaults_before, layout.defaults_after)))
    if real is not None:
        tags += [tag(SHAPE, "real"), tag(REAL, real.origin), *(tag(PARAM, k) for k in real_parameter_kinds(real))]
        annotated = bool(real.returns) or any(p.annotation for p in real.params)
        tags.append(tag(ANNOTATION, "string" if annotated else "none"))
    else:
        tags += [tag(SHAPE, "generated"), *(tag(PARAM, k) for k in parameter_kinds(params))]
        tags.append(tag(ANNOTATION, signature.annotation))
    if module_params:
        tags.append(tag(MODULE_DEFAULT, signature.module_defaults))
    tags.append(tag(ORIGIN, origin.name))
    if HAS_LAZY_IMPORTS:
        tags.append(tag(LAZY, lazily.form))
        if lazily.form != "none":
            tags.append(tag(FIRST_USE, lazy.first_use))
    if DEFERRED_ANNOTATIONS and real is None:
        tags.append(tag(ANNOTATION_READ, signature.reads))
    if generic:
        tags.append(tag(GENERIC, "type-params"))
    tags += pad.tags()
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
    if real is None:
        entry = origin.entry(shape.entry.format(obj=made))
    elif shape.in_class:
        entry = real.class_call(made, "f")
    else:
        entry = real.bound_call(origin.entry(made))
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


def cases_for(inputs: str) -> st.SearchStrategy[Case]:
    """The case strategy of an :data:`INPUTS` value: what a campaign draws and its shrinker replays."""
    if inputs not in INPUTS:
        raise ValueError(f"inputs must be one of {', '.join(INPUTS)}, not {inputs!r}")
    return cases(real_only=inputs == "real-code")


@st.composite
def cases(
    draw: st.DrawFn, universe_strategy: st.SearchStrategy[Universe] | None = None, real_only: bool = False
) -> Case:
    """A generated function, its package universe, the parent's ``sys.modules`` state, and its ground truth.

    ``real_only``: every case takes a real function's shape; one whose real body would bind a name the
    accesses read is rejected, so Hypothesis draws another.
    """
    # Drawn first, and only where the syntax exists (older Pythons draw what they always drew): a lazy
    # form asks for what it can apply to, generated packages, no hazard, an origin that runs the imports.
    lazy = draw(_LAZY) if HAS_LAZY_IMPORTS else EAGER
    deferring = lazy.form != "none"
    universes_drawn = _PACKAGE_UNIVERSES if deferring else _UNIVERSES
    universe = draw(universe_strategy if universe_strategy is not None else universes_drawn)
    if not universe.targets() or (deferring and not any("." in t for t in universe.targets())):
        universe = draw(universes_drawn)  # once more: one with modules (with submodules, for a lazy form)
    items = draw(st.lists(accesses(universe), min_size=1, max_size=3))
    if deferring and not any("." in a.target for a in items) and any("." in t for t in universe.targets()):
        items.append(draw(accesses(universe, dotted=True)))
    kind = draw(_KINDS)
    pad = draw(_PADDING)
    noise_pairs = draw(_noise(universe.child_names()))
    reuse = draw(_BOOLEANS)
    layout = draw(layouts(any(a.way in ("closure", "default-arg") for a in items)))
    hazard = "none" if deferring else draw(_HAZARDS)
    child = draw(_one_of_names(universe.child_names())) if hazard != "none" else ""
    real = draw(real_shapes() if real_only else _REAL_SHAPES) if lazy.form not in FROM_FORMS else None
    signature = draw(_SIGNATURES)
    if any(a.way == "default-arg" for a in items):
        # Where the module-valued defaults sit matters only when there are some: drawn for those alone.
        signature = dataclasses.replace(signature, module_defaults=draw(_MODULE_DEFAULT_PLACES))
    origin = draw(_LAZY_ORIGINS if deferring else _ORIGINS)
    case = build_case(
        universe, items, kind, pad, noise_pairs, reuse, layout, hazard, child, signature, origin, real, lazy
    )
    if real_only and tag(SHAPE, "real") not in case.tags:
        reject()
    for dimension in (NAMES, FN, HAZARD, CELLS, CELL_AT, PARAM, ANNOTATION, ORIGIN, SHAPE, LAZY, ANNOTATION_READ):
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
#: A real function's shape for one draw in four (about one case in six: Hypothesis favours the first
#: branches), none first: what shrinking goes back to.
_REAL_SHAPES = st.one_of(st.none(), st.none(), st.none(), real_shapes())
_MODULE_DEFAULT_PLACES = st.sampled_from(MODULE_DEFAULT_PLACES)
_ORIGINS = origins()
_LAZY_ORIGINS = st.sampled_from(tuple(Origin(name) for name in ORIGINS if name in LAZY_ORIGINS))
_PACKAGE_UNIVERSES = package_universes()
_LAZY = lazy_imports()
#: Per name pool.
_one_of_names = functools.cache(st.sampled_from)
_noise = functools.cache(noise)
