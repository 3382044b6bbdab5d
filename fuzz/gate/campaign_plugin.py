"""pytest plugin for the gate's campaign: where workers record instead of fail.

``python -m fuzz gate`` runs :mod:`fuzz.gate.campaign` under pytest-xdist with this
plugin and :mod:`fuzz.pytest_plugin`. Each test is one *shard*: a seeded
Hypothesis run that judges cases until its share of examples or the wall-clock
deadline is used up, streaming every verdict to its own results file and
saving failures to the corpus first. The controller notes workers that die.

A worker that dies loses the rest of its shard; pytest-xdist starts a new
worker in its place, and *reserve* shards (``--campaign-reserve``, seeded
past the others) give it work, so one death costs a worker's start-up, not
its share of the budget. Without a death, reserve shards start once the
others are done and stop at once if the deadline has passed. Each worker
asks to die with the controller, which dies with the gate: no worker goes
on fuzzing after either has gone.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from fuzz.case import Case
from fuzz.corpus.format import CorpusEntry, CorpusFormatError, digest_in_name, short_hash
from fuzz.corpus.store import save
from fuzz.isolation.process_tree import die_with_parent
from fuzz.records import ResultsWriter, group_keys, record
from fuzz.verdict import Verdict

#: Distance between the shard seeds of consecutive ``--seed`` values (a prime, above any shard count).
SEED_STRIDE = 7919


class BudgetExhausted(Exception):
    """Raised inside a property once the deadline has passed, to stop it at once."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fuzz-campaign", "gate campaign (used by python -m fuzz gate)")
    group.addoption("--campaign-results", metavar="DIR", help="directory for per-shard result files")
    group.addoption("--campaign-deadline", type=float, default=0.0, help="wall-clock deadline (epoch seconds)")
    group.addoption("--campaign-seed", type=int, default=0)
    group.addoption("--campaign-shards", type=int, default=1)
    group.addoption("--campaign-reserve", type=int, default=0, help="shards run only when others end early")
    group.addoption("--campaign-examples", type=int, default=0, help="stateless examples in all (0: until deadline)")
    group.addoption("--campaign-corpus", metavar="DIR", default=None, help="save failures here")
    group.addoption("--campaign-failing", default="regression,crash", help="verdicts saved to the corpus")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "shard" in metafunc.fixturenames:
        config = metafunc.config
        shards = max(1, config.getoption("--campaign-shards")) + config.getoption("--campaign-reserve")
        metafunc.parametrize("shard", range(shards))


@dataclass
class Campaign:
    """One shard's view of the run: its deadline, budget, seed and sinks."""

    deadline: float
    examples: int
    seed: int
    writer: ResultsWriter
    corpus: str | None
    failing: tuple[str, ...]
    _smallest: dict = field(default_factory=dict)
    #: The first error saving to the corpus, after which this shard stops trying (findings stay in the records).
    corpus_error: str | None = None

    def check_budget(self) -> None:
        if self.deadline and time.time() >= self.deadline:
            raise BudgetExhausted

    def judge(
        self, case: Case, verdict: Verdict, elapsed: float = 0.0, source: str = "campaign", choices: str | None = None
    ) -> None:
        """Save a failure to the corpus, then record the verdict; stop when time is up.

        A shard saves the first failure of each group (same access pattern,
        same behaviour on both sides) and any later, smaller one: one bug
        found ten thousand times is not ten thousand corpus files.
        """
        line = record(case, verdict, source, elapsed)
        if choices is not None and verdict.kind in self.failing:
            line["choices"] = choices
        path, created = None, False
        if self.corpus and verdict.kind in self.failing:
            keys, size = group_keys(line), line["size"]
            if any(key not in self._smallest or size < self._smallest[key] for key in keys):
                for key in keys:
                    self._smallest[key] = min(size, self._smallest.get(key, size))
                entry = CorpusEntry.from_verdict(case, verdict)
                try:
                    created = not _in_corpus(self.corpus, entry.case)
                    path = save(entry, self.corpus)
                except (OSError, CorpusFormatError) as exc:
                    self.corpus_error = line["corpus_error"] = f"{type(exc).__name__}: {exc}"
                    self.corpus = None
                else:
                    line["corpus"], line["corpus_created"] = path, created
        self.writer.write(line, urgent=path is not None or "corpus_error" in line)
        self.check_budget()


def _in_corpus(directory: str, case: Case) -> bool:
    """Whether the corpus already holds this case (then the gate must never delete it)."""
    if not os.path.isdir(directory):
        return False
    digest = short_hash(case)
    return any(digest_in_name(name) == digest for name in os.listdir(directory))


@pytest.fixture
def campaign(pytestconfig: pytest.Config, shard: int) -> Iterator[Campaign]:
    directory = pytestconfig.getoption("--campaign-results")
    if not directory:
        pytest.skip("run by python -m fuzz gate (needs --campaign-results)")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    shards = max(1, pytestconfig.getoption("--campaign-shards")) + pytestconfig.getoption("--campaign-reserve")
    total = pytestconfig.getoption("--campaign-examples")
    writer = ResultsWriter(os.path.join(directory, f"shard{shard}-{worker}.jsonl"))
    failing = tuple(k for k in pytestconfig.getoption("--campaign-failing").split(",") if k)
    try:
        yield Campaign(
            deadline=pytestconfig.getoption("--campaign-deadline"),
            examples=(total // shards + (shard < total % shards)) if total else 0,
            # Seeds of different --seed values never meet while a run has fewer than this many shards.
            seed=pytestconfig.getoption("--campaign-seed") * SEED_STRIDE + shard,
            writer=writer,
            corpus=pytestconfig.getoption("--campaign-corpus"),
            failing=failing,
        )
    finally:
        writer.close()


class _WorkerWatch:
    """Controller-side: a worker that dies is written down, and the run goes on."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, "worker-events.log")

    def _note(self, event: dict) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({**event, "time": time.time()}) + "\n")

    def pytest_handlecrashitem(self, crashitem: str, report: object, sched: object) -> None:
        self._note({"event": "worker-crash", "item": crashitem})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # A shard that failed with an error (not a crashed worker, reported with when="???") lost its cases.
        if report.failed and report.when in ("setup", "call", "teardown"):
            self._note({"event": "shard-failed", "item": report.nodeid, "error": str(report.longrepr)[-1500:]})

    def pytest_testnodedown(self, node: object, error: object) -> None:
        if error:
            pid, code = _exit_of(node)
            self._note(
                {
                    "event": "worker-down",
                    "worker": getattr(getattr(node, "gateway", None), "id", None),
                    "error": str(error)[:500],
                    "pid": pid,
                    "returncode": code,
                }
            )


def _exit_of(node: object) -> tuple[int | None, int | None]:
    """The dead worker's pid and exit status, read from execnet's process handle when it has one."""
    popen = getattr(getattr(getattr(node, "gateway", None), "_io", None), "popen", None)
    if popen is None:
        return None, None
    try:
        return popen.pid, popen.wait(timeout=2)
    except Exception:  # noqa: BLE001  (only a better message is at stake)
        return getattr(popen, "pid", None), None


def pytest_configure(config: pytest.Config) -> None:
    directory = config.getoption("--campaign-results")
    if not directory:
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):
        die_with_parent()  # the controller is the parent
    elif config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkerWatch(directory), "fuzz-worker-watch")
