"""pytest plugin: the fuzzer's options and fixtures, registered in one place.

Load it with ``-p fuzz.pytest_plugin`` (this project's ``tests/conftest.py``
does so). It adds:

``--fuzz-baseline SPEC`` / ``--fuzz-candidate SPEC``
    the sides compared by the differential tests (default ``legacy`` against
    ``installed``, which must agree);
``--fuzz-isolation fork|spawn``, ``--fuzz-timeout SECONDS``
    how pickles are loaded;
``--fuzz-examples N``
    examples per Hypothesis property (loads a settings profile with
    ``max_examples=N`` on top of the current one);

and the session fixtures ``fuzz_sides`` and ``fuzz_isolation``. Nothing is
done at import time; bad side specs are rejected when pytest configures.
The gate's campaign (:mod:`fuzz.gate.campaign_plugin`) takes its sides from
its own options, and builds them with :func:`guarded_sides` and checks them
with :func:`check_side` as these fixtures do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from fuzz.config.option_types import positive_seconds
from fuzz.isolation.pickling_guard import PicklingGuard, worker_file_path
from fuzz.isolation.pool import ISOLATION_MODES, Isolation, default_mode
from fuzz.oracle.sides import Side, SideSpecError, make_side, make_sides


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fuzz", "cloudpickle submodule detection fuzzing")
    group.addoption("--fuzz-baseline", default="legacy", metavar="SPEC", help="baseline side (default legacy)")
    group.addoption("--fuzz-candidate", default="installed", metavar="SPEC", help="candidate side (default installed)")
    group.addoption(
        "--fuzz-isolation", default=default_mode(), choices=ISOLATION_MODES, help=f"default {default_mode()}"
    )
    group.addoption("--fuzz-timeout", default=10.0, type=positive_seconds, metavar="SECONDS", help="bound per child")
    group.addoption("--fuzz-examples", default=None, type=int, metavar="N", help="examples per property")


def pytest_configure(config: pytest.Config) -> None:
    examples = config.getoption("--fuzz-examples")
    if examples is not None:
        if examples < 1:
            raise pytest.UsageError("--fuzz-examples must be at least 1")
        # Here, not at the top: a campaign's controller never imports Hypothesis, so its workers start sooner.
        from hypothesis import settings

        settings.register_profile("fuzz-examples", settings(settings.default, max_examples=examples))
        settings.load_profile("fuzz-examples")
    for option in ("--fuzz-baseline", "--fuzz-candidate"):
        check_side(config.getoption(option), option)


def check_side(spec: str, option: str) -> None:
    """Build the side once, so that a bad spec stops pytest as it starts, with a usage error naming ``option``."""
    try:
        make_side(spec)
    except SideSpecError as exc:
        raise pytest.UsageError(f"{option}: {exc}") from None


@contextmanager
def guarded_sides(
    baseline: str, candidate: str, timeout: float, worker_dir: str | None = None
) -> Iterator[tuple[Side, Side]]:
    """(baseline, candidate), pickling under one guard, closed after.

    With ``worker_dir``, the guard announces there what the sides are
    pickling (a worker file, :mod:`fuzz.isolation.pickling_guard`), so that
    whoever supervises the run can name the case and the side that killed or
    hung this process.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    guard = PicklingGuard(timeout, worker_file_path(worker_dir, worker) if worker_dir else None)
    try:
        yield make_sides(baseline, candidate, guard)
    finally:
        guard.close()


@pytest.fixture(scope="session")
def fuzz_sides(pytestconfig: pytest.Config) -> Iterator[tuple[Side, Side]]:
    """(baseline, candidate), built once per worker, pickling under one guard."""
    option = pytestconfig.getoption
    with guarded_sides(option("--fuzz-baseline"), option("--fuzz-candidate"), option("--fuzz-timeout")) as sides:
        yield sides


@pytest.fixture(scope="session")
def fuzz_isolation(pytestconfig: pytest.Config) -> Iterator[Isolation]:
    mode = pytestconfig.getoption("--fuzz-isolation")
    with Isolation(mode, timeout=pytestconfig.getoption("--fuzz-timeout")) as isolation:
        yield isolation
