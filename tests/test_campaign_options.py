"""The campaign's pytest takes one typed value, ``--campaign-options=JSON``: built from the run, read back whole."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.config.run_config import RunConfig
from fuzz.gate.campaign_plugin import OPTION, CampaignOptions
from fuzz.gate.campaign_runner import CampaignRunner
from fuzz.model.verdict import failing_kinds

REPO = Path(__file__).resolve().parent.parent


def runner(tmp_path: Path, **changes: object) -> CampaignRunner:
    config = RunConfig(
        baseline="legacy", candidate="proposed", isolation="fork", timeout=7.5, budget=60.0, workers=3, seed=5,
        max_examples=200, shard=(2, 4), database=str(tmp_path / "db"), replay_from=("a", "b"),
        replay_database=True, round=2, inputs="real-code",
    )  # fmt: skip
    return CampaignRunner(
        dataclasses.replace(config, **changes), failing_kinds(True), str(tmp_path / "campaign"), 1234.5
    )


def test_the_options_a_runner_builds_come_back_equal_with_their_tuples(tmp_path):
    options = runner(tmp_path).options()
    back = CampaignOptions.from_json(options.to_json())
    assert back == options
    assert back.shard_of == (2, 4) and back.failing == failing_kinds(True) and isinstance(back.failing, tuple)
    assert isinstance(back.replay_from, tuple) and all(Path(p).is_absolute() for p in back.replay_from)
    assert (back.shards, back.reserve, back.examples, back.deadline) == (3, 3, 200, 1234.5)
    assert back.deadline_file is not None


def test_every_shard_gets_its_share_of_the_examples(tmp_path):
    options = runner(tmp_path, max_examples=11).options()
    shares = [options.examples_of(shard) for shard in range(options.shards + options.reserve)]
    assert sum(shares) == 11 and max(shares) - min(shares) <= 1
    assert runner(tmp_path, max_examples=None).options().examples_of(0) == 0


def test_gateways_get_no_deadline_file_and_one_shard_each(tmp_path):
    options = runner(tmp_path, gateways=("popen", "socket=10.0.0.2:8888")).options()
    assert options.deadline_file is None and options.shards == options.reserve == 2


def test_the_command_line_carries_the_options_as_one_token_of_one_line(tmp_path):
    command = runner(tmp_path).command()
    tokens = [arg for arg in command if arg.startswith("--campaign") or arg.startswith("--fuzz")]
    assert len(tokens) == 1 and tokens[0].startswith(OPTION + "=") and "\n" not in tokens[0]
    assert CampaignOptions.from_json(tokens[0].split("=", 1)[1]) == runner(tmp_path).options()


def test_pytest_xdist_passes_the_token_to_a_gateway_unchanged(tmp_path):
    """Arguments that are existing paths are rewritten for a gateway on another machine; the options are none."""
    from xdist.workermanage import make_reltoroot

    command = runner(tmp_path, gateways=("socket=10.0.0.2:8888",)).command()
    assert make_reltoroot([REPO], command[command.index("--pyargs") :]) == command[command.index("--pyargs") :]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"seed": 1}', "missing options ['baseline'"),
        ("EXTRA", "unknown options ['surprise']"),
        ("SEED", "wrong type: seed (int): '5'"),
        ("SHARD", "wrong type: shard_of (tuple[int, int]): [1]"),
        ("FAILING", "wrong type: failing (tuple[str, ...]): ['regression', 3]"),
        ("BOOL", "wrong type: examples (int): True"),
    ],
)
def test_a_malformed_value_says_what_is_wrong(tmp_path, text, says):
    good = json.loads(runner(tmp_path).options().to_json())
    bad = {
        "EXTRA": {**good, "surprise": 1},
        "SEED": {**good, "seed": "5"},
        "SHARD": {**good, "shard_of": [1]},
        "FAILING": {**good, "failing": ["regression", 3]},
        "BOOL": {**good, "examples": True},
    }
    with pytest.raises(ValueError, match=re.escape(says)):
        CampaignOptions.from_json(json.dumps(bad[text]) if text in bad else text)


def test_the_campaigns_pytest_refuses_a_malformed_value_naming_the_option():
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "fuzz.gate.campaign_plugin", "-p", "no:cacheprovider",
         f"--config-file={os.devnull}", "--pyargs", "fuzz.gate.campaign", f"{OPTION}={{not json"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, proc.stdout + proc.stderr
    assert f"{OPTION}: not JSON" in proc.stderr
