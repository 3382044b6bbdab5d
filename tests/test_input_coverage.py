"""The generator reaches every value of every dimension of the input space, and the report says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from fuzz.generation.input_coverage import DIMENSIONS, coverage_of, is_generated
from fuzz.generation.seeded_draws import seeded_cases
from strategies import cases

REPO = Path(__file__).resolve().parent.parent

#: Fewer generated cases than a default 60 s gate's campaign draws on 2 cores (about 3,000 in its 30 s).
EXAMPLES = 1000


@pytest.mark.slow
def test_every_value_of_every_dimension_is_generated_and_compiles():
    tag_lists = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases())
    def collect(case):
        tag_lists.append(case.tags)
        compile(case.source, "<generated>", "exec")
        for step in case.steps:
            compile(step, "<step>", "exec")

    collect()
    coverage = coverage_of(tag_lists)
    assert coverage.cases == len(tag_lists) >= EXAMPLES // 2
    assert coverage.unreached() == {}, coverage.headline()
    rarest = min(coverage.counts[d.name][v] for d in DIMENSIONS for v in d.values)
    assert rarest >= 3, f"a value was reached only {rarest} times: too close to never ({coverage.to_markdown()})"


#: Generated cases sampled by the test below: enough to draw values of every dimension, quick to draw.
SAMPLED = 150

#: Values a dimension must list, written out by hand: a table that loses one, or a dimension built from
#: another table, fails here (the first test then checks that each is drawn).
KNOWN_VALUES = {
    "way of access": {"global-dotted", "import-as", "closure", "default-arg", "walrus", "sys-modules", "import-inside"},
    "function kind": {"plain", "async", "generator", "method", "partial", "lambda-in-container", "async-generator"},
    "name category": {"plain", "private", "builtin", "keyword-suffix", "long", "non-ascii"},
    "sys.modules hazard": {"none", "none-key", "non-string-key", "unhashable-replacement", "import-during-scan"},
    "package shape": {"package", "module", "namespace", "eager", "reexport", "lazy", "shadow", "stdlib"},
}


def test_dimensions_list_what_the_strategies_draw():
    by_name = {d.name: set(d.values) for d in DIMENSIONS}
    for name, known in KNOWN_VALUES.items():
        assert known <= by_name[name], f"{name} no longer lists {sorted(known - by_name[name])}"
    # Nothing drawn goes uncounted: a value a strategy tags a case with but its dimension does not list
    # would be drawn, and never reported, reached or not.
    sample = seeded_cases(SAMPLED, seed=1)
    assert len(sample) == SAMPLED and all(is_generated(case.tags) for case in sample)
    unlisted: dict[str, set[str]] = {}
    for case in sample:
        for dimension in DIMENSIONS:
            unlisted.setdefault(dimension.name, set()).update(set(dimension.read(case.tags)) - set(dimension.values))
    assert {name: values for name, values in unlisted.items() if values} == {}
    # Every dimension reads values from the sample's tags: a reader bound to the wrong tag would read none.
    read = coverage_of(case.tags for case in sample)
    assert read.cases == SAMPLED
    assert [d.name for d in DIMENSIONS if not any(read.counts[d.name].values())] == [], read.headline()
    # Only generated cases are counted, each value read from its own tag.
    coverage = coverage_of([("universe:packages", "at:listcomp", "via:walrus"), ("stateful", "via:closure")])
    assert coverage.cases == 1, "state-machine histories are not generated cases"
    assert coverage.counts["Python feature"]["walrus"] == 1 and coverage.counts["Python feature"]["comprehension"]
    assert "closure" in coverage.unreached()["way of access"]


@pytest.mark.slow
def test_coverage_command_reports_and_fails_on_unreached_values(tmp_path):
    out = tmp_path / "coverage.json"
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "coverage", "--examples", "30", "--seed", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )  # fmt: skip
    # 30 cases cannot reach all of about 100 values: the command says which, and exits 1.
    assert proc.returncode == 1, proc.stderr
    data = json.loads(out.read_text())
    assert data["cases"] == 30 and data["unreached"]
    assert proc.stdout.startswith("Input coverage:") and "never:" in proc.stdout.splitlines()[0]
    assert "| way of access |" in proc.stdout
