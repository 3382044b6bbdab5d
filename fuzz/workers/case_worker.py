"""A supervised worker process: judges a list of cases (or times them) for :mod:`fuzz.workers.supervisor`.

The gate never pickles in its own process: a candidate that hangs or kills
the process it pickles in would take the verdict down with it. Corpus
replay, the reruns that confirm a death, and the slowness hunt run here
instead, as ``python -m fuzz.workers.case_worker JOB.json``, where the job names the
sides, the isolation, a results file and the items.

The worker builds both sides first and says so (``ready``, or ``bad_sides``
with the reason and exit 2: a bad spec is the user's to fix). Then, item by
item, it appends one JSON line to the results file, flushed before the next
item starts, so whatever happens next, every finished item is on disk:

``{"event": "judged", "item": ID, "record": {...}}``
    a case judged by the oracle (the record is :func:`fuzz.model.records.record`'s);
``{"event": "bad", "item": ID, "error": "..."}``
    a corpus file that does not parse, or a case that cannot be materialised;
``{"event": "slowness", "rows": [...]}``, then ``{"event": "done", "item": ID}``
    the slowness hunt's confirmed slow cases (its one item needs no record).

The job's ``kind`` and the events' names are fixed sets
(:class:`~fuzz.workers.events.JobKind`, :class:`~fuzz.workers.events.Event`);
a shrink job also writes ``shrunk``/``unshrunk`` for each finding, and a sign
of life (``shrinking``) every :data:`HEARTBEAT_S` seconds of a long shrink.

Its sides pickle under a :class:`~fuzz.isolation.pickling_guard.PicklingGuard` with a
worker file in the job's directory, so when this process dies or hangs, the
supervisor knows which side was pickling which case.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from fuzz.corpus.format import CorpusFormatError, running_version
from fuzz.corpus.store import load
from fuzz.isolation.pickling_guard import worker_file_path
from fuzz.isolation.pool import Isolation, IsolationError
from fuzz.model.case import Case, CaseError
from fuzz.model.records import record, ways_of
from fuzz.model.verdict import Verdict
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import Side, SideSpecError, make_sides
from fuzz.workers.events import Event, JobKind
from fuzz.workers.job_file import exit_with_job, helper_lifetime

if TYPE_CHECKING:
    from fuzz.shrinking.shrinker import Shrunk

#: Exit code of a worker whose sides could not be built.
EXIT_BAD_SIDES = 2


@dataclass
class _Output:
    """The results file: one JSON line per event, flushed at once."""

    handle: TextIO

    def write(self, event: dict) -> None:
        self.handle.write(json.dumps(event) + "\n")
        self.handle.flush()


def _judge_corpus_file(item: dict, sides: tuple[Side, Side], isolation: Isolation, out: _Output) -> None:
    path = item["corpus"]
    try:
        entry = load(path)
    except (OSError, CorpusFormatError) as exc:
        out.write({"event": Event.BAD, "item": item["id"], "error": str(exc)})
        return
    if _needs_newer_python(entry.case.source, entry.verdicts):
        out.write({"event": Event.DONE, "item": item["id"]})  # passed over, as a test needing that Python skips
        return
    started = time.perf_counter()
    try:
        verdict = run_case(entry.case, *sides, isolation)
    except CaseError as exc:
        out.write({"event": Event.BAD, "item": item["id"], "error": str(CorpusFormatError(path, "case", str(exc)))})
        return
    except Exception as exc:  # noqa: BLE001  (one broken entry must not stop the others)
        error = CorpusFormatError(path, "source", f"cannot be run: {type(exc).__name__}: {exc}")
        out.write({"event": Event.BAD, "item": item["id"], "error": str(error)})
        return
    line = record(entry.case, verdict, "corpus", time.perf_counter() - started, path)
    line["recorded"] = entry.verdict_for(running_version())
    line["entry_sides"] = [entry.baseline, entry.candidate]
    out.write({"event": Event.JUDGED, "item": item["id"], "record": line})


def _needs_newer_python(source: str, verdicts: dict[str, str]) -> bool:
    """Whether an entry recorded on newer Pythons only is written in syntax this one lacks (``lazy import``)."""
    recorded = [tuple(int(part) for part in version.split(".")) for version in verdicts]
    if not recorded or min(recorded) <= sys.version_info[:2]:
        return False
    try:
        compile(source, "<corpus entry>", "exec")
    except SyntaxError:
        return True
    return False


def _judge_case(item: dict, sides: tuple[Side, Side], isolation: Isolation, out: _Output) -> None:
    case = Case.from_dict(item["case"])
    started = time.perf_counter()
    try:
        verdict = run_case(case, *sides, isolation)
    except Exception as exc:  # noqa: BLE001
        out.write({"event": Event.BAD, "item": item["id"], "error": f"cannot be run: {type(exc).__name__}: {exc}"})
        return
    line = record(case, verdict, item.get("source", "rerun"), time.perf_counter() - started)
    out.write({"event": Event.JUDGED, "item": item["id"], "record": line})


#: Seconds between the shrinking worker's signs of life.
HEARTBEAT_S = 5.0


def _shrink(job: dict, sides: tuple[Side, Side], isolation: Isolation, out: _Output) -> None:
    """Shrink each finding in turn, each with an equal share of the time left (:mod:`fuzz.shrinking`).

    Time the quick ones leave goes, in a second pass, to those the first
    pass could not finish: they go on from where they stopped.
    """
    from fuzz.shrinking.shrinker import shrink_finding
    from strategies import cases_for

    items = job["items"]
    beat = [time.monotonic()]

    def judge(case: Case) -> Verdict:
        # A long shrink writes nothing else for a while: say it is alive, so its watcher does not take
        # it for a worker stuck outside pickling (fuzz.workers.watcher's silence limit, "made no progress").
        if time.monotonic() - beat[0] > HEARTBEAT_S:
            beat[0] = time.monotonic()
            out.write({"event": Event.SHRINKING})
        return run_case(case, *sides, isolation)

    unfinished: list[tuple[dict, Case]] = []
    done = 0
    for position, item in enumerate(items):
        left = job["deadline"] - time.time()
        if left <= 0:
            break
        case, target = Case.from_dict(item["case"]), tuple(item["signature"])
        deadline = time.time() + left / (len(items) - position)
        done += 1
        try:
            # The choices replay on the strategy that drew them.
            strategy = cases_for(item.get("inputs", "all")) if item.get("choices") else None
            shrunk = shrink_finding(
                case, target, judge, deadline, item.get("choices"), strategy, held=tuple(item.get("held", ()))
            )
        except Exception as exc:  # noqa: BLE001  (one finding that does not shrink must not stop the others)
            out.write({"event": Event.UNSHRUNK, "item": item["id"], "why": f"{type(exc).__name__}: {exc}"})
            continue
        _shrunk(out, item, shrunk)
        if not shrunk.complete:
            unfinished.append((item, shrunk.case))
    for item in items[done:]:
        out.write({"event": Event.UNSHRUNK, "item": item["id"], "why": "the shrinking budget ran out first"})
    for position, (item, case) in enumerate(unfinished):
        left = job["deadline"] - time.time()
        if left <= 1:
            break
        deadline = time.time() + left / (len(unfinished) - position)
        try:
            shrunk = shrink_finding(case, tuple(item["signature"]), judge, deadline)
        except Exception:  # noqa: BLE001  (the first pass's result stands)
            continue
        _shrunk(out, item, shrunk)


def _shrunk(out: _Output, item: dict, shrunk: Shrunk) -> None:
    line = record(shrunk.case, shrunk.verdict, item.get("source", "campaign"), shrunk.seconds)
    line["shrink"] = shrunk.to_dict()
    out.write({"event": Event.SHRUNK, "item": item["id"], "record": line})


def _hunt(job: dict, sides: tuple[Side, Side], out: _Output) -> None:
    from fuzz.perf.slowness import hunt

    report = hunt(
        *sides, examples=job["examples"], repeats=job["repeats"], seed=job["seed"], deadline=job.get("deadline")
    )
    rows = []
    for slow in report.slow:
        timing = getattr(slow, slow.slower_mode)
        rows.append(
            {
                "ratio": timing.ratio,
                "mode": slow.slower_mode,
                "baseline_s": timing.baseline_s,
                "candidate_s": timing.candidate_s,
                "pattern": " + ".join(ways_of(slow.case.tags)),
                "source": slow.source,
            }
        )
    out.write({"event": Event.SLOWNESS, "rows": rows, "examples": report.examples})


def run_job(job: dict) -> int:
    """Build the sides, then work through the job; see the module docstring."""
    kind = JobKind.of(job)
    lifetime = helper_lifetime(job["timeout"], worker_file_path(job["worker_dir"]))
    with open(job["results"], "a", encoding="utf-8") as handle, lifetime as guard:
        out = _Output(handle)
        try:
            try:
                sides = make_sides(job["baseline"], job["candidate"], guard)
            except SideSpecError as exc:
                out.write({"event": Event.BAD_SIDES, "error": str(exc)})
                return EXIT_BAD_SIDES
            if kind == JobKind.SLOWNESS:
                out.write({"event": Event.READY})
                _hunt(job, sides, out)
                for item in job["items"]:
                    out.write({"event": Event.DONE, "item": item["id"]})
                return 0
            with Isolation(job["isolation"], timeout=job["timeout"]) as isolation:
                # Each side's fresh interpreter must start too (a tree may import here and not there).
                for side in sides:
                    isolation.fresh_modules(side.runtime)
                out.write({"event": Event.READY})
                if kind == JobKind.SHRINK:
                    _shrink(job, sides, isolation, out)
                    for item in job["items"]:
                        out.write({"event": Event.DONE, "item": item["id"]})
                    return 0
                for item in job["items"]:
                    if "corpus" in item:
                        _judge_corpus_file(item, sides, isolation, out)
                    else:
                        _judge_case(item, sides, isolation, out)
        except IsolationError as exc:
            out.write({"event": Event.BAD_SIDES, "error": str(exc)})
            return EXIT_BAD_SIDES
    return 0


if __name__ == "__main__":
    exit_with_job("fuzz.workers.case_worker", run_job)
