"""Watching worker processes: when one is stuck, how it is ended, and how it died.

A side pickles in a worker process: a case worker (:mod:`fuzz.workers.case_worker`,
one at a time under a :class:`~fuzz.workers.supervisor.SupervisedJob`) or a
pytest-xdist worker of the campaign (under the campaign's pytest,
:class:`~fuzz.gate.campaign_runner.CampaignRunner`). Either way the fuzzer
started one helper process, in a process group of its own, and the workers
that pickle under it keep worker files
(:mod:`fuzz.isolation.pickling_guard`) saying which side is pickling which
case, and since when. A :class:`Watcher` holds that helper and reads those
files, and is the one place that decides:

* **a pickle is stuck** when it is older than the guard's timeout plus
  :data:`SLACK`: the timer could not reach it (a loop in C). The worker
  running it is killed (SIGKILL to its pid), and the death is put on that side;
* **the helper is stuck** when it did not say it was ready within its
  startup limit, or, once ready, gave no sign of life (an event, a
  heartbeat) for its silence limit: its whole process group is stopped;
* **how a worker died**: a :class:`Death` naming how (the watcher's own
  kill, or the exit status), the side and case it was pickling, and the
  traceback :mod:`faulthandler` left if a fatal signal killed it.

What a death then means (a rerun, a ``crash``, an ``unjudged`` case, a
problem of the run) is the owner's to decide.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from fuzz.isolation.pickling_guard import WorkerFile, read_worker_files
from fuzz.isolation.process_tree import exit_description, kill_pid, start_helper, stop_group

#: Seconds past the guard's timeout before a pickle in flight is taken as stuck beyond its timer.
SLACK = 3.0
#: Seconds a helper stopped for outliving a limit gets to exit on SIGINT before it is killed.
KILL_GRACE = 0.5
#: Lines of a fatal signal's traceback kept in a finding.
FAULT_LINES = 12


@dataclass(frozen=True)
class Death:
    """How a worker died, and what it was pickling then."""

    #: ``killed by SIGSEGV``, ``exit code 3``, ``hung for 13 s while pickling: killed``...
    how: str
    #: The side pickling at the time (``baseline``/``candidate``), or ``None``.
    role: str | None = None
    spec: str | None = None
    #: The case being pickled (as a dict), when a side was pickling.
    case: dict | None = None
    #: The traceback :mod:`faulthandler` wrote, shortened.
    fault: str = ""

    def describe(self) -> str:
        who = f"the {self.role} ({self.spec})" if self.role else "the worker"
        doing = " while pickling" if self.role else " outside any side's pickling"
        text = f"{who} {self.how}{doing}"
        return f"{text}: {self.fault_lines}" if self.fault else text

    @property
    def fault_lines(self) -> str:
        """The first :data:`FAULT_LINES` of the traceback, on one line ("" without one)."""
        return " | ".join(self.fault.strip().splitlines()[:FAULT_LINES])

    @property
    def signature(self) -> str | None:
        """``hung``, ``SIGSEGV``, ``code 3``: what to compare two deaths by (``None`` when not known)."""
        if self.how.startswith("hung"):
            return "hung"
        found = re.search(r"SIG[A-Z]+|code -?\d+", self.how)
        return found.group(0) if found else None

    def same_as(self, other: Death) -> bool:
        """The same side died the same way (a way not known matches any)."""
        known = self.signature is not None and other.signature is not None
        return self.role == other.role and (not known or self.signature == other.signature)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Death:
        return cls(**data)


def death_of(worker: WorkerFile, how: str) -> Death:
    """The :class:`Death` a dead (or killed) worker's file tells of."""
    flight = worker.in_flight or {}
    return Death(how, flight.get("role"), flight.get("spec"), flight.get("case"), worker.fault)


@dataclass(frozen=True)
class Limits:
    """The bounds a watched helper and its workers live by (``None``: no such bound)."""

    #: The guard's timeout: a pickle in flight past this plus :data:`SLACK` is stuck.
    pickle: float
    #: Seconds the helper has to say it is ready (build its sides).
    startup: float | None = None
    #: Seconds the helper may go without a sign of life once ready; well above any heartbeat it writes.
    silence: float | None = None


@dataclass
class Watcher:
    """One helper process the fuzzer started, and the worker files of the processes that pickle under it.

    Call :meth:`check` regularly while the helper runs; tell the watcher
    when the helper is :meth:`ready` and whenever it is :meth:`heard_from`.
    """

    proc: subprocess.Popen
    #: The directory of the workers' files.
    workers_dir: str
    limits: Limits
    #: When the helper started (``time.time()``).
    started: float = field(default_factory=time.time)
    #: Why the watcher last killed something of this helper, if it did.
    killed_for: str | None = None
    _ready: bool = False
    _heard: float = 0.0
    _killed: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._heard = self.started

    @classmethod
    def start(
        cls, command: Sequence[str], log_path: str, env: dict[str, str] | None, workers_dir: str, limits: Limits
    ) -> Watcher:
        """Start ``command`` as a helper (its own session, dying with this process) and watch it."""
        return cls(start_helper(command, log_path, env), workers_dir, limits)

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    @property
    def is_ready(self) -> bool:
        return self._ready

    def ready(self) -> None:
        """The helper built its sides: the startup limit is met, the silence limit counts from now."""
        self._ready = True
        self.heard_from()

    def heard_from(self) -> None:
        """A sign of life (an event, a heartbeat): the silence limit counts from now."""
        self._heard = time.time()

    def check(self, now: float | None = None, workers: list[WorkerFile] | None = None) -> None:
        """Kill what outlived its limit: a stuck pickle's worker, or the whole helper (see the module docstring).

        ``workers``: the worker files as the caller just read them, so that a poll reads them once.
        """
        now = time.time() if now is None else now
        limits = self.limits
        if limits.startup is not None and not self._ready:
            if now - self.started > limits.startup:
                self._stop(f"did not build its sides within {limits.startup:.0f} s")
            return
        if self._kill_hung(now, read_worker_files(self.workers_dir) if workers is None else workers):
            return
        if limits.silence is not None and now - self._heard > limits.silence:
            self._stop(f"made no progress for {now - self._heard:.0f} s and was killed")

    def _kill_hung(self, now: float, workers: list[WorkerFile]) -> bool:
        """Kill every live worker whose pickle in flight is past the guard's timeout plus :data:`SLACK`; any?"""
        killed = False
        for worker in workers:
            if worker.alive and worker.in_flight is not None and worker.age(now) > self.limits.pickle + SLACK:
                # Every worker file is named by worker_file_path, which ends in the worker's pid.
                assert worker.pid is not None, worker
                self._note_kill(f"hung for {worker.age(now):.0f} s and was killed", worker.pid)
                kill_pid(worker.pid)
                killed = True
        return killed

    def why_killed(self, pid: int | None) -> str | None:
        """Why the watcher killed worker ``pid``, or ``None`` if it did not."""
        return self._killed.get(pid) if pid is not None else None

    def stop(self, grace: float) -> None:
        """Stop the helper and its whole process group (SIGINT, SIGKILL after ``grace`` seconds); not a death."""
        stop_group(self.proc, grace=grace)

    def ended(self) -> Death | None:
        """After the helper exited: how it died, and what its worker was pickling then.

        ``None`` for a clean exit (code 0, and the watcher killed nothing).
        The files of dead workers are forgotten either way.
        """
        returncode = self.proc.poll()
        dead = [w for w in read_worker_files(self.workers_dir) if not w.alive]
        worker = next((w for w in dead if w.in_flight is not None), dead[0] if dead else None)
        for w in dead:
            w.remove()
        if returncode == 0 and self.killed_for is None:
            return None
        how = self.killed_for or exit_description(returncode)
        return death_of(worker, how) if worker is not None else Death(how)

    def _note_kill(self, why: str, pid: int) -> None:
        self.killed_for = why
        self._killed[pid] = why

    def _stop(self, why: str) -> None:
        self._note_kill(why, self.proc.pid)
        stop_group(self.proc, grace=KILL_GRACE)
