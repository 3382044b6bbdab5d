"""The differential oracle: one case, two sides, one verdict.

Order matters and is fixed: materialise the case; pickle the function with
the baseline, then with the candidate (same object, same ``sys.modules``);
run the case at home in a fresh interpreter to learn the expected behaviour;
load each pickle in a fresh interpreter; classify. The home run and the
baseline's load overlap (they use different servers), and when both pickles
are the same bytes but for the sides' aliases the candidate's load is the
baseline's. Nothing here is specific to a mode of isolation or to how a side
detects submodules.
"""

from __future__ import annotations

from fuzz.case import Case, Materialised, materialise
from fuzz.isolation import Isolation
from fuzz.outcomes import LoadOutcome, PickleOutcome
from fuzz.sides import Side
from fuzz.verdict import SideReport, Verdict, classify, side_report


def _logical_load(load: LoadOutcome | None, mat: Materialised) -> LoadOutcome | None:
    if load is None:
        return None
    return LoadOutcome(
        status=load.status,
        value=mat.logical(load.value),
        imported_by_load=mat.logical_all(load.imported_by_load),
        imported_by_call=mat.logical_all(load.imported_by_call),
        preloaded=load.preloaded,
        output=mat.logical(load.output),
    )


def _report(
    side: Side, pickled: PickleOutcome, load: LoadOutcome | None, expected: LoadOutcome, mat: Materialised
) -> SideReport:
    error = mat.logical(pickled.error) if pickled.error is not None else None
    return side_report(side.spec, mat.logical_all(pickled.submodules), error, load, expected, mat.case.needed)


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


def run_case(case: Case, baseline: Side, candidate: Side, isolation: Isolation) -> Verdict:
    """Pickle ``case``'s function with both sides and classify the difference."""

    def pickled(func: object) -> None:
        baseline.dumps(func)
        candidate.dumps(func)

    with materialise(case, pickled) as mat:
        b_pickle = baseline.dumps(mat.func)
        c_pickle = candidate.dumps(mat.func)
        load = {"kind": "load", "universe": mat.universe}
        # The reference runs beside the baseline's load (on the candidate's
        # server, or on one that has its home modules imported already).
        home = mat.home_modules()
        outside = [name for name in home if name not in mat.universe]
        requests = [(isolation.for_reference(candidate.runtime, outside), mat.reference_header(home), b"")]
        if b_pickle.data is not None:
            requests.append((baseline.runtime, load, b_pickle.data))
        reuse = _same_pickle(baseline, b_pickle, candidate, c_pickle)
        if c_pickle.data is not None and not reuse:
            requests.append((candidate.runtime, load, c_pickle.data))
        outcomes = iter(isolation.run_many(requests))
        expected = _logical_load(next(outcomes), mat)
        assert expected is not None
        b_load = _logical_load(next(outcomes), mat) if b_pickle.data is not None else None
        c_load = b_load if reuse else _logical_load(next(outcomes), mat) if c_pickle.data is not None else None
        return classify(
            _report(baseline, b_pickle, b_load, expected, mat),
            _report(candidate, c_pickle, c_load, expected, mat),
            expected,
            case.needed,
        )
