"""How a gate spends its budget: searching nearly all of it, shrinking while it searches, ending on time.

A maintainer gives a gate a budget and expects it spent finding bugs. Fixed
shares (search until half, shrink until 80%, then a slowness hunt) leave
time unused whenever a phase has less to do than its share, which is most
of the time and worst when nothing fails: the run a gate exists for. So a
gate's budget is shared by need instead:

* the search runs from the start until the end of the budget, less the time
  kept for the report (:data:`REPORT_S`), the slowness hunt
  (:data:`HUNT_SHARE`) and the shrinking still to do after it;
* a group of alike failures is shrunk as soon as it is seen, on a worker of
  its own, while the search goes on; the shrinking left when the search
  ends gets every worker;
* the search's end moves while it runs (:meth:`BudgetPlan.search_deadline`):
  earlier when findings wait to be shrunk, back later when they are done,
  never before :data:`SEARCH_FLOOR_SHARE` of the budget;
* the hunt runs until its deadline, not for a fixed count, so a phase that
  ends early leaves no gap.

:class:`PhaseClock` records when each phase ran, so that the report says
how the budget was spent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Seconds kept at the end of the budget to summarise the run and write its reports.
REPORT_S = 1.5
#: The slowness hunt's share of a budget of a minute or more (a shorter one has no hunt).
HUNT_SHARE = 0.1
#: The shortest hunt worth starting, and the budget from which a gate hunts.
HUNT_MIN_S, HUNT_FROM_BUDGET_S = 5.0, 60.0
#: The search never ends before this share of the budget has passed (unless its examples ran out).
SEARCH_FLOOR_SHARE = 0.75
#: Seconds one finding's shrinking is expected to take before any has been timed in this run.
SHRINK_ESTIMATE_S = 6.0


def hunt_seconds(budget: float, hunt: bool) -> float:
    """The seconds a budget keeps for the slowness hunt (0: no hunt)."""
    if not hunt or budget < HUNT_FROM_BUDGET_S:
        return 0.0
    return max(HUNT_MIN_S, HUNT_SHARE * budget)


@dataclass(frozen=True)
class BudgetPlan:
    """The deadlines of one gate's phases, from its start, budget and workers."""

    start: float
    budget: float
    #: Seconds kept for the slowness hunt (:func:`hunt_seconds`).
    hunt_s: float
    #: Workers the shrinking left after the search shares.
    workers: int

    @property
    def end(self) -> float:
        return self.start + self.budget

    @property
    def hunt_deadline(self) -> float:
        """When the hunt must have reported (what is left after it is the report's)."""
        return self.end - REPORT_S

    @property
    def shrink_deadline(self) -> float:
        """When every shrinking must have reported: the hunt comes after."""
        return self.hunt_deadline - self.hunt_s

    @property
    def search_floor(self) -> float:
        return self.start + SEARCH_FLOOR_SHARE * self.budget

    def search_deadline(self, pending: int, per_finding_s: float) -> float:
        """When the search must end to leave ``pending`` findings their shrinking after it, on every worker."""
        tail = per_finding_s * math.ceil(pending / max(1, self.workers))
        return max(self.search_floor, self.shrink_deadline - tail)


#: The phases a :class:`PhaseClock` times.
SEARCH, SHRINK, HUNT = "search", "shrink", "hunt"


@dataclass
class PhaseClock:
    """When each phase ran, as intervals of wall-clock time (phases overlap: shrinking runs during the search)."""

    intervals: dict[str, list[list[float]]] = field(default_factory=dict)

    def begin(self, phase: str, now: float) -> None:
        self.intervals.setdefault(phase, []).append([now, now])

    def until(self, phase: str, now: float) -> None:
        """The phase's last interval runs until ``now``."""
        spans = self.intervals.get(phase)
        if spans:
            spans[-1][1] = max(spans[-1][1], now)

    def seconds(self, *phases: str) -> float:
        """Wall-clock seconds during which any of ``phases`` ran (overlaps counted once)."""
        spans = sorted((a, b) for phase in phases for a, b in self.intervals.get(phase, []))
        total, reach = 0.0, -math.inf
        for a, b in spans:
            if b <= reach:
                continue
            total += b - max(a, reach)
            reach = b
        return total

    def spent(self, start: float, budget: float) -> dict[str, float]:
        """How the budget went, in seconds and shares, for the report."""
        search, either = self.seconds(SEARCH), self.seconds(SEARCH, SHRINK)
        return {
            "search_s": round(search, 1),
            "shrink_s": round(self.seconds(SHRINK), 1),
            "search_or_shrink_s": round(either, 1),
            "hunt_s": round(self.seconds(HUNT), 1),
            "search_share": round(search / budget, 3),
            "search_or_shrink_share": round(either / budget, 3),
        }
