"""Root-cause facts of lazy imports and annotation reads: read from the case's text, never run, on any Python."""

from __future__ import annotations

from fuzz.model.case import Case
from fuzz.shrinking.case_facts import case_facts

FILES = (("alpha/__init__.py", "lazy from . import util\n"), ("alpha/core.py", "VALUE = 1\n"), ("alpha/util.py", ""))


def _case(source: str, steps: tuple[str, ...] = ()) -> Case:
    return Case(FILES, source, entry="f", needed=("alpha.core",), name="lazy", steps=steps)


def test_a_pending_submodule_is_named_with_its_lines():
    facts = case_facts(_case("lazy import alpha.util\nimport alpha.core\n\ndef f():\n    return alpha.core.VALUE\n"))
    assert (
        facts.lazy[0] == "a submodule a lazy import left pending (`lazy import alpha.util`, then `import alpha.core`)"
    )
    assert "a lazy import in `alpha/__init__.py` (`lazy from . import util`)" in facts.lazy


def test_first_use_and_annotation_reads_are_named():
    source = "lazy import alpha.core\n\ndef f():\n    notes = f.__annotations__\n    return alpha.core.VALUE\n"
    assert (
        case_facts(_case(source, ("alpha\n",))).lazy[0]
        == "a lazy import (`lazy import alpha.core`), first used before the pickle"
    )
    assert case_facts(_case(source)).lazy[0].endswith("unused before the pickle")
    assert case_facts(_case(source)).annotation_reads == ("reading its own annotations (`__annotations__`)",)
    eager = case_facts(_case("import alpha.core\n\ndef f():\n    return alpha.core.VALUE\n")).lazy
    assert eager == ("a lazy import in `alpha/__init__.py` (`lazy from . import util`)",)
