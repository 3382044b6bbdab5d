"""The report's part on real code: cases whose function took a real function's shape.

A generated function is small and regular; the cases built on real
functions' shapes (:mod:`strategies.real_shapes`: a real signature,
decorators, docstring, and the real body's bytecode, with the generated
package accesses placed in it) are where a candidate meets what users'
code looks like. The gate and the campaign count them apart: how many were
judged, how many distinct real functions of how many modules they came
from, the verdicts they got, and which findings an example of real code
stands for. Counted from the records' tags (``shape:real``,
``real:MODULE:QUALNAME``), so merged reports add up the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fuzz.model.records import CaseRecord
from fuzz.model.tags import REAL, SHAPE, tag, values

#: The tag every case on a real function's shape carries.
REAL_SHAPE = tag(SHAPE, "real")


def is_real(tags: Sequence[str]) -> bool:
    return REAL_SHAPE in tags


@dataclass
class RealCode:
    """What the judged cases on real functions' shapes were, and what they got."""

    cases: int = 0
    verdicts: Counter = field(default_factory=Counter)
    #: Cases per real function (``module:qualname``).
    functions: Counter = field(default_factory=Counter)
    #: The pool cases are drawn from: ``"N real functions from M modules"``, or "" when unknown.
    pool: str = ""

    def add(self, tags: Sequence[str], kind: str) -> None:
        if not is_real(tags):
            return
        self.cases += 1
        self.verdicts[kind] += 1
        self.functions.update(values(tags, REAL))

    @property
    def modules(self) -> int:
        return len({name.partition(":")[0] for name in self.functions})

    def merge(self, other: RealCode) -> None:
        self.cases += other.cases
        self.verdicts.update(other.verdicts)
        self.functions.update(other.functions)
        self.pool = self.pool or other.pool

    def to_dict(self) -> dict:
        return {
            "cases": self.cases,
            "functions": len(self.functions),
            "modules": self.modules,
            "verdicts": dict(self.verdicts),
            "by_function": dict(sorted(self.functions.items())),
            "pool": self.pool,
        }

    @classmethod
    def from_dict(cls, data: dict) -> RealCode:
        return cls(
            cases=data.get("cases", 0),
            verdicts=Counter(data.get("verdicts", {})),
            functions=Counter(data.get("by_function", {})),
            pool=data.get("pool", ""),
        )

    def headline(self) -> str:
        """One line: how many real-code cases, from how many real functions, with what verdicts."""
        if not self.cases:
            return "Real code: no case took a real function's shape."
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.verdicts.most_common())
        pool = f" (drawn from {self.pool})" if self.pool else ""
        return (
            f"Real code: {self.cases} cases on the shapes of {len(self.functions)} real functions "
            f"from {self.modules} modules{pool}: {kinds}."
        )

    def to_markdown(self, findings: Iterable[tuple[str, str]]) -> list[str]:
        """The section: the headline, then each finding an example of real code stands for.

        ``findings`` are ``(root cause words, real function)`` pairs of the findings whose example is
        real code.
        """
        lines = ["## Real code", "", self.headline(), ""]
        found = list(findings)
        if found:
            lines += ["| root cause | the real function its example took the shape of |", "| --- | --- |"]
            lines += [f"| {words} | `{origin}` |" for words, origin in found]
        elif self.cases:
            lines.append("No finding's example is real code.")
        return [*lines, ""]


def real_code_of(records: Iterable[CaseRecord], pool: str = "") -> RealCode:
    """The real-code part of judged records (each with ``tags`` and ``kind``)."""
    real = RealCode(pool=pool)
    for line in records:
        real.add(line.get("tags", ()), line["kind"])
    return real


def real_origin(tags: Sequence[str]) -> str:
    """The real function a case took the shape of, or ""."""
    return next(iter(values(tags, REAL)), "")
