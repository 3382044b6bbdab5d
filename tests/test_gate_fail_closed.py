"""The gate fails closed: a candidate that hangs, dies or checks nothing never gets a PASS.

Each test runs ``python -m fuzz gate`` in a subprocess as a user would, and
checks what a pull request's author would see: the exit code, a report on
stdout whose first line is the verdict, and nothing left behind (no process
carrying the run's marker, no file in its temporary directory).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from fuzz.oracle.sides import INSTALLED_DIR
from tests.test_isolation import ctrl_c_enabled, processes_with, wait_for_no_processes

REPO = Path(__file__).resolve().parent.parent
HOSTILE = "detector:tests.hostile_detectors:"
#: Most a gate may take past its budget, whatever the candidate does.
OVERTIME = 30.0

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@dataclass
class GateRun:
    returncode: int
    stdout: str
    stderr: str
    report: dict | None
    elapsed: float

    @property
    def first_line(self) -> str:
        return self.stdout.splitlines()[0] if self.stdout else ""


def _command(tmp_path: Path, args: tuple[str, ...], corpus: str, findings: str | None = None) -> list[str]:
    corpus_dir = tmp_path / "corpus"
    if corpus == "seeded" and not corpus_dir.exists():
        shutil.copytree(REPO / "corpus", corpus_dir)
    command = [sys.executable, "-m", "fuzz", "gate", "--json", str(tmp_path / "report.json"), "--seed", "1"]
    command += ["--markdown", str(tmp_path / "report.md"), "--findings", findings or str(tmp_path / "findings")]
    if corpus != "none":
        command += ["--corpus", str(corpus_dir)]
    return command + list(args)


def _environment(tmp_path: Path) -> tuple[dict, str, Path]:
    marker = f"FUZZ_FAIL_CLOSED_{os.getpid()}_{time.monotonic_ns()}"
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, marker: "1", "TMPDIR": str(scratch), "PYTHONPATH": str(REPO)}
    return env, marker, scratch


def _finish(tmp_path: Path, proc: subprocess.Popen, began: float, marker: str, scratch: Path) -> GateRun:
    stdout, stderr = proc.communicate(timeout=300)
    elapsed = time.monotonic() - began
    assert wait_for_no_processes(marker) == [], "the gate left processes behind"
    assert list(scratch.iterdir()) == [], "the gate left temporary files behind"
    path = tmp_path / "report.json"
    report = json.loads(path.read_text()) if path.exists() and path.stat().st_size else None
    return GateRun(proc.returncode, stdout, stderr, report, elapsed)


def gate(tmp_path: Path, *args: str, corpus: str = "empty", findings: str | None = None) -> GateRun:
    """Run the gate to its end; check that it left nothing behind."""
    env, marker, scratch = _environment(tmp_path)
    began = time.monotonic()
    proc = subprocess.Popen(
        _command(tmp_path, args, corpus, findings),
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return _finish(tmp_path, proc, began, marker, scratch)


def gate_stopped(tmp_path: Path, sig: int, after_processes: int, *args: str, corpus: str = "empty") -> GateRun:
    """Start the gate, send it ``sig`` once it runs its helpers, and see how it ends."""
    env, marker, scratch = _environment(tmp_path)
    began = time.monotonic()
    proc = subprocess.Popen(
        _command(tmp_path, args, corpus),
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_enabled,
    )
    deadline = time.monotonic() + 120
    while len(processes_with(marker)) < after_processes and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)
    proc.send_signal(sig)
    return _finish(tmp_path, proc, began, marker, scratch)


def assert_failed_loudly(run: GateRun, budget: float) -> None:
    assert run.returncode == 1, run.stdout[:3000] + run.stderr[-3000:]
    assert run.first_line.startswith("**FAIL**"), run.first_line
    assert run.elapsed < budget + OVERTIME, f"took {run.elapsed:.0f} s on a {budget:.0f} s budget"
    assert run.report is not None and run.report["verdict"] == "fail"


# -- the hostile candidates: every one fails the gate, loudly, in time ------------------------

HOSTILE_BEHAVIOUR = {
    "sleeps": "still pickling after 2 s",
    "deaf": "and was killed while pickling",
    "exits": "exited with code 3 while pickling",
    "segv": "SIGSEGV",
    "raises": "RuntimeError: hostile detector refuses",
    "junk": "42",
    "floods": "wrote 10,000,000 bytes to stdout/stderr while pickling",
    # Changes to the pickling process: each used to PASS (the unpickled functions work).
    "poisons_sys_modules": "replaced `json` in sys.modules with another object",
    "leaves_a_daemon": "left 1 process running",
    # A BaseException raised by the side (not a real Ctrl-C) is a crash, as an Exception is.
    "raises_system_exit": "SystemExit: 3",
}


#: The candidates that kill or hang the process pickling with them: their gates keep the default workers, so
#: that a worker dies or hangs while another goes on. The others leave their worker alive and answering,
#: whatever the number of workers, so their gates search on one (half the CPU time for the same budget).
KILL_OR_HANG = {"sleeps", "deaf", "exits", "segv"}


@pytest.mark.parametrize("hostile", sorted(HOSTILE_BEHAVIOUR))
@pytest.mark.slow
def test_every_hostile_candidate_fails_the_gate_within_budget(tmp_path, hostile):
    budget = 12
    workers = () if hostile in KILL_OR_HANG else ("--workers", "1")
    run = gate(tmp_path, "--candidate", HOSTILE + hostile, "--budget", str(budget), "--timeout", "2", *workers)
    assert_failed_loudly(run, budget)
    assert HOSTILE_BEHAVIOUR[hostile] in run.stdout, run.stdout[:4000]
    # Whatever the candidate printed went nowhere near the report.
    assert len(run.stdout) < 1_000_000
    if hostile == "segv":
        # A segfaulting candidate shows where it crashed: the fatal signal's Python traceback.
        crash = next(f for f in run.report["findings"] if f["kind"] == "crash")
        assert "Segmentation fault" in crash["candidate"]["outcome"]
        assert "hostile_detectors.py" in crash["candidate"]["outcome"]


@pytest.mark.slow
def test_a_tree_whose_import_hangs_is_refused_before_anything_runs(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(INSTALLED_DIR, tree / "cloudpickle", ignore=shutil.ignore_patterns("__pycache__"))
    with open(tree / "cloudpickle" / "__init__.py", "a", encoding="utf-8") as init:
        init.write("\nimport time\ntime.sleep(1000)\n")
    run = gate(tmp_path, "--candidate", f"tree:{tree}", "--timeout", "3", "--budget", "60")
    assert run.returncode == 2, run.stdout[:2000] + run.stderr[-2000:]
    assert run.stdout == "" and run.report is None
    first = run.stderr.strip().splitlines()[0]
    assert first == f"error: side 'tree:{tree}': its cloudpickle did not import within 3 s (--timeout); " + (
        "fix the checkout, or pass another tree"
    )
    assert run.elapsed < 3 + 10


# -- the rows of the false-PASS table ---------------------------------------------------------


@pytest.mark.parametrize("hostile", ["sleeps", "exits", "segv"])
@pytest.mark.slow
def test_replaying_the_corpus_with_a_hostile_candidate_fails_in_time(tmp_path, hostile):
    # The corpus replay used to pickle in the gate's own process: a hang was silence, a crash the gate's death.
    run = gate(tmp_path, "--candidate", HOSTILE + hostile, "--budget", "20", "--timeout", "2", corpus="seeded")
    assert_failed_loudly(run, 20)
    assert run.report["counts"]["crash"] > 0
    assert any(r["verdict"] == "crash" for r in run.report["replay"]), run.report["replay"]


@pytest.mark.parametrize("isolation", ["fork", "batch"])
@pytest.mark.slow
def test_a_reference_run_that_times_out_is_never_the_expected_behaviour(tmp_path, isolation):
    """At a 1 ms timeout about half the runs time out (a reused child answers faster than a forked one).

    Cases whose run at home timed out are unjudged, and the run says it is incomplete; pickling past 1 ms
    is a crash of the candidate, so the verdict may also be FAIL, but never PASS.
    """
    # One worker: a reference run times out in whatever worker judges it.
    run = gate(
        tmp_path, "--candidate", "installed", "--budget", "12", "--timeout", "0.001", "--isolation", isolation,
        "--workers", "1",
    )  # fmt: skip
    assert run.returncode in (1, 3), run.stdout[:3000] + run.stderr[-2000:]
    assert run.report["verdict"] in ("fail", "incomplete")
    assert "incomplete" in run.first_line.lower(), run.first_line
    assert run.report["counts"]["unjudged"] > 0


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--workers", str(4 * (os.cpu_count() or 1) + 1)], "use at most"),
        (["--timeout", "nan"], "finite number of seconds"),
        (["--timeout", "0"], "above 0"),
        (["--timeout", "-1"], "above 0"),
        (["--budget", "nan"], "finite number of seconds"),
        (["--budget", "inf"], "finite number of seconds"),
        (["--replay-only", "--json", "/tmp"], "is a directory"),
        (["--markdown", "/proc/fuzz-report.md"], "cannot be written"),
        (["--max-examples", "-3"], "at least 1"),
    ],
)
@pytest.mark.slow
def test_bad_options_are_refused_before_anything_runs(tmp_path, args, fragment):
    began = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "gate", "--corpus", str(tmp_path / "c"), *args],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert fragment in proc.stderr
    assert proc.stdout == ""
    assert time.monotonic() - began < 20
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("command", ["known", "replay", "throughput"])
@pytest.mark.slow
def test_every_timeout_option_is_checked(command):
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", command, "--timeout", "0"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert proc.returncode == 2
    assert "--timeout" in proc.stderr and "above 0" in proc.stderr


@pytest.mark.slow
def test_sigterm_stops_everything_and_still_reports(tmp_path):
    run = gate_stopped(tmp_path, signal.SIGTERM, 4, "--budget", "300", "--workers", "1", corpus="seeded")
    assert run.returncode == 143
    assert run.first_line.startswith(("**FAIL**", "**INCOMPLETE**")), run.first_line
    assert "interrupted by SIGTERM" in run.first_line
    assert run.report is not None and run.report["interrupted"]
    # Findings already saved stay (one file per finding), nothing else this run made does.
    saved = {os.path.basename(f["corpus"]) for f in run.report["findings"] if f.get("corpus")}
    created = {p.name for p in (tmp_path / "corpus").iterdir()} - {p.name for p in (REPO / "corpus").iterdir()}
    assert created <= saved


def test_ctrl_c_while_the_candidate_hangs_is_never_a_pass(tmp_path):
    run = gate_stopped(tmp_path, signal.SIGINT, 3, "--candidate", HOSTILE + "sleeps", "--budget", "300")
    assert run.returncode == 130
    assert run.first_line.startswith(("**INCOMPLETE**", "**FAIL**")), run.first_line
    assert "interrupted by Ctrl-C" in run.first_line


@pytest.mark.slow
def test_an_unwritable_corpus_is_reported_once_and_judging_goes_on(tmp_path):
    # Even root cannot create a directory in sysfs: every save fails as on a read-only filesystem.
    run = gate(tmp_path, "--budget", "15", corpus="none", findings="/sys/fuzz-findings-cannot-exist")
    assert run.returncode == 1, run.stdout[:3000] + run.stderr[-2000:]
    assert run.report["findings"], "proposed has regressions: the findings must still be reported"
    corpus_problems = [p for p in run.report["problems"] if "could not be saved to" in p["problem"]]
    assert len(corpus_problems) == 1, run.report["problems"]
    assert not corpus_problems[0]["blocks_pass"]
    assert run.report["cases"] > 100, "the campaign stopped early"


@pytest.mark.slow
def test_a_pass_reports_pass_first(tmp_path):
    run = gate(tmp_path, "--candidate", "installed", "--budget", "15")
    assert run.returncode == 0, run.stdout[:3000] + run.stderr[-2000:]
    assert run.first_line.startswith("**PASS**")
    assert run.report["verdict"] == "pass" and run.report["reasons"] == []
