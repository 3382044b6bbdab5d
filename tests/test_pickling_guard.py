"""The pickling guard: a side's dumps is bounded, silenced, and announced to a supervisor."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz.isolation.pickling_guard import PicklingGuard, read_worker_file, read_worker_files, worker_file_path
from fuzz.model.case import Case

REPO = Path(__file__).resolve().parent.parent
CASE = Case((("pkg/__init__.py", ""),), "import pkg\ndef f():\n    return pkg\n", name="guarded")


def test_a_dumps_past_the_timeout_is_stopped_and_reported_as_hung():
    guard = PicklingGuard(timeout=0.3)
    began = time.monotonic()
    outcome = guard.dumps("candidate", "spec", lambda func: time.sleep(60), None)
    assert time.monotonic() - began < 5
    assert outcome.hung and outcome.data is None
    assert "still pickling after 0.3 s" in outcome.error


def test_a_candidate_cannot_swallow_the_timeout_with_except_exception():
    def stubborn(func):
        while True:
            try:
                time.sleep(60)
            except Exception:  # noqa: BLE001  (what a careless detector does)
                continue

    outcome = PicklingGuard(timeout=0.2).dumps("candidate", "spec", stubborn, None)
    assert outcome.hung


def test_output_at_both_levels_is_kept_out_of_ours_and_counted(capfd):
    def noisy(func):
        print("through sys.stdout")
        sys.stderr.write("through sys.stderr\n")
        os.write(1, b"straight to fd 1\n")
        os.write(2, b"straight to fd 2\n")
        return b"pickle"

    guard = PicklingGuard()
    outcome = guard.dumps("candidate", "spec", noisy, None)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert outcome.data == b"pickle"
    expected = len("through sys.stdout\nthrough sys.stderr\nstraight to fd 1\nstraight to fd 2\n")
    assert outcome.printed == expected
    assert "through sys.stdout" in outcome.printed_head
    assert outcome.describe_output().startswith(f"wrote {expected:,} bytes")
    # The next call starts from nothing.
    assert guard.dumps("candidate", "spec", lambda func: b"", None).printed == 0
    print("ours again")
    assert capfd.readouterr().out == "ours again\n"


def test_an_exception_is_an_outcome_not_a_raise():
    outcome = PicklingGuard().dumps("candidate", "spec", lambda func: 1 / 0, None)
    assert outcome.error == "ZeroDivisionError: division by zero" and not outcome.hung


def test_the_worker_file_names_the_pickle_in_flight_only_while_it_runs(tmp_path):
    path = worker_file_path(str(tmp_path), "test")
    guard = PicklingGuard(worker_file=path)
    seen = []

    def look(func):
        seen.append(read_worker_file(path))
        return b""

    with guard.case(CASE):
        guard.dumps("baseline", "legacy", look, None)
    (during,) = seen
    assert during.alive
    assert during.in_flight["role"] == "baseline" and during.in_flight["spec"] == "legacy"
    assert during.in_flight["case"]["source"] == CASE.source
    after = read_worker_file(path)
    assert after.alive and after.in_flight is None
    guard.close()
    assert read_worker_files(str(tmp_path)) == []


DIES_WHILE_PICKLING = """
import ctypes, os, sys
from fuzz.model.case import Case
from fuzz.isolation.pickling_guard import PicklingGuard
guard = PicklingGuard(worker_file=sys.argv[1])
def segv(func):
    ctypes.string_at(0)
def exits(func):
    os._exit(7)
with guard.case(Case((), "def f():\\n    pass\\n", name="the fatal case")):
    guard.dumps("candidate", "detector:x:y", {"segv": segv, "exits": exits}[sys.argv[2]], None)
"""


@pytest.mark.parametrize("how, fault", [("segv", "Segmentation fault"), ("exits", "")])
def test_a_dead_workers_file_tells_which_side_killed_it_on_which_case(tmp_path, how, fault):
    path = worker_file_path(str(tmp_path), "w")
    proc = subprocess.run(
        [sys.executable, "-c", DIES_WHILE_PICKLING, path, how], cwd=REPO, capture_output=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert proc.returncode != 0
    (dead,) = [w for w in read_worker_files(str(tmp_path))]
    assert not dead.alive
    assert dead.in_flight["role"] == "candidate" and dead.in_flight["case"]["name"] == "the fatal case"
    assert fault in dead.fault
    if fault:
        assert "in segv" in dead.fault
    dead.remove()
    assert read_worker_files(str(tmp_path)) == []
