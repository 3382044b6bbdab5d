"""The report's pictures: the discovery curve and the coverage heatmap, drawn beside the Markdown.

The discovery curve draws :mod:`fuzz.report.timeline`'s data. The coverage
heatmap shows, for every value of every dimension of the input space
(:mod:`fuzz.generation.input_coverage`), the share of its cases that got
each verdict: where the findings live, and which values were hardly tried.
Both need the ``plot`` extra (matplotlib); without it nothing is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from fuzz.model.verdict import KINDS
from fuzz.report.summary import GateSummary
from fuzz.report.timeline import MERGED


def _pyplot() -> ModuleType:
    """matplotlib's pyplot, drawing to files only (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(figure: Any, path: str) -> str:
    """Write ``figure`` to ``path`` and free it; return ``path``."""
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    _pyplot().close(figure)
    return path


def plot_discovery(timelines: dict[str, dict], path: str) -> str:
    """Draw cases judged and root causes found against time, per part and merged; return ``path``."""
    plt = _pyplot()
    starts = [t["cases"][0][0] for t in timelines.values() if t.get("cases")]
    origin = min(starts) if starts else 0.0
    figure, (cases_axis, causes_axis) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    for label, curve in sorted(timelines.items(), key=lambda item: item[0] == MERGED):
        width, style = (2.2, "-") if label == MERGED else (1.0, "--")
        points = curve.get("cases", [])
        if points:
            xs = [(p[0] - origin) / 60 for p in points]
            cases_axis.step(xs, [p[1] for p in points], where="post", linestyle=style, linewidth=width, label=label)
        causes = curve.get("root_causes", [])
        end = (points[-1][0] - origin) / 60 if points else None
        xs = [(t - origin) / 60 for t in causes]
        ys = list(range(1, len(causes) + 1))
        if end is not None and (not xs or end > xs[-1]):
            xs, ys = [*xs, end], [*ys, len(causes)]
        causes_axis.step([0.0, *xs], [0, *ys], where="post", linestyle=style, linewidth=width, label=label)
    cases_axis.set_ylabel("cases judged")
    causes_axis.set_ylabel("distinct root causes")
    causes_axis.set_xlabel("minutes since the start")
    cases_axis.legend(loc="upper left", fontsize="small")
    cases_axis.set_title("Discovery: a flat root-cause curve while cases climb means the search is saturated")
    return _save(figure, path)


def plot_coverage_heatmap(verdicts: dict[str, dict[str, int]], kinds: Sequence[str], path: str) -> str:
    """Draw, per value of the input space, the share of its cases with each verdict; return ``path``."""
    plt = _pyplot()
    rows = sorted(verdicts)
    shown = [k for k in kinds if any(verdicts[row].get(k) for row in rows)] or list(kinds)
    grid = []
    for row in rows:
        total = sum(verdicts[row].values()) or 1
        grid.append([verdicts[row].get(kind, 0) / total for kind in shown])
    height = max(4.0, 0.16 * len(rows) + 1.5)
    figure, axis = plt.subplots(figsize=(7, height))
    image = axis.imshow(grid or [[0.0] * len(shown)], aspect="auto", cmap="viridis", vmin=0, vmax=1)
    axis.set_xticks(range(len(shown)), shown, rotation=40, ha="right", fontsize="small")
    labels = [f"{row} ({sum(verdicts[row].values())})" for row in rows]
    axis.set_yticks(range(len(rows)), labels, fontsize=6)
    axis.set_title("Share of each value's cases by verdict (cases in brackets)")
    figure.colorbar(image, ax=axis, fraction=0.04)
    return _save(figure, path)


#: File names of the pictures, after the Markdown report's name (``campaign-discovery.png``).
DISCOVERY_PNG, HEATMAP_PNG = "discovery.png", "coverage-heatmap.png"


def draw_pictures(summary: GateSummary, directory: str, stem: str) -> dict[str, str]:
    """Draw a report's pictures into ``directory`` as ``STEM-*.png``; ``{title: file name}``.

    Empty without matplotlib (the ``plot`` extra).
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return {}
    drawn = {}
    if any(t.get("cases") for t in summary.timelines.values()):
        drawn["discovery curve"] = plot_discovery(summary.timelines, os.path.join(directory, f"{stem}-{DISCOVERY_PNG}"))
    if summary.coverage.verdicts:
        verdicts = {v: dict(k) for v, k in summary.coverage.verdicts.items()}
        heatmap = os.path.join(directory, f"{stem}-{HEATMAP_PNG}")
        drawn["coverage against verdicts"] = plot_coverage_heatmap(verdicts, KINDS, heatmap)
    return {title: os.path.basename(path) for title, path in drawn.items()}
