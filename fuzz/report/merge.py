"""Reports merged: shards of one search, rounds of one campaign, runs on other machines.

``python -m fuzz merge REPORT.json...`` and each round of ``python -m fuzz
campaign`` fold JSON reports (:func:`fuzz.report.json_form.to_json`) into one
:class:`~fuzz.report.summary.GateSummary`, written as Markdown and JSON like any
gate's report. The rules:

* counts, cases, recall and precision, coverage and per-pattern tables add up;
* findings are the union, one per root cause (the same key of
  :mod:`fuzz.shrinking.root_cause`), their counts added, the shrunk and then
  the smallest example kept, with every Python version they were seen on;
* divergences merge by look (verdict, access pattern, each side's behaviour);
* the verdict is the worst of the parts (FAIL, then INCOMPLETE, then PASS),
  each part's reasons and problems kept, prefixed by its label; parts of a
  ``--shard K/N`` split that no report stands for make a PASS INCOMPLETE;
* discovery curves stay per part, plus a merged one; the rounds of one
  campaign continue each other.

Corpus directories merge by content address, which their file names already
are: copy the files into one directory (``cp -n``).
"""

from __future__ import annotations

import json
from collections import Counter

from fuzz.errors import UsageError
from fuzz.generation.input_coverage import InputCoverage
from fuzz.model.verdict import KINDS
from fuzz.report.findings import Finding, in_report_order
from fuzz.report.real_code import RealCode
from fuzz.report.run_verdict import Problem, RunVerdict
from fuzz.report.summary import Accuracy, GateSummary, fold_divergences, minor_version
from fuzz.report.timeline import MERGED, merged_timeline


def finding_key(kind: str, cause_key: object) -> str:
    """One root cause of one kind, as text: the same in every report (JSON turns a key's tuples into lists)."""
    return json.dumps([kind, cause_key], sort_keys=True, default=str)


def _merge_findings(parts: list[GateSummary]) -> list[Finding]:
    merged: dict[str, Finding] = {}
    for part in parts:
        for f in part.findings:
            key = finding_key(f.kind, f.cause.key)
            if key not in merged:
                # A fresh finding takes the first one in: the parts (a campaign's rounds) are kept as they are.
                merged[key] = Finding(f.kind, f.cause, f.example, 0, f.unshrunk)
            merged[key].fold(f)
    return in_report_order(merged.values())


def _merge_timelines(
    parts: list[tuple[str, GateSummary]], findings: list[Finding], continuing: bool
) -> dict[str, dict]:
    """One curve per part, plus a merged one; or, for ``continuing`` parts, curves of one name chained."""
    out: dict[str, dict] = {}
    for label, part in parts:
        for name, curve in part.timelines.items():
            if name == MERGED:
                continue
            key = name if continuing or len(parts) == 1 else label
            so_far = out.setdefault(key, {"cases": [], "root_causes": []})
            offset = so_far["cases"][-1][1] if (continuing and so_far["cases"]) else 0
            so_far["cases"] += [[t, n + offset] for t, n in curve.get("cases", [])]
            so_far["cases"].sort()
            so_far["root_causes"] = sorted(so_far["root_causes"] + list(curve.get("root_causes", [])))
    if len(out) > 1:
        out[MERGED] = merged_timeline(out, (f.first_seen for f in findings))
    elif out:
        # One curve: its root causes are the merged findings' (deduplicated across its rounds).
        only = next(iter(out.values()))
        only["root_causes"] = sorted(f.first_seen for f in findings if f.first_seen is not None)
    return out


def missing_shards(summaries: list[GateSummary]) -> list[str]:
    """Parts K of N that no report is, per Python version, for each N the reports' ``--shard`` settings name."""
    seen: dict[tuple[str, int], set[int]] = {}
    for s in summaries:
        k, _, n = str(s.settings.get("shard", "1/1")).partition("/")
        if k.isdigit() and n.isdigit():
            seen.setdefault((minor_version(s.python), int(n)), set()).add(int(k))
    several = len({python for python, _ in seen}) > 1
    return [
        f"{k}/{n}" + (f" (Python {python})" if several else "")
        for (python, n), ks in sorted(seen.items())
        for k in range(1, n + 1)
        if k not in ks
    ]


def _prefixed(label: str, text: str, labelled: bool) -> str:
    return f"{label}: {text}" if labelled else text


def merge(parts: list[tuple[str, GateSummary]], continuing: bool = False) -> GateSummary:
    """One summary of ``(label, summary)`` parts; see the module docstring for the rules.

    ``continuing``: the parts are rounds of one campaign, one after the other
    (their discovery curves chain); otherwise each part is its own curve.
    """
    if not parts:
        raise UsageError("nothing to merge: name at least one JSON report")
    summaries = [s for _, s in parts]
    first = summaries[0]
    for label, s in parts[1:]:
        if (s.baseline, s.candidate) != (first.baseline, first.candidate):
            raise UsageError(
                f"{label} compares {s.baseline} against {s.candidate}, not {first.baseline} against "
                f"{first.candidate}: merge reports of the same two sides only"
            )
    counts = Counter[str]()
    accuracy: dict[str, Accuracy] = {}
    by_pattern: dict[str, Counter] = {}
    coverage = InputCoverage()
    real_code = RealCode()
    for s in summaries:
        counts.update(s.counts)
        for side, acc in s.accuracy.items():
            total = accuracy.setdefault(side, Accuracy())
            total.needed, total.recorded, total.hits = (
                total.needed + acc.needed, total.recorded + acc.recorded, total.hits + acc.hits,
            )  # fmt: skip
        for pattern, kinds in s.by_pattern.items():
            by_pattern.setdefault(pattern, Counter()).update(kinds)
        coverage.merge(s.coverage)
        real_code.merge(s.real_code)
    labelled = len(parts) > 1
    findings = _merge_findings(summaries)
    reasons = [_prefixed(label, r, labelled) for label, s in parts for r in s.reasons]
    verdict = RunVerdict.worst([s.verdict for s in summaries])
    missing = missing_shards(summaries)
    if missing:
        # A part that never reported may have held the finding: the merge cannot pass without it.
        reasons.insert(0, f"no report of shard {', '.join(missing)} was merged")
        verdict = verdict.at_best_incomplete()
    started = min((s.started_at for s in summaries if s.started_at), default=0.0)
    ended = max((s.started_at + s.elapsed_s for s in summaries if s.started_at), default=0.0)
    return GateSummary(
        verdict=verdict,
        counts={k: counts.get(k, 0) for k in KINDS},
        cases=sum(s.cases for s in summaries),
        # Parts run side by side (shards) or one after the other (rounds): the wall-clock span covers both.
        elapsed_s=(ended - started) if started else max(s.elapsed_s for s in summaries),
        baseline=first.baseline,
        candidate=first.candidate,
        settings={**first.settings, "parts": [label for label, _ in parts]},
        findings=findings,
        divergences=fold_divergences(d for s in summaries for d in s.divergences),
        accuracy=accuracy,
        replay=[r for s in summaries for r in s.replay],
        problems=[Problem(_prefixed(label, p.text, labelled), p.blocks_pass) for label, s in parts for p in s.problems],
        slowness=sorted((r for s in summaries for r in s.slowness), key=lambda r: -r.get("ratio", 0)),
        interrupted=any(s.interrupted for s in summaries),
        by_pattern={p: dict(k) for p, k in sorted(by_pattern.items())},
        reasons=reasons,
        unjudged=fold_divergences(d for s in summaries for d in s.unjudged),
        versions=first.versions,
        phases=first.phases if not labelled else {},
        coverage=coverage,
        real_code=real_code,
        started_at=started,
        timelines=_merge_timelines(parts, findings, continuing),
        python=first.python,
    )
