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
4. one example of each group of alike failures is shrunk on supervised
   workers: as soon as the group is seen, while the search goes on, and the
   rest when it ends (:mod:`fuzz.gate.budget` says how the budget is shared);
5. if nothing crashed, the slowness hunt runs until the time kept for it ends.

A run with ``--max-examples`` (or a campaign's round) shares its budget in
fixed parts instead and shrinks after the search: what it shrinks then
depends on the seed alone, not on when a worker got to it.

Then the Markdown report is printed, verdict first, and written with the
JSON one; :mod:`fuzz.report.run_verdict` decides PASS, FAIL or INCOMPLETE.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from fuzz.config.run_config import RunConfig
from fuzz.corpus.format import CorpusEntry
from fuzz.corpus.store import corpus_files, save_noted
from fuzz.errors import UsageError
from fuzz.gate.budget import HUNT, SEARCH, SHRINK, SHRINK_ESTIMATE_S, BudgetPlan, PhaseClock, hunt_seconds
from fuzz.gate.campaign_plugin import write_deadline
from fuzz.gate.campaign_runner import CampaignRunner
from fuzz.gate.progress import Progress
from fuzz.gate.warm_up import warm_up_shard
from fuzz.isolation import interrupts
from fuzz.isolation.process_tree import start_helper, stop_group
from fuzz.model.records import CaseRecord
from fuzz.model.verdict import FAILING, UNJUDGED, Kind, failing_kinds
from fuzz.oracle.sides import cloudpickle_version
from fuzz.report.findings import (
    REVIEWED,
    Finding,
    Group,
    findings_by_root_cause,
    group_before_shrinking,
    not_shrinkable_because,
)
from fuzz.report.publish import exit_code, publish
from fuzz.report.run_verdict import Problem, RunFacts, case_floor
from fuzz.report.summary import GateSummary, summarise
from fuzz.workers.events import Event, JobKind
from fuzz.workers.supervisor import SupervisedJob

#: A fixed plan's shares of a budget of a minute or more (``--max-examples``): the campaign until 50%,
#: shrinking until 80%, the slowness hunt after.
CAMPAIGN_SHARE, SHRINK_SHARE = 0.5, 0.8
#: Shares of a shorter budget: too little would be left for a useful hunt anyway.
CAMPAIGN_SHARE_SHORT, SHRINK_SHARE_SHORT = 0.7, 0.95
#: Seconds between two looks for new groups to shrink while the search runs, and between moves of its end.
SHRINK_LOOK_S = 1.0
#: Examples the hunt draws when its deadline, not a count, bounds it.
HUNT_EXAMPLES = 200
#: The most one finding's shrinking may take (a budget left for few findings is not spent on one).
#: Cases on real functions' shapes and on size boundaries are longer to reduce than the generated ones
#: were; 10 s, then 20 s, left some unfinished on a slow 2-core machine (a shrink worker writes a sign of life
#: every few seconds, so its supervisor does not take a long shrink for a stuck worker).
SHRINK_PER_FINDING_S = 30.0
#: Seconds a hunt needs to be worth starting (a fixed plan's; an adaptive one keeps its time).
SLOWNESS_MIN_S = 10.0
#: Seconds past the budget the gate may take to rerun the cases whose worker died, and to report.
OVERTIME = 20.0
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
    #: Whether the budget is shared by need (:mod:`fuzz.gate.budget`): groups shrunk as they are seen, the
    #: search's end moving with what is left to shrink. Otherwise the shares above are fixed.
    adaptive: bool = False

    @classmethod
    def for_gate(cls, budget: float, max_examples: int | None = None, hunt: bool = True) -> RunPlan:
        """A gate's plan: by need, unless ``--max-examples`` asks for a run its seed alone decides."""
        shares = (CAMPAIGN_SHARE, SHRINK_SHARE) if budget >= 60 else (CAMPAIGN_SHARE_SHORT, SHRINK_SHARE_SHORT)
        return cls(*shares, hunt=hunt, adaptive=max_examples is None)


class GateRun:
    """One run of the gate: its helpers, what they found, and the report (see the module docstring)."""

    def __init__(self, config: RunConfig, plan: RunPlan | None = None) -> None:
        self.config = config
        self.plan = plan = plan or RunPlan.for_gate(config.budget, config.max_examples, config.hunt)
        self.start = time.time()
        self.deadline = self.start + config.budget
        self.campaign_deadline = self.start + config.budget * plan.campaign_share
        self.shrink_deadline = self.start + config.budget * plan.shrink_share
        #: By need (:mod:`fuzz.gate.budget`): the search ends when shrinking and the hunt need the rest.
        self.budget: BudgetPlan | None = None
        if plan.adaptive and not config.replay_only:
            hunt_s = hunt_seconds(config.budget, plan.hunt)
            self.budget = BudgetPlan(self.start, config.budget, hunt_s, config.workers)
            self.campaign_deadline = self.shrink_deadline = self.budget.shrink_deadline
        self.clock = PhaseClock()
        #: Shrinking started while the search runs, and the group keys it holds.
        self._searching_shrinker: SupervisedJob | None = None
        self._in_flight: dict[str, tuple] = {}
        self._shrinks_started = 0
        self._last_look = 0.0
        #: The warm-up search (:mod:`fuzz.gate.warm_up`), until the campaign's workers judge.
        self._warm_up: subprocess.Popen | None = None
        self._warm_up_stopped = False
        #: Shrunk example per group key, and why a group has none (see :mod:`fuzz.report.findings`).
        self.shrunk: dict[tuple, CaseRecord] = {}
        self.unshrunk: dict[tuple, str] = {}
        self.directory = tempfile.mkdtemp(prefix="fuzz-gate-")
        self.progress = Progress(self.deadline)
        self.problems: list[Problem] = []
        self.slowness: list[dict] = []
        self.interrupted: KeyboardInterrupt | None = None
        job = {
            "baseline": config.baseline,
            "candidate": config.candidate,
            "isolation": config.isolation,
            "timeout": config.timeout,
        }
        self.replay = SupervisedJob("corpus replay", job, self._subdir("replay"), self.deadline)
        self.reruns = SupervisedJob(
            "reruns of cases whose worker died", job, self._subdir("reruns"), self.deadline + OVERTIME
        )
        self.hunt: SupervisedJob | None = None
        self.shrinking: list[SupervisedJob] = []
        self.campaign: CampaignRunner | None = None
        if not config.replay_only:
            self.campaign = CampaignRunner(
                config, failing_kinds(config.strict), self._subdir("campaign"), self.campaign_deadline
            )
        self._deaths_queued = 0
        #: This run's name in merged reports and discovery curves.
        self.label = config.label

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
        for directory in dict.fromkeys((self.config.corpus, self.config.findings)):
            if self.plan.replay_corpus and os.path.isdir(directory):
                self.replay.add([{"id": path, "corpus": path, "source": "corpus"} for path in corpus_files(directory)])
        self.replay.launch()
        if self.campaign is not None:
            self._start_warm_up()
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
        if self.campaign is not None:
            self.clock.begin(SEARCH, time.time())
        while True:
            replaying = self.replay.poll()
            campaigning = self.campaign is not None and self.campaign.poll()
            if campaigning:
                self.clock.until(SEARCH, time.time())
                self._watch_warm_up()
                self._shrink_while_searching()
            self._queue_reruns()
            rerunning = self.reruns.poll()
            self._show_progress("campaign" if campaigning else "corpus" if replaying else "reruns")
            if not (replaying or campaigning or rerunning):
                break
            time.sleep(POLL_S)
        self._end_warm_up()
        if self.campaign is not None:
            self.campaign.finish()
            self._queue_reruns()
        while self.reruns.poll():
            self._show_progress("reruns")
            time.sleep(POLL_S)
        self._shrink_findings()
        self._hunt_slowness()

    def _start_warm_up(self) -> None:
        """Search in a process of its own until the campaign's workers judge (a gate by need, local workers only)."""
        if self.budget is None or self.campaign is None or self.config.gateways:
            return
        directory = self._subdir("warm-up")
        # The campaign's own options, but for its stop file; it keeps no example database and replays none.
        options = dataclasses.replace(
            self.campaign.options(), deadline_file=os.path.join(directory, "stop"), worker_dir=None,
            database=None, replay_from=(), replay=False,
        )  # fmt: skip
        job = {"options": options.to_json(), "shard": warm_up_shard(self.config.shard)}
        job_path = os.path.join(directory, "job.json")
        with open(job_path, "w", encoding="utf-8") as handle:
            json.dump(job, handle)
        scratch = self._subdir("warm-up-tmp")
        command = [sys.executable, "-m", "fuzz.gate.warm_up", job_path]
        self._warm_up = start_helper(command, os.path.join(directory, "log"), {**os.environ, "TMPDIR": scratch})

    def _watch_warm_up(self) -> None:
        """Stop the warm-up once a campaign worker has judged a case: the search is theirs from then on."""
        if self._warm_up is None or self._warm_up_stopped or self.campaign is None:
            return
        shard = warm_up_shard(self.config.shard)
        if any(r.get("shard") != shard for r in self.campaign.records):
            self._stop_warm_up()

    def _stop_warm_up(self) -> None:
        if self._warm_up is None or self._warm_up_stopped:
            return
        self._warm_up_stopped = True
        write_deadline(os.path.join(self.directory, "warm-up", "stop"), time.time())

    def _end_warm_up(self) -> None:
        """Wait for the warm-up to stop (killed if it lingers); a death of its own is a problem of the run."""
        if self._warm_up is None:
            return
        self._stop_warm_up()
        try:
            code = self._warm_up.wait(timeout=self.config.timeout + 2.0)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            stop_group(self._warm_up, grace=1.0)
            self.problems.append(Problem("the warm-up search did not stop when told to, and was killed"))
        elif code != 0:
            # Its last case may be what killed it: the campaign's workers judge that kind of case too, but
            # this one is lost, so the run cannot pass on it.
            self.problems.append(Problem(f"the warm-up search exited with code {code} while searching"))
        self._warm_up = None

    def _shrink_while_searching(self) -> None:
        """Shrink the groups seen so far on a worker of their own, and move the search's end to leave time.

        One shrinking worker at a time takes every group waiting; the search
        ends early enough that the groups still waiting then get every worker.
        """
        if self.budget is None or time.time() - self._last_look < SHRINK_LOOK_S:
            return
        self._last_look = time.time()
        self._poll_searching_shrinker()
        items = self._items_to_shrink()
        if items and self._searching_shrinker is None:
            deadline = min(self.budget.shrink_deadline, time.time() + SHRINK_PER_FINDING_S * len(items))
            (self._searching_shrinker,) = self._launch_shrinking(items, 1, deadline)
            items = []  # in flight now
        waiting = len(items) + len(self._in_flight)
        if self.campaign is not None:
            self.campaign.move_deadline(self.budget.search_deadline(waiting, self._seconds_per_finding()))

    def _poll_searching_shrinker(self) -> bool:
        """Look at the shrinking started during the search; collect what it did once it ends. ``True`` while it runs."""
        job = self._searching_shrinker
        if job is None:
            return False
        if job.poll():
            self.clock.until(SHRINK, time.time())
            return True
        self.clock.until(SHRINK, time.time())
        self._collect_shrinking([job])
        self._searching_shrinker = None
        return False

    def _seconds_per_finding(self) -> float:
        """How long one finding's shrinking has taken in this run (a guess until one is done)."""
        took = sorted(r.get("shrink", {}).get("seconds", 0.0) for r in self.shrunk.values())
        return max(SHRINK_ESTIMATE_S, took[len(took) // 2]) if took else SHRINK_ESTIMATE_S

    def groups(self) -> list[Group]:
        return group_before_shrinking(self.records(), failing_kinds(self.config.strict))

    def _items_to_shrink(self) -> list[tuple[tuple, dict]]:
        """``(group key, shrinking item)`` of each group not shrunk, not being shrunk, and not known unshrinkable."""
        items = []
        busy = set(self._in_flight.values())
        for group in self.groups():
            if group.key in self.shrunk or group.key in self.unshrunk or group.key in busy:
                continue  # shrunk by an earlier round of a campaign, or earlier in this run
            example = group.example
            why = not_shrinkable_because(example)
            if why:
                self.unshrunk[group.key] = why
                continue
            if not self.config.shrink:
                self.unshrunk[group.key] = NO_SHRINK
                continue
            signature = (example["kind"], example["expected_behaviour"], *group.key[2:])
            items.append(
                (group.key, {"case": example["case"], "signature": signature,
                             "choices": example.get("choices"), "held": example.get("held", []),
                             "inputs": self.config.inputs})
            )  # fmt: skip
        return items

    def _launch_shrinking(self, items: list[tuple[tuple, dict]], count: int, deadline: float) -> list[SupervisedJob]:
        """Start ``count`` supervised workers shrinking ``items`` until ``deadline``, the items dealt in turn."""
        jobs = []
        for _ in range(count):
            self._shrinks_started += 1
            jobs.append(
                SupervisedJob(
                    f"shrinking {self._shrinks_started}",
                    {**self.replay.job, "kind": JobKind.SHRINK, "deadline": deadline,
                     "timeout": min(self.config.timeout, SHRINK_TIMEOUT_S)},
                    self._subdir(f"shrink{self._shrinks_started}"), deadline + SHRINK_GRACE_S,
                )
            )  # fmt: skip
        for index, (key, item) in enumerate(items):
            item_id = f"group-{self._shrinks_started}-{index}"
            self._in_flight[item_id] = key
            jobs[index % count].add([{**item, "id": item_id}])
        self.shrinking += jobs
        self.clock.begin(SHRINK, time.time())
        return jobs

    def _shrink_findings(self) -> None:
        """Shrink one example per group still waiting, on the workers the search left, until the shrinking deadline.

        Shrinking started during the search goes on beside them, on its own worker.
        """
        items = self._items_to_shrink()
        jobs: list[SupervisedJob] = []
        if items:
            deadline = min(self.shrink_deadline, time.time() + SHRINK_PER_FINDING_S * len(items))
            if deadline <= time.time():
                for key, _ in items:
                    self.unshrunk[key] = "no time was left to shrink it"
            else:
                free = self.config.workers - (self._searching_shrinker is not None)
                jobs = self._launch_shrinking(items, max(1, min(free, len(items))), deadline)
        while any([job.poll() for job in jobs]) | self._poll_searching_shrinker():
            self.clock.until(SHRINK, time.time())
            self._show_progress("shrinking")
            time.sleep(POLL_S)
        self.clock.until(SHRINK, time.time())
        self._collect_shrinking(jobs)

    def _collect_shrinking(self, jobs: list[SupervisedJob]) -> None:
        """What finished shrinking workers did: a shrunk example per group, or why there is none."""
        mine = {item["id"] for job in jobs for item in job.items}
        for job in jobs:
            for event in job.events:
                found = self._in_flight.get(event.get("item", ""))
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
        for item_id in mine:
            key = self._in_flight.pop(item_id, None)
            if key is not None and key not in self.shrunk:
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
        if self.budget is not None:
            # Kept for it: from whenever shrinking ended until the report's time, drawing until then.
            end, examples = self.budget.hunt_deadline, HUNT_EXAMPLES
            worth = self.budget.hunt_s > 0 and end - time.time() > 1.0
        else:
            end, examples = self.deadline, 20
            worth = end - time.time() >= SLOWNESS_MIN_S
        if not self.plan.hunt or self.config.replay_only or not worth:
            return
        if any(r["kind"] == Kind.CRASH for r in self.records()):
            return
        job = {**self.replay.job, "kind": JobKind.SLOWNESS, "examples": examples, "repeats": 3,
               "seed": self.config.seed, "deadline": end if self.budget is not None else None}  # fmt: skip
        self.hunt = SupervisedJob("slowness hunt", job, self._subdir("slowness"), end + SHRINK_GRACE_S)
        self.hunt.add([{"id": "hunt"}])
        self.clock.begin(HUNT, time.time())
        while self.hunt.poll():
            self.clock.until(HUNT, time.time())
            self._show_progress("slowness")
            time.sleep(POLL_S)
        self.clock.until(HUNT, time.time())
        hunted = [event for event in self.hunt.events if event.get("event") == Event.SLOWNESS]
        self.slowness = [row for event in hunted for row in event["rows"]]

    def _show_progress(self, phase: str) -> None:
        records = self.records()
        note = ""
        if phase == "campaign" and self.campaign is not None and not self.campaign.records:
            note = f"starting {self.config.workers} worker{'s' if self.config.workers != 1 else ''}"
        elif phase == "shrinking":
            note = f"shrinking {len(self.groups())} findings' examples"
        self.progress.update(len(records), sum(r["kind"] in FAILING for r in records), phase, note=note)

    def stop_everything(self) -> None:
        """Stop every helper; a second Ctrl-C does not cut this short."""
        while True:
            try:
                if self._warm_up is not None:
                    stop_group(self._warm_up, grace=1.0)
                    self._warm_up = None
                if self.campaign is not None:
                    self.campaign.stop()
                for job in (self.replay, self.reruns, self.hunt, *self.shrinking):
                    if job is not None and not job.finished:
                        job.stop("the run was stopped")
                return
            except KeyboardInterrupt:
                continue

    # -- reporting ----------------------------------------------------------

    def records(self) -> list[CaseRecord]:
        """Every judged case so far: corpus replay, campaign, reruns."""
        found = [_judged(job) for job in (self.replay, self.reruns)]
        return found[0] + found[1] + (self.campaign.records if self.campaign is not None else [])

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

    def _save_rerun_findings(self, records: list[CaseRecord]) -> None:
        """Crashes confirmed by a rerun are found here, not by a campaign worker: saved here."""
        for line in records:
            if line["kind"] not in FAILING or line.get("corpus") or "case" not in line:
                continue
            entry = CorpusEntry.from_record(line, self.config.baseline, self.config.candidate)
            save_noted(entry, self.config.findings, line)

    def _save_shrunk(self, findings: list[Finding]) -> None:
        """The corpus keeps each finding's shrunk example (the unshrunk ones it saved first are pruned)."""
        for finding in findings:
            line = finding.example
            if finding.unshrunk or line.get("corpus"):
                continue
            entry = CorpusEntry.from_record(line, self.config.baseline, self.config.candidate)
            save_noted(entry, self.config.findings, line)

    def _phases(self) -> dict:
        examples = len(self.shrunk) + sum(1 for why in self.unshrunk.values() if why not in (REVIEWED, NO_SHRINK))
        seconds = sum(r.get("shrink", {}).get("seconds", 0.0) for r in self.shrunk.values())
        # By need, the search's end moved while it ran: its last place is where it ended.
        search_until = self.campaign.deadline if self.campaign is not None else self.campaign_deadline
        return {
            "plan": "by need" if self.budget is not None else "fixed shares",
            "campaign_until_s": round(search_until - self.start, 1),
            "first_verdict_s": None if self.progress.first_case_s is None else round(self.progress.first_case_s, 2),
            "shrink_until_s": round(self.shrink_deadline - self.start, 1),
            "campaign": self._campaign_rate(),
            "shrink": {"examples": examples, "shrunk": len(self.shrunk), "seconds": round(seconds, 1)},
            # Wall-clock seconds each phase ran, overlaps counted once, and their shares of the budget.
            "spent": self.clock.spent(self.start, self.config.budget),
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
                    f"findings could not be saved to {self.config.findings} ({corpus_errors[0]}); "
                    "they are in this report",
                    blocks_pass=False,
                )
            )
        generated = [r for r in records if r.get("source") == "campaign"]
        timeouts = [r.get("timeouts", [0, 0]) for r in records]
        facts = RunFacts(
            generated=sum(r["kind"] != UNJUDGED for r in generated),
            replayed=sum(r["kind"] != UNJUDGED for r in records if r.get("source") == "corpus"),
            replay_only=self.config.replay_only,
            floor=case_floor(self.config.min_cases, self.config.max_examples),
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
            baseline=self.config.baseline,
            candidate=self.config.candidate,
            settings=self.config.settings(),
            facts=facts,
            strict=self.config.strict,
            replay=replayed,
            problems=problems,
            slowness=self.slowness,
            findings=findings,
            versions={role: cloudpickle_version(getattr(self.config, role)) for role in ("baseline", "candidate")},
            phases=self._phases(),
            started_at=self.start,
            label=self.label,
        )

    def report(self) -> int:
        """Print the report (verdict first), then write the files; return the exit code."""
        self.progress.done()
        summary = self.finish_summary()
        failed_writes = publish(summary, self.config.markdown_path, self.config.json_path)
        return exit_code(summary.verdict, failed_writes, self.interrupted)

    def finish_summary(self) -> GateSummary:
        """The run's summary, with the corpus left holding one file per finding."""
        summary = self.summary()
        _prune_corpus([*self.records(), *self.shrunk.values()], summary.findings)
        return summary

    def clean_up(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _judged(job: SupervisedJob) -> list[CaseRecord]:
    return [e["record"] for e in job.events if e.get("event") == Event.JUDGED]


def _prune_corpus(records: list[CaseRecord], findings: list[Finding]) -> None:
    """Keep one corpus file per finding: delete the larger ones this run created."""
    keep = {f.example.get("corpus") for f in findings}
    for line in records:
        path = line.get("corpus")
        if path and line.get("corpus_created") and path not in keep and os.path.exists(path):
            try:
                os.unlink(path)
            except OSError:
                pass
