"""``python -m fuzz campaign``: stopped with Ctrl-C, restarted, it replays what the first run found first."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz.gate.example_database import entries
from tests.test_isolation import ctrl_c_enabled

REPO = Path(__file__).resolve().parent.parent


def campaign_command(tmp_path: Path, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "fuzz", "campaign", "--workers", "2", "--corpus", str(tmp_path / "empty"),
        "--findings", str(tmp_path / "findings"), "--database", str(tmp_path / "db"),
        "--markdown", str(tmp_path / "campaign.md"), "--json", str(tmp_path / "campaign.json"), *args,
    ]  # fmt: skip


@pytest.mark.slow
def test_a_restarted_campaign_replays_the_first_runs_database_entries_first(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.Popen(
        campaign_command(tmp_path, "--report-every", "120"),
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=ctrl_c_enabled,
    )  # fmt: skip
    try:
        # Legacy against proposed fails within seconds: wait for findings (saved to the corpus at once;
        # the database gets one per group when the round ends, here by Ctrl-C).
        deadline = time.time() + 90
        findings = tmp_path / "findings"
        while time.time() < deadline and len(os.listdir(findings) if findings.is_dir() else ()) < 6:
            assert first.poll() is None, first.communicate()
            time.sleep(0.5)
        first.send_signal(signal.SIGINT)
        out, err = first.communicate(timeout=60)
    finally:
        first.kill()
    assert first.returncode == 130, out + err
    saved = set(entries(str(tmp_path / "db")))
    assert len(saved) >= 2
    # Stopped, the campaign still wrote its report, with what it had judged.
    report = json.loads((tmp_path / "campaign.json").read_text())
    assert report["interrupted"] and report["cases"] > 0 and report["findings"]
    first_findings = {json.dumps(f["cause"]["key"]) for f in report["findings"]}

    # Another seed: only the database can bring the first run's cases back.
    second = subprocess.run(
        campaign_command(tmp_path, "--budget", "25", "--report-every", "25", "--seed", "9"),
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert second.returncode == 1, second.stdout + second.stderr
    report = json.loads((tmp_path / "campaign.json").read_text())
    database = report["database"]
    assert database["entries_at_start"] == len(saved)
    # Every entry was replayed, in every shard before any newly generated case.
    assert database["replayed"] == len(saved)
    assert database["replayed_first"] is True
    # Most still fail. One may not: a case's verdict can hang on what the pickling process held (modules an
    # earlier case imported), which its choices do not carry; judged again and passing, it is deleted.
    kept = saved & set(entries(str(tmp_path / "db")))
    assert 1 <= database["still_failing"] <= len(kept)
    # The report marks root causes the first run's report did not have; those it had are not new. The
    # first run, stopped, reported its findings unshrunk, and shrinking may change a root cause's key: one the
    # database replayed was found by the first run all the same (and at least one replayed entry still fails).
    old = [f for f in report["findings"] if json.dumps(f["cause"]["key"]) in first_findings or f["replayed"]]
    assert old and not any(f["new"] for f in old)
    assert all(f["new"] for f in report["findings"] if f not in old)
    assert "Example database" in (tmp_path / "campaign.md").read_text()


def test_the_database_keeps_one_entry_per_group_until_it_no_longer_fails(tmp_path):
    import base64

    from fuzz.gate.example_database import FindingsDatabase, KeptFindings, ShardSlice, open_databases

    def choices(n: int) -> str:
        return base64.b64encode(bytes([n]) * 4).decode()

    def line(n: int, kind: str, pattern: str, size: int, **extra) -> dict:
        side = {"behaviour": "raised"}
        return {"kind": kind, "patterns": [pattern], "baseline": side, "candidate": side, "size": size,
                "choices": choices(n), **extra}  # fmt: skip

    db_path = str(tmp_path / "db")
    kept = KeptFindings(db_path)
    # Two groups: the smaller case of the first is kept; a non-failing verdict is never saved.
    round_one = [line(1, "regression", "closure", 50), line(2, "regression", "closure", 20),
                 line(3, "crash", "getattr", 30), line(4, "match", "closure", 10)]  # fmt: skip
    assert kept.keep(round_one, ("regression", "crash")) == 2
    assert set(entries(db_path)) == {bytes([2]) * 4, bytes([3]) * 4}
    # A later round's finding of a known group adds nothing.
    assert kept.keep([line(5, "regression", "closure", 5)], ("regression", "crash")) == 0

    # The next run replays both; the fixed one is deleted, the failing one stands for its group.
    shard = FindingsDatabase.for_shard(db_path, [], 0, 1, replay=True)
    assert shard.after_verdict(choices(1), failing=False, judged=True) == (False, False)  # not replayed
    assert shard.after_verdict(choices(3), failing=False, judged=False) == (True, False)  # unjudged: kept
    assert shard.after_verdict(choices(3), failing=False, judged=True) == (True, True)  # fixed: deleted
    assert shard.after_verdict(choices(2), failing=True, judged=True) == (True, False)
    assert set(entries(db_path)) == {bytes([2]) * 4}
    restarted = KeptFindings(db_path)
    assert restarted.keep([line(2, "regression", "closure", 20, replayed=True), line(6, "regression", "closure", 8)],
                          ("regression", "crash")) == 0  # fmt: skip

    # Shards of a shared database replay disjoint slices that cover every entry.
    own, _ = open_databases(str(tmp_path / "shared"))
    assert own is not None
    for n in range(40):
        own.save(b"cloudpickle-submodule-fuzz.campaign.cases", bytes([n]) * 3)
    slices = [set(ShardSlice(own, i, 3).fetch(b"cloudpickle-submodule-fuzz.campaign.cases")) for i in range(3)]
    assert sum(map(len, slices)) == 40 and len(set().union(*slices)) == 40

    # A read-only database is replayed, never written.
    readonly = FindingsDatabase.for_shard(None, [str(tmp_path / "shared")], 0, 1, replay=True)
    assert len(readonly.replayed) == 40
    assert readonly.after_verdict(base64.b64encode(bytes([5]) * 3).decode(), failing=False, judged=True) == (True, True)
    assert len(entries(str(tmp_path / "shared"))) == 40
