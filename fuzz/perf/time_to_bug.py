"""Time to each bug: how soon a gate fails the planted bugs, and a pull request's root causes.

Cases per second matter less than how soon a run finds what is wrong, so this
is the figure a change to the gate's speed is judged by. For every planted
buggy detector (:mod:`fuzz.detectors.planted`: each is ``legacy`` with one
realistic mistake), a gate of ``legacy`` against it is run once per seed, as a
user runs it (:mod:`fuzz.perf.timed_gate`: a fresh ``python -m fuzz gate``,
empty corpus and findings, stopped once its first failure is judged), and
the time from its launch to that failure is kept. Per detector, the median
and the worst over the seeds; over all detectors, the median of the medians
and how many were never found within the budget. A run that finds nothing
counts as not found, its time as "more than the budget", never as the
budget: an infinite time sorts last, and a median or worst that falls on
one says ``>budget``.

The planted detectors are every list of :mod:`fuzz.detectors.planted` whose
bug a gate on the running Python can show: the core ones, one per dimension
of the input space, the language's and the size boundaries'; type
parameters from 3.12, deferred annotations from 3.14, lazy imports from
3.15. Past two bytes (``HUGE_BUGGY``) is drawn about once in a million cases:
no gate finds it in minutes, so it is left out.

Given two cloudpickle checkouts (a pull request's base and head, as
``tree:`` sides), the same seeds run a whole gate of the head against the
base, shrinking included, and each distinct root cause of its reports is
timed from the launch to its first case.

Every run's raw figures go to JSON (:class:`BenchmarkResult`), so that two
benchmarks, before and after a change, compare (:func:`comparison`).
"""

from __future__ import annotations

import json
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fuzz.errors import UsageError
from fuzz.perf.timed_gate import GateRequest, GateTiming, time_gate

#: The side every planted detector is ``legacy`` with one mistake.
BASELINE = "legacy"
#: How a planted detector is given to the gate.
PLANTED = "detector:fuzz.detectors.planted:{}"
#: The name the tables give the runs of a pull request's head against its base.
TREE_PAIR = "tree pair"
#: What the JSON says it is, and the layout it is in (bumped when that changes).
KIND, FORMAT = "time-to-bug", 1


def planted_detectors() -> tuple[str, ...]:
    """Every planted buggy detector a gate on this Python can find, in the module's order (see above)."""
    from fuzz.detectors.planted import BREADTH_BUGGY, BUGGY, LANGUAGE_BUGGY, NEWER_BUGGY, SIZE_BUGGY
    from strategies.signatures import HAS_TYPE_PARAMS

    names = [*BUGGY, *BREADTH_BUGGY, *LANGUAGE_BUGGY, *SIZE_BUGGY]
    if not HAS_TYPE_PARAMS:
        names.remove("buggy_generic")  # `def f[T]()` does not compile: never drawn
    return (*names, *(name for name, (_, version) in NEWER_BUGGY.items() if sys.version_info >= version))


def chosen_detectors(text: str) -> tuple[str, ...]:
    """``--detectors``: comma-separated planted detectors, or ``none``; a name that cannot run says why."""
    if text.strip() == "none":
        return ()
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise UsageError("--detectors: name at least one planted detector (or none, with --trees)")
    available = planted_detectors()
    for name in names:
        if name not in available:
            raise UsageError(f"--detectors: {name} {_why_not_available(name)}; choose from {', '.join(available)}")
    return names


def _why_not_available(name: str) -> str:
    from fuzz.detectors import planted

    if name in planted.HUGE_BUGGY:
        return "shows only on cases drawn about once in a million, so no gate of minutes finds it"
    if name in planted.NEWER_BUGGY:
        version = ".".join(map(str, planted.NEWER_BUGGY[name][1]))
        return f"needs Python {version} or later (this is {platform.python_version()})"
    if name == "buggy_generic":
        return f"needs Python 3.12 or later for type parameters (this is {platform.python_version()})"
    return "is not a planted buggy detector"


@dataclass(frozen=True)
class BenchmarkSettings:
    """What one benchmark runs."""

    #: Planted detectors, each against :data:`BASELINE`.
    detectors: tuple[str, ...]
    #: Seeds 0 to ``seeds - 1``, each a gate of its own per target.
    seeds: int
    #: The gate's ``--budget``: a run that finds nothing within it has "not found".
    budget_s: float
    workers: int
    #: A pull request's base and head checkouts (``tree:`` sides), or ``None``.
    trees: tuple[str, str] | None = None

    def requests(self) -> list[GateRequest]:
        """Every gate to run, detector by detector, then the tree pair's."""
        planted = [
            GateRequest(name, BASELINE, PLANTED.format(name), seed, self.budget_s, self.workers)
            for name in self.detectors
            for seed in range(self.seeds)
        ]
        if self.trees is None:
            return planted
        base, head = self.trees
        return planted + [
            GateRequest(TREE_PAIR, f"tree:{base}", f"tree:{head}", seed, self.budget_s, self.workers, False)
            for seed in range(self.seeds)
        ]


@dataclass
class BenchmarkResult:
    """Every run's raw figures, and where they were measured: the JSON a later benchmark compares with."""

    settings: BenchmarkSettings
    runs: list[GateTiming] = field(default_factory=list)
    python: str = field(default_factory=platform.python_version)
    platform: str = field(default_factory=platform.platform)
    #: The benchmark's own wall-clock, every run included.
    wall_s: float = 0.0
    #: Whether it was stopped before its last run (the runs it finished are all here).
    interrupted: bool = False

    def to_dict(self) -> dict:
        s = self.settings
        return {
            "kind": KIND,
            "format": FORMAT,
            "python": self.python,
            "platform": self.platform,
            "baseline": BASELINE,
            "detectors": list(s.detectors),
            "seeds": s.seeds,
            "budget_s": s.budget_s,
            "workers": s.workers,
            "trees": None if s.trees is None else {"base": s.trees[0], "head": s.trees[1]},
            "wall_s": round(self.wall_s, 1),
            "interrupted": self.interrupted,
            "summary": [summary.to_dict() for summary in summarise(self.runs)],
            "overall": overall(self.runs).to_dict(),
            "runs": [run.to_dict() for run in self.runs],
        }

    @classmethod
    def from_dict(cls, data: dict) -> BenchmarkResult:
        trees = data.get("trees")
        settings = BenchmarkSettings(
            detectors=tuple(data.get("detectors", [])),
            seeds=int(data["seeds"]),
            budget_s=float(data["budget_s"]),
            workers=int(data["workers"]),
            trees=None if not trees else (str(trees["base"]), str(trees["head"])),
        )
        return cls(
            settings,
            runs=[GateTiming.from_dict(run) for run in data["runs"]],
            python=str(data.get("python", "")),
            platform=str(data.get("platform", "")),
            wall_s=float(data.get("wall_s", 0.0)),
            interrupted=bool(data.get("interrupted", False)),
        )


def load(path: str, option: str = "--compare") -> BenchmarkResult:
    """A result written by an earlier benchmark's ``--json``; anything else is a usage error naming the file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise UsageError(f"{option} {path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise UsageError(
            f"{option} {path}: not a time-to-bug result; pass a file written by "
            "python -m fuzz bench --time-to-bug --json FILE"
        )
    if data.get("format") != FORMAT:
        raise UsageError(f"{option} {path}: written in format {data.get('format')}, this version reads {FORMAT}")
    try:
        return BenchmarkResult.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{option} {path}: a time-to-bug result with a missing or bad field ({exc!r})") from None


def run_benchmark(
    result: BenchmarkResult,
    progress: Callable[[GateTiming], None] | None = None,
    timer: Callable[[GateRequest], GateTiming] = time_gate,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run every gate of the result's settings, one after the other, adding each run to ``result``.

    One at a time: two gates at once would slow each other down. An interrupt
    (Ctrl-C, SIGTERM) stops the run in flight (:func:`time_gate` cleans up
    after it) and is raised again once ``result`` is marked
    :attr:`~BenchmarkResult.interrupted`: the caller can still show and write it.
    """
    start = clock()
    try:
        for request in result.settings.requests():
            run = timer(request)
            result.runs.append(run)
            if progress is not None:
                progress(run)
    except KeyboardInterrupt:
        result.interrupted = True
        raise
    finally:
        result.wall_s = clock() - start


# -- statistics ---------------------------------------------------------------------------


def median_time(times: Iterable[float]) -> float:
    """The median of times where a run that found nothing is infinite (``inf`` when most found nothing)."""
    given = list(times)
    return statistics.median(given) if given else math.inf  # a mean with inf is inf: not found stays not found


@dataclass(frozen=True)
class TargetSummary:
    """One planted detector (or the tree pair) over its seeds."""

    target: str
    runs: int
    found: int
    #: Seconds to the first failure: the median and the worst of the runs (``inf``: not found).
    median_s: float
    worst_s: float
    #: The median of the runs' search rates (``None`` when no run judged two cases).
    cases_per_s: float | None
    budget_s: float

    @property
    def never_found(self) -> bool:
        return self.found == 0

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "runs": self.runs,
            "found": self.found,
            "median_s": _finite(self.median_s),
            "worst_s": _finite(self.worst_s),
            "cases_per_s": None if self.cases_per_s is None else round(self.cases_per_s, 1),
        }


def _finite(value: float) -> float | None:
    """A time for JSON: ``None`` stands for "not found within the budget"."""
    return None if math.isinf(value) else round(value, 3)


def summarise(runs: Sequence[GateTiming]) -> list[TargetSummary]:
    """One summary per target, in the order the targets were run."""
    by_target: dict[str, list[GateTiming]] = {}
    for run in runs:
        by_target.setdefault(run.target, []).append(run)
    summaries = []
    for target, mine in by_target.items():
        times = [run.time_or_inf for run in mine]
        rates = [run.cases_per_s for run in mine if run.cases_per_s is not None]
        summaries.append(
            TargetSummary(
                target=target,
                runs=len(mine),
                found=sum(run.found for run in mine),
                median_s=median_time(times),
                worst_s=max(times),
                cases_per_s=statistics.median(rates) if rates else None,
                budget_s=max(run.budget_s for run in mine),
            )
        )
    return summaries


@dataclass(frozen=True)
class Overall:
    """The line over all planted detectors (the tree pair is summed up by its root causes instead)."""

    detectors: int
    #: The median of the detectors' medians (``inf`` when most detectors' medians are "not found").
    median_of_medians: float
    #: Detectors no run found within the budget, by name.
    never_found: tuple[str, ...]
    runs: int
    runs_found: int
    #: The median time to the first verdict over every run (the gate's start-up as its user waits for it).
    first_verdict_s: float | None
    cases_per_s: float | None
    budget_s: float

    def to_dict(self) -> dict:
        return {
            "detectors": self.detectors,
            "median_of_medians_s": _finite(self.median_of_medians),
            "never_found": list(self.never_found),
            "runs": self.runs,
            "runs_found": self.runs_found,
            "first_verdict_s": None if self.first_verdict_s is None else round(self.first_verdict_s, 2),
            "cases_per_s": None if self.cases_per_s is None else round(self.cases_per_s, 1),
        }


def overall(runs: Sequence[GateTiming]) -> Overall:
    planted = [run for run in runs if run.target != TREE_PAIR]
    summaries = summarise(planted)
    verdicts = [run.first_verdict_s for run in planted if run.first_verdict_s is not None]
    rates = [s.cases_per_s for s in summaries if s.cases_per_s is not None]
    return Overall(
        detectors=len(summaries),
        median_of_medians=median_time(s.median_s for s in summaries),
        never_found=tuple(s.target for s in summaries if s.never_found),
        runs=len(planted),
        runs_found=sum(run.found for run in planted),
        first_verdict_s=statistics.median(verdicts) if verdicts else None,
        cases_per_s=statistics.median(rates) if rates else None,
        budget_s=max((run.budget_s for run in planted), default=0.0),
    )


@dataclass(frozen=True)
class CauseSummary:
    """One root cause of the tree pair over its runs: how often and how soon it was found."""

    key: str
    words: str
    kind: str
    runs: int
    found: int
    median_s: float
    worst_s: float
    #: Whether some run shrank its example (else every run reported it as found, with what else it held).
    shrunk: bool = True


def summarise_causes(runs: Sequence[GateTiming]) -> list[CauseSummary]:
    """Each distinct root cause of the tree pair's runs, the soonest found first (its runs without it: ``inf``)."""
    mine = [run for run in runs if run.target == TREE_PAIR]
    first: dict[str, dict[int, float]] = {}
    described: dict[str, tuple[str, str]] = {}
    shrunk: set[str] = set()
    for index, run in enumerate(mine):
        for cause in run.causes:
            if cause.seconds > run.budget_s:
                continue
            seen = first.setdefault(cause.key, {})
            seen[index] = min(cause.seconds, seen.get(index, math.inf))
            if cause.shrunk:
                shrunk.add(cause.key)
            # The shortest wording: the one whose example showed the least besides the cause.
            if cause.key not in described or len(cause.words) < len(described[cause.key][0]):
                described[cause.key] = (cause.words, cause.kind)
    summaries = []
    for key, found in first.items():
        times = [found.get(index, math.inf) for index in range(len(mine))]
        words, kind = described[key]
        summaries.append(
            CauseSummary(key, words, kind, len(mine), len(found), median_time(times), max(times), key in shrunk)
        )
    return sorted(summaries, key=lambda s: (s.median_s, s.worst_s, s.words))


# -- text ---------------------------------------------------------------------------------


def seconds_text(value: float | None, budget_s: float) -> str:
    """``4.2``, or ``>60`` for a time past the budget (not found), or ``-`` for none at all."""
    if value is None:
        return "-"
    if math.isinf(value):
        return f">{budget_s:g}"
    return f"{value:.1f}"


def _rate_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def table(result: BenchmarkResult) -> str:
    """The benchmark as Markdown: the planted detectors' table and its overall line, then the tree pair's."""
    s = result.settings
    load = _median_load(result)
    setting = (
        f"{seeds_text(s.seeds)}, `--budget {s.budget_s:g}`, {plural(s.workers, 'worker')}, Python {result.python}"
        f"{'' if load is None else f', load average {load:.1f} at launch (median)'}"
    )
    lines = []
    planted = [summary for summary in summarise(result.runs) if summary.target != TREE_PAIR]
    if planted:
        lines += [
            f"Time to the first failing case, seconds from the gate's launch: `{BASELINE}` against each planted "
            f"detector, {setting}.",
            "",
            "| detector | median s | worst s | found in | cases/s |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for t in planted:
            lines.append(
                f"| `{t.target}` | {seconds_text(t.median_s, t.budget_s)} | {seconds_text(t.worst_s, t.budget_s)} "
                f"| {t.found}/{t.runs} | {_rate_text(t.cases_per_s)} |"
            )
        lines += ["", overall_line(overall(result.runs)), ""]
    tree_runs = [run for run in result.runs if run.target == TREE_PAIR]
    if tree_runs and s.trees is not None:
        lines += _cause_table(summarise_causes(tree_runs), tree_runs, s.trees, s.budget_s, setting)
    noted = [run for run in result.runs if run.note]
    if noted:
        lines += ["Notes:"] + [f"- `{run.target}` seed {run.seed}: {run.note}" for run in noted] + [""]
    if result.interrupted:
        lines += [f"Interrupted: {len(result.runs)} of {len(s.requests())} runs were made.", ""]
    lines.append(f"Benchmark wall-clock: {duration_text(result.wall_s)}.")
    return "\n".join(lines) + "\n"


def _cause_table(
    causes: list[CauseSummary], runs: list[GateTiming], trees: tuple[str, str], budget_s: float, setting: str
) -> list[str]:
    lines = [
        f"Time to each root cause, seconds from the gate's launch: `tree:{trees[1]}` (candidate) against "
        f"`tree:{trees[0]}` (baseline), {plural(len(runs), 'whole gate')}, {setting}.",
        "",
        "| root cause | median s | worst s | found in |",
        "| --- | ---: | ---: | ---: |",
    ]
    for c in causes:
        lines.append(
            f"| {c.words}{'' if c.shrunk else ' (unshrunk)'} | {seconds_text(c.median_s, budget_s)} "
            f"| {seconds_text(c.worst_s, budget_s)} | {c.found}/{c.runs} |"
        )
    if any(not c.shrunk for c in causes):
        lines += ["", "(unshrunk): no run had the time to shrink its example, which may hold more than the cause."]
    if not causes:
        lines.append(f"| (no failure in any run) | >{budget_s:g} | >{budget_s:g} | 0/{len(runs)} |")
    return [*lines, ""]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def seeds_text(seeds: int) -> str:
    return "seed 0" if seeds == 1 else f"seeds 0 to {seeds - 1}"


def overall_line(o: Overall) -> str:
    never = f" ({', '.join(f'`{name}`' for name in o.never_found)})" if o.never_found else ""
    verdict = "" if o.first_verdict_s is None else f"; first verdict after {o.first_verdict_s:.1f} s (median)"
    median = seconds_text(o.median_of_medians, o.budget_s)
    return (
        f"**Over {plural(o.detectors, 'detector')}: median of the medians {median} s**; "
        f"never found within {o.budget_s:g} s: {len(o.never_found)}{never}; runs that found their bug: "
        f"{o.runs_found} of {o.runs}{verdict}; {_rate_text(o.cases_per_s)} cases/s (median)."
    )


def duration_text(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def run_line(run: GateTiming) -> str:
    """One finished run, for the progress display."""
    found = seconds_text(run.time_or_inf, run.budget_s) + " s" if run.found else f"not found within {run.budget_s:g} s"
    causes = f", {len(run.causes)} root causes" if run.target == TREE_PAIR else ""
    note = f" ({run.note})" if run.note else ""
    return (
        f"{run.target} seed {run.seed}: first failure {found}{causes}; {run.cases} cases, "
        f"{_rate_text(run.cases_per_s)}/s; run {run.wall_s:.1f} s{note}"
    )


# -- before and after ----------------------------------------------------------------------


def _ratio_text(before: float, after: float) -> str:
    """``before / after``: above 1, found sooner now."""
    if math.isinf(before) and math.isinf(after):
        return "-"
    if math.isinf(before):
        return "found now"
    if math.isinf(after):
        return "lost"
    return f"{before / after:.2f}x" if after > 0 else "-"


def comparison(before: BenchmarkResult, after: BenchmarkResult) -> str:
    """Before and after, per detector and overall, then per root cause of the tree pair: medians and ratios."""
    lines = [*_planted_comparison(before, after), *_cause_comparison(before, after), *_caveats(before, after)]
    return "\n".join(lines or ["Neither benchmark made a run: nothing to compare."]) + "\n"


def _planted_comparison(before: BenchmarkResult, after: BenchmarkResult) -> list[str]:
    old = {s.target: s for s in summarise(before.runs) if s.target != TREE_PAIR}
    new = {s.target: s for s in summarise(after.runs) if s.target != TREE_PAIR}
    if not old and not new:
        return []
    budgets = (before.settings.budget_s, after.settings.budget_s)
    budget_before, budget_after = budgets
    ob, oa = overall(before.runs), overall(after.runs)
    rows: list[tuple[str, float | None, float | None]] = []
    for target in [*old, *(t for t in new if t not in old)]:
        b, a = old.get(target), new.get(target)
        rows.append((f"`{target}`", b.median_s if b else None, a.median_s if a else None))
    rows.append(("**median of the medians**", ob.median_of_medians, oa.median_of_medians))
    lines = _before_after_table(
        "Median seconds to the first failing case, before and after; before/after above 1: found sooner now.",
        "detector",
        rows,
        budgets,
    )
    return [
        *lines,
        "",
        f"Never found: {len(ob.never_found)} of {ob.detectors} before, {len(oa.never_found)} of {oa.detectors} "
        f"after. Runs that found their bug: {ob.runs_found} of {ob.runs} before, {oa.runs_found} of {oa.runs} after. "
        f"First verdict (median): {seconds_text(ob.first_verdict_s, budget_before)} s before, "
        f"{seconds_text(oa.first_verdict_s, budget_after)} s after. Cases/s (median): "
        f"{_rate_text(ob.cases_per_s)} before, {_rate_text(oa.cases_per_s)} after.",
        "",
    ]


def _before_after_table(
    title: str, first: str, rows: Sequence[tuple[str, float | None, float | None]], budgets: tuple[float, float]
) -> list[str]:
    """A Markdown table of median seconds before and after, and their ratio (``None``: not measured there)."""
    lines = [title, "", f"| {first} | before | after | before/after |", "| --- | ---: | ---: | ---: |"]
    for label, b, a in rows:
        ratio = _ratio_text(b, a) if a is not None and b is not None else "-"
        lines.append(f"| {label} | {seconds_text(b, budgets[0])} | {seconds_text(a, budgets[1])} | {ratio} |")
    return lines


def _cause_comparison(before: BenchmarkResult, after: BenchmarkResult) -> list[str]:
    old = {c.key: c for c in summarise_causes(before.runs)}
    new = {c.key: c for c in summarise_causes(after.runs)}
    if not old and not new:
        return []
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        b, a = old.get(key), new.get(key)
        words = next(c.words for c in (a, b) if c is not None)
        rows.append((words, b.median_s if b else math.inf, a.median_s if a else math.inf))
    lines = _before_after_table(
        "Median seconds to each root cause of the tree pair, before and after.",
        "root cause",
        rows,
        (before.settings.budget_s, after.settings.budget_s),
    )
    return [*lines, ""]


def _caveats(before: BenchmarkResult, after: BenchmarkResult) -> list[str]:
    """What makes the two less than comparable, said under the table."""
    b, a = before.settings, after.settings
    said = []
    if b.budget_s != a.budget_s:
        said.append(f"the budgets differ ({b.budget_s:g} s before, {a.budget_s:g} s after)")
    if b.seeds != a.seeds:
        said.append(f"the seeds differ ({seeds_text(b.seeds)} before, {seeds_text(a.seeds)} after)")
    if b.workers != a.workers:
        said.append(f"the workers differ ({b.workers} before, {a.workers} after)")
    if before.python != after.python:
        said.append(f"the Pythons differ ({before.python} before, {after.python} after)")
    if before.interrupted or after.interrupted:
        said.append("a benchmark was interrupted, so some detectors have fewer runs")
    loads = [_median_load(r) for r in (before, after)]
    if all(load is not None for load in loads):
        said.append(f"the machine's load average was {loads[0]:.1f} before and {loads[1]:.1f} after (median)")
    return ["Note: " + "; ".join(said) + "."] if said else []


def _median_load(result: BenchmarkResult) -> float | None:
    loads = [run.load for run in result.runs if run.load is not None]
    return statistics.median(loads) if loads else None
