"""Which parts of the input space the generated cases reached, dimension by dimension.

A candidate whose bug lives where the generator never goes passes any gate,
so the gate says where it went. Each :class:`Dimension` lists every value the
strategies can draw, taken from the strategies' own tables (so a new way of
access, kind of function or hazard is counted, and reported unreached, the
day it is added), and reads a case's values from its tags. Only generated
cases count (they carry a ``universe:`` tag); state-machine histories and
hand-written cases have their own vocabulary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import fuzz.model.tags as tagging
from fuzz.model.records import CaseRecord
from strategies.accesses import USES
from strategies.closure_layout import POSITIONS, SIZES
from strategies.function_kinds import FUNCTION_KINDS, KIND_NAMES
from strategies.hazards import HAZARD_NAMES
from strategies.lazy_imports import FIRST_USES, HAS_LAZY_IMPORTS, LAZY_FORMS
from strategies.names import NAME_CATEGORIES
from strategies.operand_sizes import SIZE_BANDS, SIZE_OPERANDS
from strategies.origins import ORIGINS
from strategies.padding import NOISE_ROLES
from strategies.placements import PLACEMENTS
from strategies.signatures import (
    ANNOTATION_READS,
    ANNOTATIONS,
    DEFERRED_ANNOTATIONS,
    HAS_TYPE_PARAMS,
    MODULE_DEFAULT_PLACES,
    PARAMETER_KINDS,
)
from strategies.ways import WAYS

Reader = Callable[[Sequence[str]], Iterable[str]]


def _dimension_values(dimension: str) -> Reader:
    return lambda tags: tagging.values(tags, dimension)


#: Package shapes: how modules are laid out (regular package, plain module, namespace package), what
#: ``__init__`` does with its children, and the real standard library.
PACKAGE_SHAPES = ("package", "module", "namespace", "eager", "reexport", "lazy", "shadow", "stdlib")


def _package_shapes(tags: Sequence[str]) -> list[str]:
    found = tagging.values(tags, tagging.NODE) + tagging.values(tags, tagging.INIT)
    return found + (["stdlib"] if "stdlib" in tagging.values(tags, tagging.UNIVERSE) else [])


#: Whether a case's function has a generated shape or a real function's (:mod:`strategies.real_shapes`).
FUNCTION_SHAPES = ("generated", "real")

#: The Python features the coverage table counts, in its order (``match`` and type parameters only where the
#: language has them).
FEATURES = (
    "walrus", "async", "generator", "comprehension", "lambda", "decorator", "class", "try", "with",
    "nested function", *(["match"] if "match-case" in PLACEMENTS else []),
    *(["type parameters"] if HAS_TYPE_PARAMS else []),
)  # fmt: skip


def _feature_tags() -> dict[str, tuple[str, ...]]:
    """The tags that show each feature, read from the tables that make them: ways, function kinds, placements."""
    shown_by: dict[str, list[str]] = {feature: [] for feature in FEATURES}
    for name, way in WAYS.items():
        if way.feature:
            shown_by[way.feature].append(tagging.tag(tagging.VIA, name))
    for name, kind in FUNCTION_KINDS.items():
        for feature in kind.features:
            shown_by[feature].append(tagging.tag(tagging.FN, name))
    for name, placement in PLACEMENTS.items():
        if placement.feature:
            shown_by[placement.feature].append(tagging.tag(tagging.AT, name))
    if HAS_TYPE_PARAMS:
        shown_by["type parameters"].append(tagging.tag(tagging.GENERIC, "type-params"))
    return {feature: tuple(tags) for feature, tags in shown_by.items()}


#: Python features a case may use, and the tags that show each.
FEATURE_TAGS = _feature_tags()


def _features(tags: Sequence[str]) -> list[str]:
    present = set(tags)
    return [name for name, shown_by in FEATURE_TAGS.items() if present.intersection(shown_by)]


@dataclass(frozen=True)
class Dimension:
    """One axis of the input space: every value the strategies draw, and how to read a case's values."""

    name: str
    values: tuple[str, ...]
    read: Reader


#: Every dimension the coverage report counts, in the order it shows them.
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("way of access", tuple(WAYS), _dimension_values(tagging.VIA)),
    Dimension("placement", tuple(PLACEMENTS), _dimension_values(tagging.AT)),
    Dimension("use of the module", USES, _dimension_values(tagging.USE)),
    Dimension("name category", tuple(NAME_CATEGORIES), _dimension_values(tagging.NAMES)),
    Dimension("package shape", PACKAGE_SHAPES, _package_shapes),
    Dimension("function kind", KIND_NAMES, _dimension_values(tagging.FN)),
    Dimension("closure size (cells)", SIZES, _dimension_values(tagging.CELLS)),
    Dimension("module cells among the cells", POSITIONS, _dimension_values(tagging.CELL_AT)),
    Dimension("module defaults among the defaults", POSITIONS, _dimension_values(tagging.DEFAULT_AT)),
    Dimension("sys.modules hazard", HAZARD_NAMES, _dimension_values(tagging.HAZARD)),
    Dimension("Python feature", tuple(FEATURE_TAGS), _features),
    Dimension("name colliding as", NOISE_ROLES, _dimension_values(tagging.NOISE)),
    Dimension("size: operand grown", SIZE_OPERANDS, _dimension_values(tagging.SIZE)),
    Dimension("size: count drawn from", SIZE_BANDS, _dimension_values(tagging.SIZE_BAND)),
    Dimension("parameter kind", PARAMETER_KINDS, _dimension_values(tagging.PARAM)),
    Dimension("module default in", MODULE_DEFAULT_PLACES, _dimension_values(tagging.MODULE_DEFAULT)),
    Dimension("annotation", ANNOTATIONS, _dimension_values(tagging.ANNOTATION)),
    Dimension("function origin", ORIGINS, _dimension_values(tagging.ORIGIN)),
    Dimension("function shape", FUNCTION_SHAPES, _dimension_values(tagging.SHAPE)),
)
# Dimensions of newer Pythons only: where the language lacks them, no value is drawn and none is reported
# unreached (the ``annotation`` dimension's ``submodule`` value likewise exists on 3.14+ only).
if DEFERRED_ANNOTATIONS:
    DIMENSIONS += (Dimension("annotation read", ANNOTATION_READS, _dimension_values(tagging.ANNOTATION_READ)),)
if HAS_LAZY_IMPORTS:
    DIMENSIONS += (
        Dimension("lazy import", tuple(LAZY_FORMS), _dimension_values(tagging.LAZY)),
        Dimension("lazy name first used", FIRST_USES, _dimension_values(tagging.FIRST_USE)),
    )


def is_generated(tags: Sequence[str]) -> bool:
    """Whether a case came from :func:`strategies.cases` (the cases the dimensions describe)."""
    return any(t.startswith(tagging.UNIVERSE + ":") for t in tags)


@dataclass
class InputCoverage:
    """How many generated cases had each value of each dimension."""

    cases: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {d.name: Counter() for d in DIMENSIONS})
    #: Verdicts per value: ``"dimension: value"`` to a count per verdict kind (the coverage heatmap's cells).
    verdicts: dict[str, Counter] = field(default_factory=dict)

    def add(self, tags: Sequence[str], kind: str | None = None) -> None:
        if not is_generated(tags):
            return
        self.cases += 1
        for dimension in DIMENSIONS:
            found = set(dimension.read(tags))
            self.counts[dimension.name].update(found)
            if kind is not None:
                for value in found:
                    self.verdicts.setdefault(f"{dimension.name}: {value}", Counter())[kind] += 1

    def merge(self, other: InputCoverage) -> None:
        """Add ``other``'s cases to these (reports of several runs, shards or rounds)."""
        self.cases += other.cases
        for name, counts in other.counts.items():
            self.counts.setdefault(name, Counter()).update(counts)
        for value, kinds in other.verdicts.items():
            self.verdicts.setdefault(value, Counter()).update(kinds)

    @classmethod
    def from_dict(cls, data: dict) -> InputCoverage:
        """Back from :meth:`to_dict` (a value this version does not know is kept, and counted)."""
        coverage = cls(cases=data.get("cases", 0))
        for name, counts in data.get("dimensions", {}).items():
            coverage.counts.setdefault(name, Counter()).update(counts)
        coverage.verdicts = {value: Counter(kinds) for value, kinds in data.get("verdicts", {}).items()}
        return coverage

    def unreached(self) -> dict[str, list[str]]:
        """Per dimension, the values no case had (dimensions with none left out)."""
        out = {}
        for dimension in DIMENSIONS:
            missing = [v for v in dimension.values if not self.counts[dimension.name][v]]
            if missing:
                out[dimension.name] = missing
        return out

    @property
    def values_total(self) -> int:
        return sum(len(d.values) for d in DIMENSIONS)

    @property
    def values_reached(self) -> int:
        return self.values_total - sum(len(v) for v in self.unreached().values())

    def to_dict(self) -> dict:
        return {
            "cases": self.cases,
            "values_reached": self.values_reached,
            "values_total": self.values_total,
            "dimensions": {d.name: {v: self.counts[d.name][v] for v in d.values} for d in DIMENSIONS},
            "unreached": self.unreached(),
            "verdicts": {value: dict(kinds) for value, kinds in sorted(self.verdicts.items())},
        }

    def headline(self) -> str:
        """One line: how much was reached, and what was not."""
        line = f"Input coverage: {self.values_reached} of {self.values_total} values reached by {self.cases} cases"
        missing = self.unreached()
        if not missing:
            return line + "."
        return line + "; never: " + "; ".join(f"{d}: {', '.join(v)}" for d, v in missing.items()) + "."

    def to_markdown(self) -> list[str]:
        """A table per dimension: each value and how many generated cases had it."""
        lines = [self.headline(), "", "| dimension | value: cases |", "| --- | --- |"]
        for dimension in DIMENSIONS:
            counts = self.counts[dimension.name]
            cells = ", ".join(f"{v}: {counts[v]}" if counts[v] else f"**{v}: 0**" for v in dimension.values)
            lines.append(f"| {dimension.name} | {cells} |")
        return lines


def coverage_of(tag_lists: Iterable[Sequence[str]]) -> InputCoverage:
    """The coverage of the generated cases among ``tag_lists`` (one list of tags per case)."""
    coverage = InputCoverage()
    for tags in tag_lists:
        coverage.add(tags)
    return coverage


def coverage_of_records(records: Iterable[CaseRecord]) -> InputCoverage:
    """The coverage of judged cases' records, with each value's verdicts (the heatmap's cells)."""
    coverage = InputCoverage()
    for line in records:
        coverage.add(line.get("tags", ()), line["kind"])
    return coverage
