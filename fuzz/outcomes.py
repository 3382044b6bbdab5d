"""Plain records of what happened to one pickle: pickling it, then loading it.

These are the values that flow from the sides and the isolation layer into
the verdict; they hold names and text only, never live objects, so they can
be written to JSON, compared across processes and shown to a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Load statuses meaning the child itself died rather than the function failing.
DIED = ("timeout", "signal", "exited")
#: The harness lost the run (its server did not start, or stopped answering): nothing is known of it.
LOST = "lost"


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

    def describe_output(self) -> str:
        """What the side printed while pickling, for a person; empty when it printed nothing."""
        if not self.printed:
            return ""
        return f"wrote {self.printed:,} bytes to stdout/stderr while pickling, starting {self.printed_head[:80]!r}"


@dataclass(frozen=True)
class LoadOutcome:
    """What a fresh interpreter reported after unpickling and calling."""

    #: returned | raised | load_error | not_by_value | timeout | signal | exited | lost
    status: str
    #: repr of the return value, ``"Type: message"``, signal name, or detail.
    value: str
    imported_by_load: tuple[str, ...] = ()
    imported_by_call: tuple[str, ...] = ()
    preloaded: tuple[str, ...] = field(default=(), repr=False)
    output: str = field(default="", repr=False)

    @classmethod
    def from_report(cls, report: dict) -> LoadOutcome:
        return cls(
            status=report["status"],
            value=report.get("value", ""),
            imported_by_load=tuple(report.get("imported_by_load", ())),
            imported_by_call=tuple(report.get("imported_by_call", ())),
            preloaded=tuple(report.get("preloaded", ())),
            output=report.get("output", ""),
        )

    @property
    def died(self) -> bool:
        return self.status in DIED

    @property
    def lost(self) -> bool:
        """The harness, not the pickle, failed: the run tells nothing."""
        return self.status == LOST

    def same_behaviour(self, other: LoadOutcome) -> bool:
        """Whether two runs of the function did the same thing."""
        return (self.status, self.value) == (other.status, other.value)

    def describe(self) -> str:
        verbs = {
            "returned": "returned",
            "raised": "raised",
            "load_error": "failed to unpickle:",
            "not_by_value": "was pickled by reference:",
            "timeout": "hung and was",
            "signal": "child killed by",
            "exited": "child exited,",
            "lost": "was not run or its result was lost:",
        }
        return f"{verbs.get(self.status, self.status)} {self.value}"
