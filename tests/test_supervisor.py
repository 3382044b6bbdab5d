"""Supervised workers: whatever a side does to the process, every item ends with a record, once."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from pathlib import Path

import pytest

from fuzz.model.case import Case
from fuzz.workers.events import Event, JobKind
from fuzz.workers.supervisor import SupervisedJob

REPO = Path(__file__).resolve().parent.parent
HOSTILE = "detector:tests.hostile_detectors:"
PKG = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\n"))
USES_SUB = Case(PKG, "import pkg.sub\ndef f():\n    return pkg.sub.VALUE\n", needed=("pkg.sub",), name="uses sub")
PLAIN = Case((), "def f():\n    return 1\n", name="plain")


@pytest.fixture(autouse=True)
def _importable_tests(monkeypatch):
    # Workers import the tests' detectors by module name, as the gate's would from the project directory.
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("PYTHONPATH", str(REPO))


def run_job(tmp_path: Path, cases: list[Case], candidate: str, baseline: str = "legacy", **job: object):
    settings = {"baseline": baseline, "candidate": candidate, "isolation": "fork", "timeout": 1.5, **job}
    supervised = SupervisedJob("test job", settings, str(tmp_path), deadline=math.inf)
    supervised.add([{"id": f"case-{n}", "case": dataclasses.asdict(case)} for n, case in enumerate(cases)])
    supervised.run()
    assert supervised.finished
    assert not os.listdir(supervised.workers_dir), "a worker file was left behind"
    return supervised


def judged(job: SupervisedJob) -> dict[str, dict]:
    return {e["item"]: e["record"] for e in job.events if e["event"] == "judged"}


@pytest.mark.parametrize("hostile, how", [("exits", "exited with code 3"), ("segv", "SIGSEGV")])
@pytest.mark.slow
def test_a_candidate_that_kills_its_worker_every_time_is_a_crash_on_every_case(tmp_path, hostile, how):
    job = run_job(tmp_path, [USES_SUB, PLAIN], HOSTILE + hostile)
    records = judged(job)
    assert sorted(records) == ["case-0", "case-1"]
    for record in records.values():
        assert record["kind"] == "crash", record["reason"]
        assert how in record["candidate"]["outcome"] and "twice" in record["reason"]


@pytest.mark.slow
def test_a_candidate_deaf_to_the_timer_is_killed_and_blamed(tmp_path):
    job = run_job(tmp_path, [PLAIN], HOSTILE + "deaf")
    (record,) = judged(job).values()
    assert record["kind"] == "crash"
    assert "hung for" in record["candidate"]["outcome"] and "killed" in record["candidate"]["outcome"]


DIES_ON_IMPORT = Case((), "import os\nos._exit(5)\ndef f():\n    return 1\n", name="dies on import")


@pytest.mark.parametrize(
    "first, candidate, why",
    [
        # A candidate that kills its worker once: the rerun does not die, so no side is blamed.
        (
            USES_SUB,
            "detector:tests.hazard_detectors:kill_worker_once",
            ("exited with code 3 while pickling", "it did not die, and gave match"),
        ),
        # The case's own module kills the worker, outside any pickling: reported, not blamed on a side.
        (DIES_ON_IMPORT, "legacy", ("exited with code 5 outside any side's pickling, twice", "the case itself")),
    ],
)
def test_a_death_no_side_is_to_blame_for_leaves_that_case_unjudged_and_only_that_case(
    tmp_path, monkeypatch, first, candidate, why
):
    monkeypatch.setenv("FUZZ_KILL_MARKER", str(tmp_path / "killed-once"))
    records = judged(run_job(tmp_path, [first, PLAIN], candidate))
    assert records["case-0"]["kind"] == "unjudged"
    for words in why:
        assert words in records["case-0"]["reason"]
    assert records["case-1"]["kind"] == "match"


def test_a_baseline_that_kills_its_worker_leaves_the_case_unjudged(tmp_path):
    job = run_job(tmp_path, [PLAIN], "legacy", baseline=HOSTILE + "exits")
    (record,) = judged(job).values()
    assert record["kind"] == "unjudged"
    assert "the baseline fails" in record["reason"]


def test_bad_sides_are_reported_as_such(tmp_path):
    job = run_job(tmp_path, [PLAIN], "detector:no_such_module_anywhere:f")
    assert job.bad_sides is not None and "no_such_module_anywhere" in job.bad_sides
    assert judged(job) == {}


@pytest.mark.slow
def test_items_left_at_the_deadline_are_listed_as_problems(tmp_path):
    settings = {"baseline": "legacy", "candidate": HOSTILE + "sleeps", "isolation": "fork", "timeout": 1.0}
    job = SupervisedJob("slow job", settings, str(tmp_path), deadline=time.time() + 3)
    job.add([{"id": f"case-{n}", "case": dataclasses.asdict(PLAIN)} for n in range(10)])
    job.run()
    (problem,) = job.problems
    assert "items not judged: the budget ran out" in problem
    assert all(r["kind"] == "crash" for r in judged(job).values())


def test_every_event_a_worker_writes_is_one_of_the_fixed_set_and_reads_back_as_its_text(tmp_path):
    job = run_job(tmp_path, [USES_SUB, PLAIN], "legacy")
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    written = [json.loads(line)["event"] for line in lines]
    assert [Event(name) for name in written] == ["ready", "judged", "judged"]
    assert {e["event"] for e in job.events} == {Event.JUDGED}


def test_a_job_names_its_kind_or_judges():
    assert JobKind.of({}) is JobKind.JUDGE
    assert JobKind.of({"kind": "shrink"}) is JobKind.SHRINK
    with pytest.raises(ValueError):
        JobKind.of({"kind": "no such kind"})


class _Listening:
    """A stand-in for the worker's watcher that counts the signs of life it hears."""

    def __init__(self) -> None:
        self.heard = 0

    def heard_from(self) -> None:
        self.heard += 1


def test_shrinking_heartbeats_are_heard_but_not_kept(tmp_path):
    supervised = SupervisedJob("heartbeats", {}, str(tmp_path), deadline=math.inf)
    lines = [{"event": Event.SHRINKING}] * 50 + [{"event": Event.SLOWNESS, "rows": [], "examples": 3}]
    (tmp_path / "worker.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    watcher = _Listening()
    supervised._read_events(watcher)  # type: ignore[arg-type]
    assert supervised.events == [{"event": "slowness", "rows": [], "examples": 3}]
    assert watcher.heard == 51
