"""The time-to-bug benchmark: its statistics, its JSON and comparison, its handling of a gate, its command line.

The statistics and tables are checked on fabricated runs; how a gate is
watched, stopped and cleaned up after is checked on a stand-in gate (a
script that behaves as the gate does on the outside, in a second); one real
benchmark run, against a planted bug a gate finds within seconds, checks
that the figures come out finite and positive end to end.
"""

from __future__ import annotations

import functools
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from fuzz.errors import EXIT_OK, EXIT_USAGE, UsageError
from fuzz.perf import time_to_bug as ttb
from fuzz.perf import timed_gate
from fuzz.perf.timed_gate import CauseTime, GateRequest, GateTiming, time_gate
from tests.test_bench import _run

REPO = Path(__file__).resolve().parent.parent


def timing(target: str, first_failure: float | None, seed: int = 0, budget: float = 60.0, **kw) -> GateTiming:
    figures = {"first_verdict_s": 2.0, "cases": 100, "cases_per_s": 50.0, "wall_s": 5.0, "exit_code": 130,
               "stopped_early": first_failure is not None, **kw}  # fmt: skip
    return GateTiming(target, seed, budget, first_failure, **figures)


def result_of(runs: list[GateTiming], seeds: int = 3, budget: float = 60.0, **kw) -> ttb.BenchmarkResult:
    detectors = tuple(dict.fromkeys(run.target for run in runs if run.target != ttb.TREE_PAIR))
    return ttb.BenchmarkResult(ttb.BenchmarkSettings(detectors, seeds, budget, 2, **kw), list(runs))


# -- statistics ---------------------------------------------------------------------------


def test_median_and_worst_per_detector_count_a_run_that_found_nothing_as_past_the_budget():
    runs = [
        timing("a", 3.0), timing("a", 9.0, seed=1), timing("a", 5.0, seed=2),
        timing("b", 4.0), timing("b", None, seed=1), timing("b", 2.0, seed=2),
        timing("c", None), timing("c", 7.0, seed=1), timing("c", None, seed=2),
    ]  # fmt: skip
    a, b, c = ttb.summarise(runs)
    assert (a.target, a.median_s, a.worst_s, a.found, a.runs) == ("a", 5.0, 9.0, 3, 3)
    assert (b.median_s, b.worst_s, b.found) == (4.0, math.inf, 2)
    assert (c.median_s, c.worst_s, c.found) == (math.inf, math.inf, 1)
    assert not c.never_found
    text = ttb.table(result_of(runs))
    assert "| `a` | 5.0 | 9.0 | 3/3 | 50 |" in text
    assert "| `b` | 4.0 | >60 | 2/3 | 50 |" in text
    assert "| `c` | >60 | >60 | 1/3 | 50 |" in text


def test_a_failure_judged_after_the_budget_is_not_found():
    late = timing("a", 61.0)
    assert not late.found and late.time_or_inf == math.inf
    assert timing("a", 60.0).found


def test_an_even_number_of_runs_takes_the_mean_of_the_middle_two_unless_one_is_not_found():
    assert ttb.median_time([1.0, 3.0]) == 2.0
    assert ttb.median_time([1.0, math.inf]) == math.inf
    assert ttb.median_time([4.0, 1.0, math.inf, 2.0]) == 3.0
    assert ttb.median_time([]) == math.inf


def test_the_overall_line_is_the_median_of_the_medians_and_names_the_detectors_never_found():
    runs = [timing("a", 2.0), timing("b", 6.0), timing("c", None), timing("d", None), timing("e", 10.0)]
    runs += [timing("a", 4.0, seed=1), timing("b", 8.0, seed=1), timing("c", None, seed=1)]
    runs += [timing("d", 1.0, seed=1), timing("e", 12.0, seed=1)]
    runs.append(timing(ttb.TREE_PAIR, 1.0))  # summed up by its root causes, never in the line
    over = ttb.overall(runs)
    # Medians: a 3, b 7, c >60, d >60 (one of two not found), e 11: the middle one is e's.
    assert over.median_of_medians == 11.0
    assert over.never_found == ("c",)
    assert (over.detectors, over.runs, over.runs_found) == (5, 10, 7)
    line = ttb.overall_line(over)
    assert "median of the medians 11.0 s" in line and "never found within 60 s: 1 (`c`)" in line
    assert ttb.overall([timing("a", None), timing("b", None)]).median_of_medians == math.inf


def test_each_root_cause_of_the_tree_pair_is_timed_over_every_run():
    alias = CauseTime("k-alias", "an alias", "regression", 3.0)
    size = CauseTime("k-size", "a size threshold of 258 names", "regression", 40.0, shrunk=False)
    runs = [
        timing(ttb.TREE_PAIR, 3.0, causes=(alias, size)),
        timing(ttb.TREE_PAIR, 5.0, seed=1, causes=(CauseTime("k-alias", "an alias in f", "regression", 5.0),)),
        timing(ttb.TREE_PAIR, None, seed=2),
    ]
    first, second = ttb.summarise_causes(runs)
    assert (first.key, first.found, first.runs, first.median_s, first.worst_s) == ("k-alias", 2, 3, 5.0, math.inf)
    assert first.words == "an alias"  # the shortest wording seen
    assert (second.key, second.found, second.median_s) == ("k-size", 1, math.inf)
    text = ttb.table(result_of(runs, trees=("/base", "/head")))
    assert "| an alias | 5.0 | >60 | 2/3 |" in text
    assert "| a size threshold of 258 names (unshrunk) | >60 | >60 | 1/3 |" in text
    assert (first.shrunk, second.shrunk) == (True, False)


# -- JSON and comparison ---------------------------------------------------------------------


def test_a_result_written_as_json_reads_back_the_same(tmp_path):
    cause = CauseTime('["regression"]', "an alias", "regression", 4.5, shrunk=False)
    runs = [timing("a", 3.25, load=1.5), timing("a", None, seed=1), timing(ttb.TREE_PAIR, 4.5, causes=(cause,))]
    result = result_of(runs, seeds=2, trees=("/base", "/head"))
    path = tmp_path / "ttb.json"
    path.write_text(json.dumps(result.to_dict()))
    again = ttb.load(str(path))
    assert again.runs == result.runs
    assert again.settings == result.settings
    data = json.loads(path.read_text())
    assert data["summary"][0] == {"target": "a", "runs": 2, "found": 1, "median_s": None, "worst_s": None,
                                  "cases_per_s": 50.0}  # fmt: skip
    assert data["runs"][1]["found"] is False and data["runs"][1]["first_failure_s"] is None


def test_the_comparison_gives_each_detectors_medians_and_their_ratio():
    before = result_of([timing("a", 4.0), timing("b", 10.0), timing("c", None), timing("d", 3.0)])
    after = result_of([timing("a", 2.0), timing("b", None), timing("c", 6.0), timing("d", 3.0)])
    text = ttb.comparison(before, after)
    assert "| `a` | 4.0 | 2.0 | 2.00x |" in text
    assert "| `b` | 10.0 | >60 | lost |" in text
    assert "| `c` | >60 | 6.0 | found now |" in text
    assert "| `d` | 3.0 | 3.0 | 1.00x |" in text
    # Medians of medians: before 3, 4, 10, >60 -> 7.0; after 2, 3, 6, >60 -> 4.5.
    assert "| **median of the medians** | 7.0 | 4.5 | 1.56x |" in text
    other = result_of([timing("a", 2.0)], budget=30.0)
    assert "the budgets differ (60 s before, 30 s after)" in ttb.comparison(before, other)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("not json", "not JSON"),
        ('{"kind": "gate"}', "not a time-to-bug result"),
        ('{"kind": "time-to-bug", "format": 99}', "format 99"),
        ('{"kind": "time-to-bug", "format": 1, "runs": []}', "missing or bad field"),
    ],
)
def test_a_file_to_compare_with_that_is_not_a_result_is_a_usage_error(tmp_path, content, named):
    path = tmp_path / "old.json"
    path.write_text(content)
    with pytest.raises(UsageError, match=named):
        ttb.load(str(path))


def test_run_benchmark_runs_every_gate_in_order_and_keeps_the_runs_made_when_interrupted():
    settings = ttb.BenchmarkSettings(("a", "b"), 2, 30.0, 1, trees=("/base", "/head"))
    asked: list[GateRequest] = []

    def timer(request: GateRequest) -> GateTiming:
        asked.append(request)
        if len(asked) == 4:
            raise KeyboardInterrupt
        return timing(request.target, 1.0, seed=request.seed)

    result = ttb.BenchmarkResult(settings)
    with pytest.raises(KeyboardInterrupt):
        ttb.run_benchmark(result, timer=timer)
    assert [(r.target, r.seed) for r in asked] == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]
    assert asked[0].candidate == "detector:fuzz.detectors.planted:a" and asked[0].baseline == "legacy"
    assert len(result.runs) == 3 and result.interrupted
    assert "Interrupted: 3 of 6 runs were made." in ttb.table(result)
    trees = [r for r in settings.requests() if r.target == ttb.TREE_PAIR]
    assert [(r.baseline, r.candidate, r.stop_at_first_failure) for r in trees] == [
        ("tree:/base", "tree:/head", False)
    ] * 2


def test_every_planted_detector_this_python_can_show_is_benchmarked():
    from fuzz.detectors import planted

    chosen = set(ttb.planted_detectors())
    assert set(planted.BUGGY) | set(planted.BREADTH_BUGGY) | set(planted.SIZE_BUGGY) <= chosen
    assert not chosen & set(planted.HUGE_BUGGY)
    assert ("buggy_generic" in chosen) == (sys.version_info >= (3, 12))
    for name, (_, version) in planted.NEWER_BUGGY.items():
        assert (name in chosen) == (sys.version_info >= version)


# -- watching a gate: a stand-in that behaves as the gate does on the outside -----------------------

STAND_IN = textwrap.dedent(
    """
    import json, os, signal, sys, time
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    mode = os.environ["STAND_IN_MODE"]
    found = []

    def report(*_):
        findings = [{"kind": "regression", "root_cause": "an alias", "cause": {"key": ["k"]}, "first_seen": t}
                    for t in found if mode != "report-misses-it"]
        data = {"findings": findings, "started_at": START, "phases": {"first_verdict_s": 0.1},
                "timelines": {"run": {"cases": [[START + 0.1, 1], [START + 0.6, 51]]}}}
        with open(args["--json"], "w") as handle:
            json.dump(data, handle)
        sys.exit(130)

    START = time.time()
    if mode == "usage":
        print("error: invalid side spec"); sys.exit(2)
    # As the gate's guard does: a handling it inherits (an ignored SIGINT) is kept.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_IGN if mode == "deaf" else report)
    if mode == "deaf":
        # A helper of its own, in a session of its own and dying with it, as the gate's campaign is.
        import subprocess
        from fuzz.isolation.process_tree import die_with_parent
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", *sys.argv[1:]],
                         start_new_session=True, preexec_fn=die_with_parent)
    time.sleep(0.3)
    if mode in ("finds", "report-misses-it"):
        found.append(time.time())
        open(os.path.join(args["--findings"], "alias-0123456789ab.case.py"), "w").close()
    time.sleep(600)
    """
)


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    """Run the stand-in instead of the gate; its temporary files go under ``tmp_path``."""
    script = tmp_path / "gate.py"
    script.write_text(STAND_IN)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def command(request, corpus, findings, json_path, markdown):
        return [sys.executable, str(script), "--findings", findings, "--json", json_path]

    def run(mode: str, budget: float = 30.0, via=time_gate) -> GateTiming:
        monkeypatch.setenv("STAND_IN_MODE", mode)
        request = GateRequest("a", "legacy", "detector:x:y", 0, budget, 1)
        return via(request, command_for=command)

    yield run
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("fuzz-time-to-bug-")], "a scratch dir was left"


def test_a_gate_is_stopped_soon_after_its_first_failure_and_timed_from_its_report(stand_in):
    run = stand_in("finds")
    assert run.found and run.stopped_early and run.exit_code == 130
    assert 0.2 < run.first_failure_s < 2.0
    assert run.wall_s < 10.0, "the gate was not interrupted after its first failure"
    assert (run.cases, run.cases_per_s) == (51, pytest.approx(100.0))
    assert 0 < run.first_verdict_s < run.first_failure_s
    assert run.note == "" and run.causes == ()


def test_a_gate_started_where_ctrl_c_is_ignored_still_stops_at_its_first_failure(stand_in):
    """A benchmark started in the background by a script ignores SIGINT, and would pass that on to the gate."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        run = stand_in("finds")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert run.stopped_early and run.exit_code == 130 and run.wall_s < 10.0


def test_a_failure_the_report_lacks_is_timed_by_its_saved_file(stand_in):
    run = stand_in("report-misses-it")
    assert run.found and 0.2 < run.first_failure_s < 2.0
    assert "saved file's time stands in" in run.note


def test_a_gate_that_overruns_and_ignores_the_interrupt_is_killed_with_what_it_started(stand_in, monkeypatch, tmp_path):
    monkeypatch.setattr(timed_gate, "OVERRUN_S", 0.5)
    monkeypatch.setattr(timed_gate, "STOP_GRACE_S", 0.5)
    started = time.monotonic()
    run = stand_in("deaf", budget=0.5)
    assert time.monotonic() - started < 15.0
    assert not run.found and not run.stopped_early
    assert "overran its budget" in run.note and "wrote no report" in run.note
    time.sleep(0.5)  # the kernel's signal to the helper whose parent died
    # The stand-in and its helper both carry the run's scratch directory on their command lines.
    leftover = subprocess.run(["pgrep", "-af", str(tmp_path)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "a process of the gate outlived it"


def test_an_interrupted_benchmark_stops_the_gate_in_flight_at_once(stand_in, tmp_path):
    """The gate runs in a session of its own, so a Ctrl-C typed at the benchmark is passed on to it."""
    calls = 0

    def clock() -> float:
        nonlocal calls
        calls += 1
        if calls == 10:  # the launch, then the watch's looks: half a second in
            raise KeyboardInterrupt
        return time.time()

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        stand_in("searches", via=functools.partial(time_gate, clock=clock))
    assert time.monotonic() - started < timed_gate.STOP_GRACE_S / 2, "the gate was not interrupted"
    leftover = subprocess.run(["pgrep", "-af", str(tmp_path)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "the gate outlived the benchmark"


def test_a_gate_that_refuses_its_options_stops_the_benchmark(stand_in):
    with pytest.raises(UsageError, match="refused to run: error: invalid side spec"):
        stand_in("usage")


# -- command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command_line", "named"),
    [
        ("--seeds 0", "--seeds"),
        ("--budget nan", "--budget"),
        ("--workers 999", "--workers"),
        ("--detectors buggy_nothing", "buggy_nothing is not a planted buggy detector; choose from"),
        ("--detectors buggy_two_byte_arguments", "once in a million"),
        ("--detectors ,", "name at least one"),
        ("--detectors none", "leaves nothing to run"),
        ("--repeat 3", "--repeat is an option of timing dumps"),
        ("--candidate proposed", "--candidate is an option of timing dumps"),
        ("--trees /no/such/base /no/such/head", "is not a directory"),
        ("--compare a.json b.json c.json", "not more"),
        ("--compare /no/such/old.json", "cannot read it"),
        ("--markdown /no/such/dir/t.md", "does not exist"),
    ],
)
def test_bad_input_to_the_time_to_bug_mode_exits_2_naming_it(capsys, command_line, named):
    code, out, err = _run(capsys, "bench", "--time-to-bug", *command_line.split())
    assert code == EXIT_USAGE, out + err
    assert named in err
    assert "time to bug:" not in out, "it started running"


@pytest.mark.parametrize("option", [["--seeds", "2"], ["--budget", "10"], ["--detectors", "buggy_drop_deepest"]])
def test_an_option_of_the_time_to_bug_mode_without_it_exits_2(capsys, option):
    code, _, err = _run(capsys, "bench", *option)
    assert code == EXIT_USAGE
    assert f"{option[0]} is an option of --time-to-bug" in err


def test_comparing_two_results_runs_nothing_and_writes_the_comparison(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(result_of([timing("a", 4.0)]).to_dict()))
    new.write_text(json.dumps(result_of([timing("a", 2.0)]).to_dict()))
    markdown = tmp_path / "compare.md"
    compare = ["bench", "--time-to-bug", "--compare", str(old), str(new)]
    code, out, _ = _run(capsys, *compare, "--markdown", str(markdown))
    assert code == EXIT_OK
    assert "| `a` | 4.0 | 2.0 | 2.00x |" in out
    assert "| `a` | 4.0 | 2.0 | 2.00x |" in markdown.read_text()
    code, _, err = _run(capsys, *compare, "--json", str(tmp_path / "x"))
    assert code == EXIT_USAGE and "runs nothing" in err


# -- one real run ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_real_gate_finds_a_planted_bug_in_finite_time(tmp_path):
    """``buggy_raise_on_closures`` crashes on any closure, which a seeded gate draws among its first cases."""
    out = tmp_path / "ttb.json"
    command = [sys.executable, "-m", "fuzz", "bench", "--time-to-bug", "--detectors", "buggy_raise_on_closures",
               "--seeds", "1", "--workers", "1", "--json", str(out)]  # fmt: skip
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=240, cwd=REPO, env={**os.environ, "TMPDIR": str(tmp_path)}
    )
    assert proc.returncode == EXIT_OK, proc.stdout + proc.stderr
    (run,) = json.loads(out.read_text())["runs"]
    assert run["found"] and run["stopped_early"] and run["exit_code"] == 130
    assert 0 < run["first_verdict_s"] <= run["first_failure_s"] < 60
    assert run["cases"] > 0 and run["cases_per_s"] > 0
    assert "| `buggy_raise_on_closures` |" in proc.stdout
    assert not [p for p in tmp_path.iterdir() if p.name != "ttb.json"], "the run left files behind"
