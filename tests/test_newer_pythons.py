"""Dimensions of newer Pythons: lazy imports (PEP 810, 3.15+) and deferred annotations (PEP 649/749, 3.14+).

Each has a planted bug that a hand-written case and the generated cases of its
dimension expose, a harmless variation never blamed, and a case whose lazy
proxy no side can pickle, which is a shared failure and never the candidate's
crash. On a Python without the feature the tests skip, saying why.
"""

from __future__ import annotations

import sys

import pytest

from fuzz.detectors.planted import NEWER_BUGGY, NEWER_EQUIVALENT
from fuzz.generation.input_coverage import DIMENSIONS, coverage_of
from fuzz.model.case import Case
from fuzz.oracle.judge import run_case
from strategies.lazy_imports import LAZY_FORMS
from tests.generated_pool import assert_a_generated_case_exposes, seeded_pool

UNIVERSE = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\n"), ("pkg/other.py", "VALUE = 'pkg.other'\n"))
BODY = "    return pkg.sub.VALUE\n"


def _needs(version: tuple[int, int]) -> pytest.MarkDecorator:
    return pytest.mark.skipif(sys.version_info < version, reason=f"needs Python {version[0]}.{version[1]}+")


def _case(source: str, **kw) -> Case:
    return Case(UNIVERSE, source, entry="f", needed=("pkg.sub",), name="newer", **kw)


#: One hand-written case per planted bug, and the verdict it must get.
EXPOSING: dict[str, Case] = {
    "buggy_pending_lazy": _case("lazy import pkg.other\nimport pkg.sub\ndef f():\n" + BODY),
    "buggy_deferred_annotations": _case("import pkg.sub\ndef f() -> int:\n" + BODY),
}


def _usable(detector: str) -> pytest.param:
    return pytest.param(detector, marks=_needs(NEWER_BUGGY[detector][1]))


@pytest.mark.parametrize("detector", [_usable(d) for d in sorted(NEWER_BUGGY)])
def test_newer_bug_is_caught_on_its_case(detector, side_factory, fork_isolation):
    baseline, candidate = side_factory("legacy"), side_factory(f"detector:fuzz.detectors.planted:{detector}")
    verdict = run_case(EXPOSING[detector], baseline, candidate, fork_isolation)
    assert verdict.kind == "regression", verdict
    for equivalent in NEWER_EQUIVALENT:
        other = side_factory(f"detector:fuzz.detectors.planted:{equivalent}")
        assert run_case(EXPOSING[detector], baseline, other, fork_isolation).kind == "match"


@pytest.mark.parametrize("detector", [_usable(d) for d in sorted(NEWER_BUGGY)])
@pytest.mark.slow
def test_the_generator_exposes_each_newer_bug(detector, side_factory, fork_isolation):
    """Generated cases of the bug's dimension, among the first 1,000 of a seeded run, expose it."""
    assert_a_generated_case_exposes(detector, set(NEWER_BUGGY[detector][0]), side_factory, fork_isolation)


@_needs((3, 15))
@pytest.mark.parametrize(("first_use", "expected"), [("", "shared_failure"), ("pkg\n", "shared_failure"),
                                                     ("pkg.sub\n", "match")])  # fmt: skip
def test_a_lazy_proxy_before_first_use_is_a_shared_failure(first_use, expected, side_factory, fork_isolation):
    """``lazy import pkg.sub`` leaves an unpicklable proxy in the global until it is used: every side raises.

    Using the name imports ``pkg`` only: ``pkg.sub`` stays pending until it is reached, so both sides miss it.
    """
    case = _case("lazy import pkg.sub\ndef f():\n" + BODY, steps=(first_use,) if first_use else ())
    verdict = run_case(case, side_factory("legacy"), side_factory("proposed"), fork_isolation)
    assert verdict.kind == expected, verdict
    assert not verdict.failing


@_needs((3, 15))
@pytest.mark.slow
def test_every_lazy_form_is_drawn_and_counted():
    coverage = coverage_of(case.tags for case in seeded_pool())
    assert {d.name for d in DIMENSIONS} >= {"lazy import", "lazy name first used", "annotation read"}
    assert "lazy import" not in coverage.unreached(), coverage.unreached()
    assert set(LAZY_FORMS) == {v for v, n in coverage.counts["lazy import"].items() if n}


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="checks the dimensions are absent where the syntax is")
def test_older_pythons_report_no_newer_dimension():
    assert not {d.name for d in DIMENSIONS} & {"lazy import", "lazy name first used", "annotation read"}
