"""pytest plugin for the gate's campaign: where workers record instead of fail.

``python -m fuzz gate`` runs :mod:`fuzz.gate.campaign` under pytest-xdist with this
plugin, telling it everything in one typed value, :class:`CampaignOptions`
(``--campaign-options=JSON``). Each test is one *shard*: a seeded
Hypothesis run that judges cases until its share of examples or the wall-clock
deadline is used up, streaming every verdict to its own results file and
saving failures to the corpus first. The controller notes workers that die.

A worker that dies loses the rest of its shard; pytest-xdist starts a new
worker in its place, and *reserve* shards (:attr:`CampaignOptions.reserve`,
seeded past the others) give it work, so one death costs a worker's start-up, not
its share of the budget. Without a death, reserve shards start once the
others are done and stop at once if the deadline has passed. Each local
worker asks to die with the controller, which dies with the gate: no worker
goes on fuzzing after either has gone.

Shards are numbered across machines: with ``--shard K/N`` this run's shard
``i`` is the global shard ``K-1 + N*i`` (:func:`global_shard`), and its seed
follows from that number and the round of a long campaign
(:func:`shard_seed`), so N machines search disjoint, reproducible parts.

Workers on other machines (pytest-xdist gateways such as ``--tx
socket=HOST:PORT``) cannot write to this machine's files: they keep their
records and send them with their shard's test report, and the controller
writes them here and saves the failures to the corpus
(:class:`_RemoteRecords`). They are not watched from outside: a pickle the
guard's timer cannot stop, or a death, costs them their shard, and the gate
counts that against a pass.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, cast

import pytest

from fuzz.corpus.format import CorpusEntry, from_text, to_text
from fuzz.corpus.store import save_noted
from fuzz.isolation.pool import Isolation
from fuzz.isolation.process_tree import become_subreaper, die_with_parent, kill_descendants
from fuzz.model.case import Case
from fuzz.model.records import CaseRecord, ResultsWriter, group_keys, record
from fuzz.model.verdict import UNJUDGED, Verdict
from fuzz.oracle.sides import Side
from fuzz.pytest_plugin import check_side, guarded_sides
from fuzz.workers.events import CampaignWorkerEvent

if TYPE_CHECKING:
    from fuzz.gate.example_database import FindingsDatabase

#: Distance between the shard seeds of consecutive ``--seed`` values (a prime, above any shard count).
SEED_STRIDE = 7919
#: Seconds between two looks at a moved deadline (:meth:`Campaign.current_deadline`).
DEADLINE_LOOK_S = 0.2
#: The user property a remote worker's shard sends its records in.
RECORDS_PROPERTY = "fuzz-campaign-records"
#: The one option the campaign's pytest is given (:class:`CampaignOptions`, as JSON).
OPTION = "--campaign-options"
#: The xdist worker input that says whether a worker shares the controller's machine (a ``popen`` gateway).
LOCAL_WORKER = "fuzz_local"


def is_local_worker(config: pytest.Config) -> bool:
    """Whether this process runs on the controller's machine: not an xdist worker, or a local one."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput is None or bool(workerinput.get(LOCAL_WORKER, True))


def global_shard(local: int, shard_of: tuple[int, int]) -> int:
    """This run's shard ``local`` as numbered across the ``N`` runs of ``--shard K/N``."""
    k, n = shard_of
    return k - 1 + n * local


def shard_seed(seed: int, shard: int, round_: int = 0) -> int:
    """The Hypothesis seed of a (global) shard; round 0 keeps the gate's historical seeds."""
    if round_ == 0:
        return seed * SEED_STRIDE + shard
    digest = hashlib.sha256(f"{seed}:{shard}:{round_}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class BudgetExhausted(Exception):
    """Raised inside a property once the deadline has passed, to stop it at once."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fuzz-campaign", "gate campaign (used by python -m fuzz gate)")
    group.addoption(
        OPTION, metavar="JSON", default=None, help="the campaign's settings, as CampaignOptions.to_json writes them"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "shard" in metafunc.fixturenames:
        options = metafunc.config.stash.get(OPTIONS, None)
        shards, reserve = (options.shards, options.reserve) if options is not None else (1, 0)
        metafunc.parametrize("shard", running_order(shards, reserve))


def running_order(shards: int, reserve: int) -> list[int]:
    """Shards in collection order, each worker's first shard a main one and its reserve after it.

    pytest-xdist's load scheduling hands each worker two consecutive items to
    start with: in plain order, the first worker would get shards 0 and 1 and
    shard 1 would wait for shard 0 to end, while a reserve shard ran
    elsewhere. Interleaved (0, W, 1, W+1, ...), every main shard starts at once.
    """
    order: list[int] = []
    for main in range(shards):
        order.append(main)
        if main < reserve:
            order.append(shards + main)
    return order + list(range(shards + min(shards, reserve), shards + reserve))


@dataclass
class FirstOfGroup:
    """Which failures are worth keeping: the first of each group, and any smaller one later.

    One bug found ten thousand times is not ten thousand corpus files. A group is an access pattern with each side's
    behaviour (:func:`fuzz.model.records.group_keys`).
    """

    _smallest: dict = field(default_factory=dict)

    def keep(self, line: CaseRecord) -> bool:
        keys, size = group_keys(line), line["size"]
        if not any(key not in self._smallest or size < self._smallest[key] for key in keys):
            return False
        for key in keys:
            self._smallest[key] = min(size, self._smallest.get(key, size))
        return True


def write_deadline(path: str, when: float) -> None:
    """Move the deadline of the shards that read ``path`` to ``when`` (:meth:`Campaign.current_deadline`).

    Written beside, then renamed: a shard never reads half a number.
    """
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(repr(when))
    os.replace(partial, path)


@dataclass
class Campaign:
    """One shard's view of the run: its deadline, budget, seed and sinks."""

    deadline: float
    examples: int
    seed: int
    #: Where records go; ``None`` on a remote worker, which keeps them in :attr:`kept` for its report.
    writer: ResultsWriter | None
    corpus: str | None
    failing: tuple[str, ...]
    #: The Hypothesis database findings are kept in (``None``: none).
    database: FindingsDatabase | None = None
    #: The global number of this shard (see :func:`global_shard`).
    shard: int = 0
    #: What the generated cases are made of (:data:`strategies.INPUTS`).
    inputs: str = "all"
    kept: list[CaseRecord] = field(default_factory=list)
    #: A file the controller rewrites to move the deadline (local workers; see :meth:`current_deadline`).
    deadline_file: str | None = None
    _deadline_seen: float = 0.0
    _deadline_looked: float = -math.inf
    _corpus_worthy: FirstOfGroup = field(default_factory=FirstOfGroup)

    def current_deadline(self) -> float:
        """The deadline, as the controller last moved it: the search ends when the budget's other uses need it.

        Asked for each case, it looks at the file at most every
        :data:`DEADLINE_LOOK_S` (a move is seen that much later, well within
        the overrun the controller allows), and reads it only when it changed.
        """
        now = time.monotonic()
        if self.deadline_file and now - self._deadline_looked >= DEADLINE_LOOK_S:
            self._deadline_looked = now
            try:
                changed = os.stat(self.deadline_file).st_mtime
                if changed != self._deadline_seen:
                    with open(self.deadline_file, encoding="utf-8") as handle:
                        self.deadline = float(handle.read())
                    self._deadline_seen = changed
            except (OSError, ValueError):
                pass  # not written yet, or being replaced: the last deadline stands
        return self.deadline

    def check_budget(self) -> None:
        deadline = self.current_deadline()
        if deadline and time.time() >= deadline:
            raise BudgetExhausted

    def judge(
        self, case: Case, verdict: Verdict, elapsed: float = 0.0, source: str = "campaign", choices: str | None = None
    ) -> None:
        """Save a failure to the corpus, forget a replayed entry that no longer fails, record; stop when time is up."""
        line = record(case, verdict, source, elapsed)
        line["t"] = round(time.time(), 3)
        failing = verdict.kind in self.failing
        if choices is not None and failing:
            line["choices"] = choices
        line["shard"] = self.shard
        if self.database is not None:
            replayed, fixed = self.database.after_verdict(choices, failing, verdict.kind != UNJUDGED)
            if replayed:
                line["replayed"] = True
            if fixed and self.writer is None and choices is not None:
                line["database_delete"] = choices  # for the controller to do (_RemoteRecords)
        urgent = False
        if failing and (self.corpus or self.writer is None) and self._corpus_worthy.keep(line):
            entry = CorpusEntry.from_verdict(case, verdict)
            if self.writer is None:
                # A remote worker: the controller saves it on its own machine (_RemoteRecords).
                line["corpus_entry"] = to_text(entry)
            elif self.corpus:
                if save_noted(entry, self.corpus, line):
                    # The record carries the error to the gate's report; this shard stops trying.
                    self.corpus = None
                urgent = True
        if self.writer is None:
            self.kept.append(line)
        else:
            self.writer.write(line, urgent=urgent)
        self.check_budget()


@dataclass(frozen=True)
class CampaignOptions:
    """Everything the campaign's pytest is told: built by :mod:`fuzz.gate.campaign_runner`, read once here.

    One value rather than an option per setting, so the settings are listed
    once, here, and the runner and this plugin cannot disagree on a name. It
    travels as one ``--campaign-options=JSON`` token (:meth:`to_json`,
    :meth:`from_json`): inline rather than in a file, because a gateway on
    another machine gets the controller's arguments but none of its files,
    and one token that names no existing path, which pytest-xdist hands to
    every worker as it is. Paths in it are the controller's: a worker on
    another machine uses only those it can see at the same path.
    """

    #: Side specs (:mod:`fuzz.oracle.sides`), how fresh interpreters are made, and a child's (and a pickle's) bound.
    baseline: str
    candidate: str
    isolation: str
    timeout: float
    #: Directory for per-shard result files (the gate's scratch directory for its campaign).
    results: str
    #: Where each local worker announces what its sides pickle (:mod:`fuzz.isolation.pickling_guard`).
    worker_dir: str | None
    #: Wall-clock deadline (``time.time()``), and a file whose number, when there, replaces it (local workers).
    deadline: float
    deadline_file: str | None
    seed: int
    #: The round of a long campaign (each round searches with new seeds).
    round: int
    #: Shards that always run, and reserve shards for workers that replace dead ones.
    shards: int
    reserve: int
    #: Generated cases in all (0: until the deadline).
    examples: int
    #: ``(K, N)``: this run is part K of N (disjoint seeds; see :func:`global_shard`).
    shard_of: tuple[int, int]
    #: Where failures are saved (the run's findings directory), and the verdicts that are failures.
    corpus: str | None
    failing: tuple[str, ...]
    #: The Hypothesis database findings are kept in, read-only ones to replay, and whether to replay first.
    database: str | None
    replay_from: tuple[str, ...]
    replay: bool
    #: What the generated cases are made of (:data:`strategies.INPUTS`).
    inputs: str

    def to_json(self) -> str:
        """One line of JSON: every field by name, tuples as lists (:meth:`from_json` reads it back)."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CampaignOptions:
        """The options :meth:`to_json` wrote; :class:`ValueError` saying what is wrong with any other text."""
        try:
            given = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"not JSON ({exc})") from None
        if not isinstance(given, dict):
            raise ValueError(f"expected a JSON object of the campaign's options, got {type(given).__name__}")
        kinds = {f.name: str(f.type) for f in fields(cls)}
        names = (("unknown", sorted(given.keys() - kinds.keys())), ("missing", sorted(kinds.keys() - given.keys())))
        if any(listed for _, listed in names):
            raise ValueError("; ".join(f"{what} options {listed}" for what, listed in names if listed))
        wrong = [f"{name} ({kind}): {given[name]!r}" for name, kind in kinds.items() if not _fits(given[name], kind)]
        if wrong:
            raise ValueError("wrong type: " + "; ".join(wrong))
        values: dict[str, Any] = {name: tuple(v) if isinstance(v, list) else v for name, v in given.items()}
        return cls(**values)

    def examples_of(self, shard: int) -> int:
        """The share of :attr:`examples` a local shard judges (0: until the deadline)."""
        every = self.shards + self.reserve
        return (self.examples // every + (shard < self.examples % every)) if self.examples else 0


#: JSON values of each plain annotation :class:`CampaignOptions` uses (a bool is no number there).
_JSON_KINDS: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "None": (type(None),)
}  # fmt: skip


def _fits(value: object, annotation: str) -> bool:
    """Whether a JSON value is one of ``annotation`` (``str | None``, ``tuple[int, int]``, ``tuple[str, ...]``...)."""
    for kind in annotation.split(" | "):
        if kind.startswith("tuple[") and isinstance(value, list):
            items = kind[len("tuple[") : -1].split(", ")
            if items[-1] == "...":
                items = items[:1] * len(value)
            if len(items) == len(value) and all(map(_fits, value, items)):
                return True
        elif isinstance(value, _JSON_KINDS.get(kind, ())) and (kind == "bool" or not isinstance(value, bool)):
            return True
    return False


#: Where :func:`pytest_configure` keeps the options it read, for the fixtures and the shards' parametrization.
OPTIONS = pytest.StashKey[CampaignOptions]()


def campaign_options(config: pytest.Config) -> CampaignOptions:
    """This run's options; outside a gate's campaign (no ``--campaign-options``), the test is skipped."""
    options = config.stash.get(OPTIONS, None)
    if options is None:
        pytest.skip(f"run by python -m fuzz gate (needs {OPTION})")
    return options


@pytest.fixture(scope="session")
def campaign_sides(pytestconfig: pytest.Config) -> Iterator[tuple[Side, Side]]:
    """(baseline, candidate), built once per worker; a local worker announces their pickles in flight."""
    options = campaign_options(pytestconfig)
    worker_dir = options.worker_dir if is_local_worker(pytestconfig) else None
    with guarded_sides(options.baseline, options.candidate, options.timeout, worker_dir) as sides:
        yield sides


@pytest.fixture(scope="session")
def campaign_isolation(pytestconfig: pytest.Config) -> Iterator[Isolation]:
    options = campaign_options(pytestconfig)
    with Isolation(options.isolation, timeout=options.timeout) as isolation:
        yield isolation


@pytest.fixture
def campaign(pytestconfig: pytest.Config, shard: int, request: pytest.FixtureRequest) -> Iterator[Campaign]:
    options = campaign_options(pytestconfig)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    index = global_shard(shard, options.shard_of)
    local = is_local_worker(pytestconfig)
    writer = ResultsWriter(os.path.join(options.results, f"shard{shard}-{worker}.jsonl")) if local else None
    database = None
    writable, read_only = options.database, list(options.replay_from)
    if not local:
        # Another machine: the controller writes; this worker replays what it can see at the same path.
        read_only = [p for p in (writable, *read_only) if p and os.path.isdir(p)]
        writable = None
    if writable or read_only:
        from fuzz.gate.example_database import FindingsDatabase

        # Reserve shards replay nothing: each entry belongs to one of the shards that always run.
        database = FindingsDatabase.for_shard(
            writable, read_only, index, options.shards * options.shard_of[1],
            replay=options.replay and shard < options.shards,
        )  # fmt: skip
    one = Campaign(
        deadline=options.deadline,
        examples=options.examples_of(shard),
        # Seeds of different --seed values never meet while a run has fewer than SEED_STRIDE shards.
        seed=shard_seed(options.seed, index, options.round),
        writer=writer,
        corpus=options.corpus if local else None,
        failing=options.failing,
        database=database,
        shard=index,
        inputs=options.inputs,
        deadline_file=options.deadline_file if local else None,
    )
    try:
        yield one
    finally:
        if writer is not None:
            writer.close()
        else:
            # As JSON text: execnet sends only plain types, and the records hold str enums.
            request.node.user_properties.append((RECORDS_PROPERTY, "".join(json.dumps(r) + "\n" for r in one.kept)))


class _RemoteRecords:
    """Controller-side: what remote workers' shards sent with their reports, written and saved here."""

    def __init__(self, directory: str, corpus: str | None, database: str | None) -> None:
        self.directory, self.corpus = directory, corpus
        #: Deletes one entry (its choices as text) from the campaign's database; ``None``: no database.
        self.forget: Callable[[str], None] | None = None
        if database:
            # Here, not at the top: the controller imports Hypothesis only when it has a database to write,
            # so starting the workers (the run's first verdict) does not wait for that import.
            from hypothesis.database import DirectoryBasedExampleDatabase

            from fuzz.gate.example_database import delete

            self.forget = functools.partial(delete, DirectoryBasedExampleDatabase(database))

    def pytest_configure_node(self, node: Any) -> None:
        # A popen gateway is a process on this machine; socket and ssh ones may be anywhere.
        node.workerinput[LOCAL_WORKER] = bool(getattr(node.gateway.spec, "popen", True))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # The shard's fixture attaches them as it finishes: they come with the teardown's report.
        for name, text in report.user_properties if report.when == "teardown" else ():
            if name != RECORDS_PROPERTY:
                continue
            label = report.nodeid.rsplit("[", 1)[-1].rstrip("]")
            writer = ResultsWriter(os.path.join(self.directory, f"shard{label}-remote.jsonl"))
            try:
                for line in map(json.loads, cast(str, text).splitlines()):
                    entry = line.pop("corpus_entry", None)
                    if entry is not None and self.corpus:
                        save_noted(from_text(entry), self.corpus, line)
                    fixed = line.pop("database_delete", None)
                    if fixed is not None and self.forget is not None:
                        self.forget(fixed)
                    writer.write(line)
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
        self._note({"event": CampaignWorkerEvent.CRASH, "item": crashitem})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # A shard that failed with an error (not a crashed worker, reported with when="???") lost its cases.
        if report.failed and report.when in ("setup", "call", "teardown"):
            error = str(report.longrepr)[-1500:]
            self._note({"event": CampaignWorkerEvent.SHARD_FAILED, "item": report.nodeid, "error": error})

    def pytest_testnodedown(self, node: object, error: object) -> None:
        if error:
            pid, code = _exit_of(node)
            self._note(
                {
                    "event": CampaignWorkerEvent.DOWN,
                    "worker": getattr(getattr(node, "gateway", None), "id", None),
                    "error": str(error)[:500],
                    "pid": pid,
                    "returncode": code,
                }
            )


def unshadow_the_standard_library() -> None:
    """Take execnet's script directory off ``sys.path`` in a worker its socket server runs.

    The server runs as a script, so its directory comes first on ``sys.path``,
    and its ``socketserver.py`` hides the standard library's: a case that
    imports ``logging.config`` (which imports ``socketserver``) would fail in
    the worker for a reason that has nothing to do with either side.
    """
    try:
        import execnet.script
    except ImportError:
        return
    scripts = os.path.dirname(os.path.abspath(execnet.script.__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != scripts]
    shadow = sys.modules.get("socketserver")
    if shadow is not None and os.path.dirname(os.path.abspath(getattr(shadow, "__file__", "") or "")) == scripts:
        del sys.modules["socketserver"]


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
    """Read the options once (a bad value is a usage error naming the option), then set up this process's part."""
    text = config.getoption(OPTION)
    if text is None:
        return
    try:
        options = CampaignOptions.from_json(text)
    except ValueError as exc:
        raise pytest.UsageError(f"{OPTION}: {exc}") from None
    config.stash[OPTIONS] = options
    directory = options.results
    if os.environ.get("PYTEST_XDIST_WORKER"):
        if is_local_worker(config):
            die_with_parent()  # the controller is the parent
            # Processes a side starts and detaches while pickling come back here, to be seen and ended.
            become_subreaper()
        else:
            unshadow_the_standard_library()
    elif config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkerWatch(directory), "fuzz-worker-watch")
        config.pluginmanager.register(
            _RemoteRecords(directory, options.corpus, options.database), "fuzz-remote-records"
        )
    # A bad spec stops the campaign before it starts, as it stops the plain-pytest runs (fuzz.pytest_plugin).
    for role in ("baseline", "candidate"):
        check_side(getattr(options, role), f"{OPTION} ({role})")


def pytest_unconfigure(config: pytest.Config) -> None:
    """A campaign worker ends every process left below it (a side's, adopted as a subreaper)."""
    if OPTIONS in config.stash and os.environ.get("PYTEST_XDIST_WORKER"):
        kill_descendants()
