"""The generator reaches every value of every dimension of the input space, and the report says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from fuzz.input_coverage import DIMENSIONS, coverage_of
from strategies import cases
from strategies.function_kinds import KIND_NAMES
from strategies.hazards import HAZARD_NAMES
from strategies.names import NAME_CATEGORIES
from strategies.ways import WAYS

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


def test_dimensions_list_what_the_strategies_draw():
    by_name = {d.name: d.values for d in DIMENSIONS}
    assert by_name["way of access"] == tuple(WAYS)
    assert by_name["function kind"] == KIND_NAMES
    assert by_name["name category"] == tuple(NAME_CATEGORIES)
    assert by_name["sys.modules hazard"] == HAZARD_NAMES
    # Every value of every dimension is one a tag reader can produce: reading a case made of them all.
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
