"""The gate's verdict, as data, Markdown and JSON, and the summary the terminal shows.

:func:`summarise` folds the per-case records and the findings
(:mod:`fuzz.gate.findings`: one per root cause, with a shrunk example) into a
:class:`GateSummary`: counts per verdict, the run's verdict and why it did
not pass (:mod:`fuzz.gate.run_verdict`), each side's recall and precision
against the ground truth, and the run's environment.

:func:`to_markdown` writes it for a pull-request comment. Its first screen
(about 40 lines) is what a reviewer reads: the verdict, one line of counts,
the table of root causes, and the first minimal example in full, the pickled
function first and the package files after. :func:`to_summary` is that first
screen, for the terminal; :func:`to_json` is everything, for machines.
"""

from __future__ import annotations

import platform
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from fuzz.campaign.discovery import timeline
from fuzz.case import Case
from fuzz.gate.findings import REVIEWED, Finding
from fuzz.gate.real_code import RealCode, real_code_of, real_origin
from fuzz.gate.run_verdict import Problem, RunFacts, decide
from fuzz.input_coverage import InputCoverage, coverage_of_records
from fuzz.records import matrix_patterns
from fuzz.shrinking.root_cause import seen_as
from fuzz.verdict import FAILING, KINDS, NOT_FAILING, UNJUDGED, Kind, failing_kinds

#: Alike lines in a row that the Markdown shows as one comment (the corpus file keeps them all).
RUN_SHOWN_AS_ONE = 8
#: Groups of unjudged cases shown in Markdown (the JSON has them all).
UNJUDGED_SHOWN = 5
_NUMBER = re.compile(r"\d+")


@dataclass
class Divergence:
    """Cases that are not findings, grouped by look (access pattern and each side's behaviour)."""

    kind: str
    pattern: str
    count: int
    example: dict

    @property
    def source(self) -> str:
        return Case.from_dict(self.example["case"]).render()


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
    #: Which values of the input space the generated cases had (:mod:`fuzz.input_coverage`).
    coverage: InputCoverage = field(default_factory=InputCoverage)
    #: The cases on real functions' shapes, and what they got (:mod:`fuzz.gate.real_code`).
    real_code: RealCode = field(default_factory=RealCode)
    #: When the run started (epoch seconds).
    started_at: float = 0.0
    #: The Python version the run judged on (a merged report: the first part's).
    python: str = field(default_factory=lambda: environment()["python"])
    #: Discovery curves by part (this run, or each merged shard and round; :mod:`fuzz.campaign.discovery`).
    timelines: dict[str, dict] = field(default_factory=dict)
    #: Pictures drawn for the report (title to path), linked from the Markdown.
    pictures: dict[str, str] = field(default_factory=dict)
    #: What a campaign's example database held and replayed (:mod:`fuzz.campaign.rounds`); empty for a gate.
    database: dict = field(default_factory=dict)

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.elapsed_s if self.elapsed_s > 0 else 0.0


def _groups(records: list[dict], kinds: tuple[str, ...]) -> list[Divergence]:
    return fold_divergences(
        Divergence(line["kind"], line["patterns"][0], 1, line)
        for line in records
        if line["kind"] in kinds and "case" in line
    )


def fold_divergences(divergences: Iterable[Divergence]) -> list[Divergence]:
    """Alike divergences as one (same verdict, access pattern, each side's behaviour), the smallest example kept.

    The records of one run fold this way, and so do the divergences of several
    reports (:mod:`fuzz.campaign.merge`).
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
    verdict, reasons = decide(dict(counts), facts, problems or [], strict)
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
        real_code=real_code_of(records, _real_pool()),
        started_at=started_at,
        timelines={label: timeline((r["t"] for r in records if "t" in r), (f.first_seen for f in findings))},
    )


def _real_pool() -> str:
    """What the real shapes were drawn from, if harvested ("" otherwise; never harvests).

    Imported here, at the end of a run: it brings Hypothesis, which the controller otherwise does without.
    """
    from strategies.real_shapes import pool_summary

    return pool_summary()


def _by_pattern(records: list[dict]) -> dict[str, dict[str, int]]:
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


# -- JSON -----------------------------------------------------------------------------


def _side_json(line: dict, side: str) -> dict:
    return {"submodules": line[side]["submodules"], "outcome": line[side]["outcome"], "spec": line[side]["spec"]}


def _example_json(line: dict) -> dict:
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
        # What the example was made of (strategies' dimension:value tags; see fuzz.input_coverage).
        "tags": f.example.get("tags", []),
        "first_seen": f.first_seen,
        "pythons": f.pythons,
        "new": f.new,
        "replayed": f.replayed,
        # What the report is made from, so that reports merge (fuzz.campaign.merge).
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


# -- Markdown -----------------------------------------------------------------------------


def collapse_runs(text: str, note: str = "") -> str:
    """Runs of alike lines (``padN = PADS.pN``) as one comment line: what a reader needs of them."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        end = index + 1
        shape = _NUMBER.sub("#", lines[index])
        while end < len(lines) and _NUMBER.sub("#", lines[end]) == shape:
            end += 1
        if end - index >= RUN_SHOWN_AS_ONE:
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            first, last = lines[index].strip(), lines[end - 1].strip()
            out.append(f"{indent}# {end - index} lines like these, each a distinct name: {first} ... {last}{note}")
        else:
            out += lines[index:end]
        index = end
    return "\n".join(out)


def example_markdown(case: Case, threshold: dict | None = None) -> list[str]:
    """The pickled function's module (steps after it), then the package files; padding as one line."""
    note = f" ({_threshold_words(threshold)})" if threshold else ""
    function = [collapse_runs(case.source.rstrip("\n"), note)]
    if case.steps:
        function += ["# --- then, step by step ---", *case.steps]
    lines = [f"Pickled: `{case.entry}`", "", "```python", *function, "```", ""]
    if case.files:
        files = []
        for path, content in case.files:
            files += [f"# --- {path} ---", collapse_runs(content.rstrip("\n")) or "# (empty)"]
        lines += ["Package files:", "", "```python", *files, "```", ""]
    if case.parent_imports:
        lines += [f"Imported by the pickling process first: {', '.join(case.parent_imports)}", ""]
    return lines


def _threshold_words(threshold: dict) -> str:
    """What the size threshold counts, in words: the operand its run grows (an older report's counts names)."""
    operand = threshold.get("operand", "names")
    fails = threshold.get("fails_with") or threshold["fails_with_names"]
    passes = threshold.get("passes_with") or threshold["passes_with_names"]
    return f"fails with {fails} {operand} or more in the function; passes with {passes}"


def _code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def _unshrunk_mark(f: Finding) -> str:
    """What the table adds to a root cause whose example is not a shrunk one."""
    if not f.unshrunk:
        return ""
    return " (a corpus case)" if f.unshrunk == REVIEWED else " (not shrunk)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def headline(summary: GateSummary) -> str:
    """The report's first line: the verdict, and why a run that did not pass did not."""
    failing = sum(summary.counts[k] for k in FAILING)
    more = len(summary.reasons) - 1
    also = f" (and {_plural(more, 'more reason')} below)" if more > 0 else ""
    if summary.verdict == "fail":
        # Side effects alone break no function: they change the process that pickles.
        broken = failing - summary.counts.get(Kind.SIDE_EFFECT, 0)
        what = (
            f"breaks functions that `{summary.baseline}` handles"
            if broken
            else f"changes the pickling process where `{summary.baseline}` does not"
        )
        head = (
            f"**FAIL**: `{summary.candidate}` {what} "
            f"({_plural(failing, 'failing case')}, {_plural(len(summary.findings), 'root cause')})"
        )
        if summary.counts.get(Kind.BENIGN) and not failing:
            head = f"**FAIL** (--strict): `{summary.candidate}` records other submodules than `{summary.baseline}`"
        if summary.reasons:
            head += f"; the run was also incomplete: {summary.reasons[0]}{also}"
        return head
    if summary.verdict == "incomplete":
        return f"**INCOMPLETE** (not a pass): {summary.reasons[0]}{also}"
    return f"**PASS**: no regression, crash or side effect of `{summary.candidate}` against `{summary.baseline}`"


def _overview(summary: GateSummary) -> list[str]:
    sides = (("baseline", summary.baseline), ("candidate", summary.candidate))
    versions = ", ".join(f"{role} `{spec}` cloudpickle {summary.versions.get(role, '?')}" for role, spec in sides)
    counts = " · ".join(f"{kind} {summary.counts[kind]}" for kind in KINDS if summary.counts[kind])
    campaign = summary.phases.get("campaign") or {}
    search = (
        f" (the campaign: {campaign['cases']} in its {campaign['seconds']:.1f} s, "
        f"{campaign['cases_per_s']:.1f} cases/s)"
        if campaign.get("cases")
        else ""
    )
    return [
        headline(summary),
        "",
        f"{summary.cases} cases in {summary.elapsed_s:.1f} s ({summary.cases_per_s:.1f} cases/s){search}, "
        f"Python {summary.python}; {versions}.",
        "",
        f"Verdicts: {counts or 'none'}.",
        "",
    ]


def _root_cause_table(summary: GateSummary) -> list[str]:
    if not summary.findings:
        return []
    rows = [
        f"| {n} | {'**new** ' if f.new else ''}{_cell(f.cause.words)}{_unshrunk_mark(f)} | {f.count} "
        f"| {', '.join(f.pythons)} | {f.lines} |"
        for n, f in enumerate(summary.findings, 1)
    ]
    return [
        "| # | root cause | cases | Python | lines |",
        "| ---: | --- | ---: | --- | ---: |",
        *rows,
        "",
    ]


def _finding_section(number: int, f: Finding) -> list[str]:
    lines = [f"### {number}. {f.cause.words} ({_plural(f.count, 'case')})", ""]
    if len(f.ways_seen) + len(f.changes_seen) > 1:
        lines += [f"Seen as: {seen_as(f.ways_seen, f.changes_seen)}.", ""]
    if f.unshrunk:
        lines += [f"Not shrunk: {f.unshrunk}.", ""]
    elif f.threshold:
        lines += [f"The size is the cause: {_threshold_words(f.threshold)}.", ""]
    lines += example_markdown(f.case, f.threshold)
    lines += [
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
    return lines


def to_summary(summary: GateSummary, written: list[str]) -> str:
    """What the terminal shows: the first screen of the report, and where the rest was written."""
    lines = _overview(summary) + _root_cause_table(summary)
    if summary.verdict != "pass" and summary.reasons:
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


def to_markdown(summary: GateSummary) -> str:
    env = environment()
    lines = _overview(summary) + _root_cause_table(summary)
    if summary.pictures:
        lines += [" · ".join(f"[{title}]({path})" for title, path in summary.pictures.items()), ""]
    if summary.database:
        lines += [_database_words(summary.database), ""]
    for number, f in enumerate(summary.findings, 1):
        lines += _finding_section(number, f)
    if summary.reasons and summary.verdict != "pass":
        lines += ["## Why this is not a pass", "", *(f"- {reason}" for reason in summary.reasons), ""]
    if summary.unjudged:
        lines += [
            "## Unjudged cases",
            "",
            "The harness could not judge these; they neither fail nor pass the candidate, but a run with any "
            "cannot pass.",
            "",
        ]
        for d in summary.unjudged[:UNJUDGED_SHOWN]:
            lines += [f"### {_plural(d.count, 'case')}: {d.example.get('reason', '')}", ""]
            lines += example_markdown(Case.from_dict(d.example["case"]))
        if len(summary.unjudged) > UNJUDGED_SHOWN:
            lines += [f"{len(summary.unjudged) - UNJUDGED_SHOWN} more groups: see the JSON report.", ""]
    if summary.divergences:
        lines += [
            "## Other divergences (not failing)",
            "",
            "| verdict | access pattern | cases | baseline | candidate |",
            "| --- | --- | ---: | --- | --- |",
            *(
                f"| {d.kind} | {d.pattern} | {d.count} | {d.example['baseline']['behaviour']} "
                f"| {d.example['candidate']['behaviour']} |"
                for d in summary.divergences
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
            f"{len(summary.replay)} entr{'y' if len(summary.replay) == 1 else 'ies'} replayed, "
            f"{len(changed)} changed verdict.",
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
        f"- baseline: `{summary.baseline}` (cloudpickle {summary.versions.get('baseline', '?')}); "
        f"candidate: `{summary.candidate}` (cloudpickle {summary.versions.get('candidate', '?')})",
        f"- Python {env['python']} ({env['implementation']}) on {env['platform']}",
        *([f"- budget: {_phases_words(summary.phases)}"] if summary.phases else []),
        "- settings: " + ", ".join(f"{k}={v}" for k, v in summary.settings.items()),
    ]
    if summary.coverage.cases:
        lines += [
            "",
            "## Input coverage",
            "",
            "How many of the generated cases judged had each value of each dimension of the input space "
            "(`python -m fuzz coverage` draws the same table without running anything). A value no case "
            "reached is in bold: a bug that needs it cannot have been found.",
            "",
            *summary.coverage.to_markdown(),
        ]
    if summary.real_code.cases:
        lines += ["", *summary.real_code.to_markdown(_real_findings(summary.findings))]
    return "\n".join(lines) + "\n"


def _real_findings(findings: list[Finding]) -> list[tuple[str, str]]:
    """``(root cause words, real function)`` of each finding whose example took a real function's shape."""
    found = []
    for f in findings:
        origin = real_origin(f.example.get("tags", ()))
        if origin:
            found.append((f.cause.words, origin))
    return found


def _database_words(db: dict) -> str:
    first = "before anything new" if db.get("replayed_first") else "(not all before the new cases)"
    return (
        f"Example database `{db.get('path')}`: {db.get('entries_at_start', 0)} entries at the start, "
        f"{db.get('replayed', 0)} replayed {first}, {db.get('still_failing', 0)} of them still failing; "
        f"{db.get('entries_now', 0)} entries now."
    )


def _phases_words(phases: dict) -> str:
    shrink = phases.get("shrink", {})
    campaign, shrinking = phases.get("campaign_until_s", 0), phases.get("shrink_until_s", 0)
    shrunk = f"{shrink.get('shrunk', 0)} of {shrink.get('examples', 0)} examples shrunk"
    return (
        f"campaign until {campaign:.0f} s, shrinking until {shrinking:.0f} s ({shrunk}, in "
        f"{shrink.get('seconds', 0):.1f} s of work), the slowness hunt after"
    )


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
