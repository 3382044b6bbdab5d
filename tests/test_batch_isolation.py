"""Batch isolation: children that serve case after case judge exactly as fresh ones do, and fail as safely."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fuzz.isolation.outcomes import LoadStatus, RequestKind
from fuzz.isolation.pool import Isolation
from fuzz.model.case import Case
from fuzz.oracle.judge import disjoint, run_cases
from fuzz.oracle.sides import make_side
from fuzz.perf.equivalence import compare_modes
from tests.conftest import TEST_TIMEOUT

PACKAGE = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\n"))


def _case(body: str, name: str, prelude: str = "") -> Case:
    """A case on its own ``pkg`` (renamed per case when materialised, so every such case is disjoint)."""
    return Case(PACKAGE, f"import pkg.sub\n{prelude}def f():\n{body}", needed=("pkg.sub",), name=name)


#: Returns its module's VALUE after 10 ms: a case that keeps a reused child busy for a while.
SLOW = _case("    time.sleep(0.01)\n    return pkg.sub.VALUE\n", "slow", "import time\n")
#: Leaves behind what a child cannot see when it puts itself back: a process of its own that kills the
#: child 0.2 s later, while it serves later cases (only if it is still that process's parent).
KILLS_ITS_CHILD_LATER = _case(
    "    parent = os.getpid()\n"
    "    if os.fork() == 0:\n"
    "        time.sleep(0.2)\n"
    "        if os.getppid() == parent:\n"
    "            os.kill(parent, signal.SIGKILL)\n"
    "        os._exit(0)\n"
    "    return pkg.sub.VALUE\n",
    "kills its child later",
    "import os\nimport signal\nimport time\n",
)
#: Leaves a thread running in the child: the child must retire rather than serve again.
LEAVES_A_THREAD = _case(
    "    threading.Thread(target=time.sleep, args=(0.5,), daemon=True).start()\n    return pkg.sub.VALUE\n",
    "leaves a thread",
    "import threading\nimport time\n",
)
#: Dies in every child that calls it.
SEGFAULTS = _case("    return ctypes.string_at(0)\n", "segfaults", "import ctypes\n")


@pytest.fixture(scope="module")
def sides():
    return make_side("legacy"), make_side("proposed")


@pytest.fixture
def batch_isolation() -> Iterator[Isolation]:
    with Isolation("batch", timeout=TEST_TIMEOUT) as isolation:
        yield isolation


@pytest.mark.slow
def test_a_seeded_pool_gets_the_same_verdicts_per_case_and_batched():
    """Every verdict (kind, reason, submodule lists, each outcome and what it imported) is identical.

    ``python -m fuzz throughput --equivalence 1000`` runs the same comparison on 1,000 cases.
    """
    report = compare_modes(150, seed=3)
    assert report.identical, report.differences[:1]
    assert report.cases == 150
    assert report.shared >= 75, "most generated cases reach only their own packages and can share a child"


def test_the_cases_a_child_may_share():
    assert disjoint(SLOW, [])
    assert not disjoint(SLOW, ["email.utils"]), "a home run that needs what this process holds"
    assert not disjoint(Case(PACKAGE, SLOW.source, needed=("pkg.sub", "xml.etree"), name="x"), [])
    stateful = Case(PACKAGE, SLOW.source, needed=("pkg.sub",), steps=("del sys.modules['pkg.sub']",), name="s")
    assert not disjoint(stateful, []), "steps that change the world between pickles"
    hazard = Case(
        PACKAGE, SLOW.source, needed=("pkg.sub",), steps=("sys.modules[None] = None",), tags=("hazard:none-key",)
    )
    assert disjoint(hazard, []), "an odd sys.modules entry is removed with the case's modules"


def _judge(cases: list[Case], sides, isolation: Isolation):
    return [(judged.verdict, judged.shared) for judged in run_cases(cases, *sides, isolation)]


def test_a_child_killed_mid_batch_costs_no_case_its_verdict(sides, batch_isolation, fork_isolation):
    """The killer case poisons the child it ran in; whichever later case that child was serving is rerun.

    Every case gets the verdict a fresh child per run gives, and the rerun is recorded on the outcome.
    """
    cases = [SLOW] * 5 + [KILLS_ITS_CHILD_LATER] + [SLOW] * 40
    batched = _judge(cases, sides, batch_isolation)
    per_case = _judge(cases, sides, fork_isolation)
    assert all(shared for _, shared in batched)
    for (b, _), (f, _) in zip(batched, per_case):
        assert (b.kind, b.expected.status, b.expected.value) == (f.kind, f.expected.status, f.expected.value)
        assert b.kind == "match" and b.expected.status == LoadStatus.RETURNED, b
    reruns = [
        outcome.reran_after
        for verdict, _ in batched
        for outcome in (verdict.expected, verdict.baseline.load, verdict.candidate.load)
        if outcome is not None and outcome.reran_after
    ]
    assert reruns and all("SIGKILL" in why for why in reruns), reruns


def test_a_case_that_dies_mid_batch_gets_its_own_death_and_the_others_theirs(sides, batch_isolation):
    cases = [SLOW] * 3 + [SEGFAULTS] + [SLOW] * 3
    batched = _judge(cases, sides, batch_isolation)
    kinds = [verdict.kind for verdict, _ in batched]
    assert kinds[3] == "unjudged" and batched[3][0].expected.status == LoadStatus.SIGNAL
    assert batched[3][0].expected.value == "SIGSEGV"
    assert kinds[:3] + kinds[4:] == ["match"] * 6


def test_a_child_that_cannot_be_put_back_retires(sides, batch_isolation):
    """A thread left running retires its child: the next case runs in a fresh one, and nothing is rerun."""
    batched = _judge([SLOW, LEAVES_A_THREAD, SLOW, SLOW], sides, batch_isolation)
    assert [verdict.kind for verdict, _ in batched] == ["match"] * 4
    assert not any(v.expected.reran_after for v, _ in batched)


def test_a_reused_child_holds_nothing_of_the_case_before(batch_isolation):
    """Two requests in a row on one child: the second sees exactly what a fresh child holds."""
    from fuzz.isolation.pool import SideRuntime
    from fuzz.isolation.remote.child_runtime import universe_table

    universe = universe_table([("solo/__init__.py", "import json\nVALUE = 1\n")], "<universe>")
    header = {
        "kind": RequestKind.REFERENCE,
        "universe": universe,
        "module_name": "fuzzcase_solo",
        "filename": "<case>",
        "source": "import solo\ndef f():\n    return solo.VALUE\n",
        "parent_imports": [],
        "home_modules": [],
        "steps": [],
        "entry": "f",
        "reusable": True,
    }
    runtime = SideRuntime()
    first, second = batch_isolation.run(runtime, header), batch_isolation.run(runtime, header)
    assert first.status == second.status == LoadStatus.RETURNED
    assert first.preloaded == second.preloaded == tuple(sorted(batch_isolation.fresh_modules(runtime)))
    assert "json" in first.imported_by_load and first.imported_by_load == second.imported_by_load
