"""The gate's verdict on a whole run: PASS must be earned, and INCOMPLETE says why it was not.

A pre-merge gate is worth exactly as much as its PASS, so a run passes only
when it found nothing failing *and* judged what it set out to judge. It
fails (``FAIL``, exit 1) on any failing verdict, whatever else happened; it
is ``INCOMPLETE`` (exit 3), never PASS, when:

* it was interrupted (Ctrl-C or SIGTERM);
* no generated case was judged, or fewer than the floor: ``--min-cases``
  (default :data:`MIN_CASES`), or every case ``--max-examples`` asked for
  when that is fewer. At the gate's usual 80 to 140 cases/s a 60 s run
  judges thousands; a run that judged fewer than a hundred was starved
  (a budget shorter than the start-up, a machine too busy, workers dying),
  and its silence would mean little;
* with ``--replay-only``, no corpus entry was judged;
* any case is ``unjudged``: its reference run hung or died (a timed-out run
  at home is never "the expected behaviour"), a fresh interpreter was never
  started, or a worker died mid-case in a way a rerun could not pin on a side;
* most fresh-interpreter runs (at home or loading a pickle) timed out: the
  ``--timeout`` is too short for this machine, and the loads that did not
  time out are a biased sample;
* something in the harness broke (a worker died outside any case, corpus
  entries went unreplayed, the campaign exited with an error): see
  :class:`Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fuzz.model.verdict import UNJUDGED, failing_kinds
from fuzz.text_enum import TextEnum


class RunVerdict(TextEnum):
    """The verdict on a whole run (its text is what reports and JSON say)."""

    FAIL = "fail"
    INCOMPLETE = "incomplete"
    PASS = "pass"

    @classmethod
    def worst(cls, verdicts: list[RunVerdict]) -> RunVerdict:
        """The verdict of runs merged: any FAIL fails, else any INCOMPLETE, else PASS."""
        order = list(cls)
        return min(verdicts, key=order.index)

    def at_best_incomplete(self) -> RunVerdict:
        """This verdict, with a PASS taken down to INCOMPLETE (something the run needed is missing)."""
        return RunVerdict.INCOMPLETE if self is RunVerdict.PASS else self


@dataclass(frozen=True)
class Problem:
    """Something that went wrong in the run itself, as a person should read it."""

    text: str
    #: Whether the run cannot pass because of it (the harness failed to judge what it should have).
    blocks_pass: bool = True

    def to_dict(self) -> dict:
        return {"problem": self.text, "blocks_pass": self.blocks_pass}


@dataclass(frozen=True)
class RunFacts:
    """What the run managed to do, beside its verdict counts."""

    #: Generated cases judged (by the campaign; ``unjudged`` ones not counted).
    generated: int
    #: Corpus entries judged.
    replayed: int
    replay_only: bool
    #: Generated cases the run had to judge to pass.
    floor: int
    #: Fresh-interpreter runs that timed out, of all that ran.
    timed_out: int
    runs: int
    #: ``Ctrl-C (SIGINT)`` or ``SIGTERM`` if the run was stopped by one.
    interrupted: str | None = None


def case_floor(min_cases: int, max_examples: int | None) -> int:
    """Generated cases a run must judge: ``min_cases``, or all that ``--max-examples`` asks for if fewer."""
    return min(min_cases, max_examples) if max_examples else min_cases


def decide(
    counts: dict[str, int], facts: RunFacts, problems: list[Problem], strict: bool = False
) -> tuple[RunVerdict, list[str]]:
    """The run's verdict, and the reasons it did not pass, most important first."""
    reasons = []
    if facts.interrupted:
        reasons.append(f"interrupted by {facts.interrupted}; this is a partial report")
    if facts.runs and facts.timed_out * 2 > facts.runs:
        reasons.append(
            f"{facts.timed_out} of {facts.runs} fresh-interpreter runs timed out; raise --timeout for this machine"
        )
    if not facts.replay_only:
        if facts.generated == 0:
            reasons.append("no generated case was judged")
        elif facts.generated < facts.floor:
            reasons.append(
                f"only {facts.generated} generated cases were judged, fewer than the {facts.floor} a pass needs "
                "(give the gate a larger --budget, or see Problems)"
            )
    elif facts.replayed == 0:
        reasons.append("--replay-only, and no corpus entry was judged")
    unjudged = counts.get(UNJUDGED, 0)
    if unjudged:
        reasons.append(f"{unjudged} case{'s' if unjudged != 1 else ''} could not be judged (see Unjudged cases)")
    reasons += [problem.text for problem in problems if problem.blocks_pass]
    if any(counts.get(kind, 0) for kind in failing_kinds(strict)):
        return RunVerdict.FAIL, reasons
    return (RunVerdict.INCOMPLETE if reasons else RunVerdict.PASS), reasons
