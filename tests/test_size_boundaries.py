"""Sizes are drawn on the bytecode's operand boundaries, on purpose, and a bug at each one is caught.

Every operand a padding line grows (:mod:`strategies.operand_sizes`) has a
planted detector that is ``legacy`` but past that operand's ``EXTENDED_ARG``
boundary (:data:`fuzz.detectors.planted.SIZE_BUGGY`): a hand-written case
shows each, and so does a generated case among the first 1,000 of a seeded
run. A size finding shrinks to its exact threshold, and cases past a
boundary are shrunk apart from the smaller ones of their family.
"""

from __future__ import annotations

import dis
import sys
import time
import types

import pytest
from hypothesis import HealthCheck, find, settings

from fuzz.detectors.planted import HUGE_BUGGY, SIZE_BUGGY
from fuzz.generation.input_coverage import DIMENSIONS
from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.oracle.judge import run_case
from fuzz.report.findings import PAST_A_SIZE_BOUNDARY, group_before_shrinking
from fuzz.shrinking.case_reducer import reduce_case
from fuzz.shrinking.extended_args import missed_past_a_byte
from fuzz.shrinking.root_cause import threshold_words
from fuzz.shrinking.shrinker import signature
from strategies.operand_sizes import BANDS, HUGE, LARGE_BANDS, OPERANDS, SIZE_BANDS, SIZE_OPERANDS, Size, padding_sizes
from tests.generated_pool import POOL_SIZE, seeded_pool

PLANTED = "detector:fuzz.detectors.planted:"
PKG = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\n"))


def padded(operand: str, count: int) -> Case:
    """``pkg.sub.VALUE`` read after ``count`` padding lines of ``operand`` (through a factory for cells)."""
    size = Size(operand, count, "hand-written")
    body = "".join(f"        {line}\n" for line in size.lines()) + "        return pkg.sub.VALUE\n"
    cells = size.cells()
    source = "\n".join(["import pkg.sub", *size.setup(), ""])
    source += f"def make({', '.join(p for p, _ in cells)}):\n    def f():\n{body}    return f\n"
    return Case(PKG, source, entry=f"make({', '.join(a for _, a in cells)})", needed=("pkg.sub",), name=operand)


#: For each planted size bug, an operand and a count past its boundary that show it, and the verdict.
EXPOSED_BY = {
    "buggy_wide_attributes": ("names", 260, "regression"),
    "buggy_many_constants": ("constants", 260, "crash"),
    "buggy_wide_locals": ("locals", 260, "regression"),
    "buggy_wide_cells": ("cells", 260, "crash"),
    "buggy_far_jumps": ("jumps", 260, "crash"),
    "buggy_wide_code_objects": ("code-objects", 260, "crash"),
    "buggy_two_byte_arguments": ("names", 65540, "regression"),
}


def test_every_size_bug_has_an_exposing_case():
    assert set(EXPOSED_BY) == set(SIZE_BUGGY) | set(HUGE_BUGGY)
    assert {operand for operand, _, _ in EXPOSED_BY.values()} == set(OPERANDS)


@pytest.mark.parametrize("detector", sorted(EXPOSED_BY))
@pytest.mark.slow
def test_size_bug_is_caught_past_its_boundary_and_not_below(detector, side_factory, fork_isolation):
    operand, count, expected = EXPOSED_BY[detector]
    baseline, candidate = side_factory("legacy"), side_factory(PLANTED + detector)
    verdict = run_case(padded(operand, count), baseline, candidate, fork_isolation)
    assert verdict.kind == expected and verdict.failing, verdict
    # Well below the boundary the planted detector is legacy itself.
    assert run_case(padded(operand, 12), baseline, candidate, fork_isolation).kind == "match"


@pytest.mark.parametrize("detector", sorted(SIZE_BUGGY))
@pytest.mark.slow
def test_the_generator_exposes_each_size_bug(detector, side_factory, fork_isolation):
    """Generated cases of the bug's operand are judged until one fails: one drawn past the boundary."""
    shown_by = set(SIZE_BUGGY[detector])
    mine = [case for case in seeded_pool() if shown_by & set(case.tags)]
    assert mine, f"no case of {sorted(shown_by)} among {POOL_SIZE} generated ones"
    baseline, candidate = side_factory("legacy"), side_factory(PLANTED + detector)
    for case in mine:
        if run_case(case, baseline, candidate, fork_isolation).failing:
            assert set(tagging.values(case.tags, tagging.SIZE_BAND)) <= LARGE_BANDS, case.tags
            return
    pytest.fail(f"none of the {len(mine)} generated cases of {sorted(shown_by)} exposed {detector}")


def _pickled_code(case: Case) -> types.CodeType | None:
    """The code of ``f`` as the case's source compiles it (``None``: defined by ``exec`` of a string)."""
    codes = [compile(case.source, "<case>", "exec")]
    while codes:
        for const in codes.pop(0).co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == "f":
                    return const
                codes.append(const)
    return None


#: What passing each operand's boundary looks like in the pickled function's bytecode.
CROSSES = {
    "names": lambda i: i.opname in ("LOAD_ATTR", "LOAD_METHOD"),
    "constants": lambda i: i.opcode in dis.hasconst,
    "locals": lambda i: i.opcode in dis.haslocal,
    # 3.14's dis lists LOAD_DEREF under haslocal, not hasfree.
    "cells": lambda i: i.opcode in dis.hasfree or i.opname == "LOAD_DEREF",
    "jumps": lambda i: i.opcode in dis.hasjrel or i.opcode in dis.hasjabs,
    "code-objects": lambda i: i.opcode in dis.hasconst and isinstance(i.argval, types.CodeType),
}


@pytest.mark.slow
def test_each_operand_is_drawn_on_both_sides_of_its_boundary():
    """Among the first 1,000 cases, each operand's own instructions need EXTENDED_ARG in some, not in others."""
    past: dict[str, int] = dict.fromkeys(OPERANDS, 0)
    below: dict[str, int] = dict.fromkeys(OPERANDS, 0)
    for case in seeded_pool():
        (operand,) = tagging.values(case.tags, tagging.SIZE)
        code = _pickled_code(case)
        if operand in OPERANDS and code is not None:
            wide = any(CROSSES[operand](i) and (i.arg or 0) > 255 for i in dis.get_instructions(code))
            (past if wide else below)[operand] += 1
    assert all(past.values()) and all(below.values()), (past, below)


def test_sizes_shrink_to_the_lowest_count_that_fails():
    """Hypothesis shrinks the band, then the count towards the band's lower bound: the band's lowest failing count.

    (Between bands it may stay where it is: a count of one band is no count of another. The case
    reducer's binary search then finds the exact threshold whatever band a finding was drawn from.)
    """
    config = settings(database=None, max_examples=2000, suppress_health_check=list(HealthCheck))
    found = find(padding_sizes(), lambda s: s.operand == "names" and s.count >= 130, settings=config)
    assert found.operand == "names" and found.count == max(130, BANDS[found.band][0]), found
    assert find(padding_sizes(), lambda s: s.count > 255, settings=config) in (
        Size("names", 256, "250-262"),
        Size("names", 256, "100-400"),
    )
    for band, boundary in (("120-136", 128), ("250-262", 256)):
        low, high = BANDS[band]
        assert low < boundary < high, "each boundary band straddles its boundary"


def test_coverage_counts_every_operand_and_band():
    by_name = {d.name: d.values for d in DIMENSIONS}
    assert by_name["size: operand grown"] == SIZE_OPERANDS == ("none", *OPERANDS)
    assert by_name["size: count drawn from"] == SIZE_BANDS and HUGE not in SIZE_BANDS


#: The fewest padding lines ``padded("names", n)`` needs for ``sub``'s LOAD_ATTR to take EXTENDED_ARG:
#: ``co_names`` is ``PADS, p0 ... p{n-1}, pkg, sub, VALUE`` (in order of use), so ``sub`` sits at index
#: ``n + 2``, and LOAD_ATTR's argument is that index (3.9-3.11) or twice it (3.12+).
NAMES_THRESHOLD = (128 if sys.version_info >= (3, 12) else 256) - 2


@pytest.mark.parametrize(
    ("operand", "count", "candidate", "counted", "fails_with"),
    [
        ("names", 262, "proposed", "names", NAMES_THRESHOLD + 4),
        ("constants", 262, PLANTED + "buggy_many_constants", "constants", 257),
    ],
)
def test_a_size_finding_shrinks_to_its_exact_threshold(
    operand, count, candidate, counted, fails_with, side_factory, fork_isolation
):
    """The reducer's binary search keeps the fewest padding lines that fail, and names what they count."""
    sides = side_factory("legacy"), side_factory(candidate)
    case = padded(operand, count)
    target = signature(run_case(case, *sides, fork_isolation))

    def keeps(candidate_case: Case) -> bool:
        try:
            return signature(run_case(candidate_case, *sides, fork_isolation)) == target
        except Exception:  # noqa: BLE001  (a candidate whose module no longer runs keeps nothing)
            return False

    reduction = reduce_case(case, keeps, time.time() + 120)
    threshold = reduction.threshold
    assert threshold is not None and reduction.complete
    assert (threshold.operand, threshold.fails_with, threshold.passes_with) == (counted, fails_with, fails_with - 1)
    if operand == "names":
        assert threshold.statements == NAMES_THRESHOLD
        assert (threshold.fails_with_names, threshold.passes_with_names) == (fails_with, fails_with - 1)
    # The threshold's words, as the finding's root cause gives them.
    words = threshold_words(threshold.to_dict())
    assert f"holds {fails_with} {counted} or more (passes with {fails_with - 1})" in words, words


def _record(placement: str, band: str, size: int, source: str = "", missed: tuple[str, ...] = ()) -> dict:
    tags = [tagging.access(0, "global-dotted", placement, "load", ["pkg.sub"]), tagging.tag(tagging.SIZE_BAND, band)]
    return {
        "kind": "regression", "patterns": ["global-dotted"], "baseline": {"behaviour": "returned"},
        "candidate": {"behaviour": "raised:AttributeError", "missed": list(missed)}, "size": size,
        "source": "campaign", "case": {"source": source}, "tags": tags, "expected": "returned",
        "expected_behaviour": "returned",
    }  # fmt: skip


def test_cases_past_a_size_boundary_are_shrunk_apart_from_their_family():
    """A size bug fails a family's every way alike: its cases get a group, whose example sits at top level."""
    small = _record("lambda", "0", 100)
    nested_and_padded = _record("lambda", "250-262", 5000)
    padded_at_top = _record("body", "250-262", 6000)
    groups = group_before_shrinking([small, nested_and_padded, padded_at_top], ("regression",))
    by_family = {g.key[1]: g for g in groups}
    assert set(by_family) == {"direct", "direct" + PAST_A_SIZE_BOUNDARY}
    assert by_family["direct"].example is small
    # The smaller padded case fails for its lambda anyway: the one at top level is what the size explains.
    assert by_family["direct" + PAST_A_SIZE_BOUNDARY].example is padded_at_top


def test_a_size_group_shows_the_case_whose_missed_access_is_past_the_boundary():
    """Of two padded cases, the one whose missed submodule's name is loaded with EXTENDED_ARG is shown."""
    names, cells = padded("names", 260), padded("cells", 260)
    missed = ("pkg.sub",)
    cells_record = _record("body", "250-262", len(cells.source), cells.source, missed)
    names_record = _record("body", "250-262", len(names.source) * 2, names.source, missed)
    (group,) = group_before_shrinking([cells_record, names_record], ("regression",))
    assert group.example is names_record


def test_a_missed_submodule_past_one_byte_is_told_from_one_below_it():
    """What the gate and the shrinker read a finding of size by: the missed attribute load's prefix."""
    assert missed_past_a_byte(padded("names", NAMES_THRESHOLD).source, ["pkg.sub"])
    assert not missed_past_a_byte(padded("names", NAMES_THRESHOLD - 1).source, ["pkg.sub"])
    assert not missed_past_a_byte(padded("cells", 260).source, ["pkg.sub"])
    assert not missed_past_a_byte(padded("names", 260).source, [])
