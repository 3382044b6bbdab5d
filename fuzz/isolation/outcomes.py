"""Plain records of what happened to one pickle: pickling it, then loading it.

These are the values that flow from the sides and the isolation layer into
the verdict; they hold names and text only, never live objects, so they can
be written to JSON, compared across processes and shown to a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fuzz.isolation.side_effects import SideEffect
from fuzz.text_enum import TextEnum


class LoadStatus(TextEnum):
    """How a run in a fresh interpreter ended (the ``status`` a child reports)."""

    #: The function returned (its ``repr`` is the value).
    RETURNED = "returned"
    #: The function raised (``"Type: message"``).
    RAISED = "raised"
    #: Unpickling (or, at home, running the case's source) raised.
    LOAD_ERROR = "load_error"
    #: The function's module was importable in the child: pickled by reference, it tests nothing.
    NOT_BY_VALUE = "not_by_value"
    #: The child ran past the timeout and was killed.
    TIMEOUT = "timeout"
    #: The child was killed by a signal (the value names it).
    SIGNAL = "signal"
    #: The child exited without a result.
    EXITED = "exited"
    #: The harness lost the run (its server did not start, or stopped answering): nothing is known of it.
    LOST = "lost"


class RequestKind(TextEnum):
    """What a request asks of a fresh interpreter (see :mod:`fuzz.isolation.remote.child_runtime`)."""

    #: Report what a fresh interpreter holds (and what importing some modules adds).
    PROBE = "probe"
    #: Unpickle the payload and call the function.
    LOAD = "load"
    #: Run the case at home: its own source, unpickled by nobody.
    REFERENCE = "reference"
    #: Fork server only: import these modules in the server itself, for the children it forks later.
    PREIMPORT = "preimport"


#: Load statuses meaning the child itself died rather than the function failing.
DIED = (LoadStatus.TIMEOUT, LoadStatus.SIGNAL, LoadStatus.EXITED)


@dataclass(frozen=True)
class PickleOutcome:
    """One side's ``dumps`` of one function."""

    data: bytes | None
    #: Sorted union of ``_cloudpickle_submodules`` over every function the
    #: pickle holds by value: the modules loading it will import.
    submodules: tuple[str, ...] = ()
    #: ``"Type: message"`` when ``dumps`` raised (or was stopped: see ``hung``).
    error: str | None = None
    #: ``dumps`` ran past the timeout and was stopped.
    hung: bool = False
    #: Bytes the side wrote to stdout or stderr while pickling, and the first of them.
    printed: int = 0
    printed_head: str = ""
    #: What the call changed in the pickling process (:mod:`fuzz.isolation.side_effects`), undone since.
    side_effects: tuple[SideEffect, ...] = ()

    def describe_output(self) -> str:
        """What the side printed while pickling, for a person; empty when it printed nothing."""
        if not self.printed:
            return ""
        return f"wrote {self.printed:,} bytes to stdout/stderr while pickling, starting {self.printed_head[:80]!r}"


@dataclass(frozen=True)
class LoadOutcome:
    """What a fresh interpreter reported after unpickling and calling."""

    status: LoadStatus
    #: repr of the return value, ``"Type: message"``, signal name, or detail.
    value: str
    imported_by_load: tuple[str, ...] = ()
    imported_by_call: tuple[str, ...] = ()
    preloaded: tuple[str, ...] = field(default=(), repr=False)
    output: str = field(default="", repr=False)
    #: Batch isolation: how the reused child that first ran this request ended (it was then rerun in a fresh
    #: child, which gave this outcome); "" when the first child's outcome stands.
    reran_after: str = field(default="", repr=False, compare=False)

    @classmethod
    def from_report(cls, report: dict) -> LoadOutcome:
        return cls(
            status=LoadStatus(report["status"]),
            value=report.get("value", ""),
            imported_by_load=tuple(report.get("imported_by_load", ())),
            imported_by_call=tuple(report.get("imported_by_call", ())),
            preloaded=tuple(report.get("preloaded", ())),
            output=report.get("output", ""),
            reran_after=report.get("reran_after", ""),
        )

    @property
    def died(self) -> bool:
        return self.status in DIED

    @property
    def lost(self) -> bool:
        """The harness, not the pickle, failed: the run tells nothing."""
        return self.status == LoadStatus.LOST

    def same_behaviour(self, other: LoadOutcome) -> bool:
        """Whether two runs of the function did the same thing."""
        return (self.status, self.value) == (other.status, other.value)

    def describe(self) -> str:
        return f"{_VERBS[self.status]} {self.value}"


#: How each status reads before its value, in a report.
_VERBS = {
    LoadStatus.RETURNED: "returned",
    LoadStatus.RAISED: "raised",
    LoadStatus.LOAD_ERROR: "failed to unpickle:",
    LoadStatus.NOT_BY_VALUE: "was pickled by reference:",
    LoadStatus.TIMEOUT: "hung and was",
    LoadStatus.SIGNAL: "child killed by",
    LoadStatus.EXITED: "child exited,",
    LoadStatus.LOST: "was not run or its result was lost:",
}
