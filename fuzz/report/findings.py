"""From failing records to findings: one per root cause, each with its minimal example.

The campaign sees the same bug many times, in cases that differ in
everything but the bug. First the failing records are put in *groups* by
what they look like (verdict, the family of the way of access blamed, each side's
behaviour); one example per group, the smallest, is shrunk
(:mod:`fuzz.shrinking`); then groups whose shrunk examples have the same
root cause (:mod:`fuzz.shrinking.root_cause`) become one finding, counting
every case of every group it absorbed. A group whose example could not be
shrunk (the budget ran out, the candidate kills the process that pickles)
keeps its example as found, and says so; a group seen only in reviewed
corpus cases shows its smallest one, which joins the shrunk examples of
its root cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fuzz.isolation.outcomes import LoadStatus
from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.model.records import CaseRecord
from fuzz.model.verdict import KINDS
from fuzz.shrinking.alike_runs import count_lines
from fuzz.shrinking.extended_args import missed_past_a_byte
from fuzz.shrinking.root_cause import RootCause, changes_after_a_pickle, root_cause
from strategies.operand_sizes import LARGE_BANDS
from strategies.placements import PLACEMENTS
from strategies.ways import WAYS


@dataclass
class Group:
    """Failing records that look alike before shrinking."""

    key: tuple
    records: list[CaseRecord]

    @property
    def example(self) -> CaseRecord:
        """The record shrunk for the group: the smallest that can be shrunk, else the smallest.

        In a group of cases past a size boundary, the one likeliest to fail because of its size comes
        first (:func:`_size_suspicion`): a case there that fails for another reason (an alias, a nested
        access) would shrink to that reason, and the size would go unreported.
        """
        candidates = [r for r in self.records if not not_shrinkable_because(r)] or self.records
        if self.key[1].endswith(PAST_A_SIZE_BOUNDARY):
            family = self.key[1][: -len(PAST_A_SIZE_BOUNDARY)]
            return min(candidates, key=lambda r: (*_size_suspicion(r, family), r.get("size", 0)))
        return min(candidates, key=lambda r: r.get("size", 0))

    @property
    def ways(self) -> list[str]:
        """The first blamed way of each record, each once: the ways of the family the group was seen as."""
        return sorted({r["patterns"][0] for r in self.records})

    @property
    def first_seen(self) -> float | None:
        """When the campaign first judged a case of the group (epoch seconds; ``None`` if no record says)."""
        times = [r["t"] for r in self.records if "t" in r]
        return min(times) if times else None

    @property
    def replayed(self) -> bool:
        """Whether a case of the group came from the example database (an earlier run found it)."""
        return any(r.get("replayed") for r in self.records)


#: Marks the family of a group whose cases were drawn large enough to pass an operand's ``EXTENDED_ARG``
#: boundary (:mod:`strategies.operand_sizes`).
PAST_A_SIZE_BOUNDARY = " past a size boundary"


def _past_a_size_boundary(line: CaseRecord) -> bool:
    return any(band in LARGE_BANDS for band in tagging.values(line.get("tags", ()), tagging.SIZE_BAND))


def _tucked_away(line: CaseRecord) -> int:
    """How many of a record's blamed accesses (the candidate missed what they need) sit in nested code
    or in a branch that never runs (all its accesses, when the record says nothing of what was missed)."""
    missed = set((line.get("candidate") or {}).get("missed") or ())
    accesses = tagging.accesses(line.get("tags", ())).values()
    blamed = [a for a in accesses if missed & set(a.needs)] or list(accesses)
    placements = [PLACEMENTS.get(a.placement) for a in blamed]
    return sum(1 for p in placements if p is None or p.nested_scope or not p.executes)


def _size_suspicion(line: CaseRecord, family: str) -> tuple[int, int, int]:
    """How unlikely a case past a size boundary is to fail *because of* its size (lower: likelier).

    First, whether no attribute named like a part of a module the candidate missed is loaded with an
    ``EXTENDED_ARG`` prefix (the missed access itself past the boundary); then how many ways of another
    family it also blames (each can fail on its own); then how many of its blamed accesses are tucked
    away in nested code or dead branches.
    """
    missed = (line.get("candidate") or {}).get("missed") or ()
    past = missed_past_a_byte(line.get("case", {}).get("source", ""), missed)
    others = sum(1 for way in line.get("patterns", ()) if way in WAYS and WAYS[way].family != family)
    return (not past, others, _tucked_away(line))


def group_before_shrinking(records: list[CaseRecord], kinds: tuple[str, ...]) -> list[Group]:
    """Failing records by (verdict, first blamed way's family, each side's behaviour), the largest groups first.

    By family, not by way: root causes are keyed by family, so two ways of one
    family (a local alias, a walrus) would only be shrunk twice to merge into
    one finding afterwards, and the shrinking budget is what bounds how many
    examples become 1-minimal. Cases drawn past a size boundary are grouped
    apart (their family marked): a size bug fails every way of a family alike,
    so its cases look like the family's other failures, and the smallest of
    the family, shrunk for them all, would never be one of its cases.
    """
    groups: dict[tuple, Group] = {}
    for line in records:
        if line["kind"] not in kinds or "case" not in line:
            continue
        first = line["patterns"][0]
        family = WAYS[first].family if first in WAYS else first
        if _past_a_size_boundary(line):
            family += PAST_A_SIZE_BOUNDARY
        key = (line["kind"], family, line["baseline"]["behaviour"], line["candidate"]["behaviour"])
        groups.setdefault(key, Group(key, [])).records.append(line)
    return sorted(groups.values(), key=lambda g: (-len(g.records), g.key))


#: Why a group's example is not shrunk when it is a corpus entry: made small when it was reviewed, and its
#: file is the reproducer the report points to.
REVIEWED = "a reviewed corpus case, shown as committed"
#: Why it is not shrunk when the candidate killed the pickling process (rerun-confirmed deaths): it would
#: kill the shrinking worker at every step.
KILLS = "the candidate kills the process that pickles it: shrunk no further"


def not_shrinkable_because(line: CaseRecord) -> str:
    """Why a record's case cannot be shrunk in a worker, or "" when it can (generated, and judged)."""
    if line.get("source") != "campaign":
        return REVIEWED
    if line["expected_behaviour"] == LoadStatus.LOST:
        return KILLS
    return ""


def _example_rank(why: str) -> int:
    """Which example a finding shows: a shrunk one, else a reviewed corpus case, else one as found."""
    return 0 if not why else 1 if why == REVIEWED else 2


@dataclass
class Finding:
    """One root cause: its words, its minimal example, and every case seen of it."""

    kind: str
    cause: RootCause
    #: The example shown: the shrunk case when there is one.
    example: CaseRecord
    count: int
    #: Why the example is not shrunk ("" if it is).
    unshrunk: str = ""
    #: The groups (before shrinking) this finding absorbed, by their first blamed way.
    patterns: list[str] = field(default_factory=list)
    #: Ways of access, and state changes, that the examples of the groups it absorbed blame once shrunk.
    ways_seen: list[str] = field(default_factory=list)
    changes_seen: list[str] = field(default_factory=list)
    #: When a case of it was first judged (epoch seconds), for the discovery curve; ``None``: not known.
    first_seen: float | None = None
    #: The Python versions it was seen on (empty: this run's only).
    pythons: list[str] = field(default_factory=list)
    #: Whether the last report of a long campaign did not have it yet.
    new: bool = False
    #: Whether a case of it was replayed from a campaign's example database: an earlier run found it.
    replayed: bool = False

    def absorb(self, cause: RootCause, case: Case) -> None:
        self.ways_seen += [w for w in cause.ways if w not in self.ways_seen]
        self.changes_seen += [c for c in changes_after_a_pickle(case.steps) if c not in self.changes_seen]

    @property
    def rank(self) -> tuple[int, int]:
        """Which of two examples of one root cause is shown: the lower (shrunk, reviewed, as found; then shorter)."""
        return (_example_rank(self.unshrunk), self.case.source.count("\n"))

    def fold(self, other: Finding) -> None:
        """Take in another finding of the same root cause: its cases, what it was seen as, its example if better.

        Groups of one run become findings this way (:func:`findings_by_root_cause`), and
        so do the findings of several reports (:mod:`fuzz.report.merge`).
        """
        self.count += other.count
        for mine, theirs in (
            (self.patterns, other.patterns),
            (self.ways_seen, other.ways_seen),
            (self.changes_seen, other.changes_seen),
            (self.pythons, other.pythons),
        ):
            mine += [item for item in theirs if item not in mine]
        self.first_seen = min((t for t in (self.first_seen, other.first_seen) if t is not None), default=None)
        self.replayed = self.replayed or other.replayed
        if other.rank < self.rank:
            # The words name what the example shows (its ways, its names): they go with it; the key is the same.
            self.example, self.unshrunk, self.cause = other.example, other.unshrunk, other.cause

    @property
    def case(self) -> Case:
        return Case.from_dict(self.example["case"])

    @property
    def threshold(self) -> dict | None:
        shrink = self.example.get("shrink") or {}
        return shrink.get("threshold")

    @property
    def lines(self) -> int:
        """Lines of the function's module in the example (not blank), a run of alike lines counted as one."""
        return count_lines(self.case.source)

    def reproducer(self) -> str:
        if self.example.get("corpus"):
            return f"python -m fuzz repro {self.example['corpus']}"
        return "python -m fuzz replay  # (not saved to a corpus in this run)"


def findings_by_root_cause(
    groups: list[Group], shrunk: dict[tuple, CaseRecord], unshrunk: dict[tuple, str]
) -> list[Finding]:
    """Merge the groups whose (shrunk) examples share a root cause into findings, the most seen first.

    ``shrunk`` maps a group's key to the record of its shrunk example;
    ``unshrunk`` to why it has none.
    """
    findings: dict[tuple, Finding] = {}
    for group in groups:
        example = shrunk.get(group.key)
        why = "" if example is not None else unshrunk.get(group.key, "not shrunk")
        example = example or group.example
        case = Case.from_dict(example["case"])
        shrink = example.get("shrink") or {}
        cause = root_cause(example, case, shrink.get("threshold"))
        one = Finding(
            example["kind"], cause, example, len(group.records), why, group.ways,
            first_seen=group.first_seen, replayed=group.replayed,
        )  # fmt: skip
        one.absorb(cause, case)
        # A reviewed corpus case is small already: it joins the shrunk examples of its root cause.
        key = (cause.key, _example_rank(why) == 2)
        if key in findings:
            findings[key].fold(one)
        else:
            findings[key] = one
    return in_report_order(findings.values())


def in_report_order(findings: Iterable[Finding]) -> list[Finding]:
    """Failing kinds first, shrunk before unshrunk, the most seen first."""
    order: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
    return sorted(findings, key=lambda f: (order[f.kind], bool(f.unshrunk), -f.count, f.cause.words))
