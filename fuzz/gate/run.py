"""One run of the pre-merge gate, from the side check to the printed report.

The order, all supervised from here (nothing of a side runs in this process):

1. a :mod:`fuzz.workers.case_worker` builds both sides (a bad spec stops the
   gate with exit 2 before anything runs) and replays the corpus;
2. meanwhile the stateless and stateful campaigns (:mod:`fuzz.gate.campaign`)
   run on pytest-xdist workers until the budget or the example count is
   spent (:mod:`fuzz.gate.campaign_runner` watches them);
3. a case whose worker died while a side pickled it is rerun in a fresh
   worker: the same death again is a ``crash`` (or, for the baseline, an
   ``unjudged`` case), see :mod:`fuzz.workers.supervisor`;
4. if the budget leaves 10 s or more and nothing crashed, the slowness hunt
   runs, in a worker too.

Then the Markdown report is printed, verdict first, and written with the
JSON one; :mod:`fuzz.gate.run_verdict` decides PASS, FAIL or INCOMPLETE.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fuzz.campaign.discovery import draw_pictures
from fuzz.case import Case
from fuzz.cli.options import shard_text
from fuzz.corpus.format import CorpusEntry, running_version
from fuzz.corpus.store import corpus_files, save_noted
from fuzz.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, UsageError
from fuzz.gate.campaign_runner import CampaignRunner, CampaignSettings
from fuzz.gate.findings import (
    REVIEWED,
    Finding,
    Group,
    findings_by_root_cause,
    group_before_shrinking,
    not_shrinkable_because,
)
from fuzz.gate.progress import Progress
from fuzz.gate.report import GateSummary, summarise, to_json, to_markdown, to_summary
from fuzz.gate.run_verdict import Problem, RunFacts, case_floor
from fuzz.isolation import interrupts
from fuzz.sides import cloudpickle_version
from fuzz.verdict import FAILING, UNJUDGED, Kind, failing_kinds
from fuzz.workers.events import Event, JobKind
from fuzz.workers.supervisor import SupervisedJob

#: Shares of a budget of a minute or more: the campaign until 50%, shrinking until 80%, the slowness hunt after.
CAMPAIGN_SHARE, SHRINK_SHARE = 0.5, 0.8
#: Shares of a shorter budget: too little would be left for a useful hunt anyway.
CAMPAIGN_SHARE_SHORT, SHRINK_SHARE_SHORT = 0.7, 0.95
#: The most one finding's shrinking may take (a budget left for few findings is not spent on one).
#: Cases on real functions' shapes and on size boundaries are longer to reduce than the generated ones
#: were; 10 s, then 20 s, left some unfinished on a slow 2-core machine (a shrink worker writes a sign of life
#: every few seconds, so its supervisor does not take a long shrink for a stuck worker).
SHRINK_PER_FINDING_S = 30.0
#: Seconds a hunt needs to be worth starting.
SLOWNESS_MIN_S = 10.0
#: Seconds past the budget the gate may take to rerun the cases whose worker died, and to report.
OVERTIME = 20.0
#: Where the full reports go when --markdown and --json name no file (git-ignored, like the findings).
REPORTS = os.path.join(".fuzz", "reports")
#: Seconds between two looks at the workers.
POLL_S = 0.1
#: Why a finding is not shrunk under --no-shrink.
NO_SHRINK = "shrinking was turned off (--no-shrink)"
#: Seconds a child may run while shrinking: generated cases take milliseconds, and a candidate that loops
#: (a loop's counter removed) must not cost a full --timeout.
SHRINK_TIMEOUT_S = 2.0
#: Seconds a shrinking worker gets past the shrinking deadline to report what it has.
SHRINK_GRACE_S = 5.0


@dataclass(frozen=True)
class RunPlan:
    """How a run shares its budget, and which of its optional parts it runs."""

    #: Shares of the budget: the campaign ends at the first, shrinking at the second.
    campaign_share: float
    shrink_share: float
    #: Whether the reviewed corpus and the earlier findings are replayed.
    replay_corpus: bool = True
    #: Whether the slowness hunt runs if time is left.
    hunt: bool = True

    @classmethod
    def for_gate(cls, budget: float) -> RunPlan:
        if budget >= 60:
            return cls(CAMPAIGN_SHARE, SHRINK_SHARE)
        return cls(CAMPAIGN_SHARE_SHORT, SHRINK_SHARE_SHORT)


class GateRun:
    """One run of the gate: its helpers, what they found, and the report (see the module docstring)."""

    def __init__(self, args: argparse.Namespace, plan: RunPlan | None = None) -> None:
        self.args = args
        self.plan = plan = plan or RunPlan.for_gate(args.budget)
        self.start = time.time()
        self.deadline = self.start + args.budget
        self.campaign_deadline = self.start + args.budget * plan.campaign_share
        self.shrink_deadline = self.start + args.budget * plan.shrink_share
        #: Shrunk example per group key, and why a group has none (see :mod:`fuzz.gate.findings`).
        self.shrunk: dict[tuple, dict] = {}
        self.unshrunk: dict[tuple, str] = {}
        self.directory = tempfile.mkdtemp(prefix="fuzz-gate-")
        self.progress = Progress(self.deadline)
        self.problems: list[Problem] = []
        self.slowness: list[dict] = []
        self.interrupted: KeyboardInterrupt | None = None
        job = {
            "baseline": args.baseline,
            "candidate": args.candidate,
            "isolation": args.isolation,
            "timeout": args.timeout,
        }
        self.replay = SupervisedJob("corpus replay", job, self._subdir("replay"), self.deadline)
        self.reruns = SupervisedJob(
            "reruns of cases whose worker died", job, self._subdir("reruns"), self.deadline + OVERTIME
        )
        self.hunt: SupervisedJob | None = None
        self.shrinking: list[SupervisedJob] = []
        self.campaign: CampaignRunner | None = None
        if not args.replay_only:
            failing = failing_kinds(args.strict)
            settings = CampaignSettings(
                args.baseline, args.candidate, args.isolation, args.timeout, args.workers, args.seed,
                args.max_examples, args.findings, failing, shard_of=args.shard, gateways=tuple(args.tx),
                database=args.database, replay_from=tuple(args.replay_from), replay=args.replay_database,
                round=args.round, inputs=args.inputs,
            )  # fmt: skip
            self.campaign = CampaignRunner(settings, self._subdir("campaign"), self.campaign_deadline)
        self._deaths_queued = 0
        #: This run's name in merged reports and discovery curves.
        self.label = f"shard {shard_text(args.shard)}" if args.shard[1] > 1 else "run"

    def _subdir(self, name: str) -> str:
        path = os.path.join(self.directory, name)
        os.makedirs(path, exist_ok=True)
        return path

    # -- running ------------------------------------------------------------

    def check_sides(self) -> None:
        """Start the replay worker, which builds both sides first; a bad spec is a usage error.

        The campaign starts meanwhile: its workers take seconds to come up, and
        a bad spec stops it with everything else (the gate then exits 2).
        """
        # The reviewed corpus, then the findings of earlier runs: both must still hold.
        for directory in dict.fromkeys((self.args.corpus, self.args.findings)):
            if self.plan.replay_corpus and os.path.isdir(directory):
                self.replay.add([{"id": path, "corpus": path, "source": "corpus"} for path in corpus_files(directory)])
        self.replay.launch()
        if self.campaign is not None:
            self.campaign.start()
        while not self.replay.ready and self.replay.bad_sides is None and self.replay.poll():
            time.sleep(0.02)
        if self.replay.bad_sides is not None:
            raise UsageError(self.replay.bad_sides)

    def run_to_end(self) -> None:
        """Check the sides, then judge; an interrupt is noted (:attr:`interrupted`), and every helper stopped.

        A bad side spec raises :class:`~fuzz.errors.UsageError`, after the helpers are stopped.
        """
        try:
            self.check_sides()
            self.judge()
        except KeyboardInterrupt as exc:
            self.interrupted = exc
        finally:
            self.stop_everything()

    def judge(self) -> None:
        """Replay, campaign and reruns side by side until all are done; then the slowness hunt."""
        if self.campaign is not None and not self.campaign.started:
            self.campaign.start()
        while True:
            replaying = self.replay.poll()
            campaigning = self.campaign is not None and self.campaign.poll()
            self._queue_reruns()
            rerunning = self.reruns.poll()
            self._show_progress("campaign" if campaigning else "corpus" if replaying else "reruns")
            if not (replaying or campaigning or rerunning):
                break
            time.sleep(POLL_S)
        if self.campaign is not None:
            self.campaign.finish()
            self._queue_reruns()
        while self.reruns.poll():
            self._show_progress("reruns")
            time.sleep(POLL_S)
        self._shrink_findings()
        self._hunt_slowness()

    def groups(self) -> list[Group]:
        return group_before_shrinking(self.records(), failing_kinds(self.args.strict))

    def _shrink_findings(self) -> None:
        """Shrink one example per group on supervised workers, until the shrinking share of the budget."""
        items = []
        for n, group in enumerate(self.groups()):
            if group.key in self.shrunk:
                continue  # shrunk by an earlier round of a campaign
            example = group.example
            why = not_shrinkable_because(example)
            if why:
                self.unshrunk[group.key] = why
                continue
            if self.args.no_shrink:
                self.unshrunk[group.key] = NO_SHRINK
                continue
            signature = (example["kind"], example["expected_behaviour"], *group.key[2:])
            items.append(
                (group.key, {"id": f"group-{n}", "case": example["case"], "signature": signature,
                             "choices": example.get("choices"), "held": example.get("held", []),
                             "inputs": self.args.inputs})
            )  # fmt: skip
        if not items:
            return
        deadline = min(self.shrink_deadline, time.time() + SHRINK_PER_FINDING_S * len(items))
        if deadline <= time.time():
            for key, _ in items:
                self.unshrunk[key] = "no time was left to shrink it"
            return
        count = min(self.args.workers, len(items))
        jobs = [
            SupervisedJob(
                f"shrinking {k + 1}",
                {**self.replay.job, "kind": JobKind.SHRINK, "deadline": deadline,
                 "timeout": min(self.args.timeout, SHRINK_TIMEOUT_S)},
                self._subdir(f"shrink{k}"), deadline + SHRINK_GRACE_S,
            )
            for k in range(count)
        ]  # fmt: skip
        keys = {item["id"]: key for key, item in items}
        for index, (_, item) in enumerate(items):
            jobs[index % count].add([item])
        self.shrinking = jobs
        while any([job.poll() for job in jobs]):
            self._show_progress("shrinking")
            time.sleep(POLL_S)
        for job in jobs:
            for event in job.events:
                found = keys.get(event.get("item", ""))
                if found is None:
                    continue
                if event.get("event") == Event.SHRUNK:
                    shrunk = event["record"]
                    if "case" in shrunk and shrunk.get("kind") == found[0]:
                        self.shrunk[found] = shrunk
                    else:
                        # Judged once more at the end, it gave another verdict: a flaky finding (a
                        # timeout close to --timeout, say). Its example stays as it was found.
                        self.unshrunk[found] = f"judged again, its shrunk case was {shrunk.get('kind')}: flaky"
                elif event.get("event") == Event.UNSHRUNK:
                    self.unshrunk[found] = event["why"]
        for key, _ in items:
            if key not in self.shrunk:
                self.unshrunk.setdefault(key, "the shrinking worker stopped before it")

    def _queue_reruns(self) -> None:
        if self.campaign is None:
            return
        fresh = self.campaign.deaths[self._deaths_queued :]
        items = []
        for death in fresh:
            self._deaths_queued += 1
            item = {"id": f"death-{self._deaths_queued}", "case": death.case, "source": "campaign"}
            items.append({**item, "first_death": death.to_dict()})
        self.reruns.add(items)

    def _hunt_slowness(self) -> None:
        left = self.deadline - time.time()
        if not self.plan.hunt or self.args.replay_only or left < SLOWNESS_MIN_S:
            return
        if any(r["kind"] == Kind.CRASH for r in self.records()):
            return
        job = {**self.replay.job, "kind": JobKind.SLOWNESS, "examples": 20, "repeats": 3, "seed": self.args.seed}
        self.hunt = SupervisedJob("slowness hunt", job, self._subdir("slowness"), self.deadline)
        self.hunt.add([{"id": "hunt"}])
        while self.hunt.poll():
            self._show_progress("slowness")
            time.sleep(POLL_S)
        hunted = [event for event in self.hunt.events if event.get("event") == Event.SLOWNESS]
        self.slowness = [row for event in hunted for row in event["rows"]]

    def _show_progress(self, phase: str) -> None:
        records = self.records()
        note = ""
        if phase == "campaign" and self.campaign is not None and not self.campaign.records:
            note = f"starting {self.args.workers} worker{'s' if self.args.workers != 1 else ''}"
        elif phase == "shrinking":
            note = f"shrinking {len(self.groups())} findings' examples"
        self.progress.update(len(records), sum(r["kind"] in FAILING for r in records), phase, note=note)

    def stop_everything(self) -> None:
        """Stop every helper; a second Ctrl-C does not cut this short."""
        while True:
            try:
                if self.campaign is not None:
                    self.campaign.stop()
                for job in (self.replay, self.reruns, self.hunt, *self.shrinking):
                    if job is not None and not job.finished:
                        job.stop("the run was stopped")
                return
            except KeyboardInterrupt:
                continue

    # -- reporting ----------------------------------------------------------

    def records(self) -> list[dict]:
        """Every judged case so far: corpus replay, campaign, reruns."""
        found = [line for job in (self.replay, self.reruns) for line in _judged(job)]
        return found + (self.campaign.records if self.campaign is not None else [])

    def _all_problems(self) -> list[Problem]:
        problems = list(self.problems)
        if self.campaign is not None:
            problems += self.campaign.problems
        for job in (self.replay, self.reruns, self.hunt, *self.shrinking):
            if job is None:
                continue
            problems += [Problem(text) for text in job.problems]
            problems += [Problem(f"{job.name}: {e['error']}") for e in job.events if e.get("event") == Event.BAD]
        return problems

    def _save_rerun_findings(self, records: list[dict]) -> None:
        """Crashes confirmed by a rerun are found here, not by a campaign worker: saved here."""
        for line in records:
            if line["kind"] not in FAILING or line.get("corpus") or "case" not in line:
                continue
            entry = CorpusEntry(Case.from_dict(line["case"]), self.args.baseline, self.args.candidate,
                                {running_version(): line["kind"]})  # fmt: skip
            save_noted(entry, self.args.findings, line)

    def _save_shrunk(self, findings: list[Finding]) -> None:
        """The corpus keeps each finding's shrunk example (the unshrunk ones it saved first are pruned)."""
        for finding in findings:
            line = finding.example
            if finding.unshrunk or line.get("corpus"):
                continue
            entry = CorpusEntry(
                finding.case, self.args.baseline, self.args.candidate, {running_version(): line["kind"]}
            )
            save_noted(entry, self.args.findings, line)

    def _phases(self) -> dict:
        examples = len(self.shrunk) + sum(1 for why in self.unshrunk.values() if why not in (REVIEWED, NO_SHRINK))
        seconds = sum(r.get("shrink", {}).get("seconds", 0.0) for r in self.shrunk.values())
        return {
            "campaign_until_s": round(self.campaign_deadline - self.start, 1),
            "first_verdict_s": None if self.progress.first_case_s is None else round(self.progress.first_case_s, 2),
            "shrink_until_s": round(self.shrink_deadline - self.start, 1),
            "campaign": self._campaign_rate(),
            "shrink": {"examples": examples, "shrunk": len(self.shrunk), "seconds": round(seconds, 1)},
        }

    def _campaign_rate(self) -> dict:
        """Generated cases the campaign judged, over the seconds from the start until it ended.

        The report's overall rate divides by the whole run, shrinking and the
        slowness hunt included; this is how fast the search itself went.
        """
        if self.campaign is None or self.campaign.ended_at is None:
            return {}
        cases, seconds = len(self.campaign.records), self.campaign.ended_at - self.start
        return {"cases": cases, "seconds": round(seconds, 1), "cases_per_s": round(cases / seconds, 1)}

    def summary(self) -> GateSummary:
        records = self.records()
        self._save_rerun_findings(_judged(self.reruns))
        findings = findings_by_root_cause(self.groups(), self.shrunk, self.unshrunk)
        self._save_shrunk(findings)
        problems = self._all_problems()
        corpus_errors = [r["corpus_error"] for r in [*records, *(f.example for f in findings)] if r.get("corpus_error")]
        if corpus_errors:
            problems.append(
                Problem(
                    f"findings could not be saved to {self.args.findings} ({corpus_errors[0]}); "
                    "they are in this report",
                    blocks_pass=False,
                )
            )
        generated = [r for r in records if r.get("source") == "campaign"]
        timeouts = [r.get("timeouts", [0, 0]) for r in records]
        facts = RunFacts(
            generated=sum(r["kind"] != UNJUDGED for r in generated),
            replayed=sum(r["kind"] != UNJUDGED for r in records if r.get("source") == "corpus"),
            replay_only=self.args.replay_only,
            floor=case_floor(self.args.min_cases, self.args.max_examples),
            timed_out=sum(t[0] for t in timeouts),
            runs=sum(t[1] for t in timeouts),
            interrupted=interrupts.signal_name(self.interrupted) if self.interrupted is not None else None,
        )
        replayed = [
            {"file": os.path.basename(r.get("corpus", "")), "recorded": r.get("recorded"), "verdict": r["kind"]}
            for r in records
            if r.get("source") == "corpus"
        ]
        return summarise(
            records,
            elapsed=time.time() - self.start,
            baseline=self.args.baseline,
            candidate=self.args.candidate,
            settings=self._settings(),
            facts=facts,
            strict=self.args.strict,
            replay=replayed,
            problems=problems,
            slowness=self.slowness,
            findings=findings,
            versions={role: cloudpickle_version(getattr(self.args, role)) for role in ("baseline", "candidate")},
            phases=self._phases(),
            started_at=self.start,
            label=self.label,
        )

    def _settings(self) -> dict:
        a = self.args
        return {
            "budget_s": a.budget, "max_examples": a.max_examples, "min_cases": a.min_cases, "workers": a.workers,
            "seed": a.seed, "isolation": a.isolation, "timeout_s": a.timeout, "strict": a.strict,
            "corpus": a.corpus, "findings": a.findings, "replay_only": a.replay_only, "shrink": not a.no_shrink,
            "shard": shard_text(a.shard), "gateways": list(a.tx),
        }  # fmt: skip

    def report(self) -> int:
        """Print the report (verdict first), then write the files; return the exit code."""
        self.progress.done()
        summary = self.finish_summary()
        failed_writes = publish(summary, self.args.markdown or os.path.join(REPORTS, "gate.md"),
                                self.args.json or os.path.join(REPORTS, "gate.json"))  # fmt: skip
        return exit_code(summary.verdict, failed_writes, self.interrupted)

    def finish_summary(self) -> GateSummary:
        """The run's summary, with the corpus left holding one file per finding."""
        summary = self.summary()
        _prune_corpus([*self.records(), *self.shrunk.values()], summary.findings)
        return summary

    def clean_up(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def exit_code(verdict: str, failed_writes: list[str], interrupted: KeyboardInterrupt | None = None) -> int:
    """The command's exit code: the interrupt's, else the verdict's; a pass whose reports were not written is 2."""
    if interrupted is not None:
        return interrupts.exit_code(interrupted)
    code = {"pass": EXIT_OK, "fail": EXIT_FINDINGS, "incomplete": EXIT_INCOMPLETE}[verdict]
    return EXIT_USAGE if failed_writes and code == EXIT_OK else code


def publish(summary: GateSummary, markdown_path: str, json_path: str, pictures: bool = False) -> list[str]:
    """Print the summary (verdict first), then write both reports; return what could not be written.

    With ``pictures``, the discovery curve and the coverage heatmap are drawn
    beside the Markdown first (:mod:`fuzz.campaign.discovery`) and linked from it.
    """
    if pictures:
        directory = os.path.dirname(os.path.abspath(markdown_path))
        stem = os.path.splitext(os.path.basename(markdown_path))[0]
        try:
            os.makedirs(directory, exist_ok=True)
            summary.pictures = draw_pictures(summary, directory, stem)
        except Exception as exc:  # noqa: BLE001  (a picture is never worth the reports)
            print(f"error: could not draw the pictures in {directory}: {exc}", file=sys.stderr)
    outputs = [
        (markdown_path, lambda: to_markdown(summary)),
        (json_path, lambda: json.dumps(to_json(summary), indent=2) + "\n"),
    ]
    # The verdict goes out first, whatever happens to the files.
    _print(to_summary(summary, [path for path, _ in outputs]))
    failed_writes = [failure for path, text in outputs if (failure := _write(path, text()))]
    for failure in failed_writes:
        print(f"error: {failure}", file=sys.stderr)
    return failed_writes


def _judged(job: SupervisedJob) -> list[dict]:
    return [e["record"] for e in job.events if e.get("event") == Event.JUDGED]


def _print(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # A reader that went away (``| head``) must not cost the report files.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write(path: str, text: str) -> str | None:
    """Write one report; a failure is returned as a message, never raised (the other report still goes out)."""
    # Written beside, then renamed: a report being rewritten (a campaign's, every round) is never half there.
    partial = f"{path}.partial"
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        Path(partial).write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        return f"could not write {path}: {exc.strerror or exc}"
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return None


def _prune_corpus(records: list[dict], findings: list) -> None:
    """Keep one corpus file per finding: delete the larger ones this run created."""
    keep = {f.example.get("corpus") for f in findings}
    for line in records:
        path = line.get("corpus")
        if path and line.get("corpus_created") and path not in keep and os.path.exists(path):
            try:
                os.unlink(path)
            except OSError:
                pass
