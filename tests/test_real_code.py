"""Real code as input: cases on real functions' shapes, judged like any other, and their part of the report."""

from __future__ import annotations

import functools

import pytest

from fuzz.generation.seeded_draws import seeded_cases
from fuzz.model.case import Case
from fuzz.model.tags import INPUTS
from fuzz.oracle.judge import run_case
from fuzz.report.real_code import RealCode, real_code_of, real_origin
from strategies import cases_for
from strategies.real_shapes import pool


@functools.cache
def _real_cases() -> tuple[Case, ...]:
    return tuple(seeded_cases(120, seed=4, strategy=cases_for("real-code")))


@pytest.mark.slow
def test_real_code_inputs_draw_real_shapes_only_and_many_of_them():
    drawn = _real_cases()
    assert len(drawn) >= 100
    assert all("shape:real" in case.tags for case in drawn)
    origins = {real_origin(case.tags) for case in drawn}
    assert len(origins) >= 20, "the real functions drawn are too few to speak of real code"
    known = {shape.origin for shape in pool()}
    assert origins <= known
    for case in drawn:
        compile(case.source, "<case>", "exec")


@pytest.mark.slow
def test_real_shaped_cases_are_judged_with_ground_truth(side_factory, fork_isolation):
    """legacy against itself never differs, and the real shape's own body never runs (ground truth holds)."""
    legacy = side_factory("legacy")
    kinds = set()
    for case in _real_cases()[:40]:
        verdict = run_case(case, legacy, side_factory("legacy"), fork_isolation)
        assert verdict.kind in ("match", "shared_failure", "uninformative"), (case.render(), verdict)
        kinds.add(verdict.kind)
    assert "match" in kinds


@pytest.mark.slow
def test_the_gate_draws_real_shapes_among_the_others():
    drawn = seeded_cases(400, seed=2)
    real = [case for case in drawn if "shape:real" in case.tags]
    assert 0 < len(real) < len(drawn)
    assert INPUTS == ("all", "real-code")


def test_real_code_summary_counts_merges_and_reads_back():
    records = [
        {"kind": "match", "tags": ["shape:real", "real:json.decoder:JSONObject"]},
        {"kind": "regression", "tags": ["shape:real", "real:json.decoder:py_scanstring"]},
        {"kind": "match", "tags": ["shape:generated"]},
    ]
    real = real_code_of(records, "3 real functions from 1 modules")
    assert (real.cases, real.modules, len(real.functions)) == (2, 1, 2)
    assert real.verdicts == {"match": 1, "regression": 1}
    again = RealCode.from_dict(real.to_dict())
    again.merge(real)
    assert again.cases == 4 and again.functions["json.decoder:JSONObject"] == 2
    text = "\n".join(real.to_markdown([("regression (AttributeError): ...", "json.decoder:py_scanstring")]))
    assert "## Real code" in text and "`json.decoder:py_scanstring`" in text
    assert real.headline().startswith("Real code: 2 cases on the shapes of 2 real functions from 1 modules")
