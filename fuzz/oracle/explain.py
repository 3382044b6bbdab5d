"""Plain-text explanation of one verdict, for assertion messages and notes.

Shows what a maintainer needs to judge a finding at a glance: the verdict and
why, the function's behaviour at home, and for each side the submodules it
recorded, what the unpickled function did, and what it missed or added
against the ground truth.
"""

from __future__ import annotations

from fuzz.model.verdict import SideReport, Verdict


def _side(label: str, side: SideReport) -> list[str]:
    lines = [
        f"{label} ({side.spec}):",
        f"    submodules: {', '.join(side.submodules) or '(none)'}",
        f"    outcome:    {side.outcome}",
    ]
    if side.missed is not None:
        lines.append(f"    missed: {', '.join(side.missed) or '-'}    extra: {', '.join(side.extra or ()) or '-'}")
    return lines


def explain(verdict: Verdict) -> str:
    lines = [
        f"verdict: {verdict.kind} ({verdict.reason})",
        f"at home: {verdict.expected.describe()}",
        *_side("baseline", verdict.baseline),
        *_side("candidate", verdict.candidate),
    ]
    return "\n".join(lines)
