"""Verdicts: what the difference between two sides means for a user.

The vocabulary, from best to worst for the candidate:

``match``           same submodule lists; both functions behave as at home.
``benign``          the lists differ, but both functions still behave as at home.
``fix``             the candidate behaves as at home and the baseline does not.
``shared_failure``  neither behaves as at home: a limitation both share; also
                    any case whose function fails at home the way a missing
                    import fails (an ``AttributeError``, say): the case is
                    broken, so no regression or fix can be read from it.
``uninformative``   the fresh interpreter already had a needed module, so
                    the case proves nothing either way.
``regression``      the baseline behaves as at home, the candidate does not.
``crash``           the candidate raised, hung, killed its process or wrote to
                    stdout/stderr while pickling, or its child died (signal,
                    hang, exit), where the baseline did not.
``side_effect``     the candidate changed the pickling process (imported a
                    module, left a process or thread running, changed
                    ``sys.modules``, a signal handler or the import system: see
                    :mod:`fuzz.isolation.side_effects`) in a way the baseline
                    did not, and nothing worse happened.

and, outside that order, ``unjudged``: the harness could not judge the case
(the reference run hung or died, a fresh interpreter was never started or
its answer was lost, or a process died mid-case in a way no rerun could pin
on a side). It neither fails nor passes a candidate; a gate with any
``unjudged`` case cannot pass (see :mod:`fuzz.report.run_verdict`).

"Behaves as at home" means: the unpickled function returns the same value,
or raises the same exception, as the original function run unpickled in a
fresh interpreter (the *reference* run). A reference run that hung or died
is never taken as what the function should do.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fuzz.isolation.outcomes import LoadOutcome, LoadStatus
from fuzz.isolation.side_effects import SideEffect, not_made_by
from fuzz.text_enum import TextEnum


class Kind(TextEnum):
    """A verdict's kind (see the module docstring); members are in the order reports list them."""

    MATCH = "match"
    BENIGN = "benign"
    REGRESSION = "regression"
    FIX = "fix"
    SHARED_FAILURE = "shared_failure"
    CRASH = "crash"
    SIDE_EFFECT = "side_effect"
    UNINFORMATIVE = "uninformative"
    UNJUDGED = "unjudged"


#: Every kind, in the order reports list them.
KINDS = tuple(Kind)
#: Worst first: a crash outranks a regression, which outranks a changed pickling process, then a case nobody could
#: judge, and so on.
SEVERITY = (
    Kind.CRASH,
    Kind.REGRESSION,
    Kind.SIDE_EFFECT,
    Kind.UNJUDGED,
    Kind.SHARED_FAILURE,
    Kind.BENIGN,
    Kind.FIX,
    Kind.MATCH,
    Kind.UNINFORMATIVE,
)
#: Kinds that fail a candidate.
FAILING = (Kind.REGRESSION, Kind.CRASH, Kind.SIDE_EFFECT)
#: The harness, not the sides, failed: never a pass.
UNJUDGED = Kind.UNJUDGED
#: Kinds whose records keep no case: nothing to show or save.
UNREMARKABLE = (Kind.MATCH, Kind.UNINFORMATIVE)
#: Divergences that fail nobody by default.
NOT_FAILING = (Kind.BENIGN, Kind.FIX, Kind.SHARED_FAILURE)


def failing_kinds(strict: bool = False) -> tuple[Kind, ...]:
    """What fails a candidate: regressions and crashes, and with ``--strict`` benign divergences too."""
    return (*FAILING, Kind.BENIGN) if strict else FAILING


@dataclass(frozen=True)
class SideReport:
    """One side's part of a verdict, in the case's own module names."""

    spec: str
    submodules: tuple[str, ...]
    pickle_error: str | None
    load: LoadOutcome | None
    correct: bool
    #: Against the ground truth, when the case has one; otherwise ``None``.
    missed: tuple[str, ...] | None = None
    extra: tuple[str, ...] | None = None
    #: What the side wrote to stdout/stderr while pickling (:meth:`PickleOutcome.describe_output`).
    printed: str = ""
    #: What the side's ``dumps`` changed in the pickling process (:mod:`fuzz.isolation.side_effects`).
    side_effects: tuple[SideEffect, ...] = ()

    @property
    def outcome(self) -> str:
        if self.pickle_error is not None:
            return f"crashed while pickling: {self.pickle_error}"
        if self.load is None:
            return "pickled, never loaded: the pickling process died first"
        return self.load.describe()

    @property
    def died(self) -> bool:
        return self.pickle_error is not None or (self.load is not None and self.load.died)


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reason: str
    expected: LoadOutcome
    baseline: SideReport
    candidate: SideReport
    #: Modules outside the case's universe that the pickling process held under
    #: the case's packages (``concurrent.futures``, say), beyond what a fresh
    #: interpreter holds, and that a side recorded. The home run imported them
    #: and a side's load did, so the verdict rests on them: a saved case lists
    #: them as parent imports. (Held modules no side recorded are left out: a
    #: side that works without them shows the function does not need them, and
    #: every private or version-specific module the process happens to hold
    #: would make saved cases depend on its history.)
    held: tuple[str, ...] = ()
    #: Every such module the pickling process held, recorded or not: what a process replaying the case
    #: must hold to see the same thing at home (the shrinker's workers import them first).
    home_held: tuple[str, ...] = ()

    @property
    def failing(self) -> bool:
        return self.kind in FAILING


#: Exceptions of a function's own module accesses. At home they mean the case itself is broken (a needed
#: ``import pkg.sub`` missing): no side can be judged against that. Any other exception at home is taken
#: as deliberate (``raise ValueError``), and a side that raises something else first is still wrong.
ACCESS_ERRORS = ("AttributeError", "ImportError", "ModuleNotFoundError", "NameError")


def broken_at_home(expected: LoadOutcome) -> bool:
    """Whether the home run failed the way a missing import fails (see :data:`ACCESS_ERRORS`)."""
    if expected.status not in (LoadStatus.RAISED, LoadStatus.LOAD_ERROR):
        return False
    return expected.value.split(":", 1)[0] in ACCESS_ERRORS


def side_report(
    spec: str,
    submodules: tuple[str, ...],
    pickle_error: str | None,
    load: LoadOutcome | None,
    expected: LoadOutcome,
    needed: tuple[str, ...] | None,
    printed: str = "",
    side_effects: tuple[SideEffect, ...] = (),
) -> SideReport:
    correct = pickle_error is None and load is not None and load.same_behaviour(expected)
    missed = extra = None
    if needed is not None:
        missed = tuple(sorted(set(needed) - set(submodules)))
        extra = tuple(sorted(set(submodules) - set(needed)))
    return SideReport(spec, submodules, pickle_error, load, correct, missed, extra, printed, side_effects)


def classify(
    baseline: SideReport,
    candidate: SideReport,
    expected: LoadOutcome,
    needed: tuple[str, ...] | None,
) -> Verdict:
    """Turn two side reports into one verdict (see the module docstring).

    A change to the pickling process only the candidate made is a
    ``side_effect`` whatever the loads did, unless the candidate also crashed
    or regressed: the worse finding is the verdict, and the change is named in
    its reason.
    """
    found = _classify(baseline, candidate, expected, needed)
    changes = new_side_effects(baseline, candidate)
    if not changes:
        return found
    words = "; ".join(e.words for e in changes)
    if found.kind in (Kind.CRASH, Kind.REGRESSION):
        return dataclasses.replace(found, reason=f"{found.reason}; it also {words}")
    reason = f"candidate {words} while pickling; the baseline did not"
    return dataclasses.replace(found, kind=Kind.SIDE_EFFECT, reason=reason)


def new_side_effects(baseline: SideReport, candidate: SideReport) -> tuple[SideEffect, ...]:
    """The candidate's changes to the pickling process that the baseline did not also make."""
    return not_made_by(baseline.side_effects, candidate.side_effects)


def _classify(
    baseline: SideReport,
    candidate: SideReport,
    expected: LoadOutcome,
    needed: tuple[str, ...] | None,
) -> Verdict:

    def verdict(kind: Kind, reason: str) -> Verdict:
        return Verdict(kind, reason, expected, baseline, candidate)

    if expected.died or expected.lost:
        return verdict(UNJUDGED, f"the reference run {expected.describe()}, so what the function does is unknown")
    for role, report in (("baseline", baseline), ("candidate", candidate)):
        if report.load is not None and report.load.lost:
            return verdict(UNJUDGED, f"the {role}'s load {report.load.describe()}")
    if candidate.died and not candidate.correct and not baseline.died:
        return verdict(Kind.CRASH, f"candidate {candidate.outcome}")
    if candidate.printed and not baseline.printed:
        return verdict(Kind.CRASH, f"candidate {candidate.printed}; the baseline wrote nothing")
    watched = set(needed) if needed is not None else set(baseline.submodules) | set(candidate.submodules)
    for report in (baseline, candidate):
        preloaded = set(report.load.preloaded) if report.load is not None else set()
        already = sorted(watched & (preloaded | set(expected.preloaded)))
        if already:
            return verdict(Kind.UNINFORMATIVE, f"the fresh interpreter had {', '.join(already)} loaded already")
    if baseline.correct and candidate.correct:
        if set(baseline.submodules) == set(candidate.submodules):
            return verdict(Kind.MATCH, "same submodules, same behaviour")
        return verdict(Kind.BENIGN, "submodule lists differ, both behave as at home")
    if broken_at_home(expected):
        # Failing at home the way a missing import fails, the case proves nothing about either side.
        return verdict(
            Kind.SHARED_FAILURE,
            f"the function fails at home too ({expected.describe()}): the case is broken, not a side; never a finding",
        )
    if baseline.correct:
        return verdict(Kind.REGRESSION, f"candidate {candidate.outcome}; expected {expected.describe()}")
    if candidate.correct:
        return verdict(Kind.FIX, f"baseline {baseline.outcome}; candidate behaves as at home")
    return verdict(Kind.SHARED_FAILURE, f"both differ from home ({expected.describe()})")
