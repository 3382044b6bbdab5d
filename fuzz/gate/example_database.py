"""The campaign's Hypothesis example database: what earlier runs found is replayed first.

Hypothesis keeps, per test, the choice sequences of the examples that failed,
and replays them before it generates anything new (its *reuse* phase). The
campaign's property never fails (every verdict is recorded instead), so left
to itself Hypothesis would never save a finding, and would delete every entry
it replays. So the campaign hands Hypothesis a read-only view to replay from,
and keeps the entries itself:

* after each round, one failing case per group of alike findings (access
  pattern and each side's behaviour) is saved, the smallest, unless an entry
  of the database already stands for the group (:class:`KeptFindings`): an
  overnight campaign keeps one entry per kind of bug, not one per round;
* an entry replayed that no longer fails is deleted by the shard that
  replayed it (:class:`FindingsDatabase`).

An entry therefore lives as long as the case it encodes still fails: the same
rule Hypothesis applies to its own failures.

Several shards (workers, ``--shard K/N`` machines) can share one database
directory, on a shared filesystem if need be. Each replays only its slice of
the entries (:class:`ShardSlice`), so no entry is replayed twice in one run.
A worker on another machine (``--tx``) writes nothing there: its records say
what to delete, and the controller does it; it replays the database only if
it sees the directory at the same path (a shared filesystem). Read-only
databases (``--replay-from``) are replayed as well and never written: the
way a CI job reads what a nightly campaign found.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hypothesis.database import (
    DirectoryBasedExampleDatabase,
    ExampleDatabase,
    MultiplexedDatabase,
    ReadOnlyDatabase,
)

from fuzz.model.records import CaseRecord, group_keys

#: The key the campaign's stateless property saves and replays under. Fixed, rather than
#: Hypothesis's digest of the property's source, so that editing the property keeps the database.
CASES_KEY = b"cloudpickle-submodule-fuzz.campaign.cases"


def slot(value: bytes, count: int) -> int:
    """Which of ``count`` shards replays this entry: stable across runs and machines."""
    return int.from_bytes(hashlib.sha256(value).digest()[:8], "big") % max(1, count)


class ShardSlice(ExampleDatabase):
    """A read-only view of the entries one shard of ``count`` replays."""

    def __init__(self, db: ExampleDatabase, index: int, count: int) -> None:
        super().__init__()
        self.db, self.index, self.count = db, index, count

    def __repr__(self) -> str:
        return f"ShardSlice({self.db!r}, {self.index}, {self.count})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShardSlice) and (other.db, other.index, other.count) == (
            self.db,
            self.index,
            self.count,
        )

    def __hash__(self) -> int:
        return hash((ShardSlice, self.index, self.count))

    def fetch(self, key: bytes) -> Iterable[bytes]:
        for value in self.db.fetch(key):
            if slot(value, self.count) == self.index:
                yield value

    def save(self, key: bytes, value: bytes) -> None:
        pass

    def delete(self, key: bytes, value: bytes) -> None:
        pass


def open_databases(
    writable: str | None, read_only: Sequence[str] = ()
) -> tuple[ExampleDatabase | None, ExampleDatabase | None]:
    """(the database findings are saved to, the one entries are replayed from); ``None`` for none."""
    own = DirectoryBasedExampleDatabase(writable) if writable else None
    others = [ReadOnlyDatabase(DirectoryBasedExampleDatabase(path)) for path in read_only]
    parts = [db for db in (own, *others) if db is not None]
    if not parts:
        return None, None
    return own, parts[0] if len(parts) == 1 else MultiplexedDatabase(*parts)


@dataclass
class FindingsDatabase:
    """One shard's handle: what it replays (for Hypothesis) and how it keeps entries up to date."""

    #: Where findings are saved (``None``: replay only).
    own: ExampleDatabase | None
    #: What Hypothesis replays (``None``: nothing).
    replay: ExampleDatabase | None
    #: Entries this shard replays, as bytes: judged again, they are kept or deleted.
    replayed: set[bytes] = field(default_factory=set)

    @classmethod
    def for_shard(
        cls, writable: str | None, read_only: Sequence[str], index: int, count: int, replay: bool
    ) -> FindingsDatabase:
        own, everything = open_databases(writable, read_only)
        view = ShardSlice(everything, index, count) if (replay and everything is not None) else None
        replayed = set(view.fetch(CASES_KEY)) if view is not None else set()
        return cls(own, view, replayed)

    def after_verdict(self, choices: str | None, failing: bool, judged: bool) -> tuple[bool, bool]:
        """``(replayed, fixed)``: whether the case came from an entry this shard replays, and whether it is fixed.

        A replayed entry is fixed when its case was judged and no longer fails
        (an ``unjudged`` case, the harness's failure, says nothing of it). It is
        deleted here if this shard has a database to write; otherwise whoever
        receives its records (for a worker on another machine, the controller)
        does it. Once the replayed entries are judged, this costs nothing.
        """
        if not self.replayed or choices is None:
            return False, False
        value = base64.b64decode(choices)
        if value not in self.replayed:
            return False, False
        if failing or not judged:
            return True, False
        self.replayed.discard(value)
        if self.own is not None:
            self.own.delete(CASES_KEY, value)
        return True, True


def delete(db: ExampleDatabase, choices: str) -> None:
    """Delete one entry (its choices as text, see :func:`fuzz.generation.seeded_draws.current_choices`)."""
    db.delete(CASES_KEY, base64.b64decode(choices))


@dataclass
class KeptFindings:
    """The controller's side: which groups of findings have an entry, and saving one for each new group."""

    path: str
    #: Group keys (:func:`fuzz.model.records.group_keys`) an entry already stands for.
    represented: set[tuple] = field(default_factory=set)

    def keep(self, records: Iterable[CaseRecord], failing: Sequence[str]) -> int:
        """Save the smallest failing case of each group no entry stands for yet; return how many were saved.

        A replayed entry that still fails is saved too (a no-op when it came
        from this database): with ``--replay-from``, this is how last night's
        findings that still fail reach tonight's database.
        """
        found = [r for r in records if r["kind"] in failing and r.get("choices")]
        db = DirectoryBasedExampleDatabase(self.path)
        for line in found:
            if line.get("replayed"):
                # Still failing: it stays (saved again, in case it came from a read-only database).
                db.save(CASES_KEY, base64.b64decode(line["choices"]))
                self.represented.update(map(tuple, group_keys(line)))
        saved = 0
        for line in sorted((r for r in found if not r.get("replayed")), key=lambda r: r.get("size", 0)):
            keys = set(map(tuple, group_keys(line)))
            if keys <= self.represented:
                continue
            db.save(CASES_KEY, base64.b64decode(line["choices"]))
            self.represented |= keys
            saved += 1
        return saved


def entries(path: str) -> list[bytes]:
    """The campaign's entries in the database at ``path``."""
    return list(DirectoryBasedExampleDatabase(path).fetch(CASES_KEY))
