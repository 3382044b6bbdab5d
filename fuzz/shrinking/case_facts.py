"""Facts of a case, read from its code: what a root cause is keyed and worded from.

A root cause must name what a cloudpickle maintainer knows (a closure
variable, a re-export under another name, ``__kwdefaults__``, an operand past
index 255), and must name it alike for two cases that fail for one reason,
whoever wrote them. The generator's conventions (a function named ``f``, a
factory ``make``, values ``v<i>``, a dead branch written ``len(__name__) <
0``) are absent from hand-written corpus cases and from functions shaped
after real code, so every fact here is read from the case itself with
:mod:`ast` (and, for operand indices, from the code object its source
compiles to; nothing is executed):

* :class:`PickledFunction`: the function the entry expression pickles,
  followed through names, factories (``make(...)`` returning a nested
  ``def``), classes (``Service().f``, ``Service.f``), ``functools.partial``,
  container items (``HANDLERS['run']``, a lambda kept there that calls the
  function), ``types.FunctionType(X.__code__, ...)`` copies and definitions
  made by ``exec`` of a string, which is parsed too;
* :class:`AccessFact`: each way the function reaches a module, classified by
  what the base of the attribute chain is (a global module name, a closure
  variable, a local alias, a default argument, ``getattr``, ``globals()``,
  ``sys.modules``, ``importlib.import_module``, an import inside the
  function...), the modules its path passes and where it sits (nested code,
  a branch whose test is constant false);
* :class:`UniverseFacts`: what the package files do at import (eager
  imports, re-exports under another name, PEP 562 ``__getattr__``, names
  bound to a stand-in until the child is imported), so an attribute path that
  is not a module's real dotted name is seen as such (``alpha.shortcut`` is
  ``alpha.core``);
* :class:`FunctionFeatures`: the pickled function's parameter kinds,
  module-valued defaults, annotations, type parameters, decorators,
  ``async``/generator, nested code and dead branches;
* :class:`Origin`: where the function comes from (a dynamic module, a script,
  a registered module, a ``types.FunctionType`` copy, ``exec`` into a custom
  globals dict);
* what the case's steps change after a first pickle, and the ``sys.modules``
  hazard it keeps (:func:`changes_after_a_pickle`, :func:`hazard_kept`).

Every reading is best effort: what cannot be told from the code is left out,
never guessed from a name.
"""

from __future__ import annotations

import ast
import dis
import textwrap
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Union

from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.shrinking.lazy_facts import annotation_read_words, lazy_words
from fuzz.text_enum import TextEnum
from strategies.history_changes import change_of
from strategies.ways import WAYS

#: The :class:`fuzz.model.case.Case` field (added by the origins work) saying the case's module is registered in
#: ``sys.modules``; read with ``getattr`` so that cases of any version of the dataclass work.
REGISTERED_FIELD = "module_registered"


class Nested(TextEnum):
    """Code that runs in a code object of its own (a scan of the outer one does not see it)."""

    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"
    NESTED_FUNCTION = "nested function"
    CLASS_BODY = "class body"


class Shape(TextEnum):
    """What a package's ``__init__`` does to a child on an attribute path (see :mod:`strategies.universe`)."""

    #: ``from . import core as shortcut``: the attribute path is not the child's dotted name.
    REEXPORT = "re-export"
    #: ``from . import core``: the child is imported with its package.
    EAGER = "eager import"
    #: A PEP 562 ``__getattr__`` imports the child when the attribute is first read.
    LAZY = "lazy __getattr__"
    #: The child's name is bound to a stand-in until the child is imported (which replaces it).
    SHADOWED = "shadowed child"


class ParameterKind(TextEnum):
    """Each parameter kind of the ``def`` grammar (PEP 570, PEP 3102), with or without a default."""

    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_ONLY_DEFAULT = "positional-only-default"
    POSITIONAL = "positional"
    POSITIONAL_DEFAULT = "positional-default"
    VARARGS = "varargs"
    KEYWORD_ONLY = "keyword-only"
    KEYWORD_ONLY_DEFAULT = "keyword-only-default"
    VARKW = "varkw"


class DefaultPlace(TextEnum):
    """Where a module-valued default is kept: ``__defaults__`` (two kinds of parameter) or ``__kwdefaults__``."""

    POSITIONAL = "positional"
    POSITIONAL_ONLY = "positional-only"
    KEYWORD_ONLY = "keyword-only"


class Annotation(TextEnum):
    """What an annotation leaves in ``__annotations__``: a plain object, a string, or a module."""

    PLAIN = "plain"
    STRING = "string"
    MODULE = "module"


class Origin(TextEnum):
    """Where the pickled function comes from (see ``strategies/origins.py``)."""

    DYNAMIC_MODULE = "dynamic-module"
    MAIN = "main"
    REGISTERED = "registered"
    FUNCTION_TYPE = "function-type"
    EXEC_GLOBALS = "exec-globals"


class Reached(TextEnum):
    """How the entry expression gets from the module's names to the function."""

    FACTORY = "factory"
    CLASS = "class"
    PARTIAL = "partial"
    LAMBDA_WRAPPER = "lambda wrapper"
    COPY = "copy"
    EXEC = "exec"


# -- the package universe ------------------------------------------------------------------


@dataclass(frozen=True)
class PackageInit:
    """What a package's ``__init__`` binds at import, as far as its children go."""

    eager: frozenset[str] = frozenset()
    #: ``(alias, child)``: the child bound under another name.
    reexports: tuple[tuple[str, str], ...] = ()
    lazy: frozenset[str] = frozenset()
    #: A ``__getattr__`` that imports whatever child is asked for (no names listed).
    lazy_any: bool = False
    shadows: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ShapeStep:
    """One step of an attribute path that a package's ``__init__`` shapes: ``written`` is ``module``."""

    shape: Shape
    written: str
    module: str


@dataclass(frozen=True)
class UniverseFacts:
    """The modules a case can reach, and what each package's ``__init__`` does to its children."""

    #: ``{module: "package" | "module" | "namespace"}`` for the case's own files.
    kinds: dict[str, str] = field(default_factory=dict)
    inits: dict[str, PackageInit] = field(default_factory=dict)
    #: Other modules the case names (imports, ``needed``, parent imports): the standard library's, say.
    known: frozenset[str] = frozenset()

    @property
    def tops(self) -> frozenset[str]:
        """The top-level packages a case is about: its own files', and those it names a submodule of."""
        return frozenset(name.partition(".")[0] for name in (*self.kinds, *(k for k in self.known if "." in k)))

    def child(self, module: str, attr: str) -> tuple[str | None, Shape | None]:
        """The module ``module.attr`` is, if it is one, and what the package's ``__init__`` does to that step."""
        init = self.inits.get(module)
        if init is not None:
            for alias, child in init.reexports:
                if alias == attr:
                    return f"{module}.{child}", Shape.REEXPORT
        name = f"{module}.{attr}"
        if name not in self.kinds and name not in self.known:
            return None, None
        if init is None:
            return name, None
        if attr in init.shadows:
            return name, Shape.SHADOWED
        if attr in init.eager:
            return name, Shape.EAGER
        if attr in init.lazy or init.lazy_any:
            return name, Shape.LAZY
        return name, None


def _module_kinds(files: tuple[tuple[str, str], ...]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for path, _ in files:
        parts = path[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            kinds[".".join(parts[:-1])] = "package"
        else:
            kinds[".".join(parts)] = "module"
        for depth in range(1, len(parts)):
            kinds.setdefault(".".join(parts[:depth]), "namespace")
    # A directory seen before its __init__ was read as a namespace: the __init__ wins.
    for path, _ in files:
        if path.endswith("/__init__.py"):
            kinds[path[: -len("/__init__.py")].replace("/", ".")] = "package"
    return kinds


def _package_init(package: str, source: str, children: set[str]) -> PackageInit:
    """Read an ``__init__``'s top-level statements, in order: what each child's name is bound to at the end."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return PackageInit()
    bound: dict[str, str] = {}
    stand_ins: set[str] = set()
    lazy: set[str] = set()
    lazy_any = False

    def bind(name: str, child: str) -> None:
        bound[name] = child
        stand_ins.discard(name)

    for statement in _top_level(tree.body):
        if isinstance(statement, ast.ImportFrom):
            relative = statement.level == 1 or (statement.level == 0 and statement.module is not None)
            module = statement.module or ""
            if statement.level == 0:
                if module != package and not module.startswith(package + "."):
                    relative = False
                module = module[len(package) + 1 :] if module.startswith(package + ".") else ""
            if not relative:
                continue
            if module:
                # ``from .core import x`` imports the child, which binds it on the package too.
                head = module.split(".")[0]
                if head in children:
                    bind(head, head)
                continue
            for alias in statement.names:
                if alias.name in children:
                    bind(alias.asname or alias.name, alias.name)
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name.startswith(package + "."):
                    head = alias.name[len(package) + 1 :].split(".")[0]
                    if head in children:
                        bind(head, head)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if isinstance(value, ast.Name) and value.id in bound:
                    bind(target.id, bound[value.id])
                elif target.id in children:
                    bound.pop(target.id, None)
                    stand_ins.add(target.id)
        elif isinstance(statement, ast.FunctionDef) and statement.name == "__getattr__":
            names = {
                node.value
                for compare in ast.walk(statement)
                if isinstance(compare, ast.Compare)
                for node in ast.walk(compare)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            }
            lazy |= names & children
            imports = any(
                isinstance(node, ast.Call) and _called_name(node) in ("import_module", "__import__")
                for node in ast.walk(statement)
            )
            lazy_any = lazy_any or (imports and not names)
    return PackageInit(
        eager=frozenset(name for name, child in bound.items() if name == child),
        reexports=tuple((name, child) for name, child in bound.items() if name != child),
        lazy=frozenset(lazy),
        lazy_any=lazy_any,
        shadows=frozenset(stand_ins),
    )


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """A module's statements, those inside top-level ``if``/``try``/``with`` blocks included, in order."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.With, ast.For, ast.While)):
            yield from _top_level(statement.body)
            yield from _top_level(getattr(statement, "orelse", []))
        elif isinstance(statement, ast.Try):
            yield from _top_level(statement.body)
            for handler in statement.handlers:
                yield from _top_level(handler.body)
            yield from _top_level(statement.orelse)
            yield from _top_level(statement.finalbody)


def _prefixes(name: str) -> tuple[str, ...]:
    parts = name.split(".")
    return tuple(".".join(parts[: k + 1]) for k in range(len(parts)))


def _imported_names(text: str) -> set[str]:
    """Dotted module names a piece of source imports (and their parents)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.update(_prefixes(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update(_prefixes(node.module))
        elif isinstance(node, ast.Call) and _called_name(node) == "import_module" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.update(_prefixes(first.value))
    return names


def universe_facts(case: Case, modules: Iterable[str] = ()) -> UniverseFacts:
    """What the case's files make of each package, and which other modules the case names.

    ``modules`` are modules known to exist from elsewhere: those a side recorded for the case (a
    standard-library submodule the shrunk source never imports by name is still one).
    """
    kinds = _module_kinds(case.files)
    inits = {}
    for path, content in case.files:
        if path.endswith("/__init__.py"):
            package = path[: -len("/__init__.py")].replace("/", ".")
            children = {name.rpartition(".")[2] for name in kinds if name.rpartition(".")[0] == package}
            inits[package] = _package_init(package, content, children)
    known: set[str] = set()
    for text in (case.source, *case.steps):
        known |= _imported_names(text)
    needs = [module for _, module in tagging.needs(case.tags)]
    needs += [module for access in tagging.accesses(case.tags).values() for module in access.needs]
    for name in (*case.parent_imports, *(case.needed or ()), *needs, *modules):
        known.update(_prefixes(name))
    return UniverseFacts(kinds, inits, frozenset(known))


# -- values an expression can have, as far as modules go ---------------------------------------


@dataclass(frozen=True)
class ModuleRef:
    """A module an expression evaluates to, and how the expression got hold of it."""

    #: The module's real dotted name.
    name: str
    #: Every module the path passed, its real names (``alpha``, ``alpha.core``...).
    modules: tuple[str, ...]
    #: The way of access (a key of :data:`strategies.ways.WAYS`) of the construct that gave the module.
    way: str = ""
    #: That construct's node (compared by identity).
    base: ast.AST | None = field(default=None, compare=False)
    #: The path as written: ``loc0.core``, ``alpha.shortcut.core``, ``getattr(alpha, 'core')``.
    written: str = ""
    #: How the base got the module, as written: ``loc0 = alpha``; "" when the base names it itself.
    binding: str = ""
    shapes: tuple[ShapeStep, ...] = ()
    #: Names the chain loads after its base (attributes, a ``getattr`` constant): what its bytecode names.
    attrs: tuple[str, ...] = ()
    #: The base's own name, when it is a name (a global, a local, a cell).
    base_name: str = ""
    #: Ways of access inside the base construct, outermost first: a walrus inside a conditional, the local
    #: alias a cell is.
    through: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Terminal:
    """An attribute of a module that is no module (``alpha.core.VALUE``): the chain ends at ``last``."""

    last: ModuleRef


@dataclass(eq=False)
class _Frame:
    """A scope being evaluated: a module, a function (its parameters bound if a known call made it), a class..."""

    scope: ast.AST
    parent: _Frame | None
    args: dict[str, tuple[ast.expr, _Frame]] = field(default_factory=dict)

    @property
    def is_global(self) -> bool:
        return isinstance(self.scope, ast.Module)

    def chain(self) -> Iterator[_Frame]:
        frame: _Frame | None = self
        while frame is not None:
            yield frame
            frame = frame.parent


@dataclass(eq=False)
class _Function:
    """A ``def`` or ``lambda`` of the module, with the frame its free names are looked up in."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    frame: _Frame


@dataclass(eq=False)
class _Class:
    node: ast.ClassDef
    frame: _Frame


@dataclass(eq=False)
class _Instance:
    """An object of a class of the module: its attributes are what its methods assign to ``self``."""

    cls: _Class


@dataclass(eq=False)
class _Namespace:
    """``types.SimpleNamespace(...)``: each field is a keyword's expression, read in the frame of the call."""

    fields: dict[str, tuple[ast.expr, _Frame]]


@dataclass(eq=False)
class _Container:
    node: ast.expr
    frame: _Frame
    #: The statement binding it, as written (for the words).
    binding: str = ""


@dataclass(eq=False)
class _CodeOf:
    func: object


@dataclass(eq=False)
class _Wrapped:
    """A callable made from another: ``functools.partial(func, ...)``, or ``FunctionType(func.__code__, ...)``."""

    how: Reached
    func: object


@dataclass(eq=False)
class _Builtin:
    """A builtin, or a function of a standard module, by the name :data:`_SPECIAL` gives it."""

    name: str


@dataclass(eq=False)
class _Globals:
    """``globals()``, or a dict ``exec`` ran definitions into: items are the names of ``frame``."""

    frame: _Frame


class _SysModules:
    pass


#: Builtins the evaluator understands (any other unbound name is unknown).
_BUILTINS = frozenset({"getattr", "globals", "__import__", "staticmethod", "classmethod", "property"})
#: Attributes of standard modules the evaluator understands.
_SPECIAL = {
    ("importlib", "import_module"): "import_module",
    ("types", "FunctionType"): "FunctionType",
    ("types", "SimpleNamespace"): "SimpleNamespace",
    ("functools", "partial"): "partial",
}
_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def nested_kind(node: ast.AST) -> Nested | None:
    """The kind of code object of its own ``node`` opens, if it opens one."""
    if isinstance(node, ast.Lambda):
        return Nested.LAMBDA
    if isinstance(node, _COMPREHENSIONS):
        return Nested.COMPREHENSION
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return Nested.NESTED_FUNCTION
    if isinstance(node, ast.ClassDef):
        return Nested.CLASS_BODY
    return None


def _short(node: ast.AST, limit: int = 70) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- constant truth: a branch that never runs ----------------------------------------------------

#: A value the evaluator cannot tell.
_UNKNOWN = object()
#: An integer known to be zero or more (``len(...)``), of unknown value.
_NON_NEGATIVE = object()
#: A string of unknown value: a module's ``__name__``, never ``None``.
_STRING = object()
_OPERATORS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}
#: ``c OP n`` is ``n MIRROR[OP] c``.
_MIRROR = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


def _operand(node: ast.expr) -> object:
    """A comparison's operand: a constant, a length, ``__name__``, or :data:`_UNKNOWN`."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id == "__name__":
        return _STRING
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _operand(node.operand)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1:
        return _NON_NEGATIVE
    return _UNKNOWN


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compare(left: object, op: ast.cmpop, right: object) -> bool | None:
    """``left OP right`` when it is known whatever the unknown values are; else ``None``."""
    abstract = (_UNKNOWN, _NON_NEGATIVE, _STRING)
    if left is _UNKNOWN or right is _UNKNOWN:
        return None
    if left is _STRING or right is _STRING:
        # Only what a string is not is known: ``None``, a number.
        other = right if left is _STRING else left
        if other in abstract or not (other is None or _is_number(other)):
            return None
        if isinstance(op, (ast.Is, ast.Eq)):
            return False
        if isinstance(op, (ast.IsNot, ast.NotEq)):
            return True
        return None
    if right is _NON_NEGATIVE and left is not _NON_NEGATIVE:
        mirror = _MIRROR.get(type(op))
        return None if mirror is None else _compare(right, mirror(), left)
    if left is _NON_NEGATIVE:
        if not _is_number(right):
            return None
        c = right
        assert isinstance(c, (int, float))
        known = {
            ast.Lt: False if c <= 0 else None,
            ast.LtE: False if c < 0 else None,
            ast.Gt: True if c < 0 else None,
            ast.GtE: True if c <= 0 else None,
            ast.Eq: False if c < 0 else None,
            ast.NotEq: True if c < 0 else None,
        }
        return known.get(type(op))
    operator = _OPERATORS.get(type(op))
    if operator is None:
        return None
    try:
        return bool(operator(left, right))
    except TypeError:
        return None


def constant_truth(test: ast.expr) -> bool | None:
    """Whether ``test`` is always true or always false, by evaluating simple constant expressions; else ``None``.

    Constants (``if False``, ``if 0``, ``if None``), ``not``, ``and``/``or``,
    comparisons of constants, and comparisons of a length (``len(...)``, zero
    or more) with a constant (``len(__name__) < 0`` is always false), of
    ``__name__`` (a string) with ``None`` (``__name__ is None`` is always
    false); ``TYPE_CHECKING`` is false at run time.
    """
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
        return False
    if isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING":
        return False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = constant_truth(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [constant_truth(v) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else True if all(v is True for v in values) else None
        return True if True in values else False if all(v is False for v in values) else None
    if isinstance(test, ast.Compare):
        left = _operand(test.left)
        result: bool | None = True
        for op, comparator in zip(test.ops, test.comparators):
            right = _operand(comparator)
            one = _compare(left, op, right)
            if one is False:
                return False
            if one is None:
                result = None
            left = right
        return result
    return None


def _never_runs(parent: ast.AST, child: ast.AST) -> bool:
    """Whether ``child``, directly under ``parent``, sits where a constant test never lets control go."""
    if isinstance(parent, (ast.If, ast.While)):
        truth = constant_truth(parent.test)
        in_body = any(child is s for s in parent.body)
        in_else = any(child is s for s in parent.orelse)
        return (truth is False and in_body) or (truth is True and in_else and isinstance(parent, ast.If))
    if isinstance(parent, ast.IfExp):
        truth = constant_truth(parent.test)
        return (truth is False and child is parent.body) or (truth is True and child is parent.orelse)
    return False


# -- the module model: trees, scopes, bindings ------------------------------------------------------


@dataclass(frozen=True)
class _Binding:
    #: ``param``, ``assign``, ``walrus``, ``import``, ``import-as``, ``from``, ``def``, ``class``, ``other``.
    kind: str
    node: ast.AST
    value: ast.expr | None = None
    #: For imports: the module named.
    module: str = ""


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``scope``'s own code, in source order: nested scopes are yielded, not entered."""
    if isinstance(scope, ast.Lambda):
        roots: list[ast.AST] = [scope.body]
    elif isinstance(scope, _COMPREHENSIONS):
        roots = [*scope.generators]
        roots += [scope.key, scope.value] if isinstance(scope, ast.DictComp) else [scope.elt]
    else:
        roots = list(getattr(scope, "body", []))

    def walk(node: ast.AST) -> Iterator[ast.AST]:
        yield node
        if isinstance(node, _SCOPES):
            return
        for child in ast.iter_child_nodes(node):
            yield from walk(child)

    for root in roots:
        yield from walk(root)


def _body_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Every node of a function's body, nested scopes entered; not its decorators, defaults or annotations."""
    roots = [function.body] if isinstance(function, ast.Lambda) else list(getattr(function, "body", []))
    for root in roots:
        yield from ast.walk(root)


def _parameters(args: ast.arguments) -> Iterator[tuple[ast.arg, ast.expr | None, ParameterKind]]:
    """Each parameter with its default and its kind."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults)):
        only = index < len(args.posonlyargs)
        if only:
            kind = ParameterKind.POSITIONAL_ONLY_DEFAULT if default is not None else ParameterKind.POSITIONAL_ONLY
        else:
            kind = ParameterKind.POSITIONAL_DEFAULT if default is not None else ParameterKind.POSITIONAL
        yield arg, default, kind
    if args.vararg is not None:
        yield args.vararg, None, ParameterKind.VARARGS
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        kind = ParameterKind.KEYWORD_ONLY_DEFAULT if kw_default is not None else ParameterKind.KEYWORD_ONLY
        yield arg, kw_default, kind
    if args.kwarg is not None:
        yield args.kwarg, None, ParameterKind.VARKW


def _target_names(target: ast.expr) -> Iterator[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


class _Model:
    """The case's module as scopes and bindings: its source, its steps, and the strings it ``exec``\\ s."""

    def __init__(self, case: Case, universe: UniverseFacts) -> None:
        self.universe = universe
        tree = ast.parse(case.source)
        steps: list[ast.stmt] = []
        for step in case.steps:
            try:
                steps += ast.parse(step).body
            except (SyntaxError, ValueError):
                continue
        self.steps = steps
        #: The text each parsed tree came from (by the tree's id): what its code objects compile from.
        self.texts: dict[int, str] = {id(tree): case.source}
        self.roots: dict[int, ast.AST] = {}
        module = ast.Module(body=[*tree.body, *steps], type_ignores=[])
        self.module = module
        self.frame = _Frame(module, None)
        self.future_annotations = any(
            isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
            for s in tree.body
        )
        self.main = any(
            isinstance(s, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__name__" for t in s.targets)
            and isinstance(s.value, ast.Constant)
            and s.value.value == "__main__"
            for s in tree.body
        )
        self.parents: dict[int, ast.AST] = {}
        self._index(tree, tree)
        for statement in steps:
            self._index(statement, statement)
        self._bindings: dict[int, tuple[dict[str, list[_Binding]], set[str]]] = {}
        #: Names of dicts ``exec`` ran definitions into, with the frame of those definitions.
        self.exec_frames: dict[str, _Frame] = {}
        self._read_execs(list(_top_level(module.body)))
        # Definitions ``exec`` put among the module's own were read after the first lookups: read again.
        self._bindings.clear()

    def _index(self, tree: ast.AST, root: ast.AST) -> None:
        for node in ast.walk(tree):
            self.roots[id(node)] = root
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node

    def text_of(self, node: ast.AST) -> str | None:
        root = self.roots.get(id(node))
        return None if root is None else self.texts.get(id(root))

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def _read_execs(self, statements: list[ast.stmt]) -> None:
        """Parse each string the module passes to ``exec``: its definitions are the dict's, or the module's."""
        for statement in statements:
            call = statement.value if isinstance(statement, ast.Expr) else None
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "exec"):
                continue
            if not call.args:
                continue
            text = self.constant_string(call.args[0], self.frame)
            if text is None:
                continue
            try:
                inner = ast.parse(textwrap.dedent(text))
            except (SyntaxError, ValueError):
                continue
            self.texts[id(inner)] = textwrap.dedent(text)
            self._index(inner, inner)
            scope = call.args[1] if len(call.args) > 1 else None
            if isinstance(scope, ast.Name):
                self.exec_frames[scope.id] = _Frame(inner, self.frame)
            else:
                # ``exec(src)`` or ``exec(src, globals())``: the definitions land among the module's own.
                self.module.body += inner.body

    def constant_string(self, node: ast.expr, frame: _Frame, depth: int = 0) -> str | None:
        """The string ``node`` always evaluates to, if simple: a constant, a join or a sum of constants, a name."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.constant_string(node.left, frame, depth + 1)
            right = self.constant_string(node.right, frame, depth + 1)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
            if node.func.attr == "join" and isinstance(node.args[0], (ast.List, ast.Tuple)):
                glue = self.constant_string(node.func.value, frame, depth + 1)
                pieces = [self.constant_string(e, frame, depth + 1) for e in node.args[0].elts]
                if glue is not None and all(p is not None for p in pieces):
                    return glue.join(p for p in pieces if p is not None)
            if node.func.attr == "dedent":
                return self.constant_string(node.args[0], frame, depth + 1)
        if isinstance(node, ast.Name):
            found = self.lookup(node.id, frame)
            if found is not None:
                for binding in reversed(found[1]):
                    if binding.kind == "assign" and binding.value is not None:
                        return self.constant_string(binding.value, found[0], depth + 1)
        return None

    def bindings(self, scope: ast.AST) -> tuple[dict[str, list[_Binding]], set[str]]:
        """Every name ``scope`` binds (in source order), and the names it declares ``global``."""
        cached = self._bindings.get(id(scope))
        if cached is not None:
            return cached
        out: dict[str, list[_Binding]] = {}
        declared: set[str] = set()

        def add(name: str, binding: _Binding) -> None:
            out.setdefault(name, []).append(binding)

        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for arg, default, _ in _parameters(scope.args):
                add(arg.arg, _Binding("param", arg, default))
        if isinstance(scope, _COMPREHENSIONS):
            for generator in scope.generators:
                for name in _target_names(generator.target):
                    add(name.id, _Binding("other", name))
        for node in _own_nodes(scope):
            if node is scope:
                continue
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        add(target.id, _Binding("assign", node, node.value))
                    else:
                        for name in _target_names(target):
                            add(name.id, _Binding("other", node))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                add(node.target.id, _Binding("assign", node, node.value))
            elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                add(node.target.id, _Binding("walrus", node, node.value))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        add(alias.asname, _Binding("import-as", node, module=alias.name))
                    else:
                        add(alias.name.partition(".")[0], _Binding("import", node, module=alias.name.partition(".")[0]))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        add(alias.asname or alias.name, _Binding("from", node, module=f"{node.module}.{alias.name}"))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                add(node.name, _Binding("def", node))
            elif isinstance(node, ast.ClassDef):
                add(node.name, _Binding("class", node))
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                for name in _target_names(node.target):
                    add(name.id, _Binding("other", node))
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                for name in _target_names(node.optional_vars):
                    add(name.id, _Binding("other", node))
            elif isinstance(node, ast.ExceptHandler) and node.name:
                add(node.name, _Binding("other", node))
            elif isinstance(node, ast.Global):
                declared.update(node.names)
        self._bindings[id(scope)] = (out, declared)
        return out, declared

    def lookup(self, name: str, frame: _Frame) -> tuple[_Frame, list[_Binding]] | None:
        """Where ``name`` is bound as seen from ``frame`` (Python's rules: a class body is no enclosing scope)."""
        first = True
        current: _Frame | None = frame
        while current is not None:
            skip = isinstance(current.scope, ast.ClassDef) and not first
            if not skip:
                bound, declared = self.bindings(current.scope)
                if name in declared and not current.is_global:
                    current = next((f for f in current.chain() if f.is_global), None)
                    first = False
                    continue
                if name in bound:
                    return current, bound[name]
            first = False
            current = current.parent
        return None


# -- the evaluator: what an expression is, as far as modules and functions go --------------------------


class _Evaluator:
    """Evaluates expressions of the case abstractly: modules, functions, classes and containers; else unknown."""

    def __init__(self, model: _Model) -> None:
        self.model = model
        self.universe = model.universe
        #: Ids of the scopes of the function under test (and of code that replaced its ``__code__``).
        self.inside: set[int] = set()
        #: Free variables of the function under test whose cell a step set (``f.__closure__[0].cell_contents = x``).
        self.cells: dict[str, tuple[ast.expr, _Frame]] = {}
        self._active: set[tuple[int, int]] = set()

    # Values are plain objects: ModuleRef, _Terminal, _Function, ... or None (unknown).

    def value(self, node: ast.AST | None, frame: _Frame) -> object:
        if node is None:
            return None
        key = (id(node), id(frame))
        if key in self._active or len(self._active) > 200:
            return None
        self._active.add(key)
        try:
            return self._value(node, frame)
        finally:
            self._active.discard(key)

    def _value(self, node: ast.AST, frame: _Frame) -> object:
        if isinstance(node, ast.Name):
            return self.name(node, frame)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.value(node.value, frame), node.attr, node)
        if isinstance(node, ast.Subscript):
            return self.item(self.value(node.value, frame), node, frame)
        if isinstance(node, ast.Call):
            return self.call(self.value(node.func, frame), node, frame)
        if isinstance(node, ast.IfExp):
            truth = constant_truth(node.test)
            branches = [node.body] if truth is True else [node.orelse] if truth is False else [node.body, node.orelse]
            for branch in branches:
                found = self.value(branch, frame)
                if isinstance(found, ModuleRef):
                    return self.wrap(found, "conditional", node, f"({_short(node)})")
                if found is not None:
                    return found
            return None
        if isinstance(node, ast.NamedExpr):
            found = self.value(node.value, frame)
            if isinstance(found, ModuleRef):
                return self.wrap(found, "walrus", node, _short(node))
            return found
        if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            return _Container(node, frame)
        if isinstance(node, ast.Lambda):
            return _Function(node, frame)
        return None

    def wrap(
        self,
        ref: ModuleRef,
        way: str,
        base: ast.AST,
        written: str,
        binding: str = "",
        base_name: str = "",
        through: tuple[str, ...] = (),
    ) -> ModuleRef:
        """``ref`` as reached by a construct of its own: the way of access is the outermost construct's.

        A construct inside this one (a walrus in a conditional) is kept in ``through``; one elsewhere (the
        ``alpha`` of ``loc0 = alpha``) is how the module got there, not a way this access uses.
        """
        if ref.way and ref.base is not None and self._descends(ref.base, base):
            # The package's bare global name is the start of every way, not a way of its own inside another.
            inner = (ref.way, *ref.through) if ref.way != "global-dotted" else ref.through
            through = (*through, *inner)
        return replace(
            ref, way=way, base=base, written=written, binding=binding, attrs=(), base_name=base_name, through=through
        )

    def _descends(self, node: ast.AST, ancestor: ast.AST) -> bool:
        while node is not None and node is not ancestor:
            parent = self.model.parent(node)
            if parent is None:
                return False
            node = parent
        return node is ancestor

    def name(self, node: ast.Name, frame: _Frame) -> object:
        found = self.model.lookup(node.id, frame)
        if found is None:
            return _Builtin(node.id) if node.id in _BUILTINS else None
        where, bindings = found
        if where.is_global and node.id in self.model.exec_frames:
            return _Globals(self.model.exec_frames[node.id])
        if node.id in self.cells and not where.is_global and not self._within(where):
            expr, module = self.cells[node.id]
            value = self.value(expr, module)
            if isinstance(value, ModuleRef):
                return self.wrap(value, "closure", node, node.id, f"{node.id} = {_short(expr)}", node.id)
        for binding in reversed(bindings):
            value = self.binding_value(binding, where, node.id)
            if value is None:
                continue
            if isinstance(value, ModuleRef):
                way = self.way_of(binding, where, frame)
                words = self.binding_words(binding, node.id, where)
                # A local of the function read by a nested scope is a cell; what the local is comes through.
                through = (self.way_of(binding, where, where),) if way == "cell" else ()
                return self.wrap(value, way, node, node.id, words, node.id, through)
            return value
        return None

    def binding_value(self, binding: _Binding, where: _Frame, name: str) -> object:
        kind = binding.kind
        if kind == "param":
            if name in where.args:
                expr, caller = where.args[name]
                return self.value(expr, caller)
            return self.value(binding.value, where.parent) if where.parent is not None else None
        if kind in ("assign", "walrus"):
            return self.value(binding.value, where)
        if kind == "import":
            return ModuleRef(binding.module, (binding.module,))
        if kind == "import-as":
            return ModuleRef(binding.module, _prefixes(binding.module))
        if kind == "from":
            parent, _, attr = binding.module.rpartition(".")
            return self.attribute(ModuleRef(parent, _prefixes(parent)), attr, binding.node)
        if kind == "def":
            assert isinstance(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef))
            return _Function(binding.node, where)
        if kind == "class":
            assert isinstance(binding.node, ast.ClassDef)
            return _Class(binding.node, where)
        return None

    def _within(self, frame: _Frame) -> bool:
        return any(id(f.scope) in self.inside for f in frame.chain())

    def way_of(self, binding: _Binding, where: _Frame, used: _Frame) -> str:
        """The way of access a name is, from where it is bound and where it is read."""
        if where.is_global:
            if binding.kind == "import":
                return "global-dotted"
            if binding.kind in ("import-as", "from"):
                return "import-as"
            return "module-alias"
        if self._within(where):
            if where.scope is not used.scope:
                return "cell"
            if binding.kind == "param":
                return "default-arg"
            if binding.kind == "walrus":
                return "walrus"
            if binding.kind in ("import", "import-as", "from"):
                return "import-inside"
            return "local-alias"
        return "closure"

    def binding_words(self, binding: _Binding, name: str, where: _Frame) -> str:
        """How a name got its module, as written (``loc0 = alpha``, ``dflt0=alpha``, ``clo0 = alpha``)."""
        if binding.kind == "param":
            if name in where.args:
                return f"{name} = {_short(where.args[name][0])}"
            return f"{name}={_short(binding.value)}" if binding.value is not None else ""
        if binding.kind == "import" and where.is_global:
            return ""
        if binding.kind == "walrus":
            return _short(binding.node)
        if isinstance(binding.node, ast.stmt):
            return _short(binding.node)
        return ""

    def attribute(self, base: object, attr: str, node: ast.AST) -> object:
        if isinstance(base, ModuleRef):
            special = _SPECIAL.get((base.name, attr))
            if base.name == "sys" and attr == "modules":
                return _SysModules()
            if special is not None and base.name not in self.universe.kinds:
                return _Builtin(special)
            target, shape = self.universe.child(base.name, attr)
            if target is None:
                return _Terminal(replace(base, attrs=(*base.attrs, attr)))
            steps = (ShapeStep(shape, f"{base.name}.{attr}", target),) if shape is not None else ()
            return replace(
                base,
                name=target,
                written=f"{base.written}.{attr}" if base.written else attr,
                modules=(*base.modules, target),
                shapes=(*base.shapes, *steps),
                attrs=(*base.attrs, attr),
            )
        if isinstance(base, _Terminal):
            return base
        if isinstance(base, (_Class, _Instance)):
            cls = base if isinstance(base, _Class) else base.cls
            frame = _Frame(cls.node, cls.frame)
            bound, _ = self.model.bindings(cls.node)
            for binding in reversed(bound.get(attr, [])):
                found = self.binding_value(binding, frame, attr)
                if isinstance(found, ModuleRef):
                    value = binding.value
                    words = f"{_short(node)} = {_short(value)}" if value is not None else ""
                    return self.wrap(found, "object-attr", node, _short(node), words)
                if found is not None:
                    return found
            if isinstance(base, _Instance):
                return self._instance_attribute(cls, attr, node)
            return None
        if isinstance(base, _Namespace):
            if attr in base.fields:
                expr, frame = base.fields[attr]
                found = self.value(expr, frame)
                if isinstance(found, ModuleRef):
                    return self.wrap(found, "object-attr", node, _short(node), f"{_short(node)} = {_short(expr)}")
                return found
            return None
        if isinstance(base, _Function) and attr == "__code__":
            return _CodeOf(base)
        return None

    def _instance_attribute(self, cls: _Class, attr: str, node: ast.AST) -> object:
        """``self.attr = value`` in a method of the class."""
        for method in cls.node.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            frame = _Frame(method, _Frame(cls.node, cls.frame))
            for statement in _own_nodes(method):
                if not isinstance(statement, ast.Assign):
                    continue
                for target in statement.targets:
                    if isinstance(target, ast.Attribute) and target.attr == attr and isinstance(target.value, ast.Name):
                        found = self.value(statement.value, frame)
                        if isinstance(found, ModuleRef):
                            words = f"{_short(node)} = {_short(statement.value)}"
                            return self.wrap(found, "object-attr", node, _short(node), words)
                        if found is not None:
                            return found
        return None

    def item(self, base: object, node: ast.Subscript, frame: _Frame) -> object:
        key_node = node.slice
        key = key_node.value if isinstance(key_node, ast.Constant) else None
        if key is None and not isinstance(base, _Container):
            key = self.model.constant_string(key_node, frame)
        if isinstance(base, _Container):
            container = base.node
            element: ast.expr | None = None
            if isinstance(container, ast.Dict):
                for k, v in zip(container.keys, container.values):
                    if isinstance(k, ast.Constant) and k.value == key:
                        element = v
            elif isinstance(container, (ast.List, ast.Tuple)) and isinstance(key, int):
                if -len(container.elts) <= key < len(container.elts):
                    element = container.elts[key]
            found = self.value(element, base.frame)
            if isinstance(found, ModuleRef):
                return self.wrap(found, "container-item", node, _short(node), _short(container))
            return found
        if isinstance(base, _Globals) and isinstance(key, str):
            found_binding = self.model.lookup(key, base.frame)
            if found_binding is None:
                return None
            where, bindings = found_binding
            for binding in reversed(bindings):
                found = self.binding_value(binding, where, key)
                if isinstance(found, ModuleRef):
                    return self.wrap(found, "globals-lookup", node, _short(node))
                if found is not None:
                    return found
            return None
        if isinstance(base, _SysModules) and isinstance(key, str):
            return ModuleRef(key, _prefixes(key), "sys-modules", node, _short(node))
        return None

    def call(self, func: object, node: ast.Call, frame: _Frame) -> object:
        args = node.args
        if isinstance(func, _Builtin):
            if func.name == "getattr" and len(args) >= 2:
                target = self.value(args[0], frame)
                name = self.model.constant_string(args[1], frame)
                if name is None:
                    return None
                way = "getattr-const" if isinstance(args[1], ast.Constant) else "getattr-computed"
                if isinstance(target, ModuleRef):
                    stepped = self.attribute(self.wrap(target, way, node, ""), name, node)
                    if isinstance(stepped, ModuleRef):
                        return replace(stepped, written=_short(node))
                    if isinstance(stepped, _Terminal):
                        return _Terminal(replace(stepped.last, written=_short(node)))
                    return stepped
                return self.attribute(target, name, node)
            if func.name == "globals" and not args:
                return _Globals(next(f for f in frame.chain() if f.is_global))
            if func.name == "import_module" and args:
                name = self.model.constant_string(args[0], frame)
                if name is None:
                    return None
                return ModuleRef(name, _prefixes(name), "import-module", node, _short(node))
            if func.name == "partial" and args:
                if len(args) >= 3 and isinstance(args[0], ast.Name) and args[0].id == "getattr":
                    name = self.model.constant_string(args[2], frame)
                    if name is not None:
                        return _Wrapped(Reached.PARTIAL, self.attribute(self.value(args[1], frame), name, node))
                return _Wrapped(Reached.PARTIAL, self.value(args[0], frame))
            if func.name == "FunctionType" and args:
                code = self.value(args[0], frame)
                return _Wrapped(Reached.COPY, code.func) if isinstance(code, _CodeOf) else None
            if func.name == "SimpleNamespace":
                return _Namespace({kw.arg: (kw.value, frame) for kw in node.keywords if kw.arg})
            if func.name in ("staticmethod", "classmethod", "property") and args:
                return self.value(args[0], frame)
            return None
        if isinstance(func, _Class):
            return _Instance(func)
        if isinstance(func, _Wrapped) and func.how is Reached.PARTIAL:
            return self.call(func.func, node, frame)
        if isinstance(func, _Function) and not isinstance(func.node, ast.Lambda):
            return self._returned(func, node, frame)
        return None

    def _returned(self, func: _Function, call: ast.Call, frame: _Frame) -> object:
        """What calling ``func`` returns, its parameters bound to the call's arguments."""
        callee = func.node
        params = [a.arg for a in (*callee.args.posonlyargs, *callee.args.args)]
        bound: dict[str, tuple[ast.expr, _Frame]] = {}
        for name, arg in zip(params, call.args):
            if not isinstance(arg, ast.Starred):
                bound[name] = (arg, frame)
        for keyword in call.keywords:
            if keyword.arg:
                bound[keyword.arg] = (keyword.value, frame)
        inner = _Frame(callee, func.frame, bound)
        for statement in _own_nodes(callee):
            if isinstance(statement, ast.Return) and statement.value is not None:
                found = self.value(statement.value, inner)
                if found is not None:
                    return found
        return None


# -- the facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessFact:
    """One way the pickled function reaches a module, as its code has it."""

    #: A key of :data:`strategies.ways.WAYS`: what the base of the chain is.
    way: str
    #: The path as written, up to the last module it reaches: ``loc0.core``, ``alpha.shortcut.core``.
    text: str
    #: How the base got its module, as written (``loc0 = alpha``), or "".
    binding: str
    #: The real names of the modules the path passes, in order.
    modules: tuple[str, ...]
    #: Steps of the path a package's ``__init__`` shapes.
    shapes: tuple[ShapeStep, ...] = ()
    #: The code objects of their own between the function and the access, outermost first.
    nested: tuple[Nested, ...] = ()
    #: Whether the access sits where a constant test never lets control go.
    dead: bool = False
    #: Identifiers its bytecode loads: the base's name, then the attribute names.
    names: tuple[str, ...] = ()
    #: Ways of access inside its base construct (a walrus in a conditional; the local alias a cell is).
    through: tuple[str, ...] = ()

    @property
    def ways(self) -> tuple[str, ...]:
        """Its way, then the ways inside its base construct."""
        return (self.way, *self.through)

    @property
    def family(self) -> str:
        """The family of its way (:attr:`strategies.ways.Way.family`)."""
        return WAYS[self.way].family if self.way in WAYS else self.way

    @property
    def submodules(self) -> tuple[str, ...]:
        """The modules it passes that are submodules (a dot in their name)."""
        return tuple(m for m in self.modules if "." in m)


@dataclass(frozen=True)
class FunctionFeatures:
    """What the pickled function's definition is made of, beyond its body's module accesses."""

    #: Parameter kinds present, module-defaulted parameters aside.
    parameters: tuple[ParameterKind, ...] = ()
    #: Where module-valued defaults sit (``__defaults__`` or ``__kwdefaults__``).
    module_defaults: tuple[DefaultPlace, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    type_params: bool = False
    #: Decorators, as written.
    decorators: tuple[str, ...] = ()
    is_async: bool = False
    is_generator: bool = False
    #: Code objects of its own inside the function, wherever they are.
    nested: tuple[Nested, ...] = ()
    #: Whether some branch of it has a constant-false test.
    dead_branch: bool = False


@dataclass(frozen=True)
class PickledFunction:
    """The function the case's entry pickles."""

    name: str
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda = field(compare=False, repr=False)
    #: How the entry reaches it (a factory, a class, a partial, a copy...), in order.
    reached: tuple[Reached, ...] = ()
    #: Functions whose ``__code__`` the case's steps put in its place.
    code_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    """Everything :mod:`fuzz.shrinking.root_cause` keys and words a finding from."""

    function: PickledFunction | None
    features: FunctionFeatures
    accesses: tuple[AccessFact, ...]
    universe: UniverseFacts
    origin: Origin
    #: State changes made after a first pickle (:func:`changes_after_a_pickle`).
    changes: tuple[str, ...] = ()
    #: The ``sys.modules`` hazard the case still makes, or "".
    hazard: str = ""
    #: The code objects of the pickled function (and of code put in its place), compiled here.
    codes: tuple[types.CodeType, ...] = field(default=(), compare=False, repr=False)
    #: Lazy imports (PEP 810) of the module and its packages, as phrases (:mod:`fuzz.shrinking.lazy_facts`).
    lazy: tuple[str, ...] = ()
    #: How the source reads a function's own annotations, as phrases.
    annotation_reads: tuple[str, ...] = ()

    def ways(self) -> tuple[str, ...]:
        """Every way of access the function's code uses."""
        return tuple(sorted({a.way for a in self.accesses}))


def changes_after_a_pickle(steps: tuple[str, ...]) -> tuple[str, ...]:
    """The state changes made after a function was pickled once: what a cache could have missed.

    A change before any pickle (an import, a rebinding) only sets the scene.
    """
    changes: set[str] = set()
    pickled = False
    for step in steps:
        if step.startswith("pickled("):
            pickled = True
        elif pickled and (change := change_of(step)) is not None:
            changes.add(change)
    return tuple(sorted(changes))


def hazard_kept(case: Case) -> str:
    """The ``sys.modules`` hazard a (shrunk) case still makes, or "" (its step was shrunk away, or none)."""
    kept = any(not step.startswith("pickled(") and change_of(step) is None for step in case.steps)
    return case.hazard if kept else ""


_FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]


def _unwrap(value: object, evaluator: _Evaluator) -> tuple[_Function | None, list[Reached]]:
    """The function a pickled object is, through partials, copies and a lambda that only calls it."""
    reached: list[Reached] = []
    for _ in range(8):
        if isinstance(value, _Wrapped):
            reached.append(value.how)
            value = value.func
        elif (
            isinstance(value, _Function)
            and isinstance(value.node, ast.Lambda)
            and isinstance(value.node.body, ast.Call)
        ):
            callee = evaluator.value(value.node.body.func, _Frame(value.node, value.frame))
            if not isinstance(callee, _Function):
                break
            reached.append(Reached.LAMBDA_WRAPPER)
            value = callee
        else:
            break
    return (value if isinstance(value, _Function) else None), reached


def _code_replacements(model: _Model, name: str) -> list[ast.expr]:
    """What the case's steps assign to ``name.__code__`` (``h.__code__ = h_other.__code__``)."""
    found = []
    for statement in model.steps:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "__code__"
                and isinstance(target.value, ast.Name)
                and target.value.id == name
            ):
                value = statement.value
                found.append(value.value if isinstance(value, ast.Attribute) and value.attr == "__code__" else value)
    return found


def _cell_settings(model: _Model, name: str) -> list[tuple[int, ast.expr]]:
    """What the case's steps put in ``name``'s closure cells (``f.__closure__[0].cell_contents = bravo``)."""
    found = []
    for statement in model.steps:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            if not (isinstance(target, ast.Attribute) and target.attr == "cell_contents"):
                continue
            cell = target.value
            if not (isinstance(cell, ast.Subscript) and isinstance(cell.value, ast.Attribute)):
                continue
            closure = cell.value
            key = cell.slice
            if (
                closure.attr == "__closure__"
                and isinstance(closure.value, ast.Name)
                and closure.value.id == name
                and isinstance(key, ast.Constant)
                and isinstance(key.value, int)
            ):
                found.append((key.value, statement.value))
    return found


def _enclosing(model: _Model, node: ast.AST) -> list[ast.AST]:
    out: list[ast.AST] = []
    parent = model.parent(node)
    while parent is not None:
        if isinstance(parent, _SCOPES):
            out.append(parent)
        parent = model.parent(parent)
    return out


class _Reader:
    """Reads the facts of one case (see :func:`case_facts`)."""

    def __init__(self, case: Case, modules: Iterable[str] = ()) -> None:
        self.case = case
        self.universe = universe_facts(case, modules)
        self.model = _Model(case, self.universe)
        self.evaluator = _Evaluator(self.model)

    def pickled(self) -> tuple[_Function | None, list[Reached], list[_Function]]:
        """The pickled function, how the entry reaches it, and functions whose code replaced its own."""
        try:
            entry = ast.parse(self.case.entry.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return None, [], []
        function, reached = _unwrap(self.evaluator.value(entry, self.model.frame), self.evaluator)
        if function is None:
            return None, reached, []
        enclosing = _enclosing(self.model, function.node)
        if any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in enclosing):
            reached.insert(0, Reached.FACTORY)
        if any(isinstance(s, ast.ClassDef) for s in enclosing):
            reached.insert(0, Reached.CLASS)
        if self._in_exec(function.frame):
            reached.insert(0, Reached.EXEC)
        replaced: list[_Function] = []
        if isinstance(entry, ast.Name):
            code = self.code(function)
            for index, expr in _cell_settings(self.model, entry.id):
                if code is not None and index < len(code.co_freevars):
                    self.evaluator.cells[code.co_freevars[index]] = (expr, self.model.frame)
            for expr in _code_replacements(self.model, entry.id):
                other = self.evaluator.value(expr, self.model.frame)
                if isinstance(other, _Function):
                    replaced.append(other)
        return function, reached, replaced

    def _in_exec(self, frame: _Frame) -> bool:
        exec_scopes = {id(f.scope) for f in self.model.exec_frames.values()}
        return any(id(f.scope) in exec_scopes for f in frame.chain())

    def frame_at(self, node: ast.AST, function: _Function) -> _Frame:
        """The frame ``node`` is evaluated in, inside ``function``."""
        scopes = []
        parent = self.model.parent(node)
        while parent is not None and parent is not function.node:
            if isinstance(parent, _SCOPES):
                scopes.append(parent)
            parent = self.model.parent(parent)
        frame = _Frame(function.node, function.frame)
        for scope in reversed(scopes):
            frame = _Frame(scope, frame)
        return frame

    def placement(self, node: ast.AST, function: _FunctionNode) -> tuple[tuple[Nested, ...], bool]:
        nested: list[Nested] = []
        dead = False
        child, parent = node, self.model.parent(node)
        while parent is not None and child is not function:
            kind = nested_kind(parent) if parent is not function else None
            if kind is not None:
                nested.append(kind)
            dead = dead or _never_runs(parent, child)
            child, parent = parent, self.model.parent(parent)
        return tuple(reversed(nested)), dead

    def accesses(self, functions: list[_Function]) -> tuple[AccessFact, ...]:
        """The module accesses of the functions' code, one per base construct, each its deepest reach."""
        for function in functions:
            self.evaluator.inside.add(id(function.node))
        best: dict[int, tuple[ModuleRef, _Function]] = {}
        order: list[int] = []
        for function in functions:
            nodes = list(_body_nodes(function.node))
            inside = {id(n) for n in nodes}
            for node in nodes:
                if not isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
                    continue
                found = self.evaluator.value(node, self.frame_at(node, function))
                ref = found.last if isinstance(found, _Terminal) else found
                if not isinstance(ref, ModuleRef) or ref.base is None or id(ref.base) not in inside:
                    continue
                key = id(ref.base)
                if key not in best:
                    order.append(key)
                if key not in best or (len(ref.modules), len(ref.attrs)) > (
                    len(best[key][0].modules),
                    len(best[key][0].attrs),
                ):
                    best[key] = (ref, function)
        out = []
        tops = self.universe.tops
        for key in order:
            ref, function = best[key]
            # A module of the case's own, or a submodule: not the helpers a function uses (types, functools).
            reaches = any("." in m for m in ref.modules) or (bool(ref.modules) and ref.modules[0] in tops)
            if not ref.way or not reaches:
                continue
            assert ref.base is not None
            nested, dead = self.placement(ref.base, function.node)
            names = ((ref.base_name,) if ref.base_name else ()) + ref.attrs
            through = tuple(dict.fromkeys(w for w in ref.through if w != ref.way))
            out.append(
                AccessFact(ref.way, ref.written, ref.binding, ref.modules, ref.shapes, nested, dead, names, through)
            )
        return tuple(out)

    def features(self, function: _Function) -> FunctionFeatures:
        node = function.node
        defining = function.frame
        kinds: set[ParameterKind] = set()
        places: set[DefaultPlace] = set()
        notes: list[ast.expr] = []
        for arg, default, kind in _parameters(node.args):
            if arg.annotation is not None:
                notes.append(arg.annotation)
            if default is not None and isinstance(self.evaluator.value(default, defining), ModuleRef):
                places.add(
                    DefaultPlace.KEYWORD_ONLY
                    if kind is ParameterKind.KEYWORD_ONLY_DEFAULT
                    else DefaultPlace.POSITIONAL_ONLY
                    if kind is ParameterKind.POSITIONAL_ONLY_DEFAULT
                    else DefaultPlace.POSITIONAL
                )
                continue
            kinds.add(kind)
        if not isinstance(node, ast.Lambda) and node.returns is not None:
            notes.append(node.returns)
        annotations = set()
        for note in notes:
            if self.model.future_annotations or (isinstance(note, ast.Constant) and isinstance(note.value, str)):
                annotations.add(Annotation.STRING)
            elif isinstance(self.evaluator.value(note, defining), ModuleRef):
                annotations.add(Annotation.MODULE)
            else:
                annotations.add(Annotation.PLAIN)
        own = list(_own_nodes(node))
        body = list(_body_nodes(node))
        nested = {k for n in body if (k := nested_kind(n)) is not None}
        dead = any(
            _never_runs(parent, child)
            for parent in body
            if isinstance(parent, (ast.If, ast.While, ast.IfExp))
            for child in ast.iter_child_nodes(parent)
        )
        decorators = () if isinstance(node, ast.Lambda) else tuple(_short(d) for d in node.decorator_list)
        return FunctionFeatures(
            parameters=tuple(k for k in ParameterKind if k in kinds),
            module_defaults=tuple(p for p in DefaultPlace if p in places),
            annotations=tuple(a for a in Annotation if a in annotations),
            type_params=bool(getattr(node, "type_params", None)),
            decorators=decorators,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            is_generator=any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own),
            nested=tuple(k for k in Nested if k in nested),
            dead_branch=dead,
        )

    def origin(self, function: _Function | None, reached: list[Reached]) -> Origin:
        if self.model.main:
            return Origin.MAIN
        if getattr(self.case, REGISTERED_FIELD, False):
            return Origin.REGISTERED
        if Reached.COPY in reached:
            return Origin.FUNCTION_TYPE
        if function is not None and self._in_exec(function.frame):
            return Origin.EXEC_GLOBALS
        return Origin.DYNAMIC_MODULE

    def code(self, function: _Function) -> types.CodeType | None:
        """The code object the function's source compiles to (not run: compiled only, to read its tables)."""
        text = self.model.text_of(function.node)
        if text is None:
            return None
        try:
            module = compile(text, "<case>", "exec")
        except (SyntaxError, ValueError):
            return None
        node = function.node
        name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
        lines = {node.lineno} | (set() if isinstance(node, ast.Lambda) else {d.lineno for d in node.decorator_list})
        codes = [module]
        while codes:
            code = codes.pop(0)
            for const in code.co_consts:
                if isinstance(const, types.CodeType):
                    if const.co_name == name and const.co_firstlineno in lines:
                        return const
                    codes.append(const)
        return None


def case_facts(case: Case, modules: Iterable[str] = ()) -> CaseFacts:
    """The facts of ``case``, with its lazy imports and annotation reads, read from its text on any Python."""
    facts = _parsed_facts(case, modules)
    return replace(facts, lazy=lazy_words(case), annotation_reads=annotation_read_words(case.source))


def _parsed_facts(case: Case, modules: Iterable[str] = ()) -> CaseFacts:
    """The facts of ``case``; a source that does not parse gives a case of no known function.

    ``modules``: modules known to exist besides those the case names (see :func:`universe_facts`).
    """
    changes = changes_after_a_pickle(case.steps)
    hazard = hazard_kept(case)
    try:
        reader = _Reader(case, modules)
    except (SyntaxError, ValueError, RecursionError):
        universe = universe_facts(case, modules)
        return CaseFacts(None, FunctionFeatures(), (), universe, Origin.DYNAMIC_MODULE, changes, hazard)
    function, reached, replaced = reader.pickled()
    origin = reader.origin(function, reached)
    if function is None:
        return CaseFacts(None, FunctionFeatures(), (), reader.universe, origin, changes, hazard)
    node = function.node
    name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
    code_from = tuple("<lambda>" if isinstance(r.node, ast.Lambda) else r.node.name for r in replaced)
    pickled = PickledFunction(name, node, tuple(dict.fromkeys(reached)), code_from)
    codes = tuple(c for c in (reader.code(f) for f in [function, *replaced]) if c is not None)
    return CaseFacts(
        pickled,
        reader.features(function),
        reader.accesses([function, *replaced]),
        reader.universe,
        origin,
        changes,
        hazard,
        codes,
    )


@dataclass(frozen=True)
class ExtendedOperand:
    """An instruction of an access that takes an ``EXTENDED_ARG`` prefix: its operand does not fit a byte."""

    opname: str
    argval: str
    arg: int
    #: Where its name sits in ``co_names`` (``None``: not a name of that table).
    index: int | None


def extended_operands(codes: tuple[types.CodeType, ...], access: AccessFact) -> tuple[ExtendedOperand, ...]:
    """The access's instructions (loads of its names) that an ``EXTENDED_ARG`` precedes, in any of ``codes``."""
    wanted = set(access.names)
    found: list[ExtendedOperand] = []
    pending = list(codes)
    while pending:
        code = pending.pop(0)
        pending += [c for c in code.co_consts if isinstance(c, types.CodeType)]
        instructions = list(dis.get_instructions(code))
        for before, instruction in zip(instructions, instructions[1:]):
            if before.opname != "EXTENDED_ARG" or instruction.argval not in wanted:
                continue
            argval = str(instruction.argval)
            index = code.co_names.index(argval) if argval in code.co_names else None
            found.append(ExtendedOperand(instruction.opname, argval, instruction.arg or 0, index))
    return tuple(dict.fromkeys(found))
