"""What a way of access contributes to the generated module: fragments placed by the assembler."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class AccessParts(Protocol):
    """What a way reads of an access (:class:`strategies.accesses.Access`)."""

    @property
    def parts(self) -> list[str]:
        """The target's dotted name, split."""

    @property
    def split(self) -> int:
        """Path components a way that imports part of the path covers."""

    @property
    def variant(self) -> int:
        """Which of the way's variants."""

    @property
    def attrs(self) -> tuple[str, ...]:
        """Attribute name used for each step below the top-level package."""


@dataclass
class Rendered:
    """Source fragments for one access (its needs are computed function-wide)."""

    setup: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    factory: list[tuple[str, str]] = field(default_factory=list)
    #: Lines that open the function body (local imports, local aliases).
    prelude: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    #: Modules the function imports itself, before any access runs.
    self_imported: set[str] = field(default_factory=set)
    #: Path components the base expression covers, and modules the access imports itself.
    covered: int = 1
    own_imports: set[str] = field(default_factory=set)


#: What a way's base returns: the expression the access starts from, how many path
#: components it already covers, and the modules the function imports by itself.
Base = tuple[str, int, set[str]]


def prefixes(parts: list[str], n: int) -> set[str]:
    """The first ``n`` dotted prefixes of ``parts`` (``a``, ``a.b``, ...)."""
    return {".".join(parts[: k + 1]) for k in range(n)}
