"""Batched isolation judges exactly as per-case isolation does: the proof, case by case.

Batch isolation (:mod:`fuzz.isolation.remote.fork_server`) lets one child
serve case after case; it is only worth its speed if no verdict changes. This
judges one seeded pool of generated cases twice, once per mode, and compares
each case's whole verdict: its kind and reason, both sides' submodule lists,
pickling errors and loads, the run at home, and every outcome's status,
value, imported modules and preloaded modules.

Each mode runs in its own process (the ``multiprocessing`` *spawn* context,
both with the same hash seed), which draws the pool from the seed itself: the fuzzer's own process gains
standard-library modules as it materialises cases, and what it holds is part
of what a case's home run imports, so both modes must start from the same
state and see the cases in the same order.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import multiprocessing
import os
from dataclasses import dataclass, field
from unittest import mock

from fuzz.generation.seeded_draws import seeded_cases
from fuzz.isolation.pool import Isolation
from fuzz.oracle.judge import run_cases
from fuzz.oracle.sides import make_side


def judge_pool(
    count: int, seed: int, mode: str, baseline: str, candidate: str, timeout: float
) -> list[tuple[dict, bool]]:
    """Every verdict of the seeded pool under ``mode`` as a plain dict, and whether the case shared a child.

    A worker process's body.
    """
    cases = seeded_cases(count, seed)
    sides = make_side(baseline), make_side(candidate)
    with Isolation(mode, timeout=timeout) as isolation:
        return [(dataclasses.asdict(j.verdict), j.shared) for j in run_cases(cases, *sides, isolation)]


@dataclass
class EquivalenceReport:
    """Per-case against batched verdicts of one seeded pool."""

    cases: int
    seed: int
    #: Cases batch isolation let share a child with others (the rest ran one per child in both modes).
    shared: int
    #: Index of each case whose verdicts differ, with both verdicts.
    differences: list[tuple[int, dict, dict]] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict:
        return {**dataclasses.asdict(self), "identical": self.identical}

    def summary(self) -> str:
        same = self.cases - len(self.differences)
        return (
            f"batch against fork isolation: {same} of {self.cases} verdicts identical "
            f"(seed {self.seed}; {self.shared} cases could share a child)"
        )


def compare_modes(
    count: int, seed: int = 0, baseline: str = "legacy", candidate: str = "proposed", timeout: float = 10.0
) -> EquivalenceReport:
    """Judge the seeded pool per case (``fork``) and batched (``batch``), each in a fresh process, and compare."""
    context = multiprocessing.get_context("spawn")
    # One hash seed for both (the workers inherit this environment): set order decides the order a
    # detector lists submodules in, and with it whether two sides' pickles are the same bytes.
    with mock.patch.dict(os.environ, {"PYTHONHASHSEED": str(seed)}):
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
            per_case, batched = (
                pool.submit(judge_pool, count, seed, mode, baseline, candidate, timeout) for mode in ("fork", "batch")
            )
            fork_verdicts, batch_verdicts = per_case.result(), batched.result()
    if len(fork_verdicts) != len(batch_verdicts):
        raise RuntimeError(f"fork judged {len(fork_verdicts)} cases, batch {len(batch_verdicts)}")
    report = EquivalenceReport(len(fork_verdicts), seed, sum(shared for _, shared in batch_verdicts))
    for index, ((one, _), (other, _)) in enumerate(zip(fork_verdicts, batch_verdicts)):
        if one != other:
            report.differences.append((index, one, other))
    return report
