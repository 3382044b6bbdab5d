"""The differential oracle: one case, two sides, one verdict.

Order matters and is fixed: materialise the case; pickle the function with
the baseline, then with the candidate (same object, same ``sys.modules``);
run the case at home in a fresh interpreter to learn the expected behaviour;
load each pickle in a fresh interpreter; classify. The home run and the
baseline's load overlap (they use different servers), and when both pickles
are the same bytes but for the sides' aliases the candidate's load is the
baseline's. :class:`CasePipeline` overlaps the parent's work on the next case
with the children of the last one. Nothing here is specific to a mode of
isolation or to how a side detects submodules.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from fuzz.isolation.outcomes import LoadOutcome, PickleOutcome, RequestKind
from fuzz.isolation.pool import Isolation
from fuzz.model.case import Case, Materialised, materialise
from fuzz.model.verdict import SideReport, Verdict, classify, side_report
from fuzz.oracle.sides import Side


def _logical_load(load: LoadOutcome | None, mat: Materialised) -> LoadOutcome | None:
    if load is None:
        return None
    return LoadOutcome(
        status=load.status,
        value=mat.logical(load.value),
        imported_by_load=mat.logical_all(load.imported_by_load),
        imported_by_call=mat.logical_all(load.imported_by_call),
        # Logical too: a case's own module held before its run (a reused child not put back) then
        # meets the check that what the case needs was not preloaded (fuzz.model.verdict.classify).
        preloaded=mat.logical_all(load.preloaded),
        output=mat.logical(load.output),
        reran_after=load.reran_after,
    )


def _as_candidates(load: LoadOutcome | None, baseline: Side, candidate: Side) -> LoadOutcome | None:
    """The baseline's load of a pickle that is the candidate's but for the alias, as the candidate's own.

    What a fresh interpreter of the candidate's reports differs only in the
    alias its cloudpickle is imported under; naming it keeps a verdict the
    same whether or not the two pickles came out byte-identical, which can
    depend on the order a detector lists modules in.
    """
    b_alias, c_alias = baseline.runtime.alias, candidate.runtime.alias
    if load is None or b_alias is None or c_alias is None:
        return load
    return dataclasses.replace(
        load,
        value=load.value.replace(b_alias, c_alias),
        imported_by_load=tuple(sorted(n.replace(b_alias, c_alias) for n in load.imported_by_load)),
        imported_by_call=tuple(sorted(n.replace(b_alias, c_alias) for n in load.imported_by_call)),
        preloaded=tuple(sorted(n.replace(b_alias, c_alias) for n in load.preloaded)),
        output=load.output.replace(b_alias, c_alias),
    )


def _report(
    side: Side, pickled: PickleOutcome, load: LoadOutcome | None, expected: LoadOutcome, mat: Materialised
) -> SideReport:
    error = mat.logical(pickled.error) if pickled.error is not None else None
    printed = mat.logical(pickled.describe_output())
    effects = tuple(
        dataclasses.replace(e, words=mat.logical(e.words), subjects=tuple(map(mat.logical, e.subjects)))
        for e in pickled.side_effects
    )
    submodules = mat.logical_all(pickled.submodules)
    return side_report(side.spec, submodules, error, load, expected, mat.case.needed, printed, effects)


def _same_pickle(baseline: Side, b: PickleOutcome, candidate: Side, c: PickleOutcome) -> bool:
    """Whether the two pickles are the same bytes but for the sides' aliases.

    Sides built on the same cloudpickle directory differ only in their
    detection; when that agrees, the pickles are identical except for the
    (equal-length) alias each references, and loading one tells what loading
    the other does: the candidate's load can reuse the baseline's outcome.
    """
    b_alias, c_alias = baseline.runtime.alias, candidate.runtime.alias
    if b.data is None or c.data is None or b_alias is None or c_alias is None:
        return False
    if baseline.runtime.package_dir != candidate.runtime.package_dir or len(b_alias) != len(c_alias):
        return False
    return b.data.replace(b_alias.encode(), c_alias.encode()) == c.data


@contextmanager
def case_in_flight(case: Case, *sides: Side) -> Iterator[None]:
    """Name ``case`` in the sides' worker files while they pickle it (:mod:`fuzz.isolation.pickling_guard`)."""
    with ExitStack() as stack:
        for guard in {id(side.guard): side.guard for side in sides}.values():
            stack.enter_context(guard.case(case))
        yield


@dataclass
class PendingCase:
    """A case pickled by both sides whose loads are running in fresh interpreters."""

    case: Case
    mat: Materialised
    baseline: Side
    candidate: Side
    b_pickle: PickleOutcome
    c_pickle: PickleOutcome
    #: The candidate's pickle is the baseline's but for the alias: its load is the baseline's.
    reuse: bool
    tickets: list[int]
    #: Modules outside the universe and beyond a fresh interpreter's that the
    #: home run imports first (:attr:`fuzz.model.verdict.Verdict.held` keeps the recorded ones).
    held: tuple[str, ...]
    #: Seconds :func:`submit_case` took (the case's share of the parent's time so far).
    prepared_s: float
    #: Whether its runs were offered a child shared with other cases (batch isolation, :func:`disjoint`).
    reusable: bool = False


def disjoint(case: Case, held: list[str]) -> bool:
    """Whether ``case``'s runs may share a child with other cases' runs (batch isolation).

    A materialised case's packages have names no other case uses (a suffix
    per case), so one child can run case after case, removing each case's
    modules after it, and no case sees another's. That holds for cases that
    reach only their own packages: every module they need or import first is
    under their own top-level names, their home run needs nothing this
    process holds beyond a fresh interpreter (a standard-library package's
    submodules), and their steps, if any, only put odd entries in
    ``sys.modules`` (:mod:`strategies.hazards`: keys and entries the child
    removes with the case's modules, and checks it did). Steps that change
    the world between pickles (the state machine's removals and rebinds) and
    every other case get a fresh child per run, as in fork isolation.
    """
    tops = set(case.top_level_names())
    if not tops or held or case.needed is None:  # (no ground truth: what it reaches is not known)
        return False
    if case.steps and not case.hazard:
        return False
    return all(name.partition(".")[0] in tops for name in (*case.needed, *case.parent_imports))


def submit_case(case: Case, baseline: Side, candidate: Side, isolation: Isolation) -> PendingCase:
    """Pickle ``case``'s function with both sides and start the runs that judge it.

    Returns as soon as the requests are queued: the caller can prepare the
    next case while this one's children run (:class:`CasePipeline`).
    """
    started = time.perf_counter()

    def pickled(func: object) -> None:
        baseline.dumps(func)
        candidate.dumps(func)

    with case_in_flight(case, baseline, candidate), materialise(case, pickled) as mat:
        b_pickle = baseline.dumps(mat.func)
        c_pickle = candidate.dumps(mat.func)
        # The reference runs beside the baseline's load (on the candidate's
        # server, or on a home server holding what this process holds beyond
        # a fresh interpreter under the case's packages).
        home = mat.home_modules()
        fresh = isolation.fresh_modules(candidate.runtime)
        held = [name for name in home if name not in mat.universe and name not in fresh]
        reusable = isolation.shares_children and disjoint(case, held)
        load = {"kind": RequestKind.LOAD, "universe": mat.universe, "reusable": reusable}
        reference = {**mat.reference_header(home), "reusable": reusable}
        requests = [(isolation.for_reference(candidate.runtime, held), reference, b"")]
        if b_pickle.data is not None:
            requests.append((baseline.runtime, load, b_pickle.data))
        reuse = _same_pickle(baseline, b_pickle, candidate, c_pickle)
        if c_pickle.data is not None and not reuse:
            requests.append((candidate.runtime, load, c_pickle.data))
        tickets = isolation.submit(requests)
    prepared_s = time.perf_counter() - started
    logical_held = tuple(mat.logical(name) for name in held)
    return PendingCase(
        case, mat, baseline, candidate, b_pickle, c_pickle, reuse, tickets, logical_held, prepared_s, reusable
    )


def judge_case(pending: PendingCase, isolation: Isolation) -> Verdict:
    """Wait for a submitted case's runs and classify the difference."""
    mat, b_pickle, c_pickle = pending.mat, pending.b_pickle, pending.c_pickle
    outcomes = iter(isolation.collect(pending.tickets))
    expected = _logical_load(next(outcomes), mat)
    assert expected is not None
    b_load = _logical_load(next(outcomes), mat) if b_pickle.data is not None else None
    if pending.reuse:
        c_load = _as_candidates(b_load, pending.baseline, pending.candidate)
    else:
        c_load = _logical_load(next(outcomes), mat) if c_pickle.data is not None else None
    verdict = classify(
        _report(pending.baseline, b_pickle, b_load, expected, mat),
        _report(pending.candidate, c_pickle, c_load, expected, mat),
        expected,
        pending.case.needed,
    )
    recorded = set(verdict.baseline.submodules) | set(verdict.candidate.submodules)
    held = tuple(name for name in pending.held if name in recorded)
    return dataclasses.replace(verdict, held=held, home_held=pending.held)


def run_case(case: Case, baseline: Side, candidate: Side, isolation: Isolation) -> Verdict:
    """Pickle ``case``'s function with both sides and classify the difference."""
    return judge_case(submit_case(case, baseline, candidate, isolation), isolation)


@dataclass(frozen=True)
class Judged:
    """One case's verdict and its seconds: preparing it, then waiting for and judging its runs.

    Time spent on other cases in between (the pipeline's overlap) is not counted.
    """

    case: Case
    verdict: Verdict
    elapsed: float
    #: Whether the case could share a child with others (batch isolation; :func:`disjoint`).
    shared: bool = False


class CasePipeline:
    """Judges cases one behind: the next case is pickled while the last one's children run.

    The parent's share of a case (materialising, pickling twice, building
    requests) and the children's share then overlap instead of taking turns;
    verdicts are the same as :func:`run_case` gives, one case later. (Two or
    three cases in flight measured no faster on 2 cores.)
    """

    def __init__(self, baseline: Side, candidate: Side, isolation: Isolation) -> None:
        self.baseline, self.candidate, self.isolation = baseline, candidate, isolation
        self._pending: PendingCase | None = None

    def push(self, case: Case) -> list[Judged]:
        """Submit ``case``; return the verdict of the case submitted before it, if any."""
        submitted = submit_case(case, self.baseline, self.candidate, self.isolation)
        done = self.drain()
        self._pending = submitted
        return done

    def drain(self) -> list[Judged]:
        """The verdict of the case still running, if any."""
        pending, self._pending = self._pending, None
        if pending is None:
            return []
        began = time.perf_counter()
        verdict = judge_case(pending, self.isolation)
        elapsed = pending.prepared_s + time.perf_counter() - began
        return [Judged(pending.case, verdict, elapsed, pending.reusable)]


def run_cases(cases: Iterable[Case], baseline: Side, candidate: Side, isolation: Isolation) -> Iterator[Judged]:
    """Judge ``cases`` in order through a :class:`CasePipeline`."""
    pipeline = CasePipeline(baseline, candidate, isolation)
    for case in cases:
        yield from pipeline.push(case)
    yield from pipeline.drain()
