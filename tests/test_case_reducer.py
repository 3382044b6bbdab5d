"""The case reducer on its own: every reduction it claims, 1-minimality and its budget, with a fake finding.

The real predicate runs a case in fresh interpreters (``tests/test_shrinking.py``);
here it is a small in-process stand-in, so each claim of
:mod:`fuzz.shrinking.case_reducer` is checked in milliseconds. The fake
finding is "calling the entry reads ``alpha.core.VALUE``": ``alpha.core``
exists only while the universe holds ``alpha/core.py`` defining ``VALUE``
and the parent imports ``alpha.core``, and the case's module and steps run
in one namespace, as they do in the gate.
"""

from __future__ import annotations

import ast
import contextlib
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

from fuzz.model.case import Case
from fuzz.shrinking import case_reducer
from fuzz.shrinking.alike_runs import RUN_LENGTH
from fuzz.shrinking.case_reducer import Reduction, candidates, reduce_case

#: No deadline: only the budget tests at the end run out of time or runs.
NO_DEADLINE = float("inf")

CORE = ("alpha/core.py", "VALUE = 'core'\n")
WORLD = (("alpha/__init__.py", ""), CORE)
#: Names the fake module's namespace starts with, beside ``alpha``: padding reads ``PADS.pN``.
PADS = types.SimpleNamespace(**{f"p{i}": i for i in range(40)})


class _Watched:
    """A module stand-in that notes which of its names are read."""

    def __init__(self, names: dict[str, object]) -> None:
        self._names = names
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> object:
        if name not in self._names:
            raise AttributeError(name)
        self.read.add(name)
        return self._names[name]


def _core_module(case: Case) -> _Watched | None:
    files = dict(case.files)
    if "alpha/core.py" not in files or "alpha.core" not in case.parent_imports:
        return None
    names: dict[str, object] = {}
    exec(files["alpha/core.py"], names)
    return _Watched({k: v for k, v in names.items() if k != "__builtins__"})


def _call(function: Callable[[], object]) -> object:
    """What calling the entry gives: a coroutine's result, a generator's first value, or what it returns."""
    result = function()
    if isinstance(result, types.CoroutineType):
        try:
            result.send(None)
        except StopIteration as stop:
            return stop.value
        result.close()
        return None
    if isinstance(result, types.GeneratorType):
        return next(result, None)
    return result


def _run(case: Case) -> tuple[bool, object]:
    """Run the case as the gate would, in one namespace: whether the entry's call read ``VALUE``, and its result."""
    try:
        core = _core_module(case)
        namespace: dict[str, object] = {
            "alpha": types.SimpleNamespace(core=core) if core else types.SimpleNamespace(),
            "PADS": PADS,
            "nullcontext": contextlib.nullcontext,
        }
        exec(compile(case.source, "<case>", "exec"), namespace)
        for step in case.steps:
            exec(compile(step, "<step>", "exec"), namespace)
        function = eval(case.entry, namespace)
        if core is not None:
            core.read.clear()  # only what the call reads counts, not the module's own run
        result = _call(function)
    except Exception:  # noqa: BLE001  (a candidate whose code no longer runs keeps nothing)
        return False, None
    return core is not None and "VALUE" in core.read, result


def reads_core(case: Case) -> bool:
    """The fake finding: calling the case's entry reads ``alpha.core.VALUE``."""
    return _run(case)[0]


def returns_core(case: Case) -> bool:
    """A stricter fake finding: the entry's call reads ``alpha.core.VALUE`` and gives it back."""
    read, result = _run(case)
    return read and result == "core"


class Judge:
    """The predicate the reducer is given, remembering every case it was asked about and its answer."""

    def __init__(self, predicate: Callable[[Case], bool] = reads_core) -> None:
        self.predicate = predicate
        self.answers: list[tuple[Case, bool]] = []

    def __call__(self, case: Case) -> bool:
        answer = self.predicate(case)
        self.answers.append((case, answer))
        return answer


def reduced(case: Case, predicate: Callable[[Case], bool] = reads_core) -> Reduction:
    """Reduce ``case``, and check what every reduction must be: kept by the predicate, and 1-minimal."""
    assert predicate(case), "the case must show the finding before it is reduced"
    judge = Judge(predicate)
    reduction = reduce_case(case, judge, NO_DEADLINE)
    assert reduction.complete
    assert predicate(reduction.case), "the reducer returned a case without the finding"
    assert reduction.case == case or (reduction.case, True) in judge.answers, "returned a case never judged"
    kept = [what for what, candidate in candidates(reduction.case) if predicate(candidate)]
    assert kept == [], f"not 1-minimal: the finding survives removing {kept}\n{reduction.case.source}"
    return reduction


def same_code(source: str, expected: str) -> bool:
    return ast.dump(ast.parse(source)) == ast.dump(ast.parse(expected))


def _case(source: str, **fields: Any) -> Case:
    fields.setdefault("files", WORLD)
    fields.setdefault("parent_imports", ("alpha.core",))
    return Case(source=source, **fields)


# -- what the case is made of: steps, universe files, parent imports ------------------------


def test_steps_the_finding_does_not_need_are_dropped():
    case = _case("def f():\n    return box.core.VALUE\n", steps=("x = 1", "box = alpha", "del x"))
    assert reduced(case).case.steps == ("box = alpha",)


def test_universe_files_and_parent_imports_the_finding_does_not_need_are_dropped():
    files = (
        ("alpha/__init__.py", "from . import core\n"),
        ("alpha/core.py", "import os\nVALUE = 'core'\nOTHER = os.sep\n"),
        ("alpha/spare.py", "SPARE = 1\n"),
        ("beta/__init__.py", "import alpha\n"),
    )
    case = _case("def f():\n    return alpha.core.VALUE\n", files=files, parent_imports=("beta", "alpha.core", "alpha"))
    result = reduced(case).case
    assert result.files == (("alpha/core.py", "VALUE = 'core'\n"),), "files dropped, and the one kept reduced"
    assert result.parent_imports == ("alpha.core",)


# -- statements of the function's module ------------------------------------------------------


def test_statements_the_finding_does_not_need_are_dropped():
    source = (
        "import os\nSPARE = 1\n\n"
        "def helper():\n    return SPARE\n\n"
        "def f():\n    unused = helper()\n    v = alpha.core.VALUE\n    w = os.sep\n    return (v, w)\n"
    )
    result = reduced(_case(source)).case
    assert same_code(result.source, "def f():\n    v = alpha.core.VALUE\n")


def test_an_entry_that_does_nothing_is_kept_when_nothing_else_is_needed():
    """The function under test is never removed, even when the finding would survive without it."""

    def always(case: Case) -> bool:
        return True

    result = reduced(_case("X = 1\n\ndef f():\n    return X\n"), always).case
    assert same_code(result.source, "def f():\n    pass\n")
    assert (result.files, result.parent_imports, result.steps) == ((), (), ())


# -- simplifications: each construct the reducer claims to simplify, in a function that needs it --

#: ``(what the reducer does, the function's source)``: each function returns ``alpha.core.VALUE`` only
#: through the construct, so the finding survives its simplification and nothing else.
SIMPLIFIED = [
    ("flatten an if", "def f():\n    if alpha:\n        v = alpha.core.VALUE\n    return v\n"),
    ("flatten a for", "def f():\n    for _ in range(1):\n        v = alpha.core.VALUE\n    return v\n"),
    ("flatten a with", "def f():\n    with nullcontext():\n        v = alpha.core.VALUE\n    return v\n"),
    (
        "flatten a try",
        "def f():\n    try:\n        v = alpha.core.VALUE\n    except KeyError:\n        v = 1\n    return v\n",
    ),
    (
        "flatten a try-finally",
        "def f():\n    try:\n        v = alpha.core.VALUE\n    finally:\n        w = 1\n    return v\n",
    ),
    ("unwrap a lambda", "def f():\n    v = (lambda: alpha.core.VALUE)()\n    return v\n"),
    ("unwrap a list comprehension", "def f():\n    v = [alpha.core.VALUE for _ in range(1)][0]\n    return v\n"),
    ("unwrap a dict comprehension", "def f():\n    v = {0: alpha.core.VALUE for _ in range(1)}[0]\n    return v\n"),
    ("unwrap a generator expression", "def f():\n    v = next(alpha.core.VALUE for _ in range(1))\n    return v\n"),
    ("unwrap a set comprehension", "def f():\n    v = sorted({alpha.core.VALUE for _ in range(1)})[0]\n    return v\n"),
    (
        "inline a nested function",
        "def f():\n    def inner():\n        x = 1\n        return alpha.core.VALUE\n    v = inner()\n    return v\n",
    ),
    (
        "inline a class body",
        "def f():\n    class Box:\n        x = 1\n        value = alpha.core.VALUE\n    v = Box.value\n    return v\n",
    ),
    ("async def to def", "async def f():\n    v = alpha.core.VALUE\n    return v\n"),
    ("yield to return", "def f():\n    v = alpha.core.VALUE\n    yield v\n"),
    ("drop a decorator", "def keep(fn):\n    return fn\n\n@keep\ndef f():\n    v = alpha.core.VALUE\n    return v\n"),
]
if sys.version_info >= (3, 10):
    SIMPLIFIED.append(
        ("flatten a match", "def f():\n    match 1:\n        case _:\n            v = alpha.core.VALUE\n    return v\n")
    )


@pytest.mark.parametrize(("what", "source"), SIMPLIFIED, ids=[what for what, _ in SIMPLIFIED])
def test_each_simplification_is_made_when_the_finding_survives_it(what, source):
    result = reduced(_case(source), returns_core).case.source
    assert same_code(result, "def f():\n    v = alpha.core.VALUE\n    return v\n"), (
        f"{what}: {source!r} became\n{result}"
    )


def test_a_returned_tuple_loses_the_values_the_finding_does_not_need():
    result = reduced(_case("def f():\n    return (alpha.core.VALUE, 1, 2)\n")).case.source
    assert same_code(result, "def f():\n    return (alpha.core.VALUE,)\n")


def test_a_construct_the_finding_needs_is_kept():
    """An ``async def`` that awaits stays one, and so does one awaited; a decorator the finding needs stays."""
    source = (
        "async def read():\n    return alpha.core.VALUE\n\n"
        "async def f():\n    return await read()\n\n"
        "def reading(fn):\n    def wrapper():\n        return alpha.core.VALUE\n    return wrapper\n\n"
        "@reading\ndef g():\n    return 1\n"
    )
    for entry in ("f", "g"):
        result = reduced(_case(source, entry=entry), returns_core).case.source
        kept = {
            node.name: node for node in ast.parse(result).body if isinstance(node, ast.stmt) and hasattr(node, "name")
        }
        if entry == "f":
            assert set(kept) == {"read", "f"}, result
            assert all(isinstance(node, ast.AsyncFunctionDef) for node in kept.values()), result
        else:
            assert set(kept) == {"reading", "g"} and len(kept["g"].decorator_list) == 1, result


# -- runs of alike statements: cut by count, and the threshold named ---------------------------


def test_a_run_of_alike_statements_is_cut_to_the_fewest_that_keep_the_finding():
    needed = RUN_LENGTH + 4
    pads = "".join(f"    pad{i} = PADS.p{i}\n" for i in range(30))
    case = _case(f"def f():\n    v = alpha.core.VALUE\n{pads}")

    def many_names(case: Case) -> bool:
        """The fake size bug: the finding needs ``needed`` padding statements or more."""
        return reads_core(case) and case.source.count(" = PADS.p") >= needed

    reduction = reduced(case, many_names)
    assert reduction.case.source.count(" = PADS.p") == needed
    threshold = reduction.threshold
    assert threshold is not None and threshold.statements == needed
    # ``f``'s names: alpha, core, VALUE, PADS and one per padding statement kept.
    assert (threshold.operand, threshold.fails_with, threshold.passes_with) == ("names", needed + 4, needed + 3)
    assert threshold.example == "pad0 = PADS.p0"
    # A binary search, not one statement at a time: far fewer runs than statements removed.
    assert reduction.runs < 30 - needed


# -- what the reducer never does ---------------------------------------------------------------


def test_a_case_nothing_can_be_removed_from_is_returned_as_it_is():
    case = _case("def f():\n    v = alpha.core.VALUE\n", files=(CORE,))
    judge = Judge()
    reduction = reduce_case(case, judge, NO_DEADLINE)
    assert reduction.complete and reduction.steps == 0
    assert reduction.case == case
    assert all(not kept for _, kept in judge.answers), "every candidate tried loses the finding"


def test_no_case_the_predicate_rejects_is_ever_returned():
    """A predicate that rejects whatever is not the original: the original comes back, however much was tried."""
    source = "import os\n\ndef f():\n    if alpha:\n        v = (lambda: alpha.core.VALUE)()\n    return os.sep\n"
    case = _case(source, files=(*WORLD, ("alpha/spare.py", "X = 1\n")), steps=("x = 1",))
    judge = Judge(lambda candidate: candidate == case)
    reduction = reduce_case(case, judge, NO_DEADLINE)
    assert reduction.case == case and reduction.complete and reduction.steps == 0
    assert len(judge.answers) >= 5, "the candidates were tried, and each rejected"


# -- the budget ----------------------------------------------------------------------------------


def _long_case() -> Case:
    """A case whose full reduction takes thirty accepted steps or more."""
    # Two shapes in turn, so no run of alike statements forms (a run would be cut by count).
    noise = "".join(f"    a{i} = {i}\n    b{i} = ({i}, {i})\n" for i in range(5))
    return _case(f"def f():\n    v = alpha.core.VALUE\n{noise}", steps=tuple(f"s{i} = {i}" for i in range(20)))


def test_the_reducer_starts_no_judgement_past_its_deadline(monkeypatch):
    """On a clock each judgement moves on by a second, a 5 s deadline leaves the case partly reduced."""
    clock = [1000.0]
    deadline = clock[0] + 5
    started: list[float] = []

    def slow(case: Case) -> bool:
        started.append(clock[0])
        clock[0] += 1.0
        return reads_core(case)

    monkeypatch.setattr(case_reducer, "time", types.SimpleNamespace(time=lambda: clock[0]))
    reduction = reduce_case(_long_case(), slow, deadline=deadline)
    assert not reduction.complete
    assert started and all(when < deadline for when in started), started
    assert reduction.runs == len(started) and 0 < reduction.steps <= len(started)
    assert reads_core(reduction.case) and len(reduction.case.steps) >= 15, "stopped early, with what it had"


def test_the_reducer_stops_after_its_most_runs():
    judge = Judge()
    reduction = reduce_case(_long_case(), judge, NO_DEADLINE, max_runs=7)
    assert not reduction.complete
    assert len(judge.answers) == reduction.runs == 7
    assert reads_core(reduction.case) and reduction.steps > 0
    assert reduce_case(_long_case(), Judge(), NO_DEADLINE).runs > 30, "the full reduction needs many more"
