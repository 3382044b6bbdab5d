"""The case reducer: shrink a failing case to one where no single element can go.

Hypothesis shrinks the choices a case was drawn from; what it cannot reach
(a statement the generator always writes, a step of a state-machine history,
a universe file another module happens to import, a placement wrapped
around an access) is left to this reducer, which works on the case itself:
its files, parent imports and steps, and the statements and expressions of
its module, read with :mod:`ast`.

Every candidate is a smaller or simpler case; the caller's ``still_fails``
says whether it keeps the finding (same verdict, same behaviour at home and
on each side). The loop accepts the first candidate that does and starts
again, so the result is **1-minimal** over :func:`candidates`: removing any
single element, or simplifying any single construct, loses the finding.

A run of alike statements (the generator's padding, ``padN = PADS.pN``)
is shrunk by count instead: a binary search keeps the fewest that still
fail, which is the size threshold the report names (:class:`Threshold`),
and a single representative stands for the run in the 1-minimality check.
"""

from __future__ import annotations

import ast
import dataclasses
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fuzz.model.case import Case
from fuzz.shrinking.alike_runs import runs, shape

StillFails = Callable[[Case], bool]


#: What a run of alike statements can grow in the pickled function's code, and how each is counted. The
#: first that differs between the failing run and one statement fewer is the threshold's operand; names
#: come first, so the generator's ``padK = PADS.pK`` (a name and a local each) counts names.
OPERAND_COUNTS: dict[str, Callable[[types.CodeType], int]] = {
    "names": lambda code: len(code.co_names),
    "constants": lambda code: len(code.co_consts),
    "locals": lambda code: code.co_nlocals,
    "cells": lambda code: len(code.co_freevars) + len(code.co_cellvars),
    "code units": lambda code: len(code.co_code) // 2,
}


@dataclass(frozen=True)
class Threshold:
    """Where the finding depends on a count: of names, constants, locals, cells, code units (:data:`OPERAND_COUNTS`)."""

    #: Statements of the run kept (the fewest that still fail).
    statements: int
    #: Names in the function's ``co_names`` with that many statements, and with one fewer.
    fails_with_names: int
    passes_with_names: int
    #: One statement of the run, as written.
    example: str
    #: What the run grows (a key of :data:`OPERAND_COUNTS`), and how many the function holds with that many
    #: statements and with one fewer: for ``names``, the two counts above.
    operand: str = "names"
    fails_with: int = 0
    passes_with: int = 0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class Reduction:
    """The reducer's result: the smallest case it reached, and what it took."""

    case: Case
    #: Oracle runs spent (each judges one candidate).
    runs: int
    #: Candidates accepted.
    steps: int
    #: Whether the reducer reached a fixpoint (1-minimal) before its deadline.
    complete: bool
    threshold: Threshold | None = None


# -- where statements live in a module ------------------------------------------------


def _statement_lists(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every ``(node, field)`` holding a list of statements, outermost first."""
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, name, None)
            if isinstance(value, list) and value and isinstance(value[0], (ast.stmt, ast.excepthandler)):
                yield node, name


def _shape(statement: ast.stmt) -> str:
    """A statement with its numbers erased: ``pad7 = PADS.p7`` and ``pad8 = PADS.p8`` look alike."""
    return shape(ast.unparse(statement))


def _runs(body: list[ast.stmt]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of alike statements: shrunk by count (and a threshold reported)."""
    return runs(body, _shape)


def _entry_name(case: Case) -> str:
    return case.entry.split("(", 1)[0].strip()


class _Source:
    """A module source, re-parsed for each candidate so that edits never share nodes."""

    def __init__(self, text: str) -> None:
        self.text = text

    def tree(self) -> ast.Module:
        return ast.parse(self.text)

    @staticmethod
    def write(tree: ast.Module) -> str | None:
        try:
            text = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
            compile(text, "<candidate>", "exec")
        except (SyntaxError, ValueError, RecursionError):
            return None
        return text


def _edits(text: str, entry: str) -> Iterator[tuple[str, str]]:
    """``(what, new source)`` for each single-element edit of a module."""
    source = _Source(text)
    for position, (node, field) in enumerate(_statement_lists(source.tree())):
        body = getattr(node, field)
        covered = {index for start, end in _runs(body) for index in range(start + 1, end)}
        for index in range(len(body)):
            if index in covered:
                continue  # a run's statements stand or fall together: its first one speaks for them
            edited = _remove(source, position, field, index, index + 1, entry)
            if edited is not None:
                yield f"statement {index}", edited
    yield from _simplifications(source)


def _remove(source: _Source, position: int, field: str, start: int, end: int, entry: str) -> str | None:
    tree = source.tree()
    node, _ = list(_statement_lists(tree))[position]
    body = getattr(node, field)
    doomed = body[start:end]
    if any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == entry for s in doomed):
        if node is tree:
            return None  # the function under test stays
    if field == "handlers" and len(body) == end - start:
        return None
    del body[start:end]
    if not body and field in ("body", "handlers"):
        body.append(ast.Pass())
    if not body and field in ("orelse", "finalbody"):
        setattr(node, field, [])
        if field == "finalbody" and isinstance(node, ast.Try) and not node.handlers:
            return None
    return source.write(tree)


_WRAPPERS = (ast.If, ast.For, ast.While, ast.With, ast.Try)
#: ``ast.Match`` where the running Python has it (3.10+).
_MATCH: tuple[type, ...] = tuple(t for t in (getattr(ast, "Match", None),) if t is not None)


def _simplifications(source: _Source) -> Iterator[tuple[str, str]]:
    """Edits that simplify rather than remove: flatten a block, unwrap a scope, drop a decorator..."""
    for index, node in enumerate(ast.walk(source.tree())):
        for what, applies, edit in _SIMPLIFICATIONS:
            if not applies(node):
                continue
            tree = source.tree()
            if edit(tree, list(ast.walk(tree))[index]):
                text = source.write(tree)
                if text is not None:
                    yield what, text


def _parent_of(tree: ast.AST, child: ast.AST) -> tuple[ast.AST, str, int] | None:
    for node, field in _statement_lists(tree):
        body = getattr(node, field)
        for index, statement in enumerate(body):
            if statement is child:
                return node, field, index
    return None


def _flatten(tree: ast.Module, node: ast.AST) -> bool:
    """``if``/``for``/``while``/``with``/``try`` replaced by its body; a one-case ``match`` by its case's."""
    if isinstance(node, _WRAPPERS):
        body = node.body
    elif isinstance(node, _MATCH) and len(getattr(node, "cases", ())) == 1:
        body = getattr(node, "cases")[0].body  # noqa: B009  (ast.Match only exists on 3.10+)
    else:
        return False
    place = _parent_of(tree, node)
    if place is None:
        return False
    parent, field, index = place
    getattr(parent, field)[index : index + 1] = body
    return True


def _unwrap(tree: ast.Module, node: ast.AST) -> bool:
    """An expression run in a nested scope, run in place.

    ``(lambda: E)()``, ``[E for _ in ...][0]``, ``next(E for ...)`` and the like become ``E``.
    """
    inner = _wrapped_expression(node)
    if inner is None:
        return False
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is node:
                setattr(parent, field, inner)
                return True
            if isinstance(value, list) and any(item is node for item in value):
                value[[id(item) for item in value].index(id(node))] = inner
                return True
    return False


def _wrapped_expression(node: ast.AST) -> ast.expr | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Lambda) and not node.args:
        return node.func.body
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("next", "sorted"):
        if len(node.args) == 1 and isinstance(node.args[0], (ast.GeneratorExp, ast.SetComp, ast.ListComp)):
            return node.args[0].elt
    if isinstance(node, ast.Subscript):
        value = node.value
        if isinstance(value, (ast.ListComp, ast.SetComp)):
            return value.elt
        if isinstance(value, ast.DictComp):
            return value.value
        if isinstance(value, ast.Call):
            return _wrapped_expression(value)
    return None


def _inline_nested(tree: ast.Module, node: ast.AST) -> bool:
    """A nested function (or class body) used once, inlined where it is used.

    ``def inner(): S; return E`` then ``v = inner()`` becomes ``S; v = E``;
    ``class Box: S; attr = E`` then ``v = Box.attr`` becomes ``S; v = E``.
    """
    place = _parent_of(tree, node)
    if place is None or not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or not node.body:
        return False
    parent, field, index = place
    body = getattr(parent, field)
    last = node.body[-1]
    if isinstance(node, ast.FunctionDef):
        if node.args.args or node.decorator_list or not isinstance(last, ast.Return) or last.value is None:
            return False
        value, used = last.value, f"{node.name}()"
    else:
        if not (isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Name)):
            return False
        value, used = last.value, f"{node.name}.{last.targets[0].id}"
    for later in range(index + 1, len(body)):
        statement = body[later]
        if isinstance(statement, ast.Assign) and ast.unparse(statement.value) == used:
            statement.value = value
            body[later : later + 1] = [*node.body[:-1], statement]
            del body[index]
            return True
    return False


def _drop_decorator(tree: ast.Module, node: ast.AST) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
        node.decorator_list.pop()
        return True
    return False


def _to_plain_def(tree: ast.Module, node: ast.AST) -> bool:
    if not isinstance(node, ast.AsyncFunctionDef):
        return False
    if any(isinstance(n, (ast.Await, ast.AsyncFor, ast.AsyncWith)) for n in ast.walk(node)):
        return False
    place = _parent_of(tree, node)
    if place is None:
        return False
    parent, field, index = place
    # Same fields, other class: whatever fields this Python's FunctionDef has (type_params from 3.12).
    plain = ast.FunctionDef(name=node.name, args=node.args, body=node.body, decorator_list=node.decorator_list)
    for name in node._fields:
        setattr(plain, name, getattr(node, name))
    ast.copy_location(plain, node)
    getattr(parent, field)[index] = plain
    return True


def _yield_to_return(tree: ast.Module, node: ast.AST) -> bool:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
        place = _parent_of(tree, node)
        if place is None:
            return False
        parent, field, index = place
        getattr(parent, field)[index] = ast.Return(value=node.value.value)
        return True
    return False


def _drop_returned_value(tree: ast.Module, node: ast.AST) -> bool:
    """One element fewer in a returned (or yielded) tuple."""
    if isinstance(node, (ast.Return, ast.Yield)) and isinstance(node.value, ast.Tuple) and len(node.value.elts) > 1:
        node.value.elts.pop()
        return True
    return False


#: ``(what, does it apply to this node, the edit)``: cheap type tests first, the edit on a fresh parse.
_SIMPLIFICATIONS: tuple[tuple[str, Callable[[ast.AST], bool], Callable[[ast.Module, ast.AST], bool]], ...] = (
    ("flatten a block", lambda n: isinstance(n, (*_WRAPPERS, *_MATCH)), _flatten),
    ("unwrap a nested scope", lambda n: _wrapped_expression(n) is not None, _unwrap),
    ("inline a nested function or class", lambda n: isinstance(n, (ast.FunctionDef, ast.ClassDef)), _inline_nested),
    (
        "drop a decorator",
        lambda n: isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and bool(n.decorator_list),
        _drop_decorator,
    ),
    ("async def to def", lambda n: isinstance(n, ast.AsyncFunctionDef), _to_plain_def),
    ("yield to return", lambda n: isinstance(n, ast.Expr) and isinstance(n.value, ast.Yield), _yield_to_return),
    (
        "drop a returned value",
        lambda n: isinstance(n, (ast.Return, ast.Yield)) and isinstance(n.value, ast.Tuple),
        _drop_returned_value,
    ),
)


# -- candidates over the whole case ------------------------------------------------------


def candidates(case: Case) -> Iterator[tuple[str, Case]]:
    """Every single-element reduction of ``case``, the larger cuts first (see the module docstring)."""
    for index in range(len(case.steps)):
        yield f"step {index}", dataclasses.replace(case, steps=case.steps[:index] + case.steps[index + 1 :])
    for index, (path, _) in enumerate(case.files):
        yield f"file {path}", dataclasses.replace(case, files=case.files[:index] + case.files[index + 1 :])
    for index, name in enumerate(case.parent_imports):
        rest = case.parent_imports[:index] + case.parent_imports[index + 1 :]
        yield f"parent import {name}", dataclasses.replace(case, parent_imports=rest)
    try:
        edits = list(_edits(case.source, _entry_name(case)))
    except SyntaxError:
        edits = []
    for what, text in edits:
        if text != case.source:
            yield what, dataclasses.replace(case, source=text)
    for index, (path, content) in enumerate(case.files):
        try:
            file_edits = list(_edits(content, ""))
        except SyntaxError:
            continue
        for what, text in file_edits:
            if text == content:
                continue
            files = (*case.files[:index], (path, text), *case.files[index + 1 :])
            yield f"{path}: {what}", dataclasses.replace(case, files=files)


def _normalised(case: Case) -> Case:
    """The case as the reducer writes it (``ast.unparse`` style), so equal cases compare equal."""
    text = _Source.write(ast.parse(case.source))
    return dataclasses.replace(case, source=text or case.source, needed=None)


def _shrink_runs(case: Case, still_fails: StillFails, spend: Callable[[], bool]) -> Case:
    """Each run of alike statements cut to the fewest that still fail (binary search)."""
    changed = True
    while changed:
        changed = False
        tree = ast.parse(case.source)
        for position, (node, field) in enumerate(_statement_lists(tree)):
            for start, end in _runs(getattr(node, field)):
                low, high = 0, end - start  # `high` statements fail; find the fewest
                while low < high and spend():
                    middle = (low + high) // 2
                    trial = _keep_in_run(case, position, field, start, end, middle)
                    if trial is not None and still_fails(trial):
                        high = middle
                    else:
                        low = middle + 1
                if high < end - start:
                    kept = _keep_in_run(case, position, field, start, end, high)
                    if kept is not None:
                        case, changed = kept, True
                        break
            if changed:
                break
    return case


def _keep_in_run(case: Case, position: int, field: str, start: int, end: int, keep: int) -> Case | None:
    source = _Source(case.source)
    tree = source.tree()
    node, _ = list(_statement_lists(tree))[position]
    body = getattr(node, field)
    del body[start + keep : end]
    if not body:
        body.append(ast.Pass())
    text = source.write(tree)
    return None if text is None else dataclasses.replace(case, source=text)


def threshold_of(case: Case, still_fails: StillFails) -> Threshold | None:
    """The size threshold of a reduced case, if a run of alike statements is still in it."""
    tree = ast.parse(case.source)
    for position, (node, field) in enumerate(_statement_lists(tree)):
        body = getattr(node, field)
        for start, end in _runs(body):
            fewer = _keep_in_run(case, position, field, start, end, end - start - 1)
            if fewer is None or still_fails(fewer):
                continue
            failing, passing = _entry_code(case), _entry_code(fewer)
            operand, fails, passes = "names", 0, 0
            if failing is not None and passing is not None:
                counts = ((name, count(failing), count(passing)) for name, count in OPERAND_COUNTS.items())
                operand, fails, passes = next((c for c in counts if c[1] != c[2]), ("names", 0, 0))
            return Threshold(
                statements=end - start,
                fails_with_names=names_in_entry(case),
                passes_with_names=names_in_entry(fewer),
                example=ast.unparse(body[start]),
                operand=operand,
                fails_with=fails,
                passes_with=passes,
            )
    return None


def _pickled_function_name(case: Case) -> str:
    """The name of the function whose size counts: the entry when it names one, else ``f``.

    Generated entries reach ``f`` through a factory (``make(...)``), a class (``Service().f``), a
    partial or a container; hand-written and state-machine entries name their function.
    """
    entry = _entry_name(case)
    return entry if entry.isidentifier() and entry not in ("make", "Service") else "f"


def _entry_code(case: Case) -> types.CodeType | None:
    """The pickled function's code object, compiled from the case's source (``None`` if it is not there)."""
    name = _pickled_function_name(case)
    codes = [compile(case.source, "<case>", "exec")]
    while codes:
        code = codes.pop(0)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == name:
                    return const
                codes.append(const)
    return None


def names_in_entry(case: Case) -> int:
    """How many names (``co_names``) the pickled function's code holds: what a size threshold counts."""
    code = _entry_code(case)
    return len(code.co_names) if code is not None else 0


def reduce_case(case: Case, still_fails: StillFails, deadline: float, max_runs: int = 2000) -> Reduction:
    """Shrink ``case`` while ``still_fails`` holds, until 1-minimal or ``deadline`` (``time.time()``)."""
    runs = steps = 0
    seen: dict[str, bool] = {}

    def spend() -> bool:
        return time.time() < deadline and runs < max_runs

    def judged(candidate: Case) -> bool:
        nonlocal runs
        key = repr((candidate.files, candidate.source, candidate.parent_imports, candidate.steps))
        if key not in seen:
            runs += 1
            seen[key] = still_fails(candidate)
        return seen[key]

    normal = _normalised(case)
    if normal != case and judged(normal):
        case = normal
    case = _shrink_runs(case, judged, spend)
    complete = False
    while spend():
        for _, candidate in candidates(case):
            if not spend():
                break
            if candidate != case and judged(candidate):
                case, steps = candidate, steps + 1
                break
        else:
            complete = True
            break
    # Named even when the deadline came first: it is checked on the case as it stands (one statement fewer
    # passes), and a size finding shrunk that far is of its size, however much else is left.
    threshold = threshold_of(case, judged)
    return Reduction(case, runs, steps, complete, threshold)
