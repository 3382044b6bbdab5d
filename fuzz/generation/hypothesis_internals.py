"""The parts of Hypothesis outside its documented API that the fuzzer relies on, each behind one function here.

The campaign and the shrinker need five things Hypothesis's public API does
not offer. Each is done here and nowhere else, so a Hypothesis release that
changes one breaks this module alone, and the probes
(:func:`fuzz.generation.hypothesis_internals_probes.check`, run by
``tests/test_hypothesis_internals.py``, or by hand as ``python -m
fuzz.generation.hypothesis_internals_probes``) name what broke.
``pyproject.toml`` bounds Hypothesis to the releases they passed on. The
probes import this module, never the other way: their constants must stay out
of the processes that draw cases, since Hypothesis draws from the constants of
the project's modules a process holds.

``_hypothesis_internal_database_key`` (:func:`use_database_key`)
    The attribute Hypothesis reads a test's example-database key from
    (:func:`hypothesis.find` sets it from its ``database_key``; ``@given`` has
    no such argument). The campaign's stateless property saves and replays
    findings under the fixed ``fuzz.campaign.database.CASES_KEY`` rather than
    Hypothesis's digest of the property's source, so that editing the property
    keeps the database. Without it, ``python -m fuzz campaign`` silently
    replays nothing an earlier run saved.

``hypothesis.core.global_force_seed`` (:func:`forced_seed`)
    The seed ``pytest --hypothesis-seed`` forces. The shrinker seeds its
    :func:`hypothesis.find` through it, so the same finding shrinks the same
    way; ``@seed`` or ``find(random=...)``, the public ways, stop Hypothesis
    reading the database the finding's choices are saved in. If it is
    ignored, the same seed no longer shrinks a finding the same way; if it is
    gone, Hypothesis's shrinker is skipped for every finding.

``current_build_context().data.choices`` and ``hypothesis.database.choices_to_bytes`` (:func:`drawn_choices`)
    The choices the running example was drawn from, as the example database
    stores them. The campaign keeps them with each finding: they are what its
    database saves and what the shrinker replays. Without them findings carry
    no choices (:func:`fuzz.generation.seeded_draws.current_choices` gives ``None``): the
    campaign's database keeps nothing, and Hypothesis's shrinker, the first
    stage of shrinking, is skipped for every finding.

The ``<key>.secondary`` corpus (:func:`save_unshrunk`)
    Where Hypothesis keeps failures it has not shrunk yet, replayed and
    shrunk by a run whose phases are ``reuse`` and ``shrink``: the shrinker
    puts a finding's choices there, and :func:`hypothesis.find` shrinks them.
    Without it, Hypothesis never sees the finding, and every finding is left
    to the case reducer alone ("Hypothesis could not replay the case").

``hypothesis.stateful.get_state_machine_test`` (:func:`state_machine_test`)
    Undocumented: the test :func:`hypothesis.stateful.run_state_machine_as_test`
    runs, returned rather than run, so the campaign can seed it and stop it at
    its deadline as it does its stateless property. Without it, the campaign's
    state-machine part cannot start.

Seeded draws depend on which modules a process holds, and on their
constants (Hypothesis draws some values from the constants of the project's
modules loaded): nothing here imports Hypothesis until it is called, the
probes' constants stay out of this module, and the one constant it has,
``b".secondary"``, is a bytes value, which no strategy of the project draws.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis import settings
    from hypothesis.database import ExampleDatabase
    from hypothesis.stateful import RuleBasedStateMachine

#: The attribute of a test function Hypothesis reads its example-database key from.
DATABASE_KEY_ATTRIBUTE = "_hypothesis_internal_database_key"
#: What Hypothesis appends to a test's key for the corpus of failures it has not shrunk yet.
UNSHRUNK_SUFFIX = b".secondary"


def use_database_key(test: Callable[..., Any], key: bytes) -> None:
    """Make the ``@given`` test ``test`` save and replay its examples under ``key``."""
    setattr(test, DATABASE_KEY_ATTRIBUTE, key)


@contextlib.contextmanager
def forced_seed(seed: int) -> Iterator[None]:
    """Within the block, Hypothesis runs not seeded otherwise use ``seed``; ``find`` still reads its database."""
    import hypothesis.core

    previous = hypothesis.core.global_force_seed
    hypothesis.core.global_force_seed = seed  # type: ignore[assignment]  # typed as None until a seed is forced
    try:
        yield
    finally:
        hypothesis.core.global_force_seed = previous


def drawn_choices() -> bytes:
    """The choices the running Hypothesis example was drawn from, as its example database stores them."""
    from hypothesis.control import current_build_context
    from hypothesis.database import choices_to_bytes

    return choices_to_bytes(current_build_context().data.choices)


def save_unshrunk(database: ExampleDatabase, key: bytes, choices: bytes) -> None:
    """Save ``choices`` where a run under ``key`` replays and shrinks them (its phases ``reuse`` and ``shrink``)."""
    database.save(key + UNSHRUNK_SUFFIX, choices)


def state_machine_test(factory: Callable[[], RuleBasedStateMachine], config: settings) -> Callable[[], None]:
    """The test that runs the machines ``factory`` makes with ``config``, to be seeded and called."""
    from hypothesis.stateful import get_state_machine_test

    # Hypothesis accepts any factory; its stub says a class.
    return get_state_machine_test(factory, settings=config)  # type: ignore[arg-type]
