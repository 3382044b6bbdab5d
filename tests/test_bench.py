"""``bench``, ``slowness`` and ``throughput``: they run, their output is well-formed, bad input exits 2.

Budgets are tiny so the suite stays quick; nothing here asserts a timing,
only that every number is there and positive.
"""

from __future__ import annotations

import json
import sys
import types

import pytest

from fuzz.cli import main
from fuzz.errors import EXIT_OK, EXIT_USAGE
from fuzz.generation.seeded_draws import seeded_cases
from fuzz.oracle.judge import disjoint
from fuzz.perf import bench, slowness
from fuzz.perf.throughput import measure_throughput

SEED_FUNCTIONS = ("func1", "func2", "100-line")


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _load(path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


# -- bench ------------------------------------------------------------------------


def test_bench_writes_seed_and_scaling_rows(tmp_path, capsys):
    target = tmp_path / "bench.json"
    code, out, _ = _run(capsys, "bench", "--repeat", "1", "--number", "3", "--sizes", "100,2000", "--json", str(target))
    assert code == EXIT_OK
    data = _load(target)
    assert {"rows", "python", "baseline", "candidate", "repeat", "number"} <= data.keys()
    assert (data["baseline"], data["candidate"]) == ("legacy", "proposed")
    assert data["python"] == ".".join(map(str, sys.version_info[:3]))
    for row in data["rows"]:
        assert {"name", "baseline_s", "candidate_s", "ratio", "modules"} <= row.keys()
        assert row["baseline_s"] > 0 and row["candidate_s"] > 0 and row["ratio"] > 0
        assert row["name"] in out
    assert {row["group"] for row in data["rows"]} == {"seed", "new-function", "scaling"}
    seed = [row for row in data["rows"] if row["group"] == "seed"]
    assert len(seed) == 6
    assert all(any(key in row["name"] for row in seed) for key in SEED_FUNCTIONS)
    assert any(row["modules"] == bench.SEED_BIG_SIZE for row in seed)
    scaling = [row for row in data["rows"] if row["group"] == "scaling"]
    assert scaling[-1]["modules"] == 2000
    assert "ratio = baseline / candidate" in out


def test_grown_sys_modules_adds_unrelated_modules_and_removes_them():
    before = dict(sys.modules)
    target = len(before) + 150
    with bench.grown_sys_modules(target) as size:
        assert size == len(sys.modules) == target
        added = [name for name in sys.modules if name not in before]
        assert len({name.split(".")[0] for name in added}) >= 2, "several projects, not one"
        assert any(name.count(".") == 2 for name in added), "nested subpackages, as real trees have"
        assert all(isinstance(sys.modules[name], types.ModuleType) for name in added)
        assert not any(name.startswith(("collections.", "re.", "asyncio.", "json.")) for name in added)
    assert sys.modules.keys() == before.keys()


def test_benchmark_functions_are_pickled_by_value_and_use_packages():
    functions = bench.benchmark_functions()
    assert functions["func2"].__module__ not in sys.modules
    assert len(bench._large_function_source().splitlines()) >= 100


#: How each picture format begins: PNG's signature, and the XML declaration matplotlib's SVG starts with.
IMAGE_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<?xml"}


@pytest.mark.parametrize("suffix", sorted(IMAGE_MAGIC))
@pytest.mark.slow
def test_plot_draws_a_real_picture_when_matplotlib_is_importable(tmp_path, capsys, suffix):
    pytest.importorskip(
        "matplotlib", reason="matplotlib is in the test extra: install it with pip install -e '.[test]'"
    )
    assert bench.plotting_available()
    target = tmp_path / f"scaling{suffix}"
    code, out, err = _run(
        capsys, "bench", "--repeat", "1", "--number", "2", "--sizes", "100,1000", "--plot", str(target)
    )
    assert code == EXIT_OK, err
    picture = target.read_bytes()
    assert picture.startswith(IMAGE_MAGIC[suffix]), picture[:40]
    if suffix == ".svg":
        assert b"<svg" in picture[:1000] and picture.rstrip().endswith(b"</svg>")
    assert len(picture) > 1000, "a picture with a plot in it, not an empty canvas"
    assert f"wrote {target}" in out


@pytest.mark.parametrize("suffix", sorted(IMAGE_MAGIC))
def test_plot_without_matplotlib_explains_what_is_missing_and_exits_2(tmp_path, capsys, monkeypatch, suffix):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes ``import matplotlib`` fail
    assert not bench.plotting_available()
    target = tmp_path / f"scaling{suffix}"
    code, out, err = _run(capsys, "bench", "--repeat", "1", "--number", "1", "--plot", str(target))
    assert code == EXIT_USAGE
    assert "matplotlib" in err and "[plot]" in err
    assert out == "", "refused before anything was timed"
    assert not target.exists()


# -- slowness -----------------------------------------------------------------------


def test_hunt_returns_a_documented_report(side_factory):
    # A factor far below 1 confirms every case, so the confirmation path runs too.
    report = slowness.hunt(side_factory("legacy"), side_factory("proposed"), examples=3, factor=0.01, seed=1, repeats=1)
    assert isinstance(report, slowness.SlownessReport)
    assert report.examples + report.skipped + report.duplicates == 3
    assert report.examples >= 1 and report.slow and report.worst is not None
    assert report.slower_mode in slowness.PICKLING_MODES
    assert set(report.median_ratios) == set(slowness.PICKLING_MODES)
    for case in report.slow:
        assert case.source == case.case.render() and "def f" in case.source
        for timing in (case.first, case.new_function, case.repeated):
            assert timing.baseline_s > 0 and timing.candidate_s > 0 and timing.ratio > 0
        assert case.slower_mode in slowness.PICKLING_MODES
    assert [c.ratio for c in report.slow] == sorted((c.ratio for c in report.slow), reverse=True)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["slow"][0]["first"]["ratio"] > 0


def test_fresh_copy_is_a_new_cache_key_with_the_same_behaviour():
    namespace: dict = {}
    exec("import json\ndef f(x=1):\n    return json.dumps(x)\n", namespace)
    func = namespace["f"]
    copy = bench.fresh_copy(func, new_code=True)
    assert copy is not func and copy.__code__ != func.__code__
    assert copy() == func() and copy.__globals__ is func.__globals__
    same_code = bench.fresh_copy(func)
    assert same_code is not func and same_code.__code__ is func.__code__


def test_slowness_command_writes_json(tmp_path, capsys):
    target = tmp_path / "slow.json"
    code, out, _ = _run(capsys, "slowness", "--examples", "2", "--repeats", "1", "--json", str(target))
    assert code == EXIT_OK
    data = _load(target)
    assert {"baseline", "candidate", "examples", "slow", "worst", "median_ratios", "slower_mode"} <= data.keys()
    assert data["examples"] + data["skipped"] + data["duplicates"] == 2
    assert all(mode in out for mode in slowness.PICKLING_MODES)


# -- throughput ---------------------------------------------------------------------


@pytest.mark.slow
def test_throughput_measures_every_configuration(tmp_path, capsys):
    target = tmp_path / "throughput.json"
    code, out, _ = _run(
        capsys,
        "throughput",
        "--isolation",
        "all",
        "--workers",
        "both",
        "--seconds",
        "0.2",
        "--cases",
        "4",
        "--json",
        str(target),
    )
    assert code == EXIT_OK
    data = _load(target)
    assert {"rows", "python", "cpus", "pool", "generation_s", "fork_over_spawn", "batch_over_fork"} <= data.keys()
    configurations = {(row["isolation"], row["workers"]) for row in data["rows"]}
    assert {(mode, workers) for mode in ("batch", "fork", "spawn") for workers in (1, data["cpus"])} == configurations
    for row in data["rows"]:
        assert row["cases"] >= 1 and row["wall_s"] > 0 and row["cases_per_s"] > 0 and row["cpu_ms_per_case"] > 0
        assert sum(row["verdicts"].values()) == row["cases"]
    assert data["fork_over_spawn"]["1"] > 0 and data["batch_over_fork"]["1"] > 0
    assert "fork / spawn" in out and "batch / fork" in out


@pytest.mark.slow
def test_throughput_checks_that_batching_changes_no_verdict(tmp_path, capsys):
    target = tmp_path / "throughput.json"
    code, out, _ = _run(
        capsys, "throughput", "--isolation", "batch", "--workers", "1", "--seconds", "0.2", "--cases", "4",
        "--equivalence", "40", "--json", str(target),
    )  # fmt: skip
    assert code == EXIT_OK, out
    equivalence = _load(target)["equivalence"]
    assert equivalence["cases"] == 40 and equivalence["differences"] == []
    assert 0 < equivalence["shared"] <= 40
    assert "40 of 40 verdicts identical" in out


@pytest.mark.slow
def test_throughput_pool_parts_split_the_pool_by_whether_a_case_can_share_a_child():
    parts = {
        part: measure_throughput("legacy", "proposed", isolations=(), pool=60, part=part, seed=3)
        for part in ("all", "shareable", "unshareable")
    }
    assert parts["shareable"].pool + parts["unshareable"].pool == parts["all"].pool == 60
    assert parts["shareable"].pool > 0 and parts["unshareable"].pool > 0
    assert {name: report.part for name, report in parts.items()} == {name: name for name in parts}
    cases = seeded_cases(60, 3)
    assert sum(not disjoint(case, []) for case in cases) == parts["unshareable"].pool
    with pytest.raises(ValueError, match="unknown pool part"):
        measure_throughput("legacy", "proposed", isolations=(), pool=2, part="some")


# -- bad input, every performance command ---------------------------------------------


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["bench", "--repeat", "0"], "--repeat"),
        (["bench", "--number", "0"], "--number"),
        (["bench", "--sizes", "ten"], "--sizes"),
        (["bench", "--plot", "scaling.pdf"], ".png or .svg"),
        (["bench", "--json", "/no/such/dir/out.json"], "does not exist"),
        (["bench", "--baseline", "nosuchside"], "unknown side"),
        (["bench", "--candidate", "tree:/no/such/checkout"], "not a directory"),
        (["slowness", "--examples", "0"], "--examples"),
        (["slowness", "--repeats", "0"], "--repeats"),
        (["slowness", "--factor", "0"], "--factor"),
        (["slowness", "--candidate", "nosuchside"], "unknown side"),
        (["throughput", "--seconds", "0"], "--seconds"),
        (["throughput", "--cases", "0"], "--cases"),
        (["throughput", "--baseline", "nosuchside"], "unknown side"),
    ],
)
def test_performance_commands_reject_bad_input(capsys, argv, named):
    code, _, err = _run(capsys, *argv)
    assert code == EXIT_USAGE
    assert named in err
