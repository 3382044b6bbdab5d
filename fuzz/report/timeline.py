"""How discovery went over time, as data: the discovery curves of a run, a shard or a round, and merged.

A long campaign is worth running while it still finds things. Its report
carries, per shard (or round) and merged, two step curves against wall-clock
time: cases judged, and distinct root causes found. A flat root-cause curve
while the case curve climbs means the search is saturated: time to stop, or
to broaden the generator. The data are plain JSON (epoch seconds), so
reports from different machines merge by concatenation;
:mod:`fuzz.report.pictures` draws them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

#: Points kept per curve: enough for a smooth picture, small enough for a JSON report.
CURVE_POINTS = 200
#: The label of the curve made of all the others.
MERGED = "merged"


def _thinned(count: int, points: int = CURVE_POINTS) -> list[int]:
    """Indices of about ``points`` of ``count`` items, evenly spaced, always the last one."""
    step = max(1, count // points)
    picked = list(range(step - 1, count, step))
    if count and picked[-1] != count - 1:
        picked.append(count - 1)
    return picked


def _root_causes(first_seen: Iterable[float | None]) -> list[float]:
    return sorted(round(t, 3) for t in first_seen if t is not None)


def cases_curve(times: Iterable[float], points: int = CURVE_POINTS) -> list[list[float]]:
    """``[[epoch, cases judged by then], ...]``: the cumulative count, thinned to about ``points`` steps."""
    ordered = sorted(times)
    return [[round(ordered[i], 3), i + 1] for i in _thinned(len(ordered), points)]


def timeline(record_times: Iterable[float], first_seen: Iterable[float | None]) -> dict:
    """One run's curves: cases judged over time, and when each root cause was first seen."""
    return {"cases": cases_curve(record_times), "root_causes": _root_causes(first_seen)}


def merged_timeline(timelines: dict[str, dict], first_seen: Iterable[float | None]) -> dict:
    """All curves as one: cases summed at every point of every curve; root causes as merged (deduplicated)."""
    parts = [t["cases"] for label, t in timelines.items() if label != MERGED and t.get("cases")]
    moments = sorted({point[0] for curve in parts for point in curve})
    # Each part's count at a moment: its last point at or before it (0 before its first).
    starts = [[point[0] for point in curve] for curve in parts]

    def total(when: float) -> float:
        counts = (curve[index - 1][1] for curve, xs in zip(parts, starts) if (index := bisect.bisect_right(xs, when)))
        return sum(counts)

    cases = [[moments[i], total(moments[i])] for i in _thinned(len(moments))]
    return {"cases": cases, "root_causes": _root_causes(first_seen)}
