"""Pickling the same functions again and again while the world changes.

``proposed`` caches what it learns per function object, and a function's
globals, closure cells and ``__code__`` can all change between two pickles;
``sys.modules`` changes under every detector. This state machine records each
change as a source statement (a *step*) and, at every check, runs the oracle
on a case made of the module source plus all steps so far. Earlier checks are
steps too (``pickled(fn)``), so caches are as warm as in a long-lived process,
and any failure is an ordinary, replayable :class:`~fuzz.model.case.Case`.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from fuzz.isolation.pool import Isolation
from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.model.verdict import Verdict
from fuzz.oracle.explain import explain
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import Side
from strategies.names import CHILD_NAMES, TOP_NAMES

#: The two packages the machine moves functions between.
TOPS = TOP_NAMES[:2]
FUNCTIONS = ("f", "h")
#: How each function reaches its package: ``f`` through a factory's closure cell, ``h`` through ``g = pkg``.
WAY_OF = {"f": "closure", "h": "module-alias"}


def stateful_universe(kids: list[str]) -> tuple[tuple[str, str], ...]:
    """Two packages with the same children, so rebinding keeps paths valid."""
    files = []
    for top in TOPS:
        files.append((f"{top}/__init__.py", f"VALUE = {top!r}\n"))
        files += [(f"{top}/{kid}.py", f"VALUE = '{top}.{kid}'\n") for kid in kids]
    return tuple(files)


def stateful_source(kids: list[str], preloaded: list[str]) -> str:
    first, last = kids[0], kids[-1]
    imports = ["import sys", *(f"import {top}" for top in TOPS), *(f"import {name}" for name in preloaded)]
    body = f"""
g = {TOPS[0]}


def make(m):
    def f():
        return m.{first}.VALUE

    return f


def h():
    return g.{first}.VALUE


def h_other():
    return g.{last}.VALUE


f = make({TOPS[0]})
"""
    return "\n".join(imports) + "\n" + body


class PicklingHistory(RuleBasedStateMachine):
    """Rules change the world; after each change every function is pickled and judged."""

    def __init__(
        self,
        baseline: Side,
        candidate: Side,
        isolation: Isolation,
        judge: Callable[[Case, Verdict], None] | None = None,
    ) -> None:
        """``judge``, if given, receives every verdict instead of failing ones being asserted."""
        super().__init__()
        self.baseline, self.candidate, self.isolation = baseline, candidate, isolation
        self.judge = judge
        self.steps: list[str] = []
        self.tags: list[str] = []
        self.verdicts: list[Verdict] = []
        self.kids: list[str] = []
        self.source = ""

    @initialize(
        kids=st.lists(st.sampled_from(CHILD_NAMES), min_size=1, max_size=2, unique=True),
        preload=st.lists(st.booleans(), min_size=4, max_size=4),
    )
    def build(self, kids: list[str], preload: list[bool]) -> None:
        self.kids = kids
        names = [f"{top}.{kid}" for top in TOPS for kid in kids]
        self.preloaded = [name for name, keep in zip(names, preload) if keep]
        self.source = stateful_source(kids, self.preloaded)

    def _step(self, tag: str, statement: str) -> None:
        """Apply one change, then pickle every function again: each pickle is judged."""
        self.tags.append(tagging.tag(tagging.STATEFUL, tag))
        self.steps.append(statement)
        for fn in FUNCTIONS:
            self.check(fn)

    @rule(top=st.sampled_from(TOPS))
    def rebind_global_alias(self, top: str) -> None:
        self._step("rebind-global", f"g = {top}")

    @rule(top=st.sampled_from(TOPS))
    def set_closure_cell(self, top: str) -> None:
        self._step("set-cell", f"f.__closure__[0].cell_contents = {top}")

    @rule()
    def replace_code(self) -> None:
        self._step("replace-code", "h.__code__ = h_other.__code__")

    @rule(top=st.sampled_from(TOPS), kid=st.integers(0, 1))
    def import_submodule(self, top: str, kid: int) -> None:
        self._step("import", f"import {top}.{self.kids[kid % len(self.kids)]}")

    @rule(top=st.sampled_from(TOPS), kid=st.integers(0, 1))
    def remove_submodule(self, top: str, kid: int) -> None:
        self._step("remove", f"sys.modules.pop('{top}.{self.kids[kid % len(self.kids)]}', None)")

    @rule(top=st.sampled_from(TOPS))
    def call_factory_again(self, top: str) -> None:
        self._step("factory-again", f"f = make({top})")

    @precondition(lambda self: bool(self.source))
    @rule(fn=st.sampled_from(FUNCTIONS))
    def check(self, fn: str) -> None:
        """Pickle ``fn`` as things stand, judge it, and leave its caches warm."""
        case = Case(
            files=stateful_universe(self.kids),
            source=self.source,
            entry=fn,
            steps=tuple(self.steps),
            tags=(
                tagging.STATEFUL,
                tagging.tag(tagging.VIA, WAY_OF[fn]),
                *dict.fromkeys(self.tags),
                *(
                    tagging.tag(tagging.LAST_CHANGE, change)
                    for change in tagging.values(self.tags[-1:], tagging.STATEFUL)
                ),
            ),
            name="stateful",
        )
        verdict = run_case(case, self.baseline, self.candidate, self.isolation)
        self.verdicts.append(verdict)
        if self.judge is not None:
            self.judge(case, verdict)
        else:
            note(case.render() + "\n" + explain(verdict))
            assert not verdict.failing, "\n" + case.render() + "\n" + explain(verdict)
        self.steps.append(f"pickled({fn})")

    @classmethod
    def bound(
        cls,
        baseline: Side,
        candidate: Side,
        isolation: Isolation,
        judge: Callable[[Case, Verdict], None] | None = None,
    ) -> type[PicklingHistory]:
        """This machine with its sides fixed, as a class: what Hypothesis's runner builds machines from."""

        class Bound(cls):  # type: ignore[valid-type,misc]  # a subclass of whatever class this is called on
            def __init__(self) -> None:
                super().__init__(baseline, candidate, isolation, judge)

        return Bound

    @invariant()
    def steps_are_replayable(self) -> None:
        # Every step must be a statement on its own, so a failure replays from its case alone.
        for step in self.steps:
            compile(step, "<step>", "exec")
