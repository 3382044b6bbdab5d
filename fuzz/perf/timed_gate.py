"""One seeded gate, run as a user runs it and timed from outside: when did it first fail?

The time-to-bug benchmark (:mod:`fuzz.perf.time_to_bug`) is made of these
runs. Each is a fresh ``python -m fuzz gate`` subprocess with its own seed
and an empty ``--corpus`` and ``--findings`` folder, so nothing an earlier
run found is replayed: the clock starts when the command is launched, the
way a user's does, start-up included.

Where the times come from:

* *When it failed* is the gate's own: each finding in its JSON report carries
  ``first_seen``, the moment a campaign worker judged the first failing case
  of it (:mod:`fuzz.gate.campaign_plugin` stamps every record with ``t``).
* *When to stop* is seen from outside: the gate saves every failure to
  ``--findings`` before anything else happens, so the first corpus file there
  means a failing case was judged. The run is then given :data:`SETTLE_S`
  for the gate to read that record (it polls its workers ten times a second)
  and is interrupted with SIGINT, which it handles like a Ctrl-C: it stops its
  workers and writes its partial report. A run need not search its whole
  budget once the answer is in, which keeps the benchmark affordable. Should
  the report still lack the finding (a machine so busy that the gate did not
  read it in time), the saved file's modification time stands in for it.
* *How fast it searched* comes from the report's discovery curve: cases judged
  between the first and the last verdict, over the seconds between them.

A run that finds nothing ends by itself when its budget is spent; one that
overruns its budget by :data:`OVERRUN_S` is interrupted, and one that ignores
the interrupt for :data:`STOP_GRACE_S` is killed with its process group (its
helpers die with it: each asks the kernel to kill it when its parent dies).
Every run's files live in a temporary directory of its own, the gate's own
scratch directory included (its ``TMPDIR`` points there), removed afterwards
however the run ended.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fuzz.corpus.store import corpus_files
from fuzz.errors import EXIT_USAGE, UsageError
from fuzz.isolation.process_tree import children_of, kill_new_descendants, log_tail, start_helper, stop_group
from fuzz.model.verdict import FAILING

#: Seconds between two looks at the gate.
POLL_S = 0.05
#: Seconds a found failure is left for the gate to read before it is interrupted.
SETTLE_S = 1.0
#: Seconds past its budget a gate may run (reruns, shrinking, the report) before it is interrupted.
#: The gate itself allows 20 s of overtime for reruns and then writes its report.
OVERRUN_S = 45.0
#: Seconds an interrupted gate gets to write its partial report before its process group is killed.
STOP_GRACE_S = 30.0
#: Lines of the gate's output quoted when it failed to run.
OUTPUT_LINES = 12


@dataclass(frozen=True)
class GateRequest:
    """What one timed gate runs: two sides, a seed, a budget and a worker count."""

    #: What the benchmark calls this pair (a planted detector's name, or ``tree pair``).
    target: str
    baseline: str
    candidate: str
    seed: int
    budget_s: float
    workers: int
    #: Whether the run is interrupted once its first failure is judged (else it runs to its end).
    stop_at_first_failure: bool = True


@dataclass(frozen=True)
class CauseTime:
    """A root cause a gate reported, and when its first case was judged."""

    #: The gate's grouping key (``cause.key`` in its JSON), as JSON text: equal keys are one root cause.
    key: str
    #: How the report words it.
    words: str
    kind: str
    #: Seconds from the gate's launch to its first case.
    seconds: float
    #: Whether its example was shrunk: an unshrunk one keeps features a shrunk one would drop from its key.
    shrunk: bool = True


@dataclass(frozen=True)
class GateTiming:
    """What one timed gate run measured. Every time is in seconds from the moment it was launched."""

    target: str
    seed: int
    budget_s: float
    #: When the first failing case was judged; ``None``: no failure within the run.
    first_failure_s: float | None
    #: When the first generated case was judged (the gate's start-up, as its user waits for it).
    first_verdict_s: float | None
    #: Generated cases the run judged, and their rate between its first and its last verdict.
    cases: int
    cases_per_s: float | None
    #: From the launch to the gate's exit.
    wall_s: float
    exit_code: int | None
    #: Whether it was interrupted at its first failure (else it ended by itself, or overran).
    stopped_early: bool
    #: Each root cause of the report, for a run that was not stopped at its first failure.
    causes: tuple[CauseTime, ...] = ()
    #: Anything that makes the figures less than the gate's own word (empty when nothing did).
    note: str = ""
    #: The machine's load average over the minute before the launch: a busy machine finds later.
    load: float | None = None

    @property
    def found(self) -> bool:
        """Whether a failure was judged within the budget."""
        return self.first_failure_s is not None and self.first_failure_s <= self.budget_s

    @property
    def time_or_inf(self) -> float:
        """The time to the first failure, infinite when there was none: not found sorts last."""
        return self.first_failure_s if self.found and self.first_failure_s is not None else math.inf

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "seed": self.seed,
            "budget_s": self.budget_s,
            "found": self.found,
            "first_failure_s": _rounded(self.first_failure_s),
            "first_verdict_s": _rounded(self.first_verdict_s),
            "cases": self.cases,
            "cases_per_s": _rounded(self.cases_per_s, 1),
            "wall_s": _rounded(self.wall_s),
            "exit_code": self.exit_code,
            "stopped_early": self.stopped_early,
            "causes": [
                {"key": c.key, "words": c.words, "kind": c.kind, "seconds": _rounded(c.seconds), "shrunk": c.shrunk}
                for c in self.causes
            ],
            "note": self.note,
            "load": _rounded(self.load, 2),
        }

    @classmethod
    def from_dict(cls, data: dict) -> GateTiming:
        """Read a run back from :meth:`to_dict`'s JSON (``found`` is recomputed, never trusted)."""
        return cls(
            target=str(data["target"]),
            seed=int(data["seed"]),
            budget_s=float(data["budget_s"]),
            first_failure_s=_optional_float(data.get("first_failure_s")),
            first_verdict_s=_optional_float(data.get("first_verdict_s")),
            cases=int(data.get("cases", 0)),
            cases_per_s=_optional_float(data.get("cases_per_s")),
            wall_s=float(data.get("wall_s", 0.0)),
            exit_code=data.get("exit_code"),
            stopped_early=bool(data.get("stopped_early", False)),
            causes=tuple(
                CauseTime(
                    str(c["key"]), str(c["words"]), str(c["kind"]), float(c["seconds"]), bool(c.get("shrunk", True))
                )
                for c in data.get("causes", [])
            ),
            note=str(data.get("note", "")),
            load=_optional_float(data.get("load")),
        )


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def gate_command(request: GateRequest, corpus: str, findings: str, json_path: str, markdown_path: str) -> list[str]:
    """The gate's command line: seeded, with empty folders, its reports where this run reads them."""
    return [
        sys.executable, "-m", "fuzz", "gate",
        "--baseline", request.baseline, "--candidate", request.candidate,
        "--seed", str(request.seed), "--budget", repr(request.budget_s), "--workers", str(request.workers),
        "--corpus", corpus, "--findings", findings, "--json", json_path, "--markdown", markdown_path,
    ]  # fmt: skip


#: Builds the command of one run from its request and its files (``corpus, findings, json, markdown``).
CommandBuilder = Callable[[GateRequest, str, str, str, str], list[str]]


def time_gate(
    request: GateRequest, clock: Callable[[], float] = time.time, command_for: CommandBuilder = gate_command
) -> GateTiming:
    """Run one gate (see the module docstring) and say what it measured.

    A gate that refuses its options or sides (exit 2) raises
    :class:`~fuzz.errors.UsageError` with what it printed: the benchmark is
    misconfigured, and no later run would do better.
    """
    with tempfile.TemporaryDirectory(prefix="fuzz-time-to-bug-") as scratch:
        corpus, findings, gate_tmp = (os.path.join(scratch, name) for name in ("corpus", "findings", "tmp"))
        for folder in (corpus, findings, gate_tmp):
            os.makedirs(folder)
        json_path, log_path = os.path.join(scratch, "gate.json"), os.path.join(scratch, "gate.log")
        command = command_for(request, corpus, findings, json_path, os.path.join(scratch, "gate.md"))
        before, load = children_of(os.getpid()), load_average()
        launched = clock()
        # Ctrl-C and SIGTERM as a terminal's, whatever this process inherited: it stops at its first failure.
        proc = start_helper(command, log_path, {**os.environ, "TMPDIR": gate_tmp})
        watch = _Watch()
        try:
            _watch(proc, request, findings, launched, clock, watch)
        finally:
            _stop(proc, watch)
            # Anything of the gate's adopted here (it ends its own; this is for a gate that was killed).
            kill_new_descendants(before)
        ended = clock()
        if proc.returncode == EXIT_USAGE:
            raise UsageError(f"the gate for {request.target} (seed {request.seed}) refused to run: {_tail(log_path)}")
        report = _read_report(json_path)
        return _timing(request, report, watch, launched, ended, proc.returncode, log_path, load)


@dataclass
class _Watch:
    """What watching a gate from outside saw."""

    #: When the first findings file was seen, and the earliest modification time among them then.
    seen_at: float | None = None
    saved_at: float | None = None
    stopped_early: bool = False
    #: Whether the gate was sent its interrupt (a second one could cut its report short).
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)

    def interrupt(self, proc: subprocess.Popen) -> None:
        """SIGINT to the gate alone: it stops its helpers and writes its partial report, as for a Ctrl-C."""
        if self.interrupted:
            return
        self.interrupted = True
        try:
            os.kill(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass


def _watch(
    proc: subprocess.Popen,
    request: GateRequest,
    findings: str,
    launched: float,
    clock: Callable[[], float],
    watch: _Watch,
) -> None:
    """Wait for the gate to end; interrupt it after its first failure, or when it overruns its budget."""
    hard_stop = launched + request.budget_s + OVERRUN_S
    while proc.poll() is None:
        now = clock()
        if watch.seen_at is None and request.stop_at_first_failure:
            saved = _first_saved(findings)
            if saved is not None:
                watch.seen_at, watch.saved_at = now, saved
        if watch.seen_at is not None and now >= watch.seen_at + SETTLE_S:
            watch.stopped_early = True
            watch.interrupt(proc)
            break
        if now >= hard_stop:
            watch.notes.append(f"the gate overran its budget by {OVERRUN_S:.0f} s and was interrupted")
            watch.interrupt(proc)
            break
        time.sleep(POLL_S)


def _first_saved(findings: str) -> float | None:
    """The earliest modification time of the corpus files in ``findings``; ``None`` while there are none."""
    times = []
    for path in corpus_files(findings):
        try:
            times.append(os.stat(path).st_mtime)
        except OSError:  # pruned or replaced meanwhile
            continue
    return min(times) if times else None


def _stop(proc: subprocess.Popen, watch: _Watch) -> None:
    """Interrupt the gate if it runs on (this process was interrupted), let it finish its report, and kill
    its process group if that takes too long."""
    if proc.poll() is None:
        watch.interrupt(proc)
        try:
            proc.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
    stop_group(proc, grace=1.0)


def load_average() -> float | None:
    """The machine's load average over the last minute (``None`` where the system does not say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _read_report(path: str) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tail(log_path: str) -> str:
    return log_tail(log_path, OUTPUT_LINES, "(no output)") or "(no output)"


def _timing(
    request: GateRequest,
    report: dict | None,
    watch: _Watch,
    launched: float,
    ended: float,
    exit_code: int | None,
    log_path: str,
    load: float | None,
) -> GateTiming:
    notes = list(watch.notes)
    if report is None:
        notes.append(f"the gate wrote no report (exit code {exit_code}): {_tail(log_path)}")
        report = {}
    causes = _causes(report, launched)
    first_failure = min((c.seconds for c in causes), default=None)
    if request.stop_at_first_failure:
        causes = ()  # the first of a run cut short: its time is all it tells
    if first_failure is None and watch.saved_at is not None:
        first_failure = watch.saved_at - launched
        notes.append("the report did not have the failure in time; its saved file's time stands in for it")
    cases, rate, first_curve_point = _search(report)
    first_verdict = _first_verdict(report, launched, first_curve_point)
    return GateTiming(
        target=request.target,
        seed=request.seed,
        budget_s=request.budget_s,
        first_failure_s=first_failure,
        first_verdict_s=first_verdict,
        cases=cases,
        cases_per_s=rate,
        wall_s=ended - launched,
        exit_code=exit_code,
        stopped_early=watch.stopped_early,
        causes=causes,
        note="; ".join(notes),
        load=load,
    )


def _causes(report: dict, launched: float) -> tuple[CauseTime, ...]:
    """The report's failing root causes with a known first case, earliest first."""
    failing = {str(kind) for kind in FAILING}
    found = []
    for finding in report.get("findings", []):
        first_seen = finding.get("first_seen")
        if finding.get("kind") not in failing or first_seen is None:
            continue
        key = json.dumps((finding.get("cause") or {}).get("key") or finding.get("root_cause"))
        words, shrunk = str(finding.get("root_cause", "")), bool(finding.get("shrunk", True))
        found.append(CauseTime(key, words, finding["kind"], first_seen - launched, shrunk))
    return tuple(sorted(found, key=lambda c: c.seconds))


def _search(report: dict) -> tuple[int, float | None, float | None]:
    """Generated cases judged, their rate between the first and the last verdict, and the curve's first moment.

    The discovery curve (``timelines``) holds ``[epoch, cases judged by then]``
    points, thinned but always ending with the last verdict; start-up is left
    out of the rate, since the time to the first failure already holds it.
    """
    curves = [t.get("cases") or [] for t in (report.get("timelines") or {}).values()]
    curve = max(curves, key=lambda c: c[-1][1] if c else 0, default=[])
    if not curve:
        return 0, None, None
    (t0, n0), (t1, n1) = curve[0], curve[-1]
    rate = (n1 - n0) / (t1 - t0) if len(curve) > 1 and t1 > t0 else None
    return int(n1), rate, t0


def _first_verdict(report: dict, launched: float, first_curve_point: float | None) -> float | None:
    """Seconds from the launch to the first verdict: the gate's own figure, counted from its launch."""
    phases, started = report.get("phases") or {}, report.get("started_at")
    if phases.get("first_verdict_s") is not None and started:
        return float(started) - launched + float(phases["first_verdict_s"])
    return None if first_curve_point is None else first_curve_point - launched
