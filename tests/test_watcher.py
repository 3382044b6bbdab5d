"""The watcher of worker processes: stuck pickles, silent or slow helpers, and how each one died."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from fuzz.isolation.pickling_guard import read_worker_files
from fuzz.workers import watcher as watcher_module
from fuzz.workers.watcher import Death, Limits, Watcher

REPO = Path(__file__).resolve().parent.parent

#: A worker that announces a pickle through a real guard, then blocks the guard's timer and sleeps in it.
STUCK_IN_A_PICKLE = """
import dataclasses, signal, sys, time
from fuzz.isolation.pickling_guard import PicklingGuard, worker_file_path
@dataclasses.dataclass
class Named:
    name: str
guard = PicklingGuard(timeout=0.1, worker_file=worker_file_path(sys.argv[1]))
def deaf(func):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(600)
with guard.case(Named("the stuck case")):
    guard.dumps("candidate", "detector:x:y", deaf, None)
"""


def watch(tmp_path: Path, source: str, limits: Limits) -> Watcher:
    workers = tmp_path / "workers"
    workers.mkdir(exist_ok=True)
    command = [sys.executable, "-c", source, str(workers)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return Watcher.start(command, str(tmp_path / "helper.log"), env, str(workers), limits)


def check_until_it_ends(watcher: Watcher, seconds: float = 30.0) -> float:
    """Check the watcher until its helper exits; how long that took."""
    started = time.monotonic()
    while watcher.running:
        assert time.monotonic() - started < seconds, "the watcher never ended its helper"
        watcher.check()
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture
def no_slack(monkeypatch):
    monkeypatch.setattr(watcher_module, "SLACK", 0.0)


def test_a_pickle_stuck_past_its_timer_kills_its_worker_and_is_put_on_its_side(tmp_path, no_slack):
    watcher = watch(tmp_path, STUCK_IN_A_PICKLE, Limits(pickle=0.5))
    check_until_it_ends(watcher)
    death = watcher.ended()
    assert death is not None
    assert death.how.startswith("hung for ") and death.how.endswith(" s and was killed")
    assert (death.role, death.spec) == ("candidate", "detector:x:y")
    assert death.case is not None and death.case["name"] == "the stuck case"
    assert watcher.why_killed(watcher.proc.pid) == death.how
    assert read_worker_files(watcher.workers_dir) == [], "a dead worker's file was left behind"


def test_a_pickle_within_its_bound_is_left_alone(tmp_path):
    watcher = watch(tmp_path, STUCK_IN_A_PICKLE, Limits(pickle=60.0))
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            watcher.check()
            time.sleep(0.05)
        assert watcher.running and watcher.killed_for is None
        (worker,) = read_worker_files(watcher.workers_dir)
        assert worker.alive and worker.in_flight is not None
    finally:
        watcher.stop(grace=0.5)


def test_a_helper_that_never_gets_ready_is_stopped_with_its_group(tmp_path):
    watcher = watch(tmp_path, "import time\ntime.sleep(600)\n", Limits(pickle=60.0, startup=1.0))
    assert check_until_it_ends(watcher) < 10
    death = watcher.ended()
    assert death is not None and death.how == "did not build its sides within 1 s"
    assert death.role is None and "outside any side's pickling" in death.describe()


def test_signs_of_life_keep_a_ready_helper_going_and_silence_stops_it(tmp_path):
    watcher = watch(tmp_path, "import time\ntime.sleep(600)\n", Limits(pickle=60.0, startup=1.0, silence=1.0))
    watcher.ready()
    beating_until = time.monotonic() + 3.0
    while time.monotonic() < beating_until:
        watcher.heard_from()  # what every event read from the helper does, its heartbeats included
        watcher.check()
        time.sleep(0.05)
    assert watcher.running, "a helper giving signs of life was stopped"
    assert 1.0 <= check_until_it_ends(watcher) < 10
    death = watcher.ended()
    assert death is not None and death.how == "made no progress for 1 s and was killed"


@pytest.mark.parametrize("code, how", [(0, None), (3, "exited with code 3")])
def test_an_exit_is_a_death_unless_it_is_clean(tmp_path, code, how):
    watcher = watch(tmp_path, f"import sys\nsys.exit({code})\n", Limits(pickle=60.0))
    check_until_it_ends(watcher)
    death = watcher.ended()
    assert (death.how if death is not None else None) == how


def test_a_dead_workers_file_says_what_it_was_pickling_when_it_died(tmp_path):
    dies = STUCK_IN_A_PICKLE.replace("time.sleep(600)", "import os; os._exit(9)")
    watcher = watch(tmp_path, dies, Limits(pickle=60.0))
    check_until_it_ends(watcher)
    death = watcher.ended()
    assert death is not None and death.how == "exited with code 9"
    assert death.role == "candidate" and death.case is not None and death.case["name"] == "the stuck case"
    assert read_worker_files(watcher.workers_dir) == []


def test_deaths_compare_by_side_and_by_how():
    segv = Death("was killed by SIGSEGV", "candidate")
    assert segv.same_as(Death("was killed by SIGSEGV", "candidate"))
    assert not segv.same_as(Death("exited with code 3", "candidate"))
    assert not segv.same_as(Death("was killed by SIGSEGV", "baseline"))
    # pytest-xdist could not say how the first one died: it matches any way.
    assert Death("died (how, pytest-xdist could not tell)", "candidate").same_as(segv)
