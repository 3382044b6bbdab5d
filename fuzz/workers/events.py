"""What workers tell their watchers, as fixed sets: event names and job kinds.

A case worker (:mod:`fuzz.workers.case_worker`) writes one JSON line per
:class:`Event` to its results file, and does the :class:`JobKind` its job
file names; the campaign's pytest controller (:mod:`fuzz.gate.campaign_plugin`)
notes a :class:`CampaignWorkerEvent` whenever pytest-xdist tells it about a
worker. The names cross process boundaries and files as plain text, so each
set is a :class:`~fuzz.text_enum.TextEnum`: a member is written as its text,
and text read back compares equal to its member.
"""

from __future__ import annotations

from fuzz.text_enum import TextEnum


class Event(TextEnum):
    """An event in a case worker's results file (the ``"event"`` key of each line)."""

    #: Both sides were built: the worker judges from now on.
    READY = "ready"
    #: The sides could not be built (a bad spec); ``error`` says why, and the worker exits 2.
    BAD_SIDES = "bad_sides"
    #: An item judged by the oracle; ``record`` is its record.
    JUDGED = "judged"
    #: An item that cannot be judged (a corpus file that does not parse...); ``error`` says why.
    BAD = "bad"
    #: An item finished with no record of its own (the slowness hunt's, a shrink job's, a skipped entry).
    DONE = "done"
    #: The slowness hunt's confirmed slow cases (``rows``).
    SLOWNESS = "slowness"
    #: A shrink worker's sign of life, written every few seconds of a long shrink.
    SHRINKING = "shrinking"
    #: A finding shrunk; ``record`` is the shrunk case's record.
    SHRUNK = "shrunk"
    #: A finding left as found; ``why`` says why.
    UNSHRUNK = "unshrunk"


class JobKind(TextEnum):
    """What a case worker's job asks of it (the ``"kind"`` key of its job file)."""

    #: Judge each item, a corpus file or a case (a job that names no kind is this one).
    JUDGE = "judge"
    #: Shrink each item, a finding.
    SHRINK = "shrink"
    #: Hunt for cases the candidate pickles much slower than the baseline.
    SLOWNESS = "slowness"

    @classmethod
    def of(cls, job: dict) -> JobKind:
        """The kind ``job`` names (a job file without one judges)."""
        return cls(job.get("kind", cls.JUDGE))


class CampaignWorkerEvent(TextEnum):
    """What the campaign's pytest controller notes about a pytest-xdist worker (``worker-events.log``)."""

    #: A worker crashed while running a test (a shard).
    CRASH = "worker-crash"
    #: A shard's test failed; ``error`` holds the end of its report.
    SHARD_FAILED = "shard-failed"
    #: A worker went down; ``pid`` and ``returncode`` say which and how, when pytest-xdist knows.
    DOWN = "worker-down"
