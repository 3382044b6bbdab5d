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
from pathlib import Path

from fuzz.case import Case
from fuzz.corpus.format import CorpusEntry, running_version
from fuzz.corpus.store import corpus_files, save
from fuzz.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, UsageError
from fuzz.gate.campaign_runner import CampaignRunner, CampaignSettings
from fuzz.gate.progress import Progress
from fuzz.gate.report import GateSummary, summarise, to_json, to_markdown
from fuzz.gate.run_verdict import Problem, RunFacts, case_floor
from fuzz.isolation import interrupts
from fuzz.verdict import FAILING, UNJUDGED, Kind, failing_kinds
from fuzz.workers.supervisor import SupervisedJob

#: Share of a budget of a minute or more that the campaign gets; the slowness hunt has the rest.
CAMPAIGN_SHARE = 0.8
#: Share it gets of a shorter budget: too little would be left for a useful hunt anyway.
CAMPAIGN_SHARE_SHORT = 0.95
#: Seconds a hunt needs to be worth starting.
SLOWNESS_MIN_S = 10.0
#: Seconds past the budget the gate may take to rerun the cases whose worker died, and to report.
OVERTIME = 20.0
#: Seconds between two looks at the workers.
POLL_S = 0.1


class GateRun:
    """One run of the gate: its helpers, what they found, and the report (see the module docstring)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.start = time.time()
        self.deadline = self.start + args.budget
        share = CAMPAIGN_SHARE if args.budget >= 60 else CAMPAIGN_SHARE_SHORT
        self.campaign_deadline = self.start + args.budget * share
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
        self.campaign: CampaignRunner | None = None
        if not args.replay_only:
            failing = failing_kinds(args.strict)
            settings = CampaignSettings(
                args.baseline, args.candidate, args.isolation, args.timeout, args.workers, args.seed,
                args.max_examples, args.corpus, failing,
            )  # fmt: skip
            self.campaign = CampaignRunner(settings, self._subdir("campaign"), self.campaign_deadline)
        self._deaths_queued = 0

    def _subdir(self, name: str) -> str:
        path = os.path.join(self.directory, name)
        os.makedirs(path, exist_ok=True)
        return path

    # -- running ------------------------------------------------------------

    def check_sides(self) -> None:
        """Start the replay worker, which builds both sides first; a bad spec is a usage error."""
        if os.path.isdir(self.args.corpus):
            self.replay.add(
                [{"id": path, "corpus": path, "source": "corpus"} for path in corpus_files(self.args.corpus)]
            )
        self.replay.launch()
        while not self.replay.ready and self.replay.bad_sides is None and self.replay.poll():
            time.sleep(0.02)
        if self.replay.bad_sides is not None:
            raise UsageError(self.replay.bad_sides)

    def judge(self) -> None:
        """Replay, campaign and reruns side by side until all are done; then the slowness hunt."""
        if self.campaign is not None:
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
        self._hunt_slowness()

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
        if self.args.replay_only or left < SLOWNESS_MIN_S or any(r["kind"] == Kind.CRASH for r in self.records()):
            return
        job = {**self.replay.job, "kind": "slowness", "examples": 20, "repeats": 3, "seed": self.args.seed}
        self.hunt = SupervisedJob("slowness hunt", job, self._subdir("slowness"), self.deadline)
        self.hunt.add([{"id": "hunt"}])
        while self.hunt.poll():
            self._show_progress("slowness")
            time.sleep(POLL_S)
        self.slowness = [row for event in self.hunt.events if event.get("event") == "slowness" for row in event["rows"]]

    def _show_progress(self, phase: str) -> None:
        records = self.records()
        self.progress.update(len(records), sum(r["kind"] in FAILING for r in records), phase)

    def stop_everything(self) -> None:
        """Stop every helper; a second Ctrl-C does not cut this short."""
        while True:
            try:
                if self.campaign is not None:
                    self.campaign.stop()
                for job in (self.replay, self.reruns, self.hunt):
                    if job is not None and not job.finished:
                        job.stop("the run was stopped")
                return
            except KeyboardInterrupt:
                continue

    # -- reporting ----------------------------------------------------------

    def records(self) -> list[dict]:
        """Every judged case so far: corpus replay, campaign, reruns."""
        found = [e["record"] for job in (self.replay, self.reruns) for e in job.events if e.get("event") == "judged"]
        return found + (self.campaign.records if self.campaign is not None else [])

    def _all_problems(self) -> list[Problem]:
        problems = list(self.problems)
        if self.campaign is not None:
            problems += self.campaign.problems
        for job in (self.replay, self.reruns, self.hunt):
            if job is None:
                continue
            problems += [Problem(text) for text in job.problems]
            problems += [Problem(f"{job.name}: {e['error']}") for e in job.events if e.get("event") == "bad"]
        return problems

    def _save_rerun_findings(self, records: list[dict]) -> None:
        """Crashes confirmed by a rerun are found here, not by a campaign worker: saved here."""
        for line in records:
            if line["kind"] not in FAILING or line.get("corpus") or "case" not in line:
                continue
            entry = CorpusEntry(Case.from_dict(line["case"]), self.args.baseline, self.args.candidate,
                                {running_version(): line["kind"]})  # fmt: skip
            try:
                line["corpus"], line["corpus_created"] = save(entry, self.args.corpus), True
            except OSError as exc:
                line["corpus_error"] = f"{type(exc).__name__}: {exc}"

    def summary(self) -> GateSummary:
        records = self.records()
        self._save_rerun_findings(_judged(self.reruns))
        problems = self._all_problems()
        corpus_errors = [r["corpus_error"] for r in records if r.get("corpus_error")]
        if corpus_errors:
            problems.append(
                Problem(
                    f"findings could not be saved to the corpus {self.args.corpus} ({corpus_errors[0]}); "
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
        )

    def _settings(self) -> dict:
        a = self.args
        return {
            "budget_s": a.budget, "max_examples": a.max_examples, "min_cases": a.min_cases, "workers": a.workers,
            "seed": a.seed, "isolation": a.isolation, "timeout_s": a.timeout, "strict": a.strict,
            "corpus": a.corpus, "replay_only": a.replay_only,
        }  # fmt: skip

    def report(self) -> int:
        """Print the report (verdict first), then write the files; return the exit code."""
        self.progress.done()
        summary = self.summary()
        _prune_corpus(self.records(), summary.findings)
        markdown = to_markdown(summary)
        _print(markdown)
        outputs = [(self.args.markdown, lambda: markdown)]
        outputs.append((self.args.json, lambda: json.dumps(to_json(summary), indent=2) + "\n"))
        failed_writes = [failure for path, text in outputs if path and (failure := _write(path, text()))]
        for failure in failed_writes:
            print(f"error: {failure}", file=sys.stderr)
        if self.interrupted is not None:
            return interrupts.exit_code(self.interrupted)
        code = {"pass": EXIT_OK, "fail": EXIT_FINDINGS, "incomplete": EXIT_INCOMPLETE}[summary.verdict]
        return EXIT_USAGE if failed_writes and code == EXIT_OK else code

    def clean_up(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _judged(job: SupervisedJob) -> list[dict]:
    return [e["record"] for e in job.events if e.get("event") == "judged"]


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
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"could not write {path}: {exc.strerror or exc}"
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
