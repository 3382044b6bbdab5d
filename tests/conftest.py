"""Shared fixtures: sides are built once per worker, isolations once per mode; slow tests are scheduled first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from fuzz.isolation.pool import Isolation
from fuzz.oracle.sides import Side, make_side

pytest_plugins = ["fuzz.pytest_plugin"]

# Each example runs three fresh interpreters: keep the suite's default budget modest
# (raise it with --fuzz-examples N) and never time individual examples.
settings.register_profile("project", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")

#: A short bound keeps the hang tests quick; real cases finish in milliseconds.
TEST_TIMEOUT = 5.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the tests marked slow first, each part in its collection order.

    pytest-xdist hands tests out in this order, one at a time (``--maxschedchunk 1`` in ``addopts``). A gate
    run end to end takes seconds to a minute and most other tests milliseconds, so starting the long ones
    first lets the short ones fill in around them, and no worker starts a minute-long test while the other
    has nothing left to run. Every worker sorts the same collection the same way, as pytest-xdist requires.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def side_factory() -> Iterator:
    """Build each side spec once per worker: a side is a private cloudpickle copy."""
    built: dict[str, Side] = {}

    def get(spec: str) -> Side:
        if spec not in built:
            built[spec] = make_side(spec)
        return built[spec]

    yield get


@pytest.fixture(scope="session")
def fork_isolation() -> Iterator[Isolation]:
    with Isolation("fork", timeout=TEST_TIMEOUT) as isolation:
        yield isolation


@pytest.fixture(scope="session")
def spawn_isolation() -> Iterator[Isolation]:
    with Isolation("spawn", timeout=TEST_TIMEOUT) as isolation:
        yield isolation
