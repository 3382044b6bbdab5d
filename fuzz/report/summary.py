"""A run's result as one value: the summary every report is written from.

:func:`summarise` folds the per-case records and the findings
(:mod:`fuzz.report.findings`: one per root cause, with a shrunk example) into a
:class:`GateSummary`: counts per verdict, the run's verdict and why it did
not pass (:mod:`fuzz.report.run_verdict`), each side's recall and precision
against the ground truth, and the run's environment. It is written as
Markdown (:mod:`fuzz.report.markdown`), JSON (:mod:`fuzz.report.json_form`)
and a terminal screen (:mod:`fuzz.report.terminal`), and summaries of shards,
rounds and machines merge (:mod:`fuzz.report.merge`).
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from fuzz.generation.input_coverage import InputCoverage, coverage_of_records
from fuzz.model.records import CaseRecord, matrix_patterns, side_of
from fuzz.model.verdict import KINDS, NOT_FAILING, UNJUDGED, Kind, failing_kinds
from fuzz.report.findings import Finding
from fuzz.report.real_code import RealCode, real_code_of
from fuzz.report.run_verdict import Problem, RunFacts, RunVerdict, decide
from fuzz.report.timeline import timeline
from strategies.real_shapes import pool_summary


@dataclass
class Divergence:
    """Cases that are not findings, grouped by look (access pattern and each side's behaviour)."""

    kind: str
    pattern: str
    count: int
    example: CaseRecord


@dataclass
class Accuracy:
    """Detection against the ground truth, over cases that have one."""

    needed: int = 0
    recorded: int = 0
    hits: int = 0

    @property
    def recall(self) -> float | None:
        return self.hits / self.needed if self.needed else None

    @property
    def precision(self) -> float | None:
        return self.hits / self.recorded if self.recorded else None


@dataclass
class GateSummary:
    #: PASS, FAIL or INCOMPLETE (:func:`fuzz.report.run_verdict.decide`).
    verdict: RunVerdict
    counts: dict[str, int]
    cases: int
    elapsed_s: float
    baseline: str
    candidate: str
    settings: dict
    findings: list[Finding] = field(default_factory=list)
    divergences: list[Divergence] = field(default_factory=list)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    replay: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    slowness: list[dict] = field(default_factory=list)
    interrupted: bool = False
    #: Verdict counts per access pattern (each case under each way it uses).
    by_pattern: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Why the run did not pass, most important first (empty for a pass).
    reasons: list[str] = field(default_factory=list)
    #: Cases the harness could not judge, grouped by look.
    unjudged: list[Divergence] = field(default_factory=list)
    #: Each side's cloudpickle version, by role.
    versions: dict[str, str] = field(default_factory=dict)
    #: How the budget was shared (seconds from the start when each phase had to end) and what shrinking did.
    phases: dict = field(default_factory=dict)
    #: Which values of the input space the generated cases had (:mod:`fuzz.generation.input_coverage`).
    coverage: InputCoverage = field(default_factory=InputCoverage)
    #: The cases on real functions' shapes, and what they got (:mod:`fuzz.report.real_code`).
    real_code: RealCode = field(default_factory=RealCode)
    #: When the run started (epoch seconds).
    started_at: float = 0.0
    #: The Python version the run judged on (a merged report: the first part's).
    python: str = field(default_factory=lambda: environment()["python"])
    #: Discovery curves by part (this run, or each merged shard and round; :mod:`fuzz.report.timeline`).
    timelines: dict[str, dict] = field(default_factory=dict)
    #: Pictures drawn for the report (title to path), linked from the Markdown.
    pictures: dict[str, str] = field(default_factory=dict)
    #: What a campaign's example database held and replayed (:mod:`fuzz.campaign.rounds`); empty for a gate.
    database: dict = field(default_factory=dict)

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.elapsed_s if self.elapsed_s > 0 else 0.0


def _groups(records: list[CaseRecord], kinds: tuple[str, ...]) -> list[Divergence]:
    return fold_divergences(
        Divergence(line["kind"], line["patterns"][0], 1, line)
        for line in records
        if line["kind"] in kinds and "case" in line
    )


def fold_divergences(divergences: Iterable[Divergence]) -> list[Divergence]:
    """Alike divergences as one (same verdict, access pattern, each side's behaviour), the smallest example kept.

    The records of one run fold this way, and so do the divergences of several
    reports (:mod:`fuzz.report.merge`).
    """
    groups: dict[tuple, Divergence] = {}
    for d in divergences:
        key = (d.kind, d.pattern, d.example["baseline"]["behaviour"], d.example["candidate"]["behaviour"])
        found = groups.get(key)
        if found is None:
            groups[key] = Divergence(d.kind, d.pattern, d.count, d.example)
            continue
        found.count += d.count
        if d.example.get("size", 0) < found.example.get("size", 0):
            found.example = d.example
    order: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
    return sorted(groups.values(), key=lambda f: (order[f.kind], -f.count, f.pattern, f.example.get("reason", "")))


def _accuracy(records: list[CaseRecord]) -> dict[str, Accuracy]:
    result = {"baseline": Accuracy(), "candidate": Accuracy()}
    for line in records:
        if line["needed"] is None or line["kind"] == Kind.UNINFORMATIVE:
            continue
        needed = set(line["needed"])
        for side in result:
            recorded = set(side_of(line, side)["submodules"])
            acc = result[side]
            acc.needed += len(needed)
            acc.recorded += len(recorded)
            acc.hits += len(needed & recorded)
    return result


def summarise(
    records: list[CaseRecord],
    *,
    findings: list[Finding],
    elapsed: float,
    baseline: str,
    candidate: str,
    settings: dict,
    facts: RunFacts,
    strict: bool = False,
    replay: list[dict] | None = None,
    problems: list[Problem] | None = None,
    slowness: list[dict] | None = None,
    versions: dict[str, str] | None = None,
    phases: dict | None = None,
    started_at: float = 0.0,
    label: str = "run",
) -> GateSummary:
    counts = Counter(line["kind"] for line in records)
    failing = failing_kinds(strict)
    others = tuple(k for k in NOT_FAILING if k not in failing)
    verdict, reasons = decide({str(k): n for k, n in counts.items()}, facts, problems or [], strict)
    python = environment()["python"]
    for finding in findings:
        finding.pythons = finding.pythons or [minor_version(python)]
    return GateSummary(
        verdict=verdict,
        counts={k: counts.get(k, 0) for k in KINDS},
        cases=len(records),
        elapsed_s=elapsed,
        baseline=baseline,
        candidate=candidate,
        settings=settings,
        findings=findings,
        divergences=_groups(records, others),
        accuracy=_accuracy(records),
        replay=replay or [],
        problems=problems or [],
        slowness=slowness or [],
        interrupted=facts.interrupted is not None,
        by_pattern=_by_pattern(records),
        reasons=reasons,
        unjudged=_groups(records, (UNJUDGED,)),
        versions=versions or {},
        phases=phases or {},
        coverage=coverage_of_records(records),
        real_code=real_code_of(records, pool_summary()),
        started_at=started_at,
        timelines={label: timeline((r["t"] for r in records if "t" in r), (f.first_seen for f in findings))},
    )


def _by_pattern(records: list[CaseRecord]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = {}
    for line in records:
        for name in matrix_patterns(line):
            table.setdefault(name, Counter())[line["kind"]] += 1
    return {name: dict(counts) for name, counts in sorted(table.items())}


def minor_version(version: str) -> str:
    """``3.11.7`` as ``3.11``: the version a bytecode-reading detector's behaviour follows."""
    return version.rsplit(".", 1)[0]


def environment() -> dict:
    """The interpreter and platform this run used."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }
