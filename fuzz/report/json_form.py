"""A report as JSON, written and read in one place.

:func:`to_json` writes everything a summary holds, for machines: each
finding with its record, so a report read back (:func:`summary_from_json`,
:func:`load_report`) is a :class:`~fuzz.report.summary.GateSummary` again,
which is how reports of shards, rounds and machines merge
(:mod:`fuzz.report.merge`). Writing and reading sit side by side so that a
key added on one side is seen missing on the other.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from fuzz.errors import UsageError
from fuzz.generation.input_coverage import InputCoverage
from fuzz.model.case import Case, tupled
from fuzz.model.records import CaseRecord, from_json, side_of
from fuzz.model.verdict import KINDS
from fuzz.report.findings import Finding
from fuzz.report.real_code import RealCode
from fuzz.report.run_verdict import Problem, RunVerdict
from fuzz.report.summary import Accuracy, Divergence, GateSummary, environment, minor_version
from fuzz.shrinking.root_cause import RootCause

# -- writing -----------------------------------------------------------------------------


def _side_json(line: CaseRecord, role: str) -> dict:
    side = side_of(line, role)
    return {"submodules": side["submodules"], "outcome": side["outcome"], "spec": side["spec"]}


def _example_json(line: CaseRecord) -> dict:
    return {
        "reason": line.get("reason", ""),
        "source": Case.from_dict(line["case"]).render(),
        "expected": line["expected"],
        "baseline": _side_json(line, "baseline"),
        "candidate": _side_json(line, "candidate"),
        "corpus": line.get("corpus"),
    }


def _finding_json(f: Finding) -> dict:
    return {
        "kind": f.kind,
        "root_cause": f.cause.words,
        "count": f.count,
        "patterns": f.patterns,
        "ways_seen": f.ways_seen,
        "changes_seen": f.changes_seen,
        "shrunk": not f.unshrunk,
        "unshrunk": f.unshrunk,
        "shrink": f.example.get("shrink"),
        "threshold": f.threshold,
        "lines": f.lines,
        # What a smaller case must keep to keep the finding (fuzz.shrinking.shrinker.signature).
        "signature": [
            f.example["kind"],
            f.example.get("expected_behaviour"),
            f.example["baseline"]["behaviour"],
            f.example["candidate"]["behaviour"],
        ],
        "reproducer": f.reproducer(),
        # What the example was made of (strategies' dimension:value tags; see fuzz.generation.input_coverage).
        "tags": f.example.get("tags", []),
        "first_seen": f.first_seen,
        "pythons": f.pythons,
        "new": f.new,
        "replayed": f.replayed,
        # What the report is made from, so that reports merge (fuzz.report.merge).
        "cause": {"key": f.cause.key, "words": f.cause.words, "ways": list(f.cause.ways)},
        "record": f.example,
        **_example_json(f.example),
    }


def _divergence_json(d: Divergence) -> dict:
    return {"kind": d.kind, "pattern": d.pattern, "count": d.count, "record": d.example, **_example_json(d.example)}


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def to_json(summary: GateSummary) -> dict:
    env = environment()
    return {
        "verdict": summary.verdict,
        "reasons": summary.reasons,
        "counts": summary.counts,
        "cases": summary.cases,
        "elapsed_s": round(summary.elapsed_s, 3),
        "cases_per_s": round(summary.cases_per_s, 2),
        "python": summary.python,
        "platform": env["platform"],
        "baseline": summary.baseline,
        "candidate": summary.candidate,
        "cloudpickle": summary.versions,
        "settings": summary.settings,
        "phases": summary.phases,
        "interrupted": summary.interrupted,
        "findings": [_finding_json(f) for f in summary.findings],
        "divergences": [_divergence_json(d) for d in summary.divergences],
        "unjudged": [_divergence_json(d) for d in summary.unjudged],
        "accuracy": {
            side: {**asdict(acc), "recall": _ratio(acc.recall), "precision": _ratio(acc.precision)}
            for side, acc in summary.accuracy.items()
        },
        "replay": summary.replay,
        "problems": [p.to_dict() for p in summary.problems],
        "slowness": summary.slowness,
        "by_pattern": summary.by_pattern,
        "coverage": summary.coverage.to_dict(),
        "real_code": summary.real_code.to_dict(),
        "started_at": summary.started_at,
        "timelines": summary.timelines,
        "pictures": summary.pictures,
        "database": summary.database,
    }


# -- reading -----------------------------------------------------------------------------


def _finding(data: dict, python: str) -> Finding:
    cause = data["cause"]
    key = tupled(cause["key"])
    return Finding(
        kind=data["kind"],
        cause=RootCause(key if isinstance(key, tuple) else (key,), cause["words"], tuple(cause.get("ways", ()))),
        example=from_json(data["record"]),
        count=data["count"],
        unshrunk=data.get("unshrunk", ""),
        patterns=list(data.get("patterns", [])),
        ways_seen=list(data.get("ways_seen", [])),
        changes_seen=list(data.get("changes_seen", [])),
        first_seen=data.get("first_seen"),
        replayed=data.get("replayed", False),
        # A report written before findings named their Python: its run's.
        pythons=list(data.get("pythons", [])) or ([minor_version(python)] if python else []),
    )


def _divergence(data: dict) -> Divergence:
    return Divergence(data["kind"], data["pattern"], data["count"], from_json(data["record"]))


def summary_from_json(data: dict) -> GateSummary:
    """A report back as a summary; a report too old to merge (no records in it) is a usage error."""
    if any("record" not in f or "cause" not in f for f in data.get("findings", [])):
        raise UsageError("this report has no records in its findings: it was written before reports could merge")
    return GateSummary(
        verdict=RunVerdict(data["verdict"]),
        counts={k: data["counts"].get(k, 0) for k in KINDS},
        cases=data["cases"],
        elapsed_s=data["elapsed_s"],
        baseline=data["baseline"],
        candidate=data["candidate"],
        settings=data.get("settings", {}),
        findings=[_finding(f, data.get("python", "")) for f in data.get("findings", [])],
        divergences=[_divergence(d) for d in data.get("divergences", [])],
        accuracy={side: Accuracy(a["needed"], a["recorded"], a["hits"]) for side, a in data["accuracy"].items()},
        replay=list(data.get("replay", [])),
        problems=[Problem(p["problem"], p.get("blocks_pass", True)) for p in data.get("problems", [])],
        slowness=list(data.get("slowness", [])),
        interrupted=data.get("interrupted", False),
        by_pattern=data.get("by_pattern", {}),
        reasons=list(data.get("reasons", [])),
        unjudged=[_divergence(d) for d in data.get("unjudged", [])],
        versions=data.get("cloudpickle", {}),
        phases=data.get("phases", {}),
        coverage=InputCoverage.from_dict(data.get("coverage", {})),
        real_code=RealCode.from_dict(data.get("real_code", {})),
        started_at=data.get("started_at", 0.0),
        timelines=data.get("timelines", {}),
        database=data.get("database", {}),
        python=data.get("python", ""),
    )


def load_report(path: str) -> GateSummary:
    """Read one JSON report; a missing or unreadable file is a usage error naming it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not a JSON report ({exc})") from None
    if not isinstance(data, dict) or "verdict" not in data or "counts" not in data:
        raise UsageError(f"{path}: not a gate or campaign JSON report (no verdict and counts)")
    try:
        return summary_from_json(data)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path}: a report this version cannot read ({type(exc).__name__}: {exc})") from None
