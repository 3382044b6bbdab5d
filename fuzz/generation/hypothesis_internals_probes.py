"""Probes of the installed Hypothesis: does each internal :mod:`fuzz.generation.hypothesis_internals` uses still work?

Each probe drives Hypothesis through that module's functions the way the
campaign or the shrinker does, on a small strategy, and raises if the
behaviour relied on is gone. :func:`check` runs them and names what broke.

A module of its own, imported only when checking: Hypothesis draws some
values from the constants of the project's modules a process holds, so the
probes' numbers and words must not join the campaign's processes.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# Each use goes through the module, as the fuzzer's own do (and as a test imitating a breakage patches them).
from fuzz.generation import hypothesis_internals as internals

if TYPE_CHECKING:
    from hypothesis import settings


@dataclass(frozen=True)
class Internal:
    """One part of Hypothesis relied on: its name, what breaks without it, and a probe that raises if it broke."""

    name: str
    breaks: str
    probe: Callable[[], None]


def _quiet(**overrides: Any) -> settings:
    """Settings for a probe: no database unless given, no deadline, no health checks, nothing printed.

    Never derandomized: with ``CI`` set, Hypothesis's default profile is its
    ``ci`` one, which derandomizes every test, and a derandomized run reads no
    forced seed, so the probe of the forced seed would blame Hypothesis for
    the environment.
    """
    from hypothesis import HealthCheck, Verbosity, settings

    chosen: dict[str, Any] = {
        "database": None,
        "deadline": None,
        "suppress_health_check": list(HealthCheck),
        "verbosity": Verbosity.quiet,
        "print_blob": False,
        "derandomize": False,
    }
    chosen.update(overrides)
    return settings(**chosen)


def _probe_database_key() -> None:
    """A failure is saved under the key given, and a second test with that key (another digest) replays it."""
    from hypothesis import Phase, given
    from hypothesis import strategies as st
    from hypothesis.database import InMemoryExampleDatabase

    database = InMemoryExampleDatabase()
    key = b"hypothesis-internals.database-key"

    @_quiet(database=database, max_examples=200, phases=[Phase.generate, Phase.shrink])
    @given(st.integers(0, 1000))
    def fails(number: int) -> None:
        assert number < 10

    internals.use_database_key(fails, key)
    try:
        fails()
    except AssertionError:
        pass
    else:
        raise AssertionError("a test that fails for every number from 10 up found no failure in 200 examples")
    if not list(database.fetch(key)):
        raise AssertionError("the failure was not saved under the key the attribute gave")

    replayed: list[int] = []

    @_quiet(database=database, max_examples=1, phases=[Phase.reuse])
    @given(st.integers(0, 1000))
    def replays(number: int) -> None:
        replayed.append(number)

    internals.use_database_key(replays, key)
    replays()
    if replayed != [10]:
        raise AssertionError(f"another test under the same key replayed {replayed}, not the saved failure [10]")


def _generated(seed: int) -> list[int]:
    """What :func:`hypothesis.find` draws in 20 examples with ``seed`` forced."""
    from hypothesis import Phase, find
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    drawn: list[int] = []

    def never(number: int) -> bool:
        drawn.append(number)
        return False

    with internals.forced_seed(seed), contextlib.suppress(NoSuchExample):
        find(st.integers(), never, settings=_quiet(max_examples=20, phases=[Phase.generate]))
    return drawn


def _probe_forced_seed() -> None:
    """The same forced seed draws the same examples; another seed draws others (so the seed is what is read)."""
    first, again, other = _generated(0), _generated(0), _generated(1)
    if not first:
        raise AssertionError("nothing was drawn")
    if first != again:
        raise AssertionError(f"two runs with seed 0 forced drew different examples: {first[:5]}... and {again[:5]}...")
    if first == other:
        raise AssertionError("runs with seeds 0 and 1 forced drew the same examples: the forced seed is not read")


def _recorded(strategy: Any, keep: Callable[[Any], bool]) -> tuple[Any, bytes]:
    """The first example of ``strategy`` that ``keep`` accepts (seed 0), with :func:`drawn_choices` taken as it ran."""
    from hypothesis import Phase, given, seed

    recorded: list[tuple[Any, bytes]] = []

    @seed(0)
    @_quiet(max_examples=200, phases=[Phase.generate])
    @given(strategy)
    def record(value: Any) -> None:
        if not recorded and keep(value):
            recorded.append((value, internals.drawn_choices()))

    record()
    if not recorded:
        raise AssertionError("no example to record was drawn in 200 tries")
    value, choices = recorded[0]
    if not isinstance(choices, bytes) or not choices:
        raise AssertionError(f"the recorded choices are {choices!r}, not the bytes of a choice sequence")
    return value, choices


def _probe_drawn_choices() -> None:
    """The choices recorded while an example ran, saved in a database, replay to the same example."""
    import unittest

    from hypothesis import Phase, find
    from hypothesis import strategies as st
    from hypothesis.database import InMemoryExampleDatabase
    from hypothesis.errors import NoSuchExample

    strategy = st.tuples(
        st.integers(), st.text(max_size=8), st.lists(st.booleans(), max_size=6), st.sampled_from("xyz")
    )
    # Every part away from its simplest value, so a choice lost or moved shows in the replayed example.
    value, choices = _recorded(
        strategy, lambda drawn: drawn[0] != 0 and drawn[1] and len(drawn[2]) > 1 and drawn[3] != "x"
    )
    database = InMemoryExampleDatabase()
    key = b"hypothesis-internals.drawn-choices"
    database.save(key, choices)
    config = _quiet(database=database, max_examples=1, phases=[Phase.reuse])
    try:
        find(strategy, lambda drawn: drawn == value, settings=config, database_key=key)
    except (NoSuchExample, unittest.SkipTest):  # replayed to another example, or to none
        raise AssertionError(f"the choices recorded for {value!r} did not replay to it") from None


def _probe_unshrunk_corpus() -> None:
    """A failure saved in the ``.secondary`` corpus is replayed and shrunk by ``find`` with the seed forced.

    The failure is one Hypothesis saved itself, unshrunk, so this probe does
    not depend on :func:`drawn_choices`, which has a probe of its own.
    """
    import unittest

    from hypothesis import Phase, find
    from hypothesis import strategies as st
    from hypothesis.database import InMemoryExampleDatabase
    from hypothesis.errors import NoSuchExample

    strategy = st.integers(0, 1000)
    database = InMemoryExampleDatabase()
    found_key, key = b"hypothesis-internals.found", b"hypothesis-internals.unshrunk"
    generating = _quiet(database=database, max_examples=1000, phases=[Phase.generate])
    found = find(strategy, lambda number: number >= 100, settings=generating, database_key=found_key)
    saved = list(database.fetch(found_key))
    if not saved:
        raise AssertionError(f"Hypothesis saved nothing for the failure it found ({found}), so nothing could be moved")
    for choices in saved:
        internals.save_unshrunk(database, key, choices)
    shrinking = _quiet(database=database, max_examples=1, phases=[Phase.reuse, Phase.shrink])
    try:
        with internals.forced_seed(0):
            shrunk = find(strategy, lambda number: number >= 10, settings=shrinking, database_key=key)
    except (NoSuchExample, unittest.SkipTest):  # nothing replayed, or nothing that holds
        raise AssertionError(f"{found}, saved as not shrunk yet, was never replayed") from None
    if shrunk != 10:
        raise AssertionError(f"{found}, saved as not shrunk yet, was replayed but shrank to {shrunk}, not 10")


def _probe_state_machine_test() -> None:
    """The test returned for a machine factory can be seeded and called, and runs the machine's rules."""
    from hypothesis import seed
    from hypothesis.stateful import RuleBasedStateMachine, rule

    steps: list[int] = []

    class Counting(RuleBasedStateMachine):
        @rule()
        def step(self) -> None:
            steps.append(1)

    def machine() -> Counting:
        return Counting()

    seed(0)(internals.state_machine_test(machine, _quiet(max_examples=2, stateful_step_count=3)))()
    if not steps:
        raise AssertionError("the state machine's test ran no rule")


INTERNALS: tuple[Internal, ...] = (
    Internal(
        internals.DATABASE_KEY_ATTRIBUTE,
        "the campaign's database is neither saved to nor replayed under its fixed key",
        _probe_database_key,
    ),
    Internal(
        "hypothesis.core.global_force_seed",
        "the shrinker no longer shrinks the same finding the same way",
        _probe_forced_seed,
    ),
    Internal(
        "current_build_context().data.choices with hypothesis.database.choices_to_bytes",
        "findings carry no choices: the campaign's database keeps nothing and Hypothesis's shrinker is skipped",
        _probe_drawn_choices,
    ),
    Internal(
        "the example database's '<key>.secondary' corpus",
        "Hypothesis's shrinker never sees a finding: the case reducer alone shrinks",
        _probe_unshrunk_corpus,
    ),
    Internal(
        "hypothesis.stateful.get_state_machine_test",
        "the campaign's state-machine part cannot start",
        _probe_state_machine_test,
    ),
)


def check(names: Iterable[str] | None = None) -> list[str]:
    """One line for each internal (of ``names``, default all) the installed Hypothesis broke; empty if none.

    Each line names the internal, the Hypothesis version, what went wrong and
    what the fuzzer loses without it.
    """
    import hypothesis

    wanted = None if names is None else set(names)
    unknown = (wanted or set()) - {internal.name for internal in INTERNALS}
    if unknown:
        raise ValueError(f"no such internal: {', '.join(sorted(unknown))}")
    broken = []
    for internal in INTERNALS:
        if wanted is not None and internal.name not in wanted:
            continue
        try:
            internal.probe()
        except Exception as exc:  # noqa: BLE001  (whatever the probe raises, that internal is broken)
            broken.append(
                f"{internal.name} broke in Hypothesis {hypothesis.__version__} "
                f"({type(exc).__name__}: {exc}); without it {internal.breaks}"
            )
    return broken


def main() -> int:
    """``python -m fuzz.generation.hypothesis_internals_probes``: check every internal; exit 1 if any broke."""
    import hypothesis

    broken = check()
    for line in broken:
        print(line)
    if not broken:
        print(f"Hypothesis {hypothesis.__version__}: all {len(INTERNALS)} internals behave as relied on")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
