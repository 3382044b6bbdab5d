"""The gate's verdict, as data, Markdown and JSON.

:func:`summarise` folds the per-case records into a :class:`GateSummary`:
counts per verdict, the run's verdict and why it did not pass
(:mod:`fuzz.gate.run_verdict`), findings grouped by access pattern and by each
side's behaviour (so a bug found ten thousand times is reported once, with
its count and its smallest example), each side's recall and precision
against the ground truth, and the run's environment. :func:`to_markdown`
writes it for a pull-request comment, verdict first; :func:`to_json` for
machines.
"""

from __future__ import annotations

import platform
from collections import Counter
from dataclasses import asdict, dataclass, field

import cloudpickle

from fuzz.case import Case
from fuzz.gate.run_verdict import Problem, RunFacts, decide
from fuzz.records import group_keys, matrix_patterns
from fuzz.verdict import FAILING, KINDS, NOT_FAILING, UNJUDGED, Kind, failing_kinds


@dataclass
class Finding:
    kind: str
    pattern: str
    count: int
    #: The smallest recorded example of the group.
    example: dict

    @property
    def source(self) -> str:
        return Case.from_dict(self.example["case"]).render()

    def reproducer(self) -> str:
        if self.example.get("corpus"):
            return f"python -m fuzz repro {self.example['corpus']}"
        return "python -m fuzz replay  # (not saved to a corpus in this run)"


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
    #: ``pass``, ``fail`` or ``incomplete`` (:func:`fuzz.gate.run_verdict.decide`).
    verdict: str
    counts: dict[str, int]
    cases: int
    elapsed_s: float
    baseline: str
    candidate: str
    settings: dict
    findings: list[Finding] = field(default_factory=list)
    divergences: list[Finding] = field(default_factory=list)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    replay: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    slowness: list[dict] = field(default_factory=list)
    interrupted: bool = False
    #: Verdict counts per access pattern (each case under each way it uses).
    by_pattern: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Why the run did not pass, most important first (empty for a pass).
    reasons: list[str] = field(default_factory=list)
    #: Cases the harness could not judge, grouped like findings.
    unjudged: list[Finding] = field(default_factory=list)

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.elapsed_s if self.elapsed_s > 0 else 0.0


def _groups(records: list[dict], kinds: tuple[str, ...]) -> list[Finding]:
    groups: dict[tuple, Finding] = {}
    for line in records:
        if line["kind"] not in kinds or "case" not in line:
            continue
        for key in group_keys(line):
            found = groups.get(key)
            if found is None:
                groups[key] = Finding(line["kind"], key[1], 1, line)
            else:
                found.count += 1
                if line.get("size", 0) < found.example.get("size", 0):
                    found.example = line
    order: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
    return sorted(groups.values(), key=lambda f: (order[f.kind], -f.count, f.pattern, f.example.get("reason", "")))


def _accuracy(records: list[dict]) -> dict[str, Accuracy]:
    result = {"baseline": Accuracy(), "candidate": Accuracy()}
    for line in records:
        if line["needed"] is None or line["kind"] == Kind.UNINFORMATIVE:
            continue
        needed = set(line["needed"])
        for side in result:
            recorded = set(line[side]["submodules"])
            acc = result[side]
            acc.needed += len(needed)
            acc.recorded += len(recorded)
            acc.hits += len(needed & recorded)
    return result


def summarise(
    records: list[dict],
    *,
    elapsed: float,
    baseline: str,
    candidate: str,
    settings: dict,
    facts: RunFacts,
    strict: bool = False,
    replay: list[dict] | None = None,
    problems: list[Problem] | None = None,
    slowness: list[dict] | None = None,
) -> GateSummary:
    counts = Counter(line["kind"] for line in records)
    failing = failing_kinds(strict)
    findings = _groups(records, failing)
    others = tuple(k for k in NOT_FAILING if k not in failing)
    verdict, reasons = decide(dict(counts), facts, problems or [], strict)
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
    )


def _by_pattern(records: list[dict]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = {}
    for line in records:
        for name in matrix_patterns(line):
            table.setdefault(name, Counter())[line["kind"]] += 1
    return {name: dict(counts) for name, counts in sorted(table.items())}


def environment() -> dict:
    """The interpreter, platform and installed cloudpickle this run used."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cloudpickle": cloudpickle.__version__,
    }


def _side_json(line: dict, side: str) -> dict:
    return {"submodules": line[side]["submodules"], "outcome": line[side]["outcome"], "spec": line[side]["spec"]}


def _finding_json(f: Finding) -> dict:
    return {
        "kind": f.kind,
        "reason": f.example.get("reason", ""),
        "pattern": f.pattern,
        "count": f.count,
        "source": f.source,
        "expected": f.example["expected"],
        "baseline": _side_json(f.example, "baseline"),
        "candidate": _side_json(f.example, "candidate"),
        "reproducer": f.reproducer(),
        "corpus": f.example.get("corpus"),
    }


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
        "python": env["python"],
        "cloudpickle": env["cloudpickle"],
        "platform": env["platform"],
        "baseline": summary.baseline,
        "candidate": summary.candidate,
        "settings": summary.settings,
        "interrupted": summary.interrupted,
        "findings": [_finding_json(f) for f in summary.findings],
        "divergences": [_finding_json(f) for f in summary.divergences],
        "unjudged": [_finding_json(f) for f in summary.unjudged],
        "accuracy": {
            side: {**asdict(acc), "recall": _ratio(acc.recall), "precision": _ratio(acc.precision)}
            for side, acc in summary.accuracy.items()
        },
        "replay": summary.replay,
        "problems": [p.to_dict() for p in summary.problems],
        "slowness": summary.slowness,
        "by_pattern": summary.by_pattern,
    }


#: Lines of a finding's source shown in Markdown; the JSON and the corpus file hold all of it.
SOURCE_LINES = 60
#: Groups of unjudged cases shown in Markdown (the JSON has them all).
UNJUDGED_SHOWN = 5


def _shortened(source: str) -> str:
    lines = source.splitlines()
    if len(lines) <= SOURCE_LINES:
        return source
    return "\n".join([*lines[:SOURCE_LINES], f"# ... {len(lines) - SOURCE_LINES} more lines: see the reproducer"])


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def headline(summary: GateSummary) -> str:
    """The report's first line: the verdict, and why a run that did not pass did not."""
    failing = sum(summary.counts[k] for k in FAILING)
    more = len(summary.reasons) - 1
    also = f" (and {more} more reason{'s' if more != 1 else ''} below)" if more > 0 else ""
    if summary.verdict == "fail":
        head = (
            f"**FAIL**: `{summary.candidate}` breaks functions that `{summary.baseline}` handles "
            f"({failing} failing cases in {len(summary.findings)} distinct findings)"
        )
        if summary.counts.get(Kind.BENIGN) and not failing:
            head = f"**FAIL** (--strict): `{summary.candidate}` records other submodules than `{summary.baseline}`"
        if summary.reasons:
            head += f"; the run was also incomplete: {summary.reasons[0]}{also}"
        return head
    if summary.verdict == "incomplete":
        return f"**INCOMPLETE** (not a pass): {summary.reasons[0]}{also}"
    return f"**PASS**: no regression or crash of `{summary.candidate}` against `{summary.baseline}`"


def to_markdown(summary: GateSummary) -> str:
    env = environment()
    note = "A case that breaks several ways of access counts once under each."
    lines = [
        headline(summary),
        "",
        f"{summary.cases} cases in {summary.elapsed_s:.1f} s ({summary.cases_per_s:.1f} cases/s), "
        f"Python {env['python']}, cloudpickle {env['cloudpickle']}.",
        "",
        "| verdict | cases |",
        "| --- | ---: |",
        *(f"| {kind} | {summary.counts[kind]} |" for kind in KINDS),
        "",
    ]
    if summary.reasons and summary.verdict != "pass":
        lines += ["## Why this is not a pass", "", *(f"- {reason}" for reason in summary.reasons), ""]
    if summary.findings:
        lines += ["## Findings", "", note, ""]
        for f in summary.findings:
            lines += [
                f"### {f.kind}: {f.pattern} (baseline {f.example['baseline']['behaviour']}, "
                f"candidate {f.example['candidate']['behaviour']}; {f.count} case{'s' if f.count != 1 else ''})",
                "",
                "```python",
                _shortened(f.source),
                "```",
                "",
                "| side | submodules recorded | unpickled function |",
                "| --- | --- | --- |",
                f"| at home | | {_code(f.example['expected'])} |",
                *(
                    f"| {side} `{f.example[side]['spec']}` | {', '.join(f.example[side]['submodules']) or '(none)'} "
                    f"| {_code(f.example[side]['outcome'])} |"
                    for side in ("baseline", "candidate")
                ),
                "",
                f"Why: {f.example['reason']}",
                "",
                f"Reproduce: `{f.reproducer()}`",
                "",
            ]
    if summary.unjudged:
        lines += [
            "## Unjudged cases",
            "",
            "The harness could not judge these; they neither fail nor pass the candidate, but a run with any "
            "cannot pass.",
            "",
        ]
        for f in summary.unjudged[:UNJUDGED_SHOWN]:
            lines += [
                f"### {f.count} case{'s' if f.count != 1 else ''}: {f.example.get('reason', '')}",
                "",
                "```python",
                _shortened(f.source),
                "```",
                "",
            ]
        if len(summary.unjudged) > UNJUDGED_SHOWN:
            lines += [f"{len(summary.unjudged) - UNJUDGED_SHOWN} more groups: see the JSON report.", ""]
    if summary.divergences:
        lines += [
            "## Other divergences (not failing)",
            "",
            "| verdict | access pattern | cases | baseline | candidate |",
            "| --- | --- | ---: | --- | --- |",
            *(
                f"| {f.kind} | {f.pattern} | {f.count} | {f.example['baseline']['behaviour']} "
                f"| {f.example['candidate']['behaviour']} |"
                for f in summary.divergences
            ),
            "",
        ]
    lines += [
        "## Detection against the ground truth",
        "",
        "| side | recall | precision | needed | recorded |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {side} `{getattr(summary, side)}` | {_percent(acc.recall)} | {_percent(acc.precision)} "
            f"| {acc.needed} | {acc.recorded} |"
            for side, acc in summary.accuracy.items()
        ),
        "",
    ]
    if summary.replay:
        changed = [r for r in summary.replay if r["recorded"] not in (None, r["verdict"])]
        lines += [
            "## Corpus replay",
            "",
            f"{len(summary.replay)} entries replayed, {len(changed)} changed verdict.",
            "",
            *(f"- `{r['file']}`: {r['recorded']} → {r['verdict']}" for r in changed),
            "",
        ]
    if summary.slowness:
        lines += [
            "## Slower pickling",
            "",
            "Generated functions the candidate pickles more than 1.5x slower than the baseline "
            "(`python -m fuzz slowness` for more).",
            "",
            "| candidate / baseline | mode | baseline s | candidate s | access pattern |",
            "| ---: | --- | ---: | ---: | --- |",
            *(
                f"| {s['ratio']:.2f}x | {s.get('mode', '')} | {s['baseline_s']:.2e} | {s['candidate_s']:.2e} "
                f"| {s.get('pattern', '')} |"
                for s in summary.slowness
            ),
            "",
        ]
    if summary.problems:
        lines += [
            "## Problems during the run",
            "",
            *(f"- {p.text}{'' if p.blocks_pass else ' (this alone does not stop a pass)'}" for p in summary.problems),
            "",
        ]
    lines += [
        "## Environment",
        "",
        f"- baseline: `{summary.baseline}`; candidate: `{summary.candidate}`",
        f"- Python {env['python']} ({env['implementation']}) on {env['platform']}; cloudpickle {env['cloudpickle']}",
        "- settings: " + ", ".join(f"{k}={v}" for k, v in summary.settings.items()),
    ]
    return "\n".join(lines) + "\n"
