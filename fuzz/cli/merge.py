"""``python -m fuzz merge REPORT.json...``: one report from the JSON reports of shards, rounds or machines.

Counts add up, findings are the union with one per root cause, the verdict is
the worst of the parts (see :mod:`fuzz.report.merge`). The merged Markdown
and JSON are written like the gate's, with the discovery curve and coverage
heatmap beside the Markdown (``merged-discovery.png``,
``merged-coverage-heatmap.png``) when the ``plot`` extra is installed. Exit code:
the merged verdict's, as the gate's (0, 1, 3), or 2 for a report that cannot
be read. To merge the shards' corpus directories, copy their files into one:
file names are content addresses, so the same case is the same file.
"""

from __future__ import annotations

import argparse
import os

from fuzz.config.option_types import report_path
from fuzz.config.run_config import REPORTS
from fuzz.report.json_form import load_report
from fuzz.report.merge import merge
from fuzz.report.publish import exit_code, publish
from fuzz.report.summary import GateSummary


def run(args: argparse.Namespace) -> int:
    """Merge JSON reports into one Markdown and one JSON report."""
    reports = [(path, load_report(path)) for path in args.reports]
    summary = merge(unique_labels(reports))
    markdown = args.markdown or os.path.join(REPORTS, "merged.md")
    json_path = args.json or os.path.join(REPORTS, "merged.json")
    return exit_code(summary.verdict, publish(summary, markdown, json_path, pictures=not args.no_pictures))


def unique_labels(reports: list[tuple[str, GateSummary]]) -> list[tuple[str, GateSummary]]:
    """Each part named by its shard (``shard 2/4``) or file name, then its Python, then its path: all distinct."""

    def name(path: str, summary: GateSummary) -> str:
        shard = summary.settings.get("shard", "1/1")
        return f"shard {shard}" if shard != "1/1" else os.path.basename(path)

    labels = [name(path, summary) for path, summary in reports]
    if len(set(labels)) < len(labels):
        labels = [f"{label} (Python {s.python or '?'})" for label, (_, s) in zip(labels, reports)]
    if len(set(labels)) < len(labels):
        labels = [f"{label} {path}" for label, (path, _) in zip(labels, reports)]
    return [(label, summary) for label, (_, summary) in zip(labels, reports)]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("merge", help=run.__doc__, description=__doc__)
    parser.add_argument("reports", nargs="+", metavar="REPORT.json", help="JSON reports of the gate or a campaign")
    parser.add_argument("--markdown", type=report_path, help=f"merged Markdown (default {REPORTS}/merged.md)")
    parser.add_argument("--json", type=report_path, help=f"merged JSON (default {REPORTS}/merged.json)")
    parser.add_argument("--no-pictures", action="store_true", help="do not draw the discovery curve and heatmap")
    parser.set_defaults(handler=run)
