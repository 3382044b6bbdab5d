"""The changes the pickling-history state machine makes between two pickles of one function, and their words.

:class:`strategies.pickling_history.PicklingHistory` writes each change as a step
of the case; the case's facts read the change back from the step
(:func:`change_of`) and root causes name it in words. The three live here,
in one table, so that a new change cannot be written without being read
and named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One kind of change: how its step is recognised, and how a report names it."""

    #: Matches the step that makes the change.
    step: re.Pattern[str]
    #: As a finding lists the changes it was seen after.
    words: str
    #: As a root cause says it: "pickled once, then again after ...".
    after: str


#: Every change the machine makes, by name.
CHANGES: dict[str, Change] = {
    "rebind-global": Change(re.compile(r"^g = "), "a global alias rebound", "a global it reads was rebound"),
    "set-cell": Change(re.compile(r"\.cell_contents = "), "a closure cell set", "its closure cell was set"),
    "replace-code": Change(re.compile(r"\.__code__ = "), "__code__ replaced", "its __code__ was replaced"),
    "import": Change(re.compile(r"^import "), "a submodule imported", "a submodule was imported"),
    "remove": Change(
        re.compile(r"^sys\.modules\.pop\("),
        "a submodule removed from sys.modules",
        "a submodule was removed from sys.modules",
    ),
    "factory-again": Change(re.compile(r"^f = make\("), "the factory called again", "its factory was called again"),
}


def change_of(step: str) -> str | None:
    """Which change a step makes (``rebind-global``...), or ``None`` (``pickled(f)``, or not a machine step)."""
    for name, change in CHANGES.items():
        if change.step.search(step):
            return name
    return None
