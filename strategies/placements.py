"""Where in the function an access sits (list 3 of the strategy spec).

Each placement wraps the access in one syntactic context and assigns the
access's value to ``v<i>``. The table says which placements take a statement
(a store or a ``del``) as well as an expression, which put the access in a
nested scope (so function locals become closure cells), and which do not run
at all (the access is in a branch that is never taken, so nothing is needed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

Renderer = Callable[[int, "str | None", str], list[str]]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def _assign(i: int, statement: str | None, value: str) -> list[str]:
    return ([statement] if statement else []) + [f"v{i} = {value}"]


@dataclass(frozen=True)
class Placement:
    render: Renderer
    takes_statements: bool = True
    nested_scope: bool = False
    executes: bool = True
    #: The Python feature a case shows by using it (:data:`fuzz.generation.input_coverage.FEATURES`), if any.
    feature: str = ""


def _nested_def(i: int, statement: str | None, value: str) -> list[str]:
    body = ([statement] if statement else []) + [f"return {value}"]
    return [f"def inner_{i}():", *_indent(body), f"v{i} = inner_{i}()"]


def _class_body(i: int, statement: str | None, value: str) -> list[str]:
    body = ([statement] if statement else []) + [f"attr = {value}"]
    return [f"class Box{i}:", *_indent(body), f"v{i} = Box{i}.attr"]


def _block(header: list[str], footer: list[str] | None = None) -> Renderer:
    def render(i: int, statement: str | None, value: str) -> list[str]:
        head = [line.format(i=i) for line in header]
        return head[:-1] + [head[-1], *_indent(_assign(i, statement, value))] + (footer or [])

    return render


def _try_except(i: int, statement: str | None, value: str) -> list[str]:
    return ["try:", *_indent(_assign(i, statement, value)), "except ZeroDivisionError:", f"    v{i} = None"]


def _try_finally(i: int, statement: str | None, value: str) -> list[str]:
    return ["try:", "    pass", "finally:", *_indent(_assign(i, statement, value))]


def _while(i: int, statement: str | None, value: str) -> list[str]:
    return [f"n{i} = 1", f"while n{i}:", f"    n{i} -= 1", *_indent(_assign(i, statement, value))]


def _branch(condition: str) -> Renderer:
    def render(i: int, statement: str | None, value: str) -> list[str]:
        return [f"v{i} = None", f"if {condition}:", *_indent(_assign(i, statement, value))]

    return render


def _expression(template: str) -> Renderer:
    def render(i: int, statement: str | None, value: str) -> list[str]:
        assert statement is None
        return [f"v{i} = " + template.format(value)]

    return render


def _match_case(i: int, statement: str | None, value: str) -> list[str]:
    return [f"match {i}:", "    case _:", *_indent(_indent(_assign(i, statement, value)))]


def _comprehension(template: str) -> Placement:
    """A comprehension placement: an expression in a nested scope, which shows the comprehension feature."""
    return Placement(_expression(template), takes_statements=False, nested_scope=True, feature="comprehension")


PLACEMENTS = {
    "body": Placement(_assign),
    "nested-def": Placement(_nested_def, nested_scope=True, feature="nested function"),
    "lambda": Placement(_expression("(lambda: {})()"), takes_statements=False, nested_scope=True, feature="lambda"),
    "listcomp": _comprehension("[{} for _ in range(1)][0]"),
    "setcomp": _comprehension("sorted({{{} for _ in range(1)}})[0]"),
    "dictcomp": _comprehension("{{0: {} for _ in range(1)}}[0]"),
    "genexp": _comprehension("next({} for _ in range(1))"),
    "class-body": Placement(_class_body, nested_scope=True, feature="class"),
    "try-except": Placement(_try_except, feature="try"),
    "try-finally": Placement(_try_finally, feature="try"),
    "with": Placement(_block(["with contextlib.nullcontext():"]), feature="with"),
    "for-loop": Placement(_block(["for _ in range(1):"])),
    "while-loop": Placement(_while),
    "live-branch": Placement(_branch("len(__name__) >= 0")),
    "dead-branch": Placement(_branch("len(__name__) < 0"), executes=False),
}
if sys.version_info >= (3, 10):
    # Structural pattern matching (3.10+): the access sits in the body of a case that always matches.
    PLACEMENTS["match-case"] = Placement(_match_case, feature="match")


def allowed_placements(use: str, needs_nested_scope: bool) -> list[str]:
    """Placements that can hold this use of an access (narrowing, in one place)."""
    statement = use in ("store", "del")
    return [
        name
        for name, p in PLACEMENTS.items()
        if (p.takes_statements or not statement) and (p.nested_scope or not needs_nested_scope)
    ]
