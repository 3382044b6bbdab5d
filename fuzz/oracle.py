"""The differential oracle: one case, two sides, one verdict.

Order matters and is fixed: materialise the case; pickle the function with
the baseline, then with the candidate (same object, same ``sys.modules``);
run the case at home in a fresh interpreter to learn the expected behaviour;
load each pickle in a fresh interpreter; classify. Nothing here is specific
to a mode of isolation or to how a side detects submodules.
"""

from __future__ import annotations

from fuzz.case import Case, Materialised, materialise
from fuzz.isolation import Isolation
from fuzz.outcomes import LoadOutcome, PickleOutcome
from fuzz.sides import Side
from fuzz.verdict import SideReport, Verdict, classify, side_report


def _load(isolation: Isolation, side: Side, pickled: PickleOutcome, mat: Materialised) -> LoadOutcome | None:
    if pickled.data is None:
        return None
    return isolation.load(side.runtime, pickled.data, mat.universe)


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


def run_case(case: Case, baseline: Side, candidate: Side, isolation: Isolation, workdir: str | None = None) -> Verdict:
    """Pickle ``case``'s function with both sides and classify the difference."""

    def pickled(func: object) -> None:
        baseline.dumps(func)
        candidate.dumps(func)

    with materialise(case, workdir, pickled) as mat:
        b_pickle = baseline.dumps(mat.func)
        c_pickle = candidate.dumps(mat.func)
        expected = _logical_load(isolation.run(baseline.runtime, mat.reference_header()), mat)
        assert expected is not None
        b_load = _logical_load(_load(isolation, baseline, b_pickle, mat), mat)
        c_load = _logical_load(_load(isolation, candidate, c_pickle, mat), mat)
        return classify(
            _report(baseline, b_pickle, b_load, expected, mat),
            _report(candidate, c_pickle, c_load, expected, mat),
            expected,
            case.needed,
        )
