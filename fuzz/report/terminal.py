"""What the terminal shows at the end of a run: the first screen of the Markdown report, and where the rest went."""

from __future__ import annotations

from fuzz.report.markdown import _finding_section, _overview, _root_cause_table
from fuzz.report.run_verdict import RunVerdict
from fuzz.report.summary import GateSummary


def to_summary(summary: GateSummary, written: list[str]) -> str:
    """What the terminal shows: the first screen of the report, and where the rest was written."""
    lines = _overview(summary) + _root_cause_table(summary)
    if summary.verdict != RunVerdict.PASS and summary.reasons:
        lines += ["Why this is not a pass:", *(f"- {reason}" for reason in summary.reasons), ""]
    if summary.findings:
        lines += _finding_section(1, summary.findings[0])
    if summary.coverage.cases:
        lines += [summary.coverage.headline(), ""]
    if summary.real_code.cases:
        lines += [summary.real_code.headline(), ""]
    if written:
        lines.append("Full report: " + ", ".join(written))
    return "\n".join(lines) + "\n"
