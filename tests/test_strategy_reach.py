"""The strategies reach every way of accessing a module and every placement."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, Phase, given, settings

from strategies import cases
from strategies.accesses import USES
from strategies.functions import FUNCTION_KINDS
from strategies.placements import PLACEMENTS
from strategies.ways import WAYS

EXAMPLES = 2000


def test_every_way_and_placement_is_generated():
    seen: Counter = Counter()

    @settings(max_examples=EXAMPLES, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(cases())
    def collect(case):
        seen.update(case.tags)
        compile(case.source, "<generated>", "exec")

    collect()
    expected = (
        [f"via:{w}" for w in WAYS]
        + [f"at:{p}" for p in PLACEMENTS]
        + [f"use:{u}" for u in USES]
        + [f"fn:{k}" for k in FUNCTION_KINDS]
        + ["exec:live", "exec:dead", "closure:factory-reused", "size:large", "universe:stdlib"]
        + ["init:eager", "init:reexport", "init:lazy", "node:namespace", "node:module", "node:package"]
        + ["noise:attribute", "noise:global", "noise:local"]
    )
    missing = [tag for tag in expected if seen[tag] == 0]
    assert not missing, f"never generated in {EXAMPLES} examples: {missing}"
