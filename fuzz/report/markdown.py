"""A report as Markdown, for a pull-request comment.

Its first screen (about 40 lines) is what a reviewer reads: the verdict, one
line of counts, the table of root causes, and the first minimal example in
full, the pickled function first and the package files after
(:mod:`fuzz.report.terminal` prints that screen). The rest has one section
per root cause, then the unjudged cases, the other divergences, recall and
precision, the corpus replay, slower pickling, problems, the environment and
the input coverage.
"""

from __future__ import annotations

from fuzz.model.case import Case
from fuzz.model.verdict import FAILING, KINDS, Kind
from fuzz.report.findings import REVIEWED, Finding
from fuzz.report.real_code import real_origin
from fuzz.report.run_verdict import RunVerdict
from fuzz.report.summary import GateSummary, environment
from fuzz.shrinking.alike_runs import collapse_runs
from fuzz.shrinking.root_cause import seen_as

#: Groups of unjudged cases shown in Markdown (the JSON has them all).
UNJUDGED_SHOWN = 5


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
    if summary.verdict == RunVerdict.FAIL:
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
    if summary.verdict == RunVerdict.INCOMPLETE:
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


def to_markdown(summary: GateSummary) -> str:
    env = environment()
    lines = _overview(summary) + _root_cause_table(summary)
    if summary.pictures:
        lines += [" · ".join(f"[{title}]({path})" for title, path in summary.pictures.items()), ""]
    if summary.database:
        lines += [_database_words(summary.database), ""]
    for number, f in enumerate(summary.findings, 1):
        lines += _finding_section(number, f)
    if summary.reasons and summary.verdict != RunVerdict.PASS:
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
    spent = phases.get("spent")
    if spent:
        # Shared by need (fuzz.gate.budget): the phases overlap, so say where the wall-clock went.
        return (
            f"searched {spent['search_s']:.1f} s ({100 * spent['search_share']:.0f}% of the budget), "
            f"searching or shrinking {spent['search_or_shrink_s']:.1f} s "
            f"({100 * spent['search_or_shrink_share']:.0f}%), shrinking {spent['shrink_s']:.1f} s ({shrunk}), "
            f"the slowness hunt {spent['hunt_s']:.1f} s; the search ended at "
            f"{(phases.get('campaign') or {}).get('seconds', campaign):.0f} s"
        )
    return (
        f"campaign until {campaign:.0f} s, shrinking until {shrinking:.0f} s ({shrunk}, in "
        f"{shrink.get('seconds', 0):.1f} s of work), the slowness hunt after"
    )


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
