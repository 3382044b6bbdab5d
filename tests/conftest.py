"""Shared fixtures: sides are built once per worker, isolations once per mode."""

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
