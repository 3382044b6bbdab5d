"""A PASS must be earned: per-case verdicts that the harness broke, and the run's verdict."""

from __future__ import annotations

import dataclasses

import pytest

from fuzz.isolation.outcomes import LoadOutcome
from fuzz.model.verdict import classify, side_report
from fuzz.report.run_verdict import Problem, RunFacts, case_floor, decide

RETURNED = LoadOutcome("returned", "1")


def sides(b_load=RETURNED, c_load=RETURNED, expected=RETURNED, c_printed="", b_printed=""):
    b = side_report("legacy", (), None, b_load, expected, None, b_printed)
    c = side_report("cand", (), None, c_load, expected, None, c_printed)
    return b, c


@pytest.mark.parametrize(
    "expected",
    [
        LoadOutcome("timeout", "killed after 10 s"),
        LoadOutcome("signal", "SIGKILL"),
        LoadOutcome("exited", "exit code 1 without a result"),
        LoadOutcome("lost", "the fork server stopped answering"),
    ],
)
def test_a_reference_run_that_died_is_never_the_expected_behaviour(expected):
    # Both loads "behave as at home" (they timed out too): that is no evidence of anything.
    verdict = classify(*sides(expected, expected, expected), expected, None)
    assert verdict.kind == "unjudged"
    assert "reference run" in verdict.reason


def test_a_lost_load_leaves_the_case_unjudged_not_a_crash():
    lost = LoadOutcome("lost", "not run: its server did not start")
    verdict = classify(*sides(c_load=lost), RETURNED, None)
    assert verdict.kind == "unjudged" and "candidate's load" in verdict.reason


def test_output_while_pickling_is_a_crash_only_when_the_baseline_was_quiet():
    noisy = "wrote 10 bytes to stdout/stderr while pickling, starting 'xxxxxxxxxx'"
    assert classify(*sides(c_printed=noisy), RETURNED, None).kind == "crash"
    assert classify(*sides(c_printed=noisy, b_printed=noisy), RETURNED, None).kind == "match"


FACTS = RunFacts(generated=500, replayed=17, replay_only=False, floor=100, timed_out=3, runs=1500)


@pytest.mark.parametrize(
    "change, counts, reason",
    [
        ({"generated": 0}, {}, "no generated case was judged"),
        ({"generated": 99}, {}, "only 99 generated cases were judged, fewer than the 100"),
        ({"replay_only": True, "replayed": 0, "generated": 0}, {}, "no corpus entry was judged"),
        ({}, {"unjudged": 2}, "2 cases could not be judged"),
        ({"timed_out": 800, "runs": 1500}, {}, "800 of 1500 fresh-interpreter runs timed out"),
        ({"interrupted": "SIGTERM"}, {}, "interrupted by SIGTERM"),
    ],
)
def test_a_run_that_did_not_judge_enough_is_incomplete(change, counts, reason):
    verdict, reasons = decide({"match": 500, **counts}, dataclasses.replace(FACTS, **change), [])
    assert verdict == "incomplete"
    assert reason in reasons[0]


def test_a_blocking_problem_is_incomplete_and_a_note_is_not():
    assert decide({"match": 500}, FACTS, [Problem("a campaign worker died")]) == (
        "incomplete",
        ["a campaign worker died"],
    )
    assert decide({"match": 500}, FACTS, [Problem("corpus not writable", blocks_pass=False)]) == ("pass", [])


def test_findings_fail_even_an_incomplete_run_and_keep_its_reasons():
    verdict, reasons = decide({"regression": 1}, dataclasses.replace(FACTS, generated=3), [])
    assert verdict == "fail" and "only 3 generated cases" in reasons[0]


def test_strict_fails_on_benign():
    assert decide({"benign": 1, "match": 500}, FACTS, [], strict=True)[0] == "fail"
    assert decide({"benign": 1, "match": 500}, FACTS, [])[0] == "pass"


def test_the_floor_is_the_smaller_of_min_cases_and_max_examples():
    assert case_floor(100, None) == 100
    assert case_floor(100, 40) == 40
    assert case_floor(0, 40) == 0


MISSING_SUB = LoadOutcome("raised", "AttributeError: module 'pkg' has no attribute 'sub'")
EARLIER = LoadOutcome("raised", "AttributeError: module 'pkg' has no attribute 'other'")


def test_a_case_whose_function_fails_at_home_is_never_a_regression():
    # The baseline "behaves as at home" by failing as home fails; the candidate fails earlier.
    verdict = classify(*sides(MISSING_SUB, EARLIER, MISSING_SUB), MISSING_SUB, None)
    assert verdict.kind == "shared_failure" and "fails at home too" in verdict.reason
    # Nor a fix, the other way round.
    assert classify(*sides(EARLIER, MISSING_SUB, MISSING_SUB), MISSING_SUB, None).kind == "shared_failure"


def test_a_deliberate_failure_at_home_still_separates_the_sides():
    deliberate = LoadOutcome("raised", "ValueError: by design")
    verdict = classify(*sides(deliberate, MISSING_SUB, deliberate), deliberate, None)
    assert verdict.kind == "regression"


def test_a_pickling_crash_counts_whatever_happens_at_home():
    crashed = side_report("cand", (), "RuntimeError: boom", None, MISSING_SUB, None)
    baseline = side_report("legacy", (), None, MISSING_SUB, MISSING_SUB, None)
    assert classify(baseline, crashed, MISSING_SUB, None).kind == "crash"
