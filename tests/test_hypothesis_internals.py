"""The installed Hypothesis still has, and still honours, the internals the fuzzer relies on.

:mod:`fuzz.generation.hypothesis_internals` holds every use of Hypothesis outside its
public API; its :func:`~fuzz.generation.hypothesis_internals_probes.check` probes each one
(:mod:`fuzz.generation.hypothesis_internals_probes`). A
failure here names the internal and the Hypothesis version: before moving the
upper bound on Hypothesis in ``pyproject.toml``, install the new release and
run this file (or ``python -m fuzz.generation.hypothesis_internals_probes``).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable

import hypothesis
import hypothesis.database
import hypothesis.stateful
import pytest

from fuzz.generation import hypothesis_internals
from fuzz.generation.hypothesis_internals import DATABASE_KEY_ATTRIBUTE
from fuzz.generation.hypothesis_internals_probes import INTERNALS, check, main

NAMES = [internal.name for internal in INTERNALS]


@pytest.mark.parametrize("name", NAMES)
def test_the_installed_hypothesis_keeps_the_internal(name: str) -> None:
    broken = check([name])
    assert not broken, "\n".join(broken)


def _choices_in_another_order(monkeypatch: pytest.MonkeyPatch) -> None:
    encode = hypothesis.database.choices_to_bytes
    monkeypatch.setattr(hypothesis.database, "choices_to_bytes", lambda choices: encode(tuple(choices)[::-1]))


#: How a Hypothesis release could break each internal, imitated here: the check must then name that one alone.
BREAKAGES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    DATABASE_KEY_ATTRIBUTE: lambda mp: mp.setattr(
        hypothesis_internals, "DATABASE_KEY_ATTRIBUTE", "_hypothesis_internal_database_key_renamed"
    ),
    "hypothesis.core.global_force_seed": lambda mp: mp.setattr(
        hypothesis_internals, "forced_seed", lambda seed: contextlib.nullcontext()
    ),
    "current_build_context().data.choices with hypothesis.database.choices_to_bytes": _choices_in_another_order,
    "the example database's '<key>.secondary' corpus": lambda mp: mp.setattr(
        hypothesis_internals, "UNSHRUNK_SUFFIX", b".renamed"
    ),
    "hypothesis.stateful.get_state_machine_test": lambda mp: mp.delattr(hypothesis.stateful, "get_state_machine_test"),
}


def test_every_internal_has_a_breakage_imitated() -> None:
    assert sorted(BREAKAGES) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_broken_internal_is_named_with_the_hypothesis_version(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    BREAKAGES[name](monkeypatch)
    broken = check()
    assert len(broken) == 1, broken
    assert broken[0].startswith(f"{name} broke in Hypothesis {hypothesis.__version__} ("), broken[0]


def test_check_refuses_a_name_it_does_not_know() -> None:
    with pytest.raises(ValueError, match=r"no such internal: hypothesis\.nothing"):
        check(["hypothesis.nothing"])


def test_run_by_hand_it_says_what_it_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main() == 0
    assert capsys.readouterr().out == (
        f"Hypothesis {hypothesis.__version__}: all {len(INTERNALS)} internals behave as relied on\n"
    )


def test_it_holds_no_constant_a_strategy_could_draw() -> None:
    """Hypothesis draws numbers and text from the loaded modules' constants: the fuzzer's draws must not change.

    The probes, whose numbers and words would join the pool, are a module of
    their own; what is left is a bytes value, and no strategy draws bytes.
    """
    from hypothesis.internal.constants_ast import constants_from_module

    assert {type(c) for c in constants_from_module(hypothesis_internals)} <= {bytes}


def test_importing_it_imports_no_hypothesis() -> None:
    """Seeded draws depend on the modules a process holds: the module adds none of Hypothesis's until called."""
    code = (
        "import sys, fuzz.generation.hypothesis_internals; "
        "print(sorted(m for m in sys.modules if m.startswith('hypothesis')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"
