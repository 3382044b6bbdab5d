"""Real functions' shapes: harvested from source without importing it, and callable as the fuzzer calls them.

The pool is the one the fuzzer draws from (loaded from ``.fuzz/cache/``, or harvested once into it),
so these tests check the very functions a seed can reach: every one renders, compiles, and returns our
result without running its real body, in a module and in a class.
"""

from __future__ import annotations
import __future__

import ast
import dis
import json
import sys
import textwrap
import types
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from hypothesis import HealthCheck, find, given, settings

from fuzz.isolation.remote.child_runtime import drive
from strategies import real_shapes
from strategies.real_shapes import FEATURES, PARAM_KINDS, PER_MODULE, RealShape, harvest, pool, shape_features

#: What the rendered body returns; anything else means our lines did not run, or the real body did.
RESULT = "('ours',)"
OURS = ["v0 = 'ours'"]
FILENAME = "<real-shape>"


def _module_lines(shape: RealShape, in_class: bool, **render: Any) -> list[str]:
    lines = ["import functools", *shape.imports]
    function = shape.render("f", OURS, "(v0,)", in_class=in_class, **render)
    return lines + (["class C:", *("    " + line for line in function)] if in_class else function)


def _compile(lines: list[str], flags: int = 0) -> types.CodeType:
    """Compiled as a fresh module is: without this file's ``from __future__ import annotations``."""
    return compile("\n".join(lines) + "\n", FILENAME, "exec", flags=flags, dont_inherit=True)


def _define(shape: RealShape, in_class: bool, flags: int = 0, **render: Any) -> tuple[dict, list[str]]:
    lines = _module_lines(shape, in_class, **render)
    namespace: dict = {"__name__": "real_shape_case"}
    exec(_compile(lines, flags), namespace)
    return namespace, lines


def _entry(shape: RealShape, in_class: bool) -> str:
    return shape.class_call("C", "f") if in_class else shape.bound_call("f")


def _expected(shape: RealShape) -> object:
    return [("ours",)] if shape.is_generator else ("ours",)


def _call(
    shape: RealShape, in_class: bool, flags: int = 0, pickled: bool = False, **render: Any
) -> tuple[object, list[str]]:
    """Define the shape's function, reach it as the fuzzer would, call and drive it (after a pickle round trip)."""
    namespace, lines = _define(shape, in_class, flags, **render)
    entry = eval(_entry(shape, in_class), namespace)
    if pickled:
        entry = cloudpickle.loads(cloudpickle.dumps(entry))
    return drive(entry()), lines


def _function_code(shape: RealShape, in_class: bool) -> types.CodeType:
    module = _compile(_module_lines(shape, in_class))
    pending = [module]
    while pending:
        code = pending.pop(0)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == "f":
                    return const
                pending.append(const)
    raise AssertionError("no f")


def _in_class(shape: RealShape) -> bool:
    """Whether the real function was compiled in a class (its facts were), to compare like with like."""
    return bool(shape.first_param) or shape.binding != "function"


@pytest.fixture(scope="module")
def shapes() -> tuple[RealShape, ...]:
    return pool()


def test_thousands_of_shapes_from_the_standard_library_and_installed_packages(shapes):
    count, modules = real_shapes.harvest_count()
    assert count == len(shapes) >= 3000
    assert modules >= 500
    tops = Counter(s.module.partition(".")[0] for s in shapes)
    # The standard library and the packages this project installs.
    for top in ("json", "asyncio", "email", "hypothesis", "_pytest", "pluggy", "cloudpickle"):
        assert tops[top], top
    assert real_shapes.harvest_stats().summary() == f"{count:,} real functions from {modules:,} modules"
    # No module dominates the draw.
    assert max(Counter(s.module for s in shapes).values()) <= PER_MODULE


@pytest.mark.slow
def test_every_shape_renders_compiles_pickles_and_returns_our_result_in_a_module_and_in_a_class(shapes):
    for shape in shapes:
        for in_class in (False, True):
            try:
                value, _ = _call(shape, in_class, pickled=True)
            except BaseException as exc:  # noqa: BLE001  (the shape is named in the failure)
                pytest.fail(f"{shape.origin} (in_class={in_class}): {type(exc).__name__}: {exc}")
            assert value == _expected(shape), shape.origin


def test_the_rendered_function_keeps_the_real_body_s_code(shapes):
    """Our lines add ``v0`` and the guard's ``__name__``, nothing else: the real body's tables stay as they were."""
    extended_kept = extended = 0
    for shape in shapes:
        code = _function_code(shape, _in_class(shape))
        facts = shape.facts
        assert len(code.co_names) - facts.names in (0, 1), shape.origin
        assert len(code.co_varnames) - facts.varnames in (0, 1), shape.origin
        assert len(code.co_cellvars) == facts.cellvars, shape.origin
        nested = [c for c in code.co_consts if isinstance(c, types.CodeType)]
        assert sum(1 for _ in _walk_code(nested)) == facts.nested_code, shape.origin
        flags = code.co_flags & (0x20 | 0x80 | 0x200)
        assert bool(flags & (0x20 | 0x200)) == shape.is_generator, shape.origin
        assert bool(flags & 0x80) == (shape.is_async and not shape.is_async_generator), shape.origin
        if facts.extended_arg:
            extended += 1
            extended_kept += any(i.opname == "EXTENDED_ARG" for i in dis.get_instructions(code))
    # Jumps over the real body stay as long as the body: EXTENDED_ARG stays where the real one had it.
    assert extended and extended_kept >= 0.9 * extended


def _walk_code(codes: list[types.CodeType]) -> Iterator[types.CodeType]:
    pending = list(codes)
    while pending:
        code = pending.pop()
        yield code
        pending += [c for c in code.co_consts if isinstance(c, types.CodeType)]


def _dead_lines(lines: list[str]) -> range:
    """1-based line numbers of the dead branch's body in the module ``lines``."""
    guard = next(k for k, line in enumerate(lines) if line.strip() == real_shapes.DEAD_GUARD)
    tail = max(k for k, line in enumerate(lines) if line.strip().startswith(("return (v0,)", "yield (v0,)")))
    return range(guard + 2, tail + 1)


def _run_traced(entry: Callable[[], object]) -> tuple[object, set[int]]:
    """Call and drive ``entry``; the lines of our module that ran."""
    ran: set[int] = set()

    def trace(frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        # cloudpickle renames a pickled function's file (so the pickle does not depend on where it was made).
        if frame.f_code.co_filename in (FILENAME, "<dynamic-code>"):
            ran.add(frame.f_lineno)
            return trace
        return None

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        value = drive(entry())
    finally:
        sys.settrace(previous)
    return value, ran


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(real_shapes.real_shapes())
def test_a_drawn_shape_runs_our_lines_and_never_its_real_body(shape):
    # The fuzzer compiles a case's module inheriting ``from __future__ import annotations`` (fuzz/model/case.py).
    for in_class, flags in ((False, 0), (True, 0), (False, __future__.annotations.compiler_flag)):
        namespace, lines = _define(shape, in_class, flags)
        entry = eval(_entry(shape, in_class), namespace)
        value, ran = _run_traced(entry)
        assert (value, ran) == _run_traced(cloudpickle.loads(cloudpickle.dumps(entry)))
        assert value == _expected(shape)
        assert ran, "our lines ran"
        assert not ran & set(_dead_lines(lines)), (shape.origin, sorted(ran & set(_dead_lines(lines))))


@settings(max_examples=100, deadline=None)
@given(real_shapes.real_shapes())
def test_a_shape_takes_extra_keyword_parameters_and_drops_annotations_on_request(shape):
    value, lines = _call(shape, False, annotations=False, extra_params=["zz_mod=None", "zz_other=1"])
    assert value == _expected(shape)
    header = next(line for line in lines if line.lstrip().startswith(("def f(", "async def f(")))
    assert "zz_mod=None" in header
    # Read, not searched: a default such as 'Password: ' holds ": '" too.
    definition = ast.parse(header.strip().removeprefix("async ") + "\n    pass\n").body[0]
    assert isinstance(definition, ast.FunctionDef) and definition.returns is None
    arguments = definition.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    assert all(arg.annotation is None for arg in every if arg is not None)


def test_the_pool_holds_every_parameter_kind(shapes):
    kinds = {p.kind for s in shapes for p in s.params}
    assert kinds == set(PARAM_KINDS)
    signatures = [s.signature() for s in shapes]
    assert any(", /" in sig or sig.endswith("/") for sig in signatures)
    # A bare ``*`` (keyword-only parameters without ``*args``).
    assert any(sig.startswith("*,") or ", *," in sig for sig in signatures)
    assert any(s.bound_keywords for s in shapes) and any(s.bound_positional for s in shapes)
    assert {s.binding for s in shapes} == set(real_shapes.BINDINGS)


def test_shape_features_name_known_features_and_the_pool_reaches_most(shapes):
    reached = Counter(f for s in shapes for f in shape_features(s))
    assert set(reached) <= set(FEATURES)
    for feature in ("posonly", "kwonly", "kwonly-default", "varargs", "varkw", "decorator", "docstring"):
        assert reached[feature], feature
    for feature in ("nested-def", "lambda", "comprehension", "class", "async", "generator", "try", "with"):
        assert reached[feature], feature
    assert reached["extended-arg"]


FIND = settings(database=None, max_examples=2000, derandomize=True)


def test_the_pool_is_ordered_small_first_and_shrinks_to_its_first_shape(shapes):
    keys = [real_shapes._sort_key(s) for s in shapes]
    assert keys == sorted(keys)
    assert shapes[0].facts.instructions <= 5
    assert find(real_shapes.real_shapes(), lambda s: True, settings=FIND) == shapes[0]


@pytest.mark.parametrize("wanted", [("kwonly",), ("classmethod",), ("generator",), ("varargs", "varkw")])
def test_a_finding_that_needs_a_kind_of_function_shrinks_to_the_smallest_of_its_class(shapes, wanted):
    found = find(real_shapes.real_shapes(), lambda s: set(wanted) <= set(s.features), settings=FIND)
    same_class = [s for s in shapes if real_shapes.shape_class(s) == real_shapes.shape_class(found)]
    assert found == same_class[0]


def test_every_shape_is_as_likely_as_any_other(shapes):
    """The first index spans the pool, each class as many values as it has shapes; the second picks in the class."""
    loaded = real_shapes._pool()
    sizes = [len(group) for group in loaded.classes]
    assert [b - a for a, b in zip(loaded.starts, [*loaded.starts[1:], len(shapes)])] == sizes
    assert sorted(i for group in loaded.classes for i in group) == list(range(len(shapes)))
    for group in loaded.classes:
        assert len({real_shapes.shape_class(shapes[i]) for i in group}) == 1
        assert list(group) == sorted(group)


@pytest.mark.slow
def test_the_harvest_is_deterministic_and_survives_its_cache(shapes):
    files = real_shapes.source_files()
    assert files == real_shapes.source_files() and len(files) > 1000
    sample = files[::40]
    first, drops = harvest(sample)
    assert first and (first, drops) == harvest(sample)
    assert real_shapes.cache_key() == real_shapes.cache_key()
    for shape in shapes:
        assert real_shapes._decode(json.loads(json.dumps(real_shapes._encode(shape)))) == shape


def test_the_cache_is_written_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("FUZZ_CACHE_DIR", str(tmp_path))
    files = real_shapes.source_files()[::200]
    monkeypatch.setattr(real_shapes, "source_files", lambda: files)
    built = real_shapes._load()
    assert not built.stats.from_cache and real_shapes.cache_path().exists()
    again = real_shapes._load()
    assert again.stats.from_cache and again.stats.files == len(files) and again.rows == built.rows
    assert (again.classes, again.starts) == (built.classes, built.starts)
    # The rows are the harvest's shapes, in its order.
    assert tuple(real_shapes._decode(json.loads(row)) for row in again.rows) == harvest(files)[0]
    # A file this code did not write is harvested again, not misread.
    real_shapes.cache_path().write_bytes(b'{"format": 0}\n')
    assert not real_shapes._load().stats.from_cache


SAMPLE = '''
import abc as _abc
import functools
import typing
from contextlib import contextmanager
from functools import lru_cache as memo

SENTINEL = object()


def plain(a, b=SENTINEL, /, c=3, *args, d, e=-1.5, f=[1, 2], **kw) -> "Result":
    """Verbatim docstring.

        Indented line."""
    def inner():
        """Nested
        docstring."""
        return a
    return inner


@typing.overload
def over(x: int) -> int: ...


@contextmanager
def managed(path: os.PathLike):
    yield path


@memo(maxsize=32)
def cached(x):
    return x


@functools.wraps(plain)
def wrapped(*a):
    return a


def outer():
    count = 0
    def bump():
        nonlocal count
        count += 1
    return bump


class Thing:
    @property
    def value(self):
        return self._v

    @value.setter
    def value(self, v):
        self._v = v

    @classmethod
    @_abc.abstractmethod
    def build(cls, *, size):
        return cls()

    @staticmethod
    def helper(x, y=2):
        return x + y

    def no_self():
        return 1

    @property
    def bad(self, extra):
        return extra


async def agen(n):
    for i in range(n):
        yield i


async def coro(x):
    await x


def uses_name():
    __name__ = "x"
'''


@pytest.fixture(scope="module")
def sample(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, RealShape], dict[str, int], dict[str, RealShape]]:
    """Shapes by qualname (the first of a name: a property's getter before its setter), drops, and the last."""
    path: Path = tmp_path_factory.mktemp("real") / "sample_mod.py"
    path.write_text(SAMPLE)
    found, drops = harvest([("sample_mod", str(path))], per_module=100)
    by_line = sorted(found, key=lambda s: SAMPLE.index(s.body_lines[-1].strip()) if s.body else 0)
    first: dict[str, RealShape] = {}
    last: dict[str, RealShape] = {}
    for shape in by_line:
        first.setdefault(shape.origin.partition(":")[2], shape)
        last[shape.origin.partition(":")[2]] = shape
    return first, drops, last


def test_a_signature_keeps_every_kind_and_name_with_constant_defaults_and_string_annotations(sample):
    shape = sample[0]["plain"]
    assert shape.signature() == "a, b=None, /, c=3, *args, d, e=-1.5, f=[1, 2], **kw"
    assert [p.kind for p in shape.params] == [
        "posonly",
        "posonly",
        "positional",
        "varargs",
        "kwonly",
        "kwonly",
        "kwonly",
        "varkw",
    ]
    assert shape.returns == "Result"
    assert shape.bound_positional == ("None",) and shape.bound_keywords == (("d", "None"),)
    assert shape.bound_call("f") == "functools.partial(f, None, d=None)"
    assert shape.docstring == "Verbatim docstring.\n\n        Indented line."
    assert shape.binding == "function" and not shape.first_param
    # The nested docstring is on one line, so indenting the lines keeps its value.
    assert "    'Nested\\n        docstring.'" in shape.body_lines
    assert {"posonly", "defaults", "varargs", "kwonly", "kwonly-default", "varkw", "annotations"} <= set(shape.features)
    assert {"docstring", "nested-def", "closure"} <= set(shape.features)
    managed = sample[0]["managed"]
    assert managed.params[0].annotation == "os.PathLike"
    assert managed.render("g", [], "1")[0] == "def g(path: 'os.PathLike'):"


def test_decorators_are_kept_only_when_recreated_with_the_same_call(sample):
    shapes = sample[0]
    assert shapes["over"].dropped_decorators == ("typing.overload",) and not shapes["over"].decorators
    # A context manager's call gives a context manager, not the result: dropped, the generator kept.
    assert shapes["managed"].dropped_decorators == ("contextmanager",) and shapes["managed"].is_generator
    # cloudpickle pickles an lru_cache wrapper by reference: nothing could load it.
    assert shapes["cached"].dropped_decorators == ("memo(maxsize=32)",) and not shapes["cached"].decorators
    assert "by reference" in shapes["cached"].dropped_reasons[0]
    assert shapes["wrapped"].dropped_decorators == ("functools.wraps(plain)",)
    assert shapes["wrapped"].dropped_reasons == ("needs the real module",)
    build = shapes["Thing.build"]
    assert (build.binding, build.first_param, build.binding_decorator) == ("classmethod", "cls", "@classmethod")
    assert build.decorators == ("@abc.abstractmethod",) and build.imports == ("import abc",)
    assert build.class_call("C", "f") == "functools.partial(C.f, size=None)"
    value = shapes["Thing.value"]
    assert (value.binding, value.first_param) == ("property", "self")
    assert value.class_call("C", "f") == "functools.partial(getattr, C(), 'f')"
    setter = sample[2]["Thing.value"]
    assert (setter.binding, setter.dropped_decorators, setter.signature()) == ("method", ("value.setter",), "self, v")
    helper = shapes["Thing.helper"]
    assert (helper.binding, helper.first_param) == ("staticmethod", "")
    assert helper.class_call("C", "f") == "functools.partial(C.f, None)"
    assert shapes["Thing.no_self"].binding == "function"
    bad = shapes["Thing.bad"]
    assert (bad.binding, bad.dropped_decorators) == ("method", ("property",))
    assert bad.dropped_reasons == ("the function cannot be reached as a property",)
    assert bad.class_call("C", "f") == "functools.partial(C().f, None)"


def test_shapes_that_cannot_be_written_are_dropped_with_a_reason(sample):
    shapes, drops, _ = sample
    assert "outer.<locals>.bump" not in shapes and "uses_name" not in shapes
    assert drops["real function does not compile alone: no binding for nonlocal NAME found"] == 1
    assert drops["the real body binds __name__, which the dead branch reads"] == 1
    # A property's getter and setter share a qualname: both are kept.
    assert shapes["Thing.value"] is not sample[2]["Thing.value"]


def test_every_sample_shape_runs(sample):
    for shape in sample[0].values():
        for in_class in (False, True):
            value, _ = _call(shape, in_class)
            assert value == _expected(shape), shape.origin
    agen = sample[0]["agen"]
    assert agen.is_async_generator and agen.render("f", [], "1")[-1] == "    yield 1"
    coro = sample[0]["coro"]
    assert coro.is_async and not coro.is_generator and "await" in coro.features


def test_rendered_lines_indent_as_a_block(sample):
    """Each line is one whole line of code: indented, the function compiles to the same constants."""
    shape = sample[0]["plain"]
    flat = shape.render("f", OURS, "(v0,)")
    nested = ["if True:", "    def make():", *textwrap.indent("\n".join(flat), "        ").split("\n")]
    outer = _compile([*nested, "        return f"])
    alone = _compile(flat)

    def consts(code: types.CodeType) -> list[object]:
        # Before 3.11 a nested function's qualname is a constant, and it names where the function sits.
        return [c for c in code.co_consts if not isinstance(c, types.CodeType) and "<locals>" not in str(c)]

    def f_code(module: types.CodeType) -> types.CodeType:
        return next(c for c in _walk_code([module]) if c.co_name == "f")

    assert consts(f_code(outer)) == consts(f_code(alone))
    inner_outer = next(c for c in _walk_code([f_code(outer)]) if c.co_name == "inner")
    inner_alone = next(c for c in _walk_code([f_code(alone)]) if c.co_name == "inner")
    # 3.13 strips a docstring's common indentation when it compiles it.
    docstring = "Nested\ndocstring." if sys.version_info >= (3, 13) else "Nested\n        docstring."
    assert consts(inner_outer) == consts(inner_alone) == [docstring]


def test_extra_parameters_must_not_reuse_real_names(sample):
    with pytest.raises(ValueError, match="reuse"):
        sample[0]["plain"].render("f", [], "1", extra_params=["d=None"])
