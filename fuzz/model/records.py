"""Per-case result records: their type, how one is made, and how they are written and read as JSON lines.

A gate run spreads cases over pytest-xdist workers; each writes one JSON line
per case to its own file, so nothing needs locking and a worker that dies
loses at most its last unflushed second (findings are flushed at once). The
gate tails these files for its progress display and aggregates them for its
report.

A record is a :class:`CaseRecord`: a ``TypedDict``, because JSON is the
point of it (it crosses processes, machines, the corpus, the example
database and reports that merge), and typed, so that every reader's key is
checked. Its keys are read back in one place (:func:`from_json`), which
turns the verdict back into a :class:`~fuzz.model.verdict.Kind`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO, TypedDict, cast

from fuzz.isolation.outcomes import LoadOutcome, LoadStatus
from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.model.verdict import UNREMARKABLE, Kind, SideReport, Verdict

#: Seconds between flushes when nothing urgent was written.
FLUSH_EVERY = 0.5


class SideRecord(TypedDict):
    """One side's part of a record: what it recorded and how its pickle did."""

    spec: str
    submodules: list[str]
    #: The unpickled function's outcome in words (``returned 3``, ``raised KeyError: 'x'``...).
    outcome: str
    #: The outcome without its details, the changes to the pickling process after (:func:`behaviour`).
    behaviour: str
    printed: str
    side_effects: list[dict[str, Any]]
    #: Needed submodules it did not record, and recorded ones nothing needed (``None``: no ground truth).
    missed: list[str] | None
    extra: list[str] | None


class _JudgedCase(TypedDict):
    """What every record has: the verdict on one case, and both sides' parts."""

    #: Where the case came from: ``campaign``, ``corpus``, ``stateful``...
    source: str
    kind: Kind
    reason: str
    #: The ways of access blamed for the verdict (:func:`patterns`): findings group by them.
    patterns: list[str]
    tags: list[str]
    needed: list[str] | None
    expected: str
    expected_behaviour: str
    baseline: SideRecord
    candidate: SideRecord
    elapsed: float
    #: ``[timed out, runs]`` of the case's fresh-interpreter runs.
    timeouts: list[int]


class CaseRecord(_JudgedCase, total=False):
    """One judged case (:func:`record`), and what the stages after the judge add to it."""

    # A case that is not unremarkable keeps itself, to be shrunk, saved and shown.
    case: dict[str, Any]
    held: list[str]
    size: int
    # The corpus file holding it, whether this run created it, or why it could not be saved.
    corpus: str
    corpus_created: bool
    corpus_error: str
    corpus_entry: str
    # A campaign worker's: when it was judged (epoch seconds), the choices Hypothesis drew it from
    # (base64), the shard, whether it was replayed from the example database and should leave it.
    t: float
    choices: str
    shard: int
    replayed: bool
    database_delete: str
    # A replayed corpus entry's: the verdict it recorded for this Python, and the sides it names.
    recorded: str | None
    entry_sides: list[str]
    # A shrunk example's: what shrinking did (:class:`fuzz.shrinking.shrinker.Shrunk`).
    shrink: dict[str, Any]


#: The two sides' roles, as a record names its parts.
ROLES = ("baseline", "candidate")


def side_of(line: CaseRecord, role: str) -> SideRecord:
    """The part of ``line`` for ``role`` (``baseline`` or ``candidate``)."""
    if role == "baseline":
        return line["baseline"]
    if role == "candidate":
        return line["candidate"]
    raise ValueError(f"{role!r} is not a side's role; expected one of {ROLES}")


def from_json(data: dict[str, Any]) -> CaseRecord:
    """A record read back from JSON (a results file, a worker's event, a report): its verdict a ``Kind`` again."""
    data["kind"] = Kind(data["kind"])
    return cast(CaseRecord, data)


def home_behaviour(expected: LoadOutcome) -> str:
    """``returned``, ``raised:ValueError``...: the class of the home run's outcome."""
    if expected.status in (LoadStatus.RAISED, LoadStatus.LOAD_ERROR):
        return f"{expected.status}:{expected.value.split(':', 1)[0]}"
    return str(expected.status)


def behaviour(side: SideReport) -> str:
    """A side's outcome without its details: ``returned``, ``raised:KeyError``, ...

    The kinds of change its ``dumps`` made to the pickling process follow, when
    it made any: a smaller case must keep them to keep a ``side_effect`` finding.
    """
    changed = sorted({str(e.kind) for e in side.side_effects})
    return _outcome_class(side) + (" and " + ", ".join(changed) if changed else "")


def _outcome_class(side: SideReport) -> str:
    if side.pickle_error is not None:
        return "pickling:" + side.pickle_error.split(":", 1)[0]
    if side.load is None:
        return "not_loaded"
    if side.load.status in (LoadStatus.RAISED, LoadStatus.LOAD_ERROR):
        return f"{side.load.status}:{side.load.value.split(':', 1)[0]}"
    return str(side.load.status)


def patterns(tags: tuple[str, ...], missed: tuple[str, ...] | None = None) -> list[str]:
    """The kinds of access to blame for a case's verdict, for grouping findings.

    Generated cases tag each needed module with the way of access that needs
    it (``need:WAY:MODULE``); when the candidate missed some of them, only the
    ways whose modules were missed are blamed, one pattern each, so a bug in
    one way is one finding whatever other accesses share its function. For
    the state machine, the blame goes to the last change before the pickle.
    """
    last = tagging.values(tags, tagging.LAST_CHANGE)
    if last:
        return ["stateful: after " + last[-1]]
    if tagging.STATEFUL in tags:
        return ["stateful: first pickle"]
    blamed = {way for way, module in tagging.needs(tags) if module in (missed or ())}
    if blamed:
        return sorted(blamed)
    return [" + ".join(ways_of(tags)) or "other"]


def ways_of(tags: tuple[str, ...]) -> list[str]:
    """Every way of access a case uses (``via:`` tags; hand-written cases use bare tags)."""
    return sorted({*tagging.values(tags, tagging.VIA), *filter(tagging.is_bare, tags)} - {tagging.STATEFUL})


def matrix_patterns(line: CaseRecord) -> list[str]:
    """Patterns a record counts under in the per-version matrix: blamed ways, else every way."""
    if line["kind"] in UNREMARKABLE:
        return [p for p in line["patterns"] if p.startswith("stateful")] or ways_of(tuple(line["tags"])) or ["other"]
    return line["patterns"]


def group_keys(line: CaseRecord) -> list[tuple[str, str, str, str]]:
    """Findings with the same key share one cause: same access, same behaviour on both sides."""
    return [
        (line["kind"], pattern, line["baseline"]["behaviour"], line["candidate"]["behaviour"])
        for pattern in line["patterns"]
    ]


def timed_out_runs(verdict: Verdict) -> list[int]:
    """``[timed out, run]``: fresh-interpreter runs of the case (home and loads) that ran out of time, of all."""
    loads = [verdict.expected, *(s.load for s in (verdict.baseline, verdict.candidate) if s.load is not None)]
    runs = [load for load in loads if not load.lost]
    return [sum(load.status == LoadStatus.TIMEOUT for load in runs), len(runs)]


def _side(side: SideReport) -> SideRecord:
    return {
        "spec": side.spec,
        "submodules": list(side.submodules),
        "outcome": side.outcome,
        "behaviour": behaviour(side),
        "printed": side.printed,
        "side_effects": [e.to_dict() for e in side.side_effects],
        "missed": None if side.missed is None else list(side.missed),
        "extra": None if side.extra is None else list(side.extra),
    }


def record(
    case: Case,
    verdict: Verdict,
    source: str,
    elapsed: float,
    corpus_path: str | None = None,
    corpus_created: bool = False,
) -> CaseRecord:
    """One JSON-able line for one judged case."""
    line: CaseRecord = {
        "source": source,
        "kind": verdict.kind,
        "reason": verdict.reason,
        "patterns": patterns(case.tags, verdict.candidate.missed),
        "tags": list(case.tags),
        "needed": None if case.needed is None else list(case.needed),
        "expected": verdict.expected.describe(),
        "expected_behaviour": home_behaviour(verdict.expected),
        "baseline": _side(verdict.baseline),
        "candidate": _side(verdict.candidate),
        "elapsed": round(elapsed, 6),
        "timeouts": timed_out_runs(verdict),
    }
    if verdict.kind not in UNREMARKABLE:
        line["case"] = case.to_dict()
        line["held"] = list(verdict.home_held)
        line["size"] = len(case.source) + sum(len(text) for _, text in case.files) + sum(map(len, case.steps))
    if corpus_path is not None:
        line["corpus"] = corpus_path
        line["corpus_created"] = corpus_created
    return line


@dataclass
class ResultsWriter:
    """Appends records to one file; flushes findings at once, the rest every half second."""

    path: str
    _handle: TextIO = field(init=False, repr=False)
    _last_flush: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self._handle = open(self.path, "a", encoding="utf-8")

    def write(self, line: CaseRecord, urgent: bool = False) -> None:
        self._handle.write(json.dumps(line) + "\n")
        now = time.monotonic()
        if urgent or now - self._last_flush >= FLUSH_EVERY:
            self._handle.flush()
            if urgent:
                os.fsync(self._handle.fileno())
            self._last_flush = now

    def close(self) -> None:
        self._handle.close()


@dataclass
class ResultsTail:
    """Reads new complete lines from every results file in a directory."""

    directory: str
    _offsets: dict[str, int] = field(default_factory=dict)

    def new_records(self) -> Iterator[CaseRecord]:
        """New complete lines, read as case records (a campaign worker's results files hold nothing else)."""
        for line in self.new_lines():
            try:
                yield from_json(line)
            except (KeyError, ValueError):
                continue

    def new_lines(self) -> Iterator[dict[str, Any]]:
        if not os.path.isdir(self.directory):
            return
        for name in sorted(os.listdir(self.directory)):
            if not name.endswith(".jsonl"):
                continue
            path = os.path.join(self.directory, name)
            with open(path, "rb") as handle:
                handle.seek(self._offsets.get(path, 0))
                data = handle.read()
            end = data.rfind(b"\n") + 1  # leave a torn last line for next time
            self._offsets[path] = self._offsets.get(path, 0) + end
            for raw in data[:end].splitlines():
                try:
                    yield json.loads(raw)
                except json.JSONDecodeError:
                    continue
