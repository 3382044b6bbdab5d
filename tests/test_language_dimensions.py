"""Dimensions read from the language: signatures, annotations, type parameters, where the function comes from.

Each has ground truth like the others (the generated function still runs at
home and needs what the accesses need), its own planted bug, which a
hand-written case and the generated cases of its dimension both expose, and
harmless variations that are never blamed.
"""

from __future__ import annotations

import functools
import sys
import types

import pytest

from fuzz.detectors.planted import LANGUAGE_BUGGY
from fuzz.model.case import Case, materialise
from fuzz.oracle.judge import run_case
from strategies.origins import ORIGINS
from strategies.signatures import HAS_TYPE_PARAMS, PARAMETER_KINDS, Signature, parameter_kinds
from tests.generated_pool import assert_a_generated_case_exposes, seeded_pool

UNIVERSE = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\n"))
BODY = "    return pkg.sub.VALUE\n"


def _case(source: str, entry: str = "f", **kw) -> Case:
    return Case(UNIVERSE, "import pkg.sub\n" + source, entry=entry, needed=("pkg.sub",), name="language", **kw)


_EXEC = "SCOPE = {'pkg': pkg}\nexec(" + repr("def f():\n" + BODY) + ", SCOPE)\nf = SCOPE['f']\n"
_COPY = (
    "import types\ndef f():\n" + BODY + "def rebuilt(fn):\n"
    "    return types.FunctionType(fn.__code__, dict(fn.__globals__), 'rebuilt', fn.__defaults__, fn.__closure__)\n"
)
#: One hand-written case per language bug, and the verdict it must get.
EXPOSING: dict[str, tuple[Case, str]] = {
    "buggy_kwonly_defaults": (_case("def f(*, k=0):\n" + BODY), "crash"),
    "buggy_annotated": (_case("def f() -> int:\n" + BODY), "regression"),
    "buggy_positional_only": (_case("def f(a=0, /):\n" + BODY), "crash"),
    "buggy_star_args": (_case("def f(*args, **kwargs):\n" + BODY), "regression"),
    "buggy_async_generators": (_case("async def f():\n    yield pkg.sub.VALUE\n"), "crash"),
    "buggy_main_module": (Case(UNIVERSE, "__name__ = '__main__'\nimport pkg.sub\ndef f():\n" + BODY,
                               needed=("pkg.sub",)), "regression"),
    "buggy_imported_module": (_case("def f():\n" + BODY, module_registered=True), "regression"),
    "buggy_builtins_module": (_case(_EXEC), "crash"),
    "buggy_renamed_copy": (_case(_COPY, entry="rebuilt(f)"), "regression"),
    "buggy_documented": (_case("def f():\n    'Return the value.'\n" + BODY), "regression"),
}  # fmt: skip
if HAS_TYPE_PARAMS:
    EXPOSING["buggy_generic"] = (_case("def f[T]():\n" + BODY), "regression")
#: Variations that must never be blamed, on every exposing case.
EQUIVALENT = ("equivalent_defaults_too", "equivalent_on_a_copy")


def test_every_language_bug_has_an_exposing_case():
    expected = set(LANGUAGE_BUGGY) - (set() if HAS_TYPE_PARAMS else {"buggy_generic"})
    assert set(EXPOSING) == expected


@pytest.mark.parametrize("detector", sorted(EXPOSING))
def test_language_bug_is_caught_on_its_case(detector, side_factory, fork_isolation):
    case, expected = EXPOSING[detector]
    baseline, candidate = side_factory("legacy"), side_factory(f"detector:fuzz.detectors.planted:{detector}")
    assert run_case(case, baseline, side_factory("legacy"), fork_isolation).kind == "match"
    verdict = run_case(case, baseline, candidate, fork_isolation)
    assert verdict.kind == expected, verdict


@pytest.mark.parametrize("detector", EQUIVALENT)
@pytest.mark.parametrize("name", sorted(EXPOSING))
def test_equivalent_variation_is_never_blamed(detector, name, side_factory, fork_isolation):
    case, _ = EXPOSING[name]
    candidate = side_factory(f"detector:fuzz.detectors.planted:{detector}")
    verdict = run_case(case, side_factory("legacy"), candidate, fork_isolation)
    assert not verdict.failing, verdict


@pytest.mark.parametrize("detector", sorted(set(LANGUAGE_BUGGY) & set(EXPOSING)))
@pytest.mark.slow
def test_the_generator_exposes_each_language_bug(detector, side_factory, fork_isolation):
    """Generated cases of the bug's dimension, among the first 1,000 of a seeded run, expose it."""
    assert_a_generated_case_exposes(detector, set(LANGUAGE_BUGGY[detector]), side_factory, fork_isolation)


def _first(tag: str) -> Case:
    """The first generated case with ``tag`` whose pickled object is a plain function (or a partial of one)."""
    return next(case for case in seeded_pool() if tag in case.tags and "fn:plain" in case.tags)


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.slow
def test_each_origin_makes_the_function_it_says(origin):
    case = _first(f"origin:{origin}")
    with materialise(case) as mat:
        func = mat.func
        while isinstance(func, functools.partial):
            func = func.func
        func = getattr(func, "__func__", func)
        module = sys.modules.get(func.__module__) if isinstance(func.__module__, str) else None
        if origin == "main":
            assert func.__module__ == "__main__"
        elif origin == "registered":
            assert isinstance(module, types.ModuleType) and vars(module) is func.__globals__
        elif origin == "function-type":
            assert func.__name__ == "rebuilt" and func.__globals__ is not mat.namespace
        elif origin == "exec-globals":
            assert func.__module__ == "<generated>" and isinstance(func.__globals__["__builtins__"], dict)
        else:
            assert module is None and func.__globals__ is mat.namespace
        name = mat.module_name
    assert name not in sys.modules, "a registered case module outlived its case"


def test_a_registered_module_is_pickled_by_value_by_every_side(side_factory, fork_isolation):
    case, _ = EXPOSING["buggy_imported_module"]
    for spec in ("legacy", "installed", "proposed"):
        verdict = run_case(case, side_factory("legacy"), side_factory(spec), fork_isolation)
        assert verdict.kind == "match", verdict
        assert verdict.candidate.submodules == ("pkg.sub",)


def test_signatures_render_every_parameter_kind_and_bind_what_they_require():
    # A positional-only default makes every later positional parameter take one too (the grammar's rule).
    signatures = (
        Signature((False, True), (False,), (False, True), varargs=True, varkw=True),
        Signature((), (False, True), (), annotation="string"),
    )
    kinds: set[str] = set()
    namespace: dict = {"pkg": types}
    for signature in signatures:
        params, bound = signature.render(["self"], ["dflt0=pkg"], "pkg")
        kinds |= set(parameter_kinds(params))
        exec(f"def f({', '.join(params)}):\n    return 'called'\n", namespace)
        assert eval(f"f(None, {', '.join(bound)})", namespace) == "called"
    assert sorted(kinds, key=PARAMETER_KINDS.index) == list(PARAMETER_KINDS)
    # Module defaults where they are drawn: __defaults__ or __kwdefaults__.
    for place, attribute in (("positional", "__defaults__"), ("keyword-only", "__kwdefaults__")):
        params, _ = Signature(module_defaults=place).render([], ["dflt0=pkg"], "pkg")
        exec(f"def g({', '.join(params)}):\n    pass\n", namespace)
        held = getattr(namespace["g"], attribute)
        assert types in (held.values() if isinstance(held, dict) else held)
