"""Supervision of case workers: whatever a side does, every item ends with a record.

A :class:`SupervisedJob` runs its items in :mod:`fuzz.workers.case_worker`
processes, one after another, each watched by a
:class:`~fuzz.workers.watcher.Watcher`: a worker stuck in a pickle, or
silent for too long, is killed, and a worker that dies leaves a
:class:`~fuzz.workers.watcher.Death` naming the side and the case.

A death is never a verdict on its own: the case is rerun once in a fresh
worker (:class:`SupervisedJob` does this by itself for its own items; the
gate queues the campaign's deaths). The same side dying the same way again
makes a ``crash`` (candidate) or an ``unjudged`` case (baseline); a rerun
that does not die makes the case ``unjudged``, with both stories in its
reason, because a death nobody can reproduce is not the candidate's fault
for certain and not the harness's for certain either.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field

from fuzz.isolation.outcomes import LoadOutcome, LoadStatus
from fuzz.model.case import Case
from fuzz.model.records import CaseRecord, ResultsTail, from_json, record
from fuzz.model.verdict import UNJUDGED, Kind, SideReport, Verdict
from fuzz.workers.case_worker import EXIT_BAD_SIDES
from fuzz.workers.events import Event
from fuzz.workers.watcher import Death, Limits, Watcher

#: Seconds a worker may take to start and build its sides.
STARTUP_LIMIT = 60.0


def silence_limit(timeout: float) -> float:
    """Seconds a ready worker may go without a sign of life before it is taken as stuck outside pickling.

    A case costs at most three bounded child runs, so far past that nothing
    is left to wait for; a long shrink says it is alive meanwhile
    (:data:`fuzz.workers.case_worker.HEARTBEAT_S`).
    """
    return 4 * timeout + 30


def death_record(
    case: dict, first: Death, second: Death | None, baseline: str, candidate: str, rerun: str, source: str
) -> CaseRecord:
    """The record of a case whose pickling process died: ``crash`` only if a rerun died the same way.

    ``second`` is the rerun's death, ``None`` if there was none; then
    ``rerun`` says what happened instead ("it gave match", "no time was left").
    """
    lost = LoadOutcome(LoadStatus.LOST, "not run: the pickling process died first")
    sides = {
        role: SideReport(spec, (), None, None, False)
        for role, spec in (("baseline", baseline), ("candidate", candidate))
    }
    if second is not None and first.same_as(second) and first.role == "candidate":
        kind = Kind.CRASH
        reason = f"candidate {second.how} while pickling, twice (a rerun in a fresh process did the same)"
        sides["candidate"] = SideReport(candidate, (), f"{second.how} while pickling{_fault_tail(second)}", None, False)
    else:
        kind = UNJUDGED
        if second is None:
            reason = f"{first.describe()}; rerun in a fresh process: {rerun}"
        elif first.same_as(second) and second.role == "baseline":
            reason = f"{second.describe()}, twice: the baseline fails, so the candidate cannot be judged"
        elif first.same_as(second):
            reason = f"{second.describe()}, twice: the case itself, not a side, ends the process"
        else:
            reason = f"{first.describe()}; then, rerun, {second.describe()}"
    verdict = Verdict(kind, reason, lost, sides["baseline"], sides["candidate"])
    return record(Case.from_dict(case), verdict, source, 0.0)


def _fault_tail(death: Death) -> str:
    return f" ({death.fault_lines})" if death.fault else ""


@dataclass
class SupervisedJob:
    """Items run in :mod:`fuzz.workers.case_worker` processes, one after another, whatever the workers do.

    Call :meth:`poll` regularly (it never blocks for long); it starts a
    worker on the items left, reads what workers wrote, has the worker's
    :class:`~fuzz.workers.watcher.Watcher` kill it when it is stuck, and
    after a death starts a fresh worker at the item that was running (once;
    the second death settles it). ``job`` holds the worker's settings
    (sides, isolation, timeout, :class:`~fuzz.workers.events.JobKind`); the
    items are added with :meth:`add`.
    """

    name: str
    job: dict
    directory: str
    #: Wall-clock time (``time.time()``) after which nothing new starts and the worker is stopped.
    deadline: float
    items: list[dict] = field(default_factory=list)
    #: Every event the workers wrote (``judged``, ``bad``, ``slowness``...), in order, deaths as ``judged``;
    #: not shrinking heartbeats, which are signs of life only (a long shrink writes one every few seconds).
    events: list[dict] = field(default_factory=list)
    #: Trouble that leaves items unjudged (startup failures, the deadline).
    problems: list[str] = field(default_factory=list)
    #: Set when the sides could not be built (a bad spec): the message.
    bad_sides: str | None = None
    _pending: list[dict] = field(default_factory=list)
    _deaths: dict[str, Death] = field(default_factory=dict)
    #: The running worker, watched; ``None`` between workers.
    _watcher: Watcher | None = None
    _running: list[dict] = field(default_factory=list)
    _done_ids: set[str] = field(default_factory=set)
    _ever_ready: bool = False
    _starts: int = 0

    def __post_init__(self) -> None:
        os.makedirs(self.workers_dir, exist_ok=True)
        self._tail = ResultsTail(self.directory)

    @property
    def workers_dir(self) -> str:
        return os.path.join(self.directory, "workers")

    def add(self, items: list[dict]) -> None:
        """Queue more items (each a dict with a unique ``id``, and ``corpus`` or ``case``)."""
        self.items += items
        self._pending += items

    @property
    def ready(self) -> bool:
        """Whether a worker has built both sides (the specs are good)."""
        return self._ever_ready

    def launch(self) -> None:
        """Start a worker now, even with nothing to judge: it checks the side specs."""
        if self._watcher is None:
            self._start()

    @property
    def finished(self) -> bool:
        return self._watcher is None and (not self._pending or self.bad_sides is not None)

    def poll(self) -> bool:
        """Move things along; ``True`` while work is left."""
        if self._watcher is None:
            if self._pending and self.bad_sides is None:
                if time.time() >= self.deadline:
                    self._give_up("the budget ran out before it started")
                else:
                    self._start()
            return not self.finished
        watcher = self._watcher
        self._read_events(watcher)
        if watcher.running:
            if time.time() > self.deadline:
                self.stop("the budget ran out")
                return False
            watcher.check()
            return True
        self._read_events(watcher)
        self._after_exit(watcher)
        return not self.finished

    def run(self, interval: float = 0.05) -> None:
        """Poll until done (for callers with nothing else to do)."""
        while self.poll():
            time.sleep(interval)

    def stop(self, why: str) -> None:
        """Stop the worker now; items not judged are listed under :attr:`problems`."""
        if self._watcher is not None:
            self._watcher.stop(grace=1.0)
            self._read_events(self._watcher)
            self._watcher = None
        self._give_up(why)

    # -- internals ----------------------------------------------------------

    def _start(self) -> None:
        self._starts += 1
        job_path = os.path.join(self.directory, f"job-{self._starts}.json")
        self._running = list(self._pending)
        job = {**self.job, "items": self._running, "results": self._results_path, "worker_dir": self.workers_dir}
        with open(job_path, "w", encoding="utf-8") as handle:
            json.dump(job, handle)
        command = [sys.executable, "-m", "fuzz.workers.case_worker", job_path]
        env = {**os.environ, "TMPDIR": self._scratch()}
        timeout = self.job["timeout"]
        limits = Limits(pickle=timeout, startup=STARTUP_LIMIT, silence=silence_limit(timeout))
        log = os.path.join(self.directory, "worker.log")
        self._watcher = Watcher.start(command, log, env, self.workers_dir, limits)

    @property
    def _results_path(self) -> str:
        return os.path.join(self.directory, "results.jsonl")

    def _scratch(self) -> str:
        path = os.path.join(self.directory, "tmp")
        os.makedirs(path, exist_ok=True)
        return path

    def _read_events(self, watcher: Watcher) -> None:
        """What the worker wrote since the last look; each line is a sign of life to ``watcher``."""
        for event in self._tail.new_lines():
            kind = event.get("event")
            if "record" in event:
                event["record"] = from_json(event["record"])  # once, as it is read: its verdict a Kind again
            if kind == Event.READY:
                self._ever_ready = True
                watcher.ready()
            elif kind == Event.BAD_SIDES:
                self.bad_sides = event.get("error", "the sides could not be built")
            elif kind in (Event.JUDGED, Event.BAD):
                self._finish_item(event)
            elif kind == Event.DONE:
                self._done_ids.add(event["item"])
                self._pending = [item for item in self._pending if item["id"] != event["item"]]
            elif kind == Event.SHRINKING:
                pass  # a sign of life and nothing more: the watcher hears of it below, and no one reads it later
            else:
                self.events.append(event)
            watcher.heard_from()

    def _finish_item(self, event: dict) -> None:
        item_id = event["item"]
        self._done_ids.add(item_id)
        self._pending = [item for item in self._pending if item["id"] != item_id]
        item = next((i for i in self.items if i["id"] == item_id), None)
        first = self._first_death(item) if item is not None else None
        if first is not None and event["event"] == Event.JUDGED and item is not None:
            case = item.get("case") or event["record"].get("case")
            if case is not None:
                rerun = f"it did not die, and gave {event['record']['kind']}"
                event = {**event, "record": self._death_record(item, case, first, None, rerun)}
        self.events.append(event)

    def _first_death(self, item: dict) -> Death | None:
        if item["id"] in self._deaths:
            return self._deaths[item["id"]]
        if item.get("first_death"):
            return Death.from_dict(item["first_death"])
        return None

    def _death_record(self, item: dict, case: dict, first: Death, second: Death | None, rerun: str = "") -> CaseRecord:
        line = death_record(
            case, first, second, self.job["baseline"], self.job["candidate"], rerun, item.get("source", "rerun")
        )
        if "corpus" in item:
            line["corpus"] = item["corpus"]
        return line

    def _after_exit(self, watcher: Watcher) -> None:
        self._watcher = None
        death = watcher.ended()
        if death is None:
            # Every item the worker was given is on disk; anything else was never its to do.
            return
        if watcher.proc.returncode == EXIT_BAD_SIDES and self.bad_sides is not None:
            return
        if not watcher.is_ready:
            self.bad_sides = self.bad_sides or f"the worker died while building the sides ({death.how}); see its log"
            return
        running = [item for item in self._running if item["id"] not in self._done_ids]
        if not running:
            return
        item = running[0]
        first = self._first_death(item)
        if first is None:
            # Once: rerun the item alone in a fresh worker before believing anything.
            self._deaths[item["id"]] = death
            return
        case = item.get("case") or death.case or first.case
        self._done_ids.add(item["id"])
        self._pending = [i for i in self._pending if i["id"] != item["id"]]
        if case is None:
            self.events.append({"event": Event.BAD, "item": item["id"], "error": f"{death.describe()}, twice"})
            return
        self.events.append(
            {"event": Event.JUDGED, "item": item["id"], "record": self._death_record(item, case, first, death)}
        )

    def _give_up(self, why: str) -> None:
        left = []
        for item in self._pending:
            if item["id"] in self._done_ids:
                continue
            first = self._first_death(item)
            case = item.get("case") or (first.case if first is not None else None)
            if first is not None and case is not None:
                # Died once, never rerun: what is known is recorded, and it is not a verdict.
                line = self._death_record(item, case, first, None, f"none ({why})")
                self.events.append({"event": Event.JUDGED, "item": item["id"], "record": line})
            else:
                left.append(item)
        if left:
            self.problems.append(f"{self.name}: {len(left)} of {len(self.items)} items not judged: {why}")
        self._pending = []
