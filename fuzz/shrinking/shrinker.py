"""Shrinking one finding: Hypothesis's shrinker first, then the case reducer, within a deadline.

A finding is a case and its *signature*: the verdict kind and how the home
run, the baseline and the candidate behaved (``regression``, ``returned``,
``returned``, ``raised:AttributeError``). A smaller case keeps the finding
only if it has the same signature: the same failure, with the function still
working at home as it did.

Hypothesis is the anchor. The campaign records the choices it drew each
failing case from; here they are saved under the *secondary* key of an
in-memory example database, where Hypothesis keeps failures it has not
shrunk yet, and :func:`hypothesis.find` replays them and shrinks them with
the signature as its condition. What it leaves (structure the generator
always writes) goes to :mod:`fuzz.shrinking.case_reducer`. Cases without
choices (state-machine histories, corpus entries) go to the reducer alone.
If the installed Hypothesis cannot replay the choices, the reducer alone is
used too, and the finding says which shrinker ran.
"""

from __future__ import annotations

import base64
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

from fuzz.generation.hypothesis_internals import forced_seed, save_unshrunk
from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.model.records import behaviour, home_behaviour
from fuzz.model.verdict import Verdict
from fuzz.shrinking.case_reducer import Reduction, reduce_case
from fuzz.shrinking.extended_args import missed_past_a_byte

#: ``(kind, at home, baseline, candidate)``: what a smaller case must keep to keep the finding.
Signature = tuple[str, str, str, str]
Judge = Callable[[Case], "Verdict | None"]


def _judged(judge: Judge, case: Case) -> Verdict | None:
    """The verdict of a candidate, or ``None`` if it cannot be run (its own code fails in the parent)."""
    try:
        return judge(case)
    except Exception:  # noqa: BLE001  (a candidate that breaks its own module keeps nothing)
        return None


def signature(verdict: Verdict) -> Signature:
    return (
        str(verdict.kind),
        home_behaviour(verdict.expected),
        behaviour(verdict.baseline),
        behaviour(verdict.candidate),
    )


@dataclass
class Shrunk:
    """One finding after shrinking."""

    case: Case
    verdict: Verdict
    #: Oracle runs spent, by Hypothesis and by the reducer.
    hypothesis_runs: int
    reducer: Reduction | None
    seconds: float
    #: Why Hypothesis did not shrink it (no choices recorded, could not replay...), or "".
    hypothesis_skipped: str = ""

    @property
    def complete(self) -> bool:
        return self.reducer is not None and self.reducer.complete

    def to_dict(self) -> dict:
        reducer = self.reducer
        return {
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "hypothesis_runs": self.hypothesis_runs,
            "hypothesis_skipped": self.hypothesis_skipped,
            "reducer_runs": reducer.runs if reducer else 0,
            "reducer_steps": reducer.steps if reducer else 0,
            "threshold": reducer.threshold.to_dict() if reducer and reducer.threshold else None,
        }


class _OutOfTime(BaseException):
    """Raised in Hypothesis's test past the deadline: not an ``Exception``, so Hypothesis does not shrink it."""


def _with_hypothesis(
    case: Case, choices: str, target: Signature, judge: Judge, deadline: float, strategy: st.SearchStrategy[Case]
) -> tuple[Case | None, int, str]:
    """Replay the recorded choices through Hypothesis and let it shrink them; ``(case, runs, why not)``.

    Hypothesis may *slip*: shrink towards a simpler case with the same
    signature but another cause (a container item becoming a local alias).
    A candidate may only use ways of access the finding's case already used,
    and may only blame (miss the modules of) ways it blamed, where they were
    (top level, nested code, a branch that never runs), so a finding shrinks to
    the access that was failing in it, never to a simpler one it did not have,
    nor to one it had that did not fail (a walrus in a dead branch of a case
    failing for its size, moved to a live one), nor to the same access moved
    into nested code, where it fails without the size. A finding whose missed
    submodule's attribute load takes an ``EXTENDED_ARG`` prefix keeps one
    (:mod:`fuzz.shrinking.extended_args`): Hypothesis would rather drop the
    padding than an alias that fails on its own, and the size would be lost.
    """
    answers: dict[str, bool] = {}
    runs = 1
    ways = set(tagging.values(case.tags, tagging.VIA))
    found = _judged(judge, case)
    blamed = _blamed(case, found) if found is not None else set()
    sized = found is not None and missed_past_a_byte(case.source, found.candidate.missed or ())
    best: list[Case] = []

    def keeps_finding(candidate: Case) -> bool:
        nonlocal runs
        # Past the deadline Hypothesis is stopped at once: refusing its candidates one by one would
        # still cost a generated case each, and the reducer's share of the time with it.
        if time.time() >= deadline:
            raise _OutOfTime
        key = repr(candidate)
        if key not in answers:
            if not set(tagging.values(candidate.tags, tagging.VIA)) <= ways:
                answers[key] = False
            else:
                runs += 1
                verdict = _judged(judge, candidate)
                answers[key] = (
                    verdict is not None
                    and signature(verdict) == target
                    and (not blamed or _blamed(candidate, verdict) <= blamed)
                    and (not sized or missed_past_a_byte(candidate.source, verdict.candidate.missed or ()))
                )
                if answers[key]:
                    # The shrinker only tries candidates smaller than its current best, so the
                    # latest one kept is the smallest so far.
                    best[:] = [candidate]
        return answers[key]

    try:
        from hypothesis.database import InMemoryExampleDatabase

        database = InMemoryExampleDatabase()
        key = b"finding"
        # Where Hypothesis keeps failures not shrunk yet: it replays and shrinks them.
        save_unshrunk(database, key, base64.b64decode(choices))
        config = settings(
            database=database,
            phases=[Phase.reuse, Phase.shrink],
            max_examples=1,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        shrunk = _seeded_find(strategy, keeps_finding, config, key)
    except _OutOfTime:
        return (best[0] if best else None), runs, ""
    except Exception as exc:  # noqa: BLE001  (any failure here leaves the reducer to do the work)
        return None, runs, f"Hypothesis could not replay the case ({type(exc).__name__})"
    return shrunk, runs, ""


def _where(placement: str) -> str:
    """``nested``, ``dead`` or ``top``: where a placement puts an access, as a root cause tells them apart."""
    from strategies.placements import PLACEMENTS

    known = PLACEMENTS.get(placement)
    return "nested" if known is None or known.nested_scope else "dead" if not known.executes else "top"


def _blamed(case: Case, verdict: Verdict) -> set[tuple[str, str]]:
    """``(way, where)`` of each access whose needed modules the candidate missed."""
    missed = set(verdict.candidate.missed or ())
    return {
        (access.way, _where(access.placement))
        for access in tagging.accesses(case.tags).values()
        if missed.intersection(access.needs)
    }


def holding(case: Case, held: tuple[str, ...]) -> Case:
    """``case`` importing, in the pickling process, what the process that found it held (``email.utils``...)."""
    missing = tuple(name for name in held if name not in case.parent_imports)
    return dataclasses.replace(case, parent_imports=case.parent_imports + missing) if missing else case


def _seeded_find(
    strategy: st.SearchStrategy[Case], condition: Callable[[Case], bool], config: settings, key: bytes
) -> Case:
    """:func:`hypothesis.find`, its shrinker's random choices seeded: the same finding shrinks the same way.

    ``@seed`` would stop Hypothesis reading the database the example is in,
    so the seed goes where ``pytest --hypothesis-seed`` puts it, for the call only.
    """
    with forced_seed(0):
        return find(strategy, condition, settings=config, database_key=key)


def shrink_finding(
    case: Case,
    target: Signature,
    judge: Judge,
    deadline: float,
    choices: str | None = None,
    strategy: st.SearchStrategy[Case] | None = None,
    held: tuple[str, ...] = (),
) -> Shrunk:
    """The smallest case with ``target``'s signature reached by ``deadline`` (``time.time()``).

    ``held`` are the modules the process that found the case held under its
    packages (beyond a fresh interpreter's): the case is judged importing
    them first, as that process had them, and the reducer drops those it
    does not need, so the saved case imports what it needs and nothing more.
    """
    started = time.time()
    hypothesis_runs, skipped = 0, "no choices were recorded for this case"
    if choices:
        if strategy is None:
            from strategies import cases

            strategy = cases()

        def judge_holding(candidate: Case) -> Verdict | None:
            return judge(holding(candidate, held))

        # Hypothesis gets most of the time: it cuts whole accesses, files and padding at once.
        share = started + 0.6 * (deadline - started)
        shrunk, hypothesis_runs, skipped = _with_hypothesis(case, choices, target, judge_holding, share, strategy)
        if shrunk is not None:
            case = shrunk
    case = holding(case, held)

    def still_fails(candidate: Case) -> bool:
        verdict = _judged(judge, candidate)
        return verdict is not None and signature(verdict) == target

    reduction = reduce_case(case, still_fails, deadline)
    verdict = _judged(judge, reduction.case)
    if verdict is None:
        raise RuntimeError("the reduced case no longer runs; it was judged a moment ago")
    return Shrunk(reduction.case, verdict, hypothesis_runs, reduction, time.time() - started, skipped)
