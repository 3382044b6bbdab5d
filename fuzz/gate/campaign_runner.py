"""The gate's handle on its campaign: a pytest-xdist run, watched from outside.

The campaign (:mod:`fuzz.gate.campaign` under :mod:`fuzz.gate.campaign_plugin`) runs
in its own process group, dying with the gate. From here, a few times a
second, :meth:`CampaignRunner.poll`:

* reads the verdicts the workers streamed (:class:`fuzz.model.records.ResultsTail`);
* has its :class:`~fuzz.workers.watcher.Watcher` read the workers' files
  (:mod:`fuzz.isolation.pickling_guard`): a worker whose pickle in flight has
  outlived the guard's timeout by :data:`fuzz.workers.watcher.SLACK` is killed
  (its side is stuck where the guard's timer cannot reach); a worker that died
  leaves a :class:`~fuzz.workers.watcher.Death` naming the side and the case,
  for the gate to confirm by a rerun;
* stops the campaign if it overruns its deadline.

What it cannot pin on a side (a worker that died outside any pickle, the
campaign's pytest failing) becomes a :class:`~fuzz.report.run_verdict.Problem`
that keeps the gate from passing.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from fuzz.config.run_config import RunConfig
from fuzz.gate.campaign_plugin import OPTION, CampaignOptions, write_deadline
from fuzz.isolation.pickling_guard import read_worker_files
from fuzz.isolation.process_tree import exit_description, log_tail
from fuzz.model.records import CaseRecord, ResultsTail
from fuzz.report.run_verdict import Problem
from fuzz.workers.events import CampaignWorkerEvent
from fuzz.workers.watcher import Death, Limits, Watcher, death_of

#: The campaign's test module, collected by import path.
CAMPAIGN = "fuzz.gate.campaign"
#: The directory holding the ``fuzz`` package: gateways' workers need the project at this same path.
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
#: Seconds the campaign may overrun its deadline (a case in flight finishing) before it is stopped,
#: beyond one timeout (a side's pickle in flight may take that long to be stopped by its guard).
GRACE = 3.0
#: The most a campaign may overrun its deadline, whatever the timeout.
MAX_OVERRUN = 15.0
#: Seconds to wait for pytest-xdist to tell how a dead worker exited before blaming it without that.
EXIT_STATUS_WAIT = 5.0
#: pytest's exit codes that say every test ran (passed, or some failed: a crashed worker's shard counts as failed).
_PYTEST_RAN = (0, 1)


@dataclass
class CampaignRunner:
    #: The run the campaign searches for: its sides, seeds, workers or gateways, findings and databases.
    config: RunConfig
    #: The verdicts saved as findings.
    failing: tuple[str, ...]
    #: The gate's scratch directory; the campaign's files go in it.
    directory: str
    #: When the campaign must stop judging (``time.time()``).
    deadline: float
    records: list[CaseRecord] = field(default_factory=list)
    #: Workers that died while a side was pickling: each to be confirmed by a rerun.
    deaths: list[Death] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The campaign's pytest, watched; ``None`` until it starts.
    _watcher: Watcher | None = None
    _stopped_at: float | None = None
    #: When polling first found the campaign over (``time.time()``): the end of its search.
    ended_at: float | None = None
    _deaths_seen: int = 0
    _waiting: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._tail = ResultsTail(self.directory)
        os.makedirs(self.workers_dir, exist_ok=True)

    @property
    def deadline_file(self) -> str:
        """Where local workers read the deadline again, so the gate can move it (:meth:`move_deadline`)."""
        return os.path.join(self.directory, "deadline")

    def move_deadline(self, when: float) -> None:
        """End the search at ``when`` instead (local workers only: a gateway's keep the one they started with)."""
        if self.config.gateways or when == self.deadline:
            return
        self.deadline = when
        write_deadline(self.deadline_file, when)

    @property
    def shards(self) -> int:
        """One shard per worker: a gateway each, or ``workers`` local processes."""
        return len(self.config.gateways) or self.config.workers

    @property
    def workers_dir(self) -> str:
        return os.path.join(self.directory, "workers")

    @property
    def log(self) -> str:
        return os.path.join(self.directory, "pytest.log")

    def options(self) -> CampaignOptions:
        """What the campaign's pytest is told, from the run's configuration and this runner's files."""
        c = self.config
        return CampaignOptions(
            baseline=c.baseline, candidate=c.candidate, isolation=c.isolation, timeout=c.timeout,
            results=self.directory, worker_dir=self.workers_dir, deadline=self.deadline,
            # Only local workers can see this machine's files; a gateway's keep the deadline they started with.
            deadline_file=None if c.gateways else self.deadline_file,
            seed=c.seed, round=c.round, shards=self.shards, reserve=self.shards, examples=c.max_examples or 0,
            shard_of=c.shard, corpus=c.findings, failing=self.failing,
            database=os.path.abspath(c.database) if c.database else None,
            replay_from=tuple(os.path.abspath(p) for p in c.replay_from), replay=c.replay_database, inputs=c.inputs,
        )  # fmt: skip

    def command(self) -> list[str]:
        """The campaign's pytest command line.

        Its settings are one ``--campaign-options=JSON`` token: for a gateway
        that is not a local process, pytest-xdist rewrites every token that is
        an existing local path relative to a root it copies over, and refuses
        the others, and the JSON is no path. The campaign module is named by
        import path (``--pyargs``), so each machine collects its own installed
        copy.
        """
        if self.config.gateways:
            workers = [arg for spec in self.config.gateways for arg in ("--tx", spec)] + ["--dist", "load"]
            # The scratch directory is on this machine only. Every worker must name the campaign's tests
            # alike: relative to the project, installed at the same path everywhere.
            rootdir = [f"--rootdir={PROJECT_ROOT}"]
        else:
            workers = ["-n", str(self.config.workers)]
            rootdir = [f"--rootdir={self.directory}"]
        return [
            sys.executable, "-m", "pytest", "--pyargs", CAMPAIGN, "-p", "fuzz.gate.campaign_plugin",
            f"--config-file={os.devnull}", *rootdir, "-p", "no:cacheprovider",
            "-o", "python_files=*.py", "-q", "--no-header", *workers,
            f"{OPTION}={self.options().to_json()}",
        ]  # fmt: skip

    def start(self) -> None:
        # Workers make their temporary directories under ours: even a killed worker leaks nothing.
        scratch = os.path.join(self.directory, "tmp")
        os.makedirs(scratch, exist_ok=True)
        env = {**os.environ, "TMPDIR": scratch}
        self._watcher = Watcher.start(self.command(), self.log, env, self.workers_dir, Limits(self.config.timeout))

    @property
    def started(self) -> bool:
        return self._watcher is not None

    @property
    def running(self) -> bool:
        return self._watcher is not None and self._watcher.running

    def poll(self) -> bool:
        """Read, watch, and stop past the deadline; ``True`` while the campaign runs."""
        self._read_records()
        if self.running:
            self._watch_workers()
            overrun = min(self.config.timeout + GRACE, MAX_OVERRUN)
            if time.time() <= self.deadline + overrun:
                return True
            remote = [spec for spec in self.config.gateways if not spec.startswith("popen")]
            lost = " and the verdicts of its workers on other machines were lost with them" if remote else ""
            # A local worker's verdicts are on disk already; a remote one's come only when its shard ends.
            self.problems.append(
                Problem(f"the campaign overran its deadline by {overrun:.0f} s and was stopped{lost}",
                        blocks_pass=bool(remote))
            )  # fmt: skip
            self.stop()
        if self.ended_at is None:
            self.ended_at = time.time()
        return False

    def stop(self) -> None:
        """Stop the campaign and everything it started (idempotent)."""
        if self._watcher is not None and self._stopped_at is None:
            if self._watcher.running:
                # From now on a worker may die by our hand: deaths are judged against this time.
                self._stopped_at = time.time()
            self._watcher.stop(grace=GRACE)

    def finish(self) -> None:
        """After the campaign ended: last records, the dead it left, and how its pytest exited."""
        assert self._watcher is not None
        self.stop()
        self._read_records()
        self._watch_workers(final=True)
        code = self._watcher.proc.returncode
        stopped = self._stopped_at is not None and code not in _PYTEST_RAN
        failed = [e for e in self._events() if e.get("event") == CampaignWorkerEvent.SHARD_FAILED]
        for event in failed:
            error = " | ".join(event.get("error", "").strip().splitlines()[-6:])
            self.problems.append(Problem(f"the campaign's {event.get('item')} failed: {error}"))
        unexplained = self._unexplained_worker_deaths()
        if unexplained:
            self.problems.append(Problem(unexplained))
        elif not stopped and code not in _PYTEST_RAN:
            self.problems.append(
                Problem(f"the campaign's pytest ended with {exit_description(code)}: {_last_lines(self.log)}")
            )
        elif code == 1 and not failed and not self._deaths_seen:
            # Shards record findings instead of failing: pytest failing with none failed nor dead is a
            # collection error (gateways that collected differently, say).
            self.problems.append(Problem(f"the campaign's pytest reported an error: {_last_lines(self.log)}"))

    def _read_records(self) -> None:
        self.records += [r for r in self._tail.new_records() if r.get("source") == "campaign"]

    def _watch_workers(self, final: bool = False) -> None:
        watcher = self._watcher
        assert watcher is not None
        now = time.time()
        # Read once a poll: the watcher looks for hung pickles in them, then this for the dead.
        workers = read_worker_files(self.workers_dir)
        if not final:
            watcher.check(now, workers)
        for worker in workers:
            pid = worker.pid
            if worker.alive:
                continue
            how = watcher.why_killed(pid)
            first_seen = self._waiting.setdefault(pid or -1, now)
            if how is None and not final and not worker.fault and pid not in self._exits():
                # pytest-xdist reports the exit status a moment later; wait for it a little.
                if now - first_seen < EXIT_STATUS_WAIT:
                    continue
            worker.remove()
            how = how or self._exits().get(pid or -1)
            if how is None and self._stopped_at is not None and first_seen >= self._stopped_at:
                # Stopped by us at the end: only a pickle already past its bound tells of a hang.
                if worker.in_flight is None or worker.age(self._stopped_at) <= self.config.timeout:
                    continue
                how = f"hung for {worker.age(self._stopped_at):.0f} s (still pickling when the campaign ended)"
            self._deaths_seen += 1
            death = death_of(worker, how or "died (how, pytest-xdist could not tell)")
            if death.case is not None:
                self.deaths.append(death)
            else:
                self.problems.append(Problem(f"a campaign worker {death.how} outside any case's pickling"))

    def _events(self) -> list[dict]:
        """What pytest-xdist's controller noted about workers (:class:`fuzz.gate.campaign_plugin._WorkerWatch`)."""
        path = os.path.join(self.directory, "worker-events.log")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def _exits(self) -> dict[int, str]:
        """How each dead worker exited, by pid, as far as pytest-xdist could tell."""
        return {
            e["pid"]: exit_description(e["returncode"])
            for e in self._events()
            if e.get("pid") is not None and e.get("returncode") is not None
        }

    def _unexplained_worker_deaths(self) -> str:
        """Workers pytest-xdist saw die (before the stop) that left no file here to explain them."""
        events = self._events()
        before_stop = [
            e
            for e in events
            if e.get("event") == CampaignWorkerEvent.DOWN and e.get("time", 0) < (self._stopped_at or 1e300)
        ]
        missing = len(before_stop) - self._deaths_seen
        if missing <= 0:
            return ""
        return f"{missing} campaign worker(s) died without a trace: {before_stop[-1].get('error', '')[:300]}"


def _last_lines(log: str) -> str:
    return log_tail(log, 15, "(no log)")
