"""Shapes of real functions, harvested from the standard library and installed packages.

Generated functions are small and regular; the functions cloudpickle meets are
not. A :class:`RealShape` is one real ``def`` or ``async def`` (module-level,
method or nested) read with :mod:`ast` from a source file, never imported: its
signature with every parameter kind and the real names, the decorators that
can be recreated without the real module, its docstring, and its real body as
normalised source lines. The integrator writes its own body lines (the package
accesses) into a function of that shape and puts the real body in a branch
that never runs (:data:`DEAD_GUARD`), so the function keeps the real body's
bytecode: its ``co_names``, constants, locals, nested code objects, size and
``EXTENDED_ARG`` positions, which is what cloudpickle's submodule detection
walks. The function is then called with nothing but what :meth:`RealShape.bound_call`
binds.

What is replaced, and why:

- defaults: a default is evaluated where the function is defined, and a real
  one names things (``_MISSING``, ``os.sep``) the new module lacks. A default
  that :func:`ast.literal_eval` accepts and that is short stays as written;
  any other becomes ``None``.
- annotations: kept as *string* annotations (the real annotation's source in
  quotes). Evaluated, they would name types the new module lacks; as strings
  they cost nothing, name nothing in the code object, and keep
  ``__annotations__`` (which cloudpickle pickles with the function) the size
  the real one was. ``render(..., annotations=False)`` drops them.
- decorators: kept only when recreated from the standard library with the same
  behaviour, when the call still returns the function's result, and when
  cloudpickle can still pickle what it makes (:data:`KEPT_DECORATORS`, and
  :data:`BINDING_DECORATORS` for ``staticmethod``, ``classmethod``,
  ``property``, and ``functools.cached_property`` from 3.12, applied only in a
  class body); every other one is dropped and recorded, with its reason, in
  :attr:`RealShape.dropped_decorators` (:data:`DROPPED_DECORATORS` names the
  notable ones). ``typing.overload`` is dropped (the overload is replaced by a
  stub that raises); ``contextlib.contextmanager`` because its call returns a
  context manager, not the result; ``functools.lru_cache`` and ``cache``
  because cloudpickle pickles their C wrapper by reference, to a module no
  fresh interpreter can import, so no case built on one could be judged.
- the docstring: kept, verbatim in value, written as a one-line ``repr`` so
  the rendered lines can be re-indented without changing it. Docstrings of
  nested functions and classes in the body are written the same way, so every
  rendered line is one whole line of code (:func:`ast.unparse` writes them on
  several lines).

A shape is dropped when its rendered function does not compile (``nonlocal``
of a name of an enclosing real scope is the usual reason) or when the real
body binds ``__name__``, which the dead branch's guard reads.

The harvest parses every source file (sorted, skipping test directories and
files that do not parse on the running Python), keeps up to
:data:`PER_MODULE` shapes per module (spread over the module's functions from
smallest to largest, so no module dominates and each module's largest function
is in), drops shapes whose rendered text repeats an earlier one, and orders
the pool from small to large, so a finding shrinks toward a small real
function. A full harvest costs seconds, more than a worker may spend before
its first case, so it is cached as JSON under ``.fuzz/cache/`` keyed by the
Python, the installed distributions and this file's own text; a worker only
loads it. A lazy, incremental harvest was rejected: the pool a seed indexes
would then depend on how many draws a process had made before, and a seed
replayed in a fresh process would draw another function.

``python -m strategies.real_shapes`` builds the cache (``--rebuild``
rebuilds it) and prints what was harvested.
"""

from __future__ import annotations
import __future__

import argparse
import ast
import bisect
import contextlib
import dataclasses
import dis
import functools
import hashlib
import inspect
import itertools
import json
import os
import re
import sys
import sysconfig
import tempfile
import time
import types
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

#: The dead branch the real body is put in. ``__name__`` is always bound (the module's own, or the
#: builtins module's), is never ``None``, and the compiler cannot fold the test away. It adds one
#: name to ``co_names``; ``len(__name__) < 0`` would add two, and real bodies bind ``len`` more often.
DEAD_GUARD = "if __name__ is None:"

#: Shapes kept per module at most, so a module with 400 functions weighs as much as one with 12.
PER_MODULE = 6

#: Files harvested at most, spread evenly over the sorted list of every source file: a cold harvest
#: costs about 7 ms a file (parsing and compiling), and the first gate on a machine pays it once before
#: its workers start; 1,000 files still give thousands of shapes from every corner of the environment.
MAX_FILES = 1000

#: Files larger than this are data (tables, generated parsers, docs), slow to parse and poor in shapes.
MAX_FILE_BYTES = 400_000

#: A real default kept as written must be a literal of at most this many characters.
MAX_DEFAULT_CHARS = 40

#: Directories never walked: tests, caches and a base interpreter's own site-packages under its stdlib.
SKIPPED_DIRECTORIES = frozenset(
    {"test", "tests", "testing", "idle_test", "__pycache__", "site-packages", "dist-packages"}
)

#: How a function defined in a class body is reached: decorator name -> (binding, decorator line, import).
BINDING_DECORATORS: dict[str, tuple[str, str, str]] = {
    "builtins.staticmethod": ("staticmethod", "@staticmethod", ""),
    "builtins.classmethod": ("classmethod", "@classmethod", ""),
    "builtins.property": ("property", "@property", ""),
}
if sys.version_info >= (3, 12):
    # Before 3.12 a cached_property holds a lock, and cloudpickle cannot pickle a class that has one.
    BINDING_DECORATORS["functools.cached_property"] = (
        "cached_property",
        "@functools.cached_property",
        "import functools",
    )

#: Decorators recreated from the standard library: name -> import. Each returns the function itself,
#: marked, so the call gives the function's result and cloudpickle pickles the function by value.
KEPT_DECORATORS: dict[str, str] = {
    "abc.abstractmethod": "import abc",
    "typing.final": "import typing",
    "typing.no_type_check": "import typing",
}

#: Decorators a reader would expect kept, and why they are not (any other is dropped because it needs
#: the real module). The shape is kept without them.
DROPPED_DECORATORS: dict[str, str] = {
    "typing.overload": "the overload is replaced by a stub that raises",
    "typing_extensions.overload": "the overload is replaced by a stub that raises",
    "contextlib.contextmanager": "its call gives a context manager, not the result",
    "contextlib.asynccontextmanager": "its call gives a context manager, not the result",
    "functools.lru_cache": "cloudpickle pickles the cache wrapper by reference, to a module no other process has",
    "functools.cache": "cloudpickle pickles the cache wrapper by reference, to a module no other process has",
    "functools.cached_property": "before 3.12 it holds a lock, which cloudpickle cannot pickle",
    "functools.singledispatch": "its dispatch cache is a weak dictionary, which cloudpickle cannot pickle",
}

#: The ways a shape's function is reached on this Python, :attr:`RealShape.binding`.
BINDINGS = ("function", "method", *(binding for binding, _, _ in BINDING_DECORATORS.values()))

#: Parameter kinds, in signature order (:attr:`Param.kind`).
PARAM_KINDS = ("posonly", "positional", "varargs", "kwonly", "varkw")

#: Every feature :func:`shape_features` can name (only on the Pythons that have them: ``match`` from 3.10,
#: ``try-star`` from 3.11, ``cached_property`` from 3.12).
FEATURES = (
    "no-params",
    "posonly",
    "defaults",
    "varargs",
    "kwonly",
    "kwonly-default",
    "varkw",
    "annotations",
    "method",
    "staticmethod",
    "classmethod",
    "property",
    "cached_property",
    "decorator",
    "decorator-dropped",
    "docstring",
    "nested",
    "async",
    "generator",
    "async-generator",
    "await",
    "yield-from",
    "empty-body",
    "nested-def",
    "lambda",
    "comprehension",
    "class",
    "closure",
    "try",
    "try-star",
    "with",
    "async-with",
    "async-for",
    "for",
    "while",
    "match",
    "walrus",
    "fstring",
    "global",
    "import",
    "raise",
    "assert",
    "del",
    "large",
    "extended-arg",
)

#: Body node types -> the feature they show (names looked up so a Python without ``Match`` just lacks it).
_NODE_FEATURES: dict[type, str] = {
    getattr(ast, name): feature
    for name, feature in (
        ("FunctionDef", "nested-def"),
        ("AsyncFunctionDef", "nested-def"),
        ("Lambda", "lambda"),
        ("ListComp", "comprehension"),
        ("SetComp", "comprehension"),
        ("DictComp", "comprehension"),
        ("GeneratorExp", "comprehension"),
        ("ClassDef", "class"),
        ("Try", "try"),
        ("TryStar", "try-star"),
        ("With", "with"),
        ("AsyncWith", "async-with"),
        ("AsyncFor", "async-for"),
        ("For", "for"),
        ("While", "while"),
        ("Match", "match"),
        ("NamedExpr", "walrus"),
        ("JoinedStr", "fstring"),
        ("Global", "global"),
        ("Import", "import"),
        ("ImportFrom", "import"),
        ("Raise", "raise"),
        ("Assert", "assert"),
        ("Delete", "del"),
        ("Await", "await"),
        ("YieldFrom", "yield-from"),
    )
    if hasattr(ast, name)
}

#: Index past which an instruction's argument no longer fits in one byte (the "large" boundary).
_ONE_BYTE = 255
_EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]
#: Inline cache entries (3.11+) are not instructions.
_CACHE = dis.opmap.get("CACHE", -1)
_CO_GENERATOR = inspect.CO_GENERATOR
_CO_ASYNC_GENERATOR = inspect.CO_ASYNC_GENERATOR
_FunctionNode = (ast.FunctionDef, ast.AsyncFunctionDef)
_Scope = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
#: Stands in for a nested docstring while the body is unparsed.
_MARKER = "real_shapes_docstring_"
#: Bumped when the cached data's layout changes (this file's hash covers the rest).
_CACHE_FORMAT = 1


@dataclass(frozen=True)
class Param:
    """One parameter as the shape writes it."""

    name: str
    #: One of :data:`PARAM_KINDS`.
    kind: str
    #: Source of the default the shape writes (a short literal of the real one, or ``None``); ``""`` when required.
    default: str = ""
    #: The real annotation's source, written as a string annotation; ``""`` when there was none.
    annotation: str = ""

    @property
    def required(self) -> bool:
        """Whether a caller must bind it (``*args`` and ``**kwargs`` never need a value)."""
        return not self.default and self.kind not in ("varargs", "varkw")

    def text(self, annotations: bool) -> str:
        star = {"varargs": "*", "varkw": "**"}.get(self.kind, "")
        note = f": {self.annotation!r}" if annotations and self.annotation else ""
        default = (" = " if note else "=") + self.default if self.default else ""
        return f"{star}{self.name}{note}{default}"


@dataclass(frozen=True)
class CodeFacts:
    """Sizes read from the real function's own code object, compiled from its source (for reports)."""

    names: int
    consts: int
    varnames: int
    cellvars: int
    freevars: int
    #: Code objects nested in it at any depth (functions, lambdas, comprehensions, classes).
    nested_code: int
    #: Instructions in its own code, not counting ``EXTENDED_ARG`` prefixes and inline caches.
    instructions: int
    extended_arg: bool


@dataclass(frozen=True)
class RealShape:
    """A real function's shape: everything needed to write a callable function of that shape."""

    #: ``module.path:qualname`` of the real function.
    origin: str
    is_async: bool
    #: A ``yield`` or ``yield from`` in the function's own scope (``async`` or not).
    is_generator: bool
    is_async_generator: bool
    params: tuple[Param, ...]
    #: The real return annotation's source (a string annotation when rendered), or ``""``.
    returns: str
    #: How the real function was reached, one of :data:`BINDINGS`; ``function`` for module-level and nested ones.
    binding: str
    #: The ``self``/``cls`` parameter's name when the real function was a method, classmethod or property.
    first_param: str
    #: Kept decorator lines (outermost first), applied wherever the function is defined.
    decorators: tuple[str, ...]
    #: The binding decorator line (``@classmethod``, ...), applied only when defined in a class; or ``""``.
    binding_decorator: str
    #: Import lines the kept and binding decorators need.
    imports: tuple[str, ...]
    #: Source of the real decorators that were not kept, and why each was not (:data:`DROPPED_DECORATORS`).
    dropped_decorators: tuple[str, ...]
    dropped_reasons: tuple[str, ...]
    #: The real docstring's value, or ``None``.
    docstring: str | None
    #: The real body minus its docstring, normalised by :func:`ast.unparse`, one whole line of code a line.
    body: str
    #: Names the real body declares ``global``: the integrator must not assign them before the dead branch.
    global_names: tuple[str, ...]
    #: The real function's locals (parameters and every name its body binds): a global the integrator reads
    #: by one of these names would be a local, unbound, at run time.
    local_names: tuple[str, ...]
    facts: CodeFacts
    #: See :func:`shape_features`.
    features: tuple[str, ...]

    @property
    def module(self) -> str:
        return self.origin.partition(":")[0]

    @property
    def body_lines(self) -> list[str]:
        return self.body.split("\n") if self.body else []

    def signature(self, annotations: bool = True, extra_params: Sequence[str] = ()) -> str:
        """The parameter list (without parentheses); ``extra_params`` (``name=default``) go in as keyword-only."""
        texts = {kind: [p.text(annotations) for p in self.params if p.kind == kind] for kind in PARAM_KINDS}
        parts = texts["posonly"] + (["/"] if texts["posonly"] else []) + texts["positional"]
        parts += texts["varargs"] or (["*"] if texts["kwonly"] or extra_params else [])
        return ", ".join(parts + texts["kwonly"] + list(extra_params) + texts["varkw"])

    def render(
        self,
        name: str,
        body_lines: Sequence[str],
        result: str,
        *,
        in_class: bool = False,
        annotations: bool = True,
        extra_params: Sequence[str] = (),
    ) -> list[str]:
        """The full ``def``: decorators, header, docstring, ``body_lines``, the dead real body, the result.

        ``in_class`` adds the binding decorator (the function is written in a class body). The result
        is yielded by a generator (``return value`` is an error in an async generator, and a generator's
        return value is not what driving it gives) and returned otherwise. Lines are unindented; each is
        one whole line of code, so they can be indented as a block.
        """
        extra_names = {p.partition("=")[0].partition(":")[0].strip() for p in extra_params}
        clash = extra_names & {p.name for p in self.params}
        if clash:
            raise ValueError(f"extra parameters {sorted(clash)} reuse the real function's parameter names")
        lines = []
        if in_class and self.binding_decorator:
            lines.append(self.binding_decorator)
        lines += self.decorators
        returns = f" -> {self.returns!r}" if annotations and self.returns else ""
        header = f"def {name}({self.signature(annotations, extra_params)}){returns}:"
        lines.append(("async " if self.is_async else "") + header)
        inner = [repr(self.docstring)] if self.docstring is not None else []
        inner += list(body_lines)
        inner.append(DEAD_GUARD)
        inner += ["    " + line for line in self.body_lines] or ["    pass"]
        inner.append(f"{'yield' if self.is_generator else 'return'} {result}")
        return lines + ["    " + line for line in inner]

    @property
    def bound_positional(self) -> tuple[str, ...]:
        """Values bound to the required positional parameters, in order (constants)."""
        return tuple("None" for p in self.params if p.required and p.kind in ("posonly", "positional"))

    @property
    def bound_keywords(self) -> tuple[tuple[str, str], ...]:
        """``(name, value)`` bound to each required keyword-only parameter."""
        return tuple((p.name, "None") for p in self.params if p.required and p.kind == "kwonly")

    def bound_call(self, expr: str, *, skip_first: bool = False) -> str:
        """An expression, callable with no arguments, for the function ``expr`` gives.

        ``skip_first``: ``expr`` is a bound method or classmethod, which binds the first parameter.
        The partial needs ``import functools`` (:attr:`call_imports`).
        """
        positional = list(self.bound_positional)
        first = next((p for p in self.params if p.kind in ("posonly", "positional")), None)
        if skip_first and positional and first is not None and first.required:
            positional.pop(0)
        keywords = [f"{key}={value}" for key, value in self.bound_keywords]
        if not positional and not keywords:
            return expr
        return f"functools.partial({', '.join([expr, *positional, *keywords])})"

    def class_call(self, class_expr: str, name: str) -> str:
        """The expression, callable with no arguments, for the function written in class ``class_expr``.

        Methods are reached on an instance, classmethods and staticmethods on the class, and a
        property's getter by ``getattr`` of an instance (which runs it).
        """
        if self.binding in ("property", "cached_property"):
            return f"functools.partial(getattr, {class_expr}(), {name!r})"
        if self.binding == "method":
            return self.bound_call(f"{class_expr}().{name}", skip_first=True)
        return self.bound_call(f"{class_expr}.{name}", skip_first=self.binding == "classmethod")

    @property
    def call_imports(self) -> tuple[str, ...]:
        """Imports :meth:`bound_call` and :meth:`class_call` may need."""
        return ("import functools",)


def shape_features(shape: RealShape) -> tuple[str, ...]:
    """The language features a shape has (values of :data:`FEATURES`), for tags and coverage."""
    return shape.features


# Harvest: files.


def _roots() -> list[str]:
    """The standard library and the installed packages' directories, each once."""
    paths = sysconfig.get_paths()
    roots: list[str] = []
    for key in ("stdlib", "purelib", "platlib"):
        root = paths.get(key)
        if root and os.path.isdir(root) and os.path.realpath(root) not in map(os.path.realpath, roots):
            roots.append(root)
    return roots


def _skipped_file(filename: str) -> bool:
    stem = filename[:-3]
    return not stem.isidentifier() or stem.startswith("test_") or stem.endswith("_test") or stem == "conftest"


def source_files() -> list[tuple[str, str]]:
    """``(module name, path)`` of every source file harvested, in sorted, deterministic order."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for root in _roots():
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRECTORIES and d.isidentifier())
            rel = os.path.relpath(directory, root)
            package = [] if rel == "." else rel.split(os.sep)
            for filename in sorted(files):
                if not filename.endswith(".py") or _skipped_file(filename):
                    continue
                path = os.path.join(directory, filename)
                real = os.path.realpath(path)
                if real in seen:
                    continue
                seen.add(real)
                parts = package if filename == "__init__.py" else [*package, filename[:-3]]
                if parts:
                    found.append((".".join(parts), path))
    return found


# Harvest: one file.


class _Drop(Exception):
    """A function whose shape is not kept; the message is the reason counted in the stats."""


def _import_map(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound by imports -> the dotted name they stand for (so ``@cache`` is known)."""
    names: dict[str, str] = {}
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, (ast.If, ast.Try)):
            pending += node.body + node.orelse + getattr(node, "finalbody", [])
            pending += [stmt for handler in getattr(node, "handlers", []) for stmt in handler.body]
    return names


def _dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def _resolve(name: str, imports: dict[str, str]) -> str:
    """The dotted name ``name`` stands for in the module: through its imports, else a builtin's."""
    if not name:
        return ""
    head, dot, rest = name.partition(".")
    if head in imports:
        return imports[head] + dot + rest
    return "builtins." + name if not dot else name


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


@dataclass
class _Decorators:
    """The real decorators sorted into the binding one (in a class), the kept ones, and the dropped ones."""

    binding: str = ""
    kept: list[str] = dataclasses.field(default_factory=list)
    imports: list[str] = dataclasses.field(default_factory=list)
    dropped: list[str] = dataclasses.field(default_factory=list)
    #: Why each was dropped (counted in the harvest's statistics).
    reasons: list[str] = dataclasses.field(default_factory=list)

    def drop(self, source: str, reason: str) -> None:
        self.dropped.append(source)
        self.reasons.append(reason)


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool, imports: dict[str, str]) -> _Decorators:
    """Sort the real decorators; a binding decorator counts only outermost among the kept ones, and once."""
    out = _Decorators()
    for expr in node.decorator_list:
        source = ast.unparse(expr)
        name = _resolve(_dotted(expr), imports)
        if name in BINDING_DECORATORS and in_class and not out.binding and not out.kept:
            out.binding = name
        elif name in KEPT_DECORATORS:
            out.kept.append("@" + name)
            out.imports.append(KEPT_DECORATORS[name])
        elif name in BINDING_DECORATORS:
            out.drop(source, "binds only outermost in a class body" if in_class else "binds only in a class body")
        else:
            called = _resolve(_dotted(expr.func), imports) if isinstance(expr, ast.Call) else ""
            out.drop(source, DROPPED_DECORATORS.get(name or called, "needs the real module"))
    return out


def _default(node: ast.expr) -> str:
    if _literal(node):
        text = ast.unparse(node)
        if len(text) <= MAX_DEFAULT_CHARS:
            return text
    return "None"


def _annotation(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)


def _params(args: ast.arguments) -> tuple[Param, ...]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = []
    for k, (arg, default) in enumerate(zip(positional, defaults)):
        kind = "posonly" if k < len(args.posonlyargs) else "positional"
        out.append(Param(arg.arg, kind, _default(default) if default else "", _annotation(arg.annotation)))
    if args.vararg:
        out.append(Param(args.vararg.arg, "varargs", "", _annotation(args.vararg.annotation)))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        out.append(Param(arg.arg, "kwonly", _default(kw_default) if kw_default else "", _annotation(arg.annotation)))
    if args.kwarg:
        out.append(Param(args.kwarg.arg, "varkw", "", _annotation(args.kwarg.annotation)))
    return tuple(out)


def _docstring_node(body: list[ast.stmt]) -> tuple[ast.Constant, str] | None:
    """The docstring's node and value, if the body opens with one."""
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.value, first.value.value
    return None


def _stringify(node: ast.AST, field: str, undo: list[tuple[ast.AST, str, object]]) -> None:
    value = getattr(node, field, None)
    if isinstance(value, ast.expr) and not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        undo.append((node, field, value))
        setattr(node, field, ast.Constant(ast.unparse(value)))


def _unparse_body(body: list[ast.stmt], nodes: Iterable[ast.AST], future_annotations: bool) -> str:
    """The statements as source, one whole line of code a line.

    :func:`ast.unparse` writes a nested function's or class's docstring triple-quoted over several
    lines, and indenting the rendered function would then change its value: it is written with
    ``repr`` instead. Under ``from __future__ import annotations`` the real nested annotations were
    strings; they are written as strings, so the new module's own future flags do not matter.
    The tree is changed for the unparse and put back (other shapes of the file share it).
    """
    undo: list[tuple[ast.AST, str, object]] = []
    docstrings: list[str] = []
    for node in nodes:
        if isinstance(node, (*_FunctionNode, ast.ClassDef)):
            doc = _docstring_node(node.body)
            if doc is not None and "\n" in doc[1]:
                docstrings.append(doc[1])
                undo.append((doc[0], "value", doc[1]))
                doc[0].value = f"{_MARKER}{len(docstrings)}"
        if future_annotations and isinstance(node, (ast.arg, *_FunctionNode, ast.AnnAssign)):
            _stringify(node, "returns" if isinstance(node, _FunctionNode) else "annotation", undo)
    try:
        text = ast.unparse(ast.Module(body=body, type_ignores=[])) if body else ""
    finally:
        for node, field, value in reversed(undo):
            setattr(node, field, value)
    for k, value in enumerate(docstrings, 1):
        for quote in ('"""', "'''"):
            text = text.replace(f"{quote}{_MARKER}{k}{quote}", repr(value))
    if docstrings and _MARKER in text:
        raise _Drop("a nested docstring could not be written on one line")
    return "\n".join(line for line in text.split("\n") if line.strip())


def _own_scope(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function's own scope: not those inside nested functions, lambdas or classes."""
    pending = list(ast.iter_child_nodes(node))
    while pending:
        child = pending.pop()
        yield child
        if not isinstance(child, _Scope):
            pending += ast.iter_child_nodes(child)


def _code_facts(code: types.CodeType) -> CodeFacts:
    raw = code.co_code
    ops = raw[0::2]
    nested = 0
    pending = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    while pending:
        inner = pending.pop()
        nested += 1
        pending += [c for c in inner.co_consts if isinstance(c, types.CodeType)]
    extended = ops.count(_EXTENDED_ARG)
    return CodeFacts(
        names=len(code.co_names),
        consts=len(code.co_consts),
        varnames=len(code.co_varnames),
        cellvars=len(code.co_cellvars),
        freevars=len(code.co_freevars),
        nested_code=nested,
        instructions=len(ops) - extended - (ops.count(_CACHE) if _CACHE >= 0 else 0),
        extended_arg=extended > 0,
    )


def _real_code(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool, source: _Source) -> types.CodeType:
    """The real function's code object, compiled (never run) from its own source, in a class when it was."""
    module: ast.Module = ast.Module(body=[node], type_ignores=[])
    if in_class:
        extra: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}
        cls = ast.ClassDef(name="_Real", bases=[], keywords=[], body=[node], decorator_list=[], **extra)
        module = ast.Module(body=[ast.copy_location(cls, node)], type_ignores=[])
    try:
        code = compile(module, source.filename, "exec", flags=source.flags, dont_inherit=True)
    except SyntaxError as exc:
        raise _Drop(f"real function does not compile alone: {exc.msg}") from None
    pending = [code]
    while pending:
        current = pending.pop(0)
        for const in current.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == node.name:
                    return const
                pending.append(const)
    raise _Drop("real code object not found")  # pragma: no cover (compile always makes it)


def _features(node_types: set[type], shape: RealShape) -> tuple[str, ...]:
    found = {_NODE_FEATURES[t] for t in node_types if t in _NODE_FEATURES}
    kinds = {p.kind for p in shape.params}
    found |= kinds & {"posonly", "varargs", "kwonly", "varkw"}
    if not shape.params:
        found.add("no-params")
    if any(p.default for p in shape.params if p.kind in ("posonly", "positional")):
        found.add("defaults")
    if any(p.default for p in shape.params if p.kind == "kwonly"):
        found.add("kwonly-default")
    if shape.returns or any(p.annotation for p in shape.params):
        found.add("annotations")
    if shape.binding != "function":
        found.add(shape.binding)
    if shape.decorators or shape.binding_decorator:
        found.add("decorator")
    if shape.dropped_decorators:
        found.add("decorator-dropped")
    if shape.docstring is not None:
        found.add("docstring")
    if ".<locals>." in shape.origin:
        found.add("nested")
    if shape.is_async_generator:
        found.add("async-generator")
    elif shape.is_generator:
        found.add("generator")
    if shape.is_async:
        found.add("async")
    if not shape.body or shape.body in ("pass", "..."):
        found.add("empty-body")
    if shape.facts.cellvars:
        found.add("closure")
    facts = shape.facts
    if max(facts.names, facts.consts, facts.varnames) > _ONE_BYTE:
        found.add("large")
    if facts.extended_arg:
        found.add("extended-arg")
    return tuple(f for f in FEATURES if f in found)


def _check_renders(shape: RealShape, filename: str) -> None:
    """Compile the shape as the integrator writes it, at module level and (when it binds) in a class."""
    lines = shape.render("f", ["v0 = 0"], "(v0,)")
    if shape.binding != "function":
        lines += ["class C:", *("    " + line for line in shape.render("f", ["v0 = 0"], "(v0,)", in_class=True))]
    try:
        compile("\n".join(lines) + "\n", filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise _Drop(f"rendered function does not compile: {exc.msg}") from None


def _binding(in_class: bool, params: tuple[Param, ...], decorators: _Decorators) -> tuple[str, str]:
    """``(binding, first parameter)``: how the function is reached when written in a class, as the real one was.

    A binding decorator the function cannot be reached through (a property getter with more required
    parameters, a classmethod without a parameter for the class) is dropped, as is a method binding for a
    function with no parameter for the instance (a helper called during the class body).
    """
    if not in_class:
        return "function", ""
    positional = [p for p in params if p.kind in ("posonly", "positional")]
    slot = bool(positional) or any(p.kind == "varargs" for p in params)
    first = positional[0].name if positional else ""
    binding = BINDING_DECORATORS[decorators.binding][0] if decorators.binding else "method"
    if binding == "staticmethod":
        return binding, ""
    if binding in ("property", "cached_property"):
        if positional and not [p for p in params[1:] if p.required]:
            return binding, first
    elif slot:
        return binding, first
    if decorators.binding:
        decorators.drop(BINDING_DECORATORS[decorators.binding][1][1:], f"the function cannot be reached as a {binding}")
        decorators.binding = ""
    return ("method", first) if slot else ("function", "")


@dataclass(frozen=True)
class _Source:
    """What every shape of one file shares."""

    module: str
    filename: str
    #: Module-level imports (:func:`_import_map`), so a decorator's real name is known.
    imports: dict[str, str]
    #: The file's ``from __future__`` compiler flags (``annotations`` is the one that changes code).
    flags: int

    @property
    def future_annotations(self) -> bool:
        return bool(self.flags & __future__.annotations.compiler_flag)


def _future_flags(tree: ast.Module) -> int:
    flags = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                flags |= getattr(getattr(__future__, alias.name, None), "compiler_flag", 0)
    return flags


def _shape(qualname: str, node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool, source: _Source) -> RealShape:
    code = _real_code(node, in_class, source)
    local_names = (*code.co_varnames, *code.co_cellvars)
    if "__name__" in local_names:
        raise _Drop("the real body binds __name__, which the dead branch reads")
    decorators = _decorators(node, in_class, source.imports)
    params = _params(node.args)
    binding, first = _binding(in_class, params, decorators)
    binding_line, binding_import = BINDING_DECORATORS[decorators.binding][1:] if decorators.binding else ("", "")
    doc = _docstring_node(node.body)
    body = node.body[1:] if doc is not None else node.body
    nodes = [inner for stmt in body for inner in ast.walk(stmt)]
    node_types = {type(inner) for inner in nodes}
    shape = RealShape(
        origin=f"{source.module}:{qualname}",
        is_async=isinstance(node, ast.AsyncFunctionDef),
        is_generator=bool(code.co_flags & (_CO_GENERATOR | _CO_ASYNC_GENERATOR)),
        is_async_generator=bool(code.co_flags & _CO_ASYNC_GENERATOR),
        params=params,
        returns=_annotation(node.returns),
        binding=binding,
        first_param=first,
        decorators=tuple(decorators.kept),
        binding_decorator=binding_line,
        imports=tuple(dict.fromkeys(m for m in [*decorators.imports, binding_import] if m)),
        dropped_decorators=tuple(decorators.dropped),
        dropped_reasons=tuple(decorators.reasons),
        docstring=doc[1] if doc is not None else None,
        body=_unparse_body(body, nodes, source.future_annotations),
        global_names=tuple(sorted({n for s in _own_scope(node) if isinstance(s, ast.Global) for n in s.names}))
        if ast.Global in node_types
        else (),
        local_names=tuple(sorted(set(local_names))),
        facts=_code_facts(code),
        features=(),
    )
    shape = dataclasses.replace(shape, features=_features(node_types, shape))
    _check_renders(shape, source.filename)
    return shape


def _definitions(
    body: list[ast.stmt], prefix: str, in_class: bool
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """``(qualname, node, defined in a class body)`` of every function, walking statements only."""
    pending: list[ast.stmt] = list(body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, _FunctionNode):
            qualname = prefix + node.name
            yield qualname, node, in_class
            yield from _definitions(node.body, qualname + ".<locals>.", False)
        elif isinstance(node, ast.ClassDef):
            yield from _definitions(node.body, prefix + node.name + ".", True)
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, ()):
                    if isinstance(child, ast.stmt):
                        pending.append(child)
                    elif hasattr(child, "body"):
                        pending += child.body


def _span(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return (node.end_lineno or node.lineno) - node.lineno


def _cheap_features(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> set[str]:
    args = node.args
    found = {"async"} if isinstance(node, ast.AsyncFunctionDef) else set()
    found |= {"posonly"} if args.posonlyargs else set()
    found |= {"varargs"} if args.vararg else set()
    found |= {"kwonly"} if args.kwonlyargs else set()
    found |= {"varkw"} if args.kwarg else set()
    found |= {"decorator"} if node.decorator_list else set()
    found |= {"method"} if in_class else set()
    return found


def _candidates(
    defs: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]], per_module: int
) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """The module's functions in the order they are tried: new signature features first, then spread by size.

    Spread: evenly over the functions sorted by length, so the smallest and the largest are both tried.
    """
    by_size = sorted(defs, key=lambda d: (_span(d[1]), d[1].lineno))
    n = len(by_size)
    steps = max(per_module - 1, 1)
    spread_at = [round(j * (n - 1) / steps) for j in range(steps + 1)] if n else []
    order = [by_size[i] for i in dict.fromkeys(spread_at)] + by_size
    chosen: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]] = []
    seen: set[str] = set()
    for item in by_size:
        if len(chosen) >= per_module // 2:
            break
        new = _cheap_features(item[1], item[2]) - seen
        if new:
            chosen.append(item)
            seen |= new
    ids = {id(item[1]) for item in chosen}
    for item in order:
        if id(item[1]) not in ids:
            ids.add(id(item[1]))
            chosen.append(item)
    return chosen


def _harvest_file(module: str, path: str, per_module: int, drops: Counter[str]) -> list[RealShape]:
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            drops["file larger than MAX_FILE_BYTES"] += 1
            return []
        with open(path, "rb") as handle:
            source = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError, UnicodeDecodeError, OSError, RecursionError, MemoryError) as exc:
        drops[f"file does not parse: {type(exc).__name__}"] += 1
        return []
    context = _Source(module, path, _import_map(tree), _future_flags(tree))
    shapes: list[RealShape] = []
    for qualname, node, in_class in _candidates(list(_definitions(tree.body, "", False)), per_module):
        if len(shapes) >= per_module:
            break
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                shapes.append(_shape(qualname, node, in_class, context))
        except _Drop as drop:
            drops[re.sub(r"'[^']*'", "NAME", str(drop))] += 1
        except RecursionError:
            drops["too deeply nested to compile"] += 1
    return shapes


# Harvest: the pool, its cache and its statistics.


@dataclass(frozen=True)
class HarvestStats:
    """What a harvest found and what it cost (``seconds`` is the harvest's, or the cache load's)."""

    shapes: int
    modules: int
    files: int
    #: Reason -> count of files and functions not kept (duplicates included), and of decorators dropped.
    dropped: dict[str, int]
    seconds: float
    from_cache: bool

    def summary(self) -> str:
        return f"{self.shapes:,} real functions from {self.modules:,} modules"


def _sort_key(shape: RealShape) -> tuple[int, int, str]:
    """Small first: fewest instructions, then the least text a reader of a finding has to read."""
    text = len(shape.body) + len(shape.docstring or "") + sum(len(p.name) + len(p.annotation) + 2 for p in shape.params)
    return (shape.facts.instructions + shape.facts.nested_code, text, shape.origin)


def _render_key(shape: RealShape) -> tuple[object, ...]:
    return (shape.params, shape.decorators, shape.binding, shape.is_async, shape.docstring, shape.body)


def harvest(
    files: Iterable[tuple[str, str]] | None = None, per_module: int = PER_MODULE
) -> tuple[tuple[RealShape, ...], dict[str, int]]:
    """Harvest the shapes of ``files`` (default :func:`source_files`), small first; and the drop counts."""
    drops: Counter[str] = Counter()
    shapes: list[RealShape] = []
    for module, path in source_files() if files is None else files:
        shapes += _harvest_file(module, path, per_module, drops)
    shapes.sort(key=_sort_key)
    unique: dict[tuple[object, ...], RealShape] = {}
    for shape in shapes:
        key = _render_key(shape)
        if key in unique:
            drops["same rendered shape as a smaller or earlier one"] += 1
        else:
            unique[key] = shape
            drops.update(f"decorator dropped, shape kept: {reason}" for reason in shape.dropped_reasons)
    return tuple(unique.values()), dict(sorted(drops.items()))


_FIELDS = tuple(f.name for f in dataclasses.fields(RealShape))
_NAME_FIELDS = frozenset({"global_names", "local_names", "features", "imports", "dropped_reasons"})


def _encode(shape: RealShape) -> list[Any]:
    """The shape as a JSON row: its fields in order, parameters and facts as lists."""
    row: list[Any] = []
    for name in _FIELDS:
        value = getattr(shape, name)
        if name == "params":
            value = [dataclasses.astuple(p) for p in value]
        elif name == "facts":
            value = dataclasses.astuple(value)
        row.append(value)
    return row


def _decode(row: list[Any]) -> RealShape:
    values = dict(zip(_FIELDS, row))
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(map(sys.intern, value)) if name in _NAME_FIELDS else tuple(value)
    # Interned: the same few names and kinds (``self``, ``positional``, ``None``) recur thousands of times.
    values["params"] = tuple(Param(*map(sys.intern, p)) for p in values["params"])
    values["facts"] = CodeFacts(*values["facts"])
    return RealShape(**values)


def cache_key() -> str:
    """The Python, the installed distributions and this file's text: what a harvest depends on."""
    parts: list[object] = [_CACHE_FORMAT, sys.version, sys.implementation.cache_tag, _roots(), PER_MODULE, MAX_FILES]
    for root in _roots()[1:]:
        parts.append(sorted(n for n in os.listdir(root) if n.endswith((".dist-info", ".egg-info", ".egg-link"))))
    parts.append(hashlib.sha256(Path(__file__).read_bytes()).hexdigest())
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def cache_path() -> Path:
    """``.fuzz/cache/real_shapes-<python>-<key>.jsonl`` in the checkout (``FUZZ_CACHE_DIR`` overrides the folder)."""
    folder = os.environ.get("FUZZ_CACHE_DIR") or Path(__file__).resolve().parent.parent / ".fuzz" / "cache"
    tag = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}"
    return Path(folder) / f"real_shapes-{tag}-{cache_key()}.jsonl"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process harvests while the others wait for its file (no lock where ``fcntl`` is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows)
        yield
        return
    with open(path.with_suffix(".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _serialise(files: int, shapes: tuple[RealShape, ...], drops: dict[str, int]) -> bytes:
    """The cache file: a header line (statistics, the shape classes), then one JSON row a shape.

    One row a line, so a worker loads the file as lines and decodes only the shapes it draws:
    parsing all of it would cost every worker a tenth of a second and tens of MB it never uses.
    ASCII (JSON's escapes), so each line is bytes a character.
    """
    members: dict[tuple[object, ...], list[int]] = {}
    for index, shape in enumerate(shapes):
        members.setdefault(shape_class(shape), []).append(index)
    header = {
        "format": _CACHE_FORMAT,
        "files": files,
        "modules": len({s.module for s in shapes}),
        "dropped": drops,
        "classes": list(members.values()),
    }
    lines = [json.dumps(header), *(json.dumps(_encode(s), separators=(",", ":")) for s in shapes)]
    return ("\n".join(lines) + "\n").encode("ascii")


@dataclass(frozen=True)
class _Pool:
    """The harvest as loaded: one encoded row a shape, decoded when drawn (a worker draws few)."""

    rows: list[bytes]
    stats: HarvestStats
    #: Row indexes of each :func:`shape_class`, classes in the order of their first row, and where each starts
    #: in the range of the first index :func:`real_shapes` draws.
    classes: tuple[tuple[int, ...], ...]
    starts: tuple[int, ...]


def _parse(data: bytes, seconds: float, cached: bool) -> _Pool | None:
    """The pool a cache file holds, or ``None`` when the file is not one this code wrote."""
    lines = data.split(b"\n")
    try:
        header = json.loads(lines[0])
        classes = tuple(tuple(group) for group in header["classes"])
        rows = lines[1:-1]
        if header["format"] != _CACHE_FORMAT or lines[-1] or sum(map(len, classes)) != len(rows):
            return None
        stats = HarvestStats(len(rows), header["modules"], header["files"], header["dropped"], seconds, cached)
    except (ValueError, KeyError, TypeError):
        return None
    starts = tuple(itertools.accumulate((len(group) for group in classes[:-1]), initial=0))
    return _Pool(rows, stats, classes, starts)


def _golden(first: int, index: int) -> float:
    """Where ``index`` falls in the golden-ratio sequence from ``first``: an even spread, however many are taken."""
    return ((index - first) * 0.6180339887) % 1


def sampled_files(files: Sequence[tuple[str, str]], most: int = MAX_FILES) -> list[tuple[str, str]]:
    """At most ``most`` of ``files`` (all of them if fewer), every top-level package's among them.

    Taken in turns, one file of each top-level package a turn, each package's files spread over its
    own sorted list (the golden-ratio sequence), so a package of two files (cloudpickle) is in as
    surely as the standard library's hundreds; the result keeps the sorted order.
    """
    if len(files) <= most:
        return list(files)
    groups: dict[str, list[int]] = {}
    for index, (module, _) in enumerate(files):
        groups.setdefault(module.partition(".")[0], []).append(index)
    spread = [sorted(members, key=functools.partial(_golden, members[0])) for members in groups.values()]
    chosen: list[int] = []
    for turn in range(max(map(len, spread))):
        for members in spread:
            if turn < len(members) and len(chosen) < most:
                chosen.append(members[turn])
    return [files[i] for i in sorted(chosen)]


def _harvested() -> bytes:
    files = sampled_files(source_files())
    shapes, drops = harvest(files)
    return _serialise(len(files), shapes, drops)


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _load(rebuild: bool = False) -> _Pool:
    """The cached pool; harvested and cached first if missing (one process harvests, the others wait)."""
    start = time.perf_counter()
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        writable = os.access(path.parent, os.W_OK)
    except OSError:
        writable = False
    cached = _read(path) if not rebuild else None
    loaded = _parse(cached, 0.0, True) if cached is not None else None
    if loaded is None and writable:
        with _locked(path):
            cached = _read(path) if not rebuild else None
            loaded = _parse(cached, 0.0, True) if cached is not None else None
            if loaded is None:
                data = _harvested()
                _write(path, data)
                loaded = _parse(data, 0.0, False)
    elif loaded is None:
        loaded = _parse(_harvested(), 0.0, False)
    if loaded is None:  # pragma: no cover (what _serialise writes, _parse reads)
        raise RuntimeError("the real shapes' cache could not be read back")
    stats = dataclasses.replace(loaded.stats, seconds=time.perf_counter() - start)
    return dataclasses.replace(loaded, stats=stats)


@functools.lru_cache(maxsize=1)
def _pool() -> _Pool:
    return _load()


@functools.cache
def shape_at(index: int) -> RealShape:
    """The pool's shape at ``index`` (small first), decoded once."""
    return _decode(json.loads(_pool().rows[index]))


def pool() -> tuple[RealShape, ...]:
    """Every harvested shape, small first (loaded from the cache, or harvested and cached, on first use)."""
    return tuple(map(shape_at, range(len(_pool().rows))))


def pool_summary() -> str:
    """ "N real functions from M modules" when the pool is harvested already, else "" (it never harvests).

    For reports, written by a process that may never have drawn a shape, after every campaign round:
    only the header line is read, not the megabytes of shapes after it.
    """
    try:
        with open(cache_path(), "rb") as handle:
            header = json.loads(handle.readline())
        if header["format"] != _CACHE_FORMAT:
            return ""
        shapes = sum(len(group) for group in header["classes"])
        stats = HarvestStats(shapes, header["modules"], header["files"], header["dropped"], 0.0, True)
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return stats.summary()


def harvest_stats() -> HarvestStats:
    return _pool().stats


def harvest_count() -> tuple[int, int]:
    """``(shapes, modules)``: "N real functions from M modules"."""
    stats = harvest_stats()
    return stats.shapes, stats.modules


def shape_class(shape: RealShape) -> tuple[object, ...]:
    """How the function is written and called: its binding, ``async``/generator, and its parameter kinds."""
    kinds = tuple(k for k in PARAM_KINDS if any(p.kind == k for p in shape.params))
    return (shape.binding, shape.is_async, shape.is_generator, kinds)


#: The index within a class is drawn on one fixed range and scaled to the class's size: every draw then
#: makes the same two choices (Hypothesis counts a shorter choice sequence as simpler, and a class of
#: one shape drawing nothing more would attract every shrink), and a smaller choice is a smaller shape.
_WITHIN = 1 << 20


@st.composite
def _one_shape(draw: st.DrawFn) -> RealShape:
    loaded = _pool()
    where = draw(st.integers(0, len(loaded.rows) - 1))
    position = bisect.bisect_right(loaded.starts, where) - 1
    group = loaded.classes[position]
    # Offset from where the first index fell: Hypothesis draws 0 for the second index far more often
    # than any other value, and the class's first shape must not get all those draws.
    offset = where - loaded.starts[position] + draw(st.integers(0, _WITHIN - 1)) * len(group) // _WITHIN
    return shape_at(group[offset % len(group)])


@functools.lru_cache(maxsize=1)
def real_shapes() -> st.SearchStrategy[RealShape]:
    """A real function's shape, every shape of the pool as likely as any other.

    Two indexes are drawn: one over the whole pool, which only picks the shape's class
    (:func:`shape_class`: each class holds as many of its values as it has shapes, so the draw stays
    uniform over shapes), and one within the class. Each shrinks toward 0: a finding that needs a
    kind of function (a classmethod, an async generator, keyword-only parameters) shrinks to the
    smallest real function of that kind, and any other to the first, smallest shapes. One flat
    index would shrink poorly: the shrinker lowers it only while the smaller shapes still fail,
    and shapes with a given feature are scattered across the pool.

    Deferred: the pool is loaded on the first draw, not when the strategy is built (at import time).
    """
    return st.deferred(_one_shape)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m strategies.real_shapes", description="Harvest real functions' shapes into the cache."
    )
    parser.add_argument("--rebuild", action="store_true", help="harvest again even if the cache is there")
    args = parser.parse_args(argv)
    loaded = _load(rebuild=args.rebuild)
    shapes, stats = [_decode(json.loads(row)) for row in loaded.rows], loaded.stats
    how = "loaded from" if stats.from_cache else "harvested into"
    print(f"{stats.summary()} ({stats.files:,} files), {how} {cache_path()} in {stats.seconds:.2f} s")
    for reason, count in stats.dropped.items():
        print(f"  dropped {count:>6,}: {reason}")
    features = Counter(f for s in shapes for f in s.features)
    print("  features: " + ", ".join(f"{f} {features[f]:,}" for f in FEATURES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
