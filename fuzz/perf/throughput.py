"""Fuzzer throughput: differential cases per second, per isolation mode and worker count.

A fuzzer finds what it has time to try, so its speed is a feature. This runs
the whole pipeline (:func:`fuzz.oracle.judge.run_cases`, as the gate's campaign
does: materialise, pickle with both sides, run at home, load each pickle in a
fresh interpreter, classify; the next case is pickled while the last one's
children run)
over a fixed, seeded pool of generated cases, so every configuration runs
the same cases. Case generation is timed apart, once, and excluded from the
rate: it is the same for every configuration.

With more than one worker, each worker is a separate process (the
``multiprocessing`` *spawn* context, so no worker inherits the parent's
fork servers or its ``sys.modules``) running every n-th case of the pool, its
own sides and its own fork servers, until a shared deadline. The rate is the
total cases run divided by the wall time from starting the workers to the
last one finishing: start-up is part of what a parallel run costs.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import multiprocessing
import os
import platform
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from fuzz.generation.seeded_draws import seeded_cases
from fuzz.isolation.pool import Isolation
from fuzz.model.case import Case
from fuzz.oracle.judge import disjoint, run_cases
from fuzz.oracle.sides import make_side

#: Which of the generated cases a pool keeps (see ``ThroughputReport.part``), and how a report says so.
POOL_PARTS = {"all": "", "shareable": "those that can share a child", "unshareable": "those that cannot"}


@dataclass(frozen=True)
class ShareResult:
    """What one worker did with its share of the pool."""

    cases: int
    verdicts: dict[str, int]


def run_share(
    cases: Sequence[Case], isolation: str, baseline: str, candidate: str, timeout: float, deadline: float
) -> ShareResult:
    """Run ``cases`` over and over (in order) until ``deadline`` (``time.time()``); the worker's body.

    Takes side *specs*, not sides: a worker process builds its own. At least
    one case is run, so a worker whose start-up ate its budget still counts.
    """
    sides = make_side(baseline), make_side(candidate)
    verdicts: collections.Counter[str] = collections.Counter()

    def until_deadline() -> Iterator[Case]:
        for done, case in enumerate(itertools.cycle(cases)):
            if done and time.time() >= deadline:
                return
            yield case

    with Isolation(isolation, timeout=timeout) as iso:
        for judged in run_cases(until_deadline(), *sides, iso):
            verdicts[judged.verdict.kind] += 1
    return ShareResult(sum(verdicts.values()), dict(verdicts))


@dataclass(frozen=True)
class ThroughputRow:
    """One configuration's run."""

    isolation: str
    workers: int
    cases: int
    wall_s: float
    verdicts: dict[str, int]
    #: CPU seconds spent by this process and every process it started (workers,
    #: servers, children) during the run: on a machine with few cores, CPU per
    #: case, not waiting, is what bounds the rate.
    cpu_s: float = 0.0

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def cpu_ms_per_case(self) -> float:
        return 1000 * self.cpu_s / self.cases if self.cases else 0.0


@dataclass
class ThroughputReport:
    """Every configuration measured, the fork/spawn ratios, and the machine."""

    baseline: str
    candidate: str
    python: str
    cpus: int
    seconds: float
    seed: int
    #: Cases in the pre-generated pool and the seconds Hypothesis took to generate them.
    pool: int
    generation_s: float
    rows: list[ThroughputRow] = field(default_factory=list)
    #: Which generated cases the pool kept: ``all``, or those that can (``shareable``) or cannot
    #: (``unshareable``: the standard-library ones) share a child in batch isolation.
    part: str = "all"

    def ratio(self, faster: str, slower: str) -> dict[int, float]:
        """For each worker count measured in both modes: ``faster``'s cases/s divided by ``slower``'s."""
        rates = {(row.isolation, row.workers): row.cases_per_s for row in self.rows}
        return {
            workers: rate / rates[(slower, workers)]
            for (mode, workers), rate in rates.items()
            if mode == faster and rates.get((slower, workers))
        }

    def ratios(self) -> dict[tuple[str, str], dict[int, float]]:
        """Batched over per-case fork isolation, and fork over spawn, where both were measured."""
        pairs = (("batch", "fork"), ("fork", "spawn"))
        return {pair: ratio for pair in pairs if (ratio := self.ratio(*pair))}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rows"] = [
            {**asdict(row), "cases_per_s": row.cases_per_s, "cpu_ms_per_case": row.cpu_ms_per_case} for row in self.rows
        ]
        data["generation_cases_per_s"] = self.pool / self.generation_s if self.generation_s > 0 else None
        for faster, slower in (("fork", "spawn"), ("batch", "fork")):
            data[f"{faster}_over_{slower}"] = {str(w): ratio for w, ratio in self.ratio(faster, slower).items()}
        return data


def measure_configuration(
    cases: Sequence[Case], isolation: str, workers: int, baseline: str, candidate: str, seconds: float, timeout: float
) -> ThroughputRow:
    """Run the pool for ``seconds`` with ``workers`` processes (1: in this process)."""
    cpu_before = _cpu_seconds()
    start = time.time()
    deadline = start + seconds
    if workers == 1:
        results = [run_share(cases, isolation, baseline, candidate, timeout, deadline)]
    else:
        shares = [cases[index::workers] for index in range(workers) if cases[index::workers]]
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(len(shares), mp_context=context) as pool:
            futures = [
                pool.submit(run_share, share, isolation, baseline, candidate, timeout, deadline) for share in shares
            ]
            results = [future.result() for future in futures]
    wall = time.time() - start
    verdicts: collections.Counter[str] = collections.Counter()
    for result in results:
        verdicts.update(result.verdicts)
    cases_run = sum(r.cases for r in results)
    return ThroughputRow(
        isolation, workers, cases_run, wall, dict(sorted(verdicts.items())), _cpu_seconds() - cpu_before
    )


def _cpu_seconds() -> float:
    """User and system CPU of this process plus every descendant it has waited for.

    Workers, fork servers and their children have all been waited for when a
    configuration ends (servers when their isolation closes), so the
    difference over a run is the run's whole CPU cost.
    """
    own, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


def auto_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def measure_throughput(
    baseline: str,
    candidate: str,
    *,
    isolations: Sequence[str] = ("batch", "fork", "spawn"),
    workers: Sequence[int] = (1,),
    seconds: float = 5.0,
    pool: int = 200,
    part: str = "all",
    seed: int = 0,
    timeout: float = 10.0,
    progress: Callable[[ThroughputRow], None] | None = None,
) -> ThroughputReport:
    """Generate the pool once, then measure every (isolation, workers) configuration on it."""
    make_side(baseline), make_side(candidate)  # bad specs fail here, not in a worker
    if part not in POOL_PARTS:
        raise ValueError(f"unknown pool part {part!r}; use one of {', '.join(POOL_PARTS)}")
    started = time.perf_counter()
    cases = seeded_cases(pool, seed)
    if part != "all":
        # Whether batch isolation lets a case share a child (as far as the case alone tells: a home run
        # that needs what this process holds still gets fresh children).
        cases = [case for case in cases if disjoint(case, []) == (part == "shareable")]
    report = ThroughputReport(
        baseline=baseline,
        candidate=candidate,
        python=platform.python_version(),
        cpus=auto_workers(),
        seconds=seconds,
        seed=seed,
        pool=len(cases),
        generation_s=time.perf_counter() - started,
        part=part,
    )
    for mode in isolations:
        for count in workers:
            row = measure_configuration(cases, mode, count, baseline, candidate, seconds, timeout)
            report.rows.append(row)
            if progress is not None:
                progress(row)
    return report
