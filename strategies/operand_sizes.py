"""Size, aimed at the bytecode's operand boundaries.

An instruction's argument is one byte; a larger one is written with
``EXTENDED_ARG`` prefixes (one per further byte). A detector that walks the
bytecode and forgets the prefix (``proposed`` breaks its ``LOAD_ATTR`` chain
on one) is wrong only in functions with a table past 255 entries, so sizes
are not left to chance: each case grows one *operand* (a table or a
distance the bytecode indexes) by a count drawn from a *band* on or around
a boundary.

Each operand's padding line, and what passes its boundary:

* ``names``: ``padK = PADS.pK`` adds a name (and a local). A later
  ``LOAD_ATTR`` needs the prefix from name index 256 on 3.9-3.11, 128 on
  3.12+ (its argument is ``namei << 1``); ``LOAD_GLOBAL`` from 128 on 3.11+.
* ``constants``: ``pad = K.5`` adds a distinct constant: ``LOAD_CONST`` of a
  later one from index 256.
* ``locals``: ``padK = None`` adds a local: ``LOAD_FAST``/``STORE_FAST`` of a
  later one from 256 (and, on 3.11+, every ``LOAD_DEREF``, whose index counts
  the locals first).
* ``cells``: ``a_padK`` reads a cell of ``make(a_pad0, ...)``; the pad cells
  sort before the module cells, whose ``LOAD_DEREF`` needs the prefix from 256.
* ``jumps``: ``pad = None`` inside ``for pad in (None,):``: the loop's jumps
  over its body need it from about 128 lines (3.10+ count instructions; 3.9
  bytes, 64 lines).
* ``code-objects``: ``pad = lambda: K`` adds a code object to ``co_consts``:
  past 256 of them, as for constants.

Padding never changes what the function needs or returns. Each line is
alike the others but for its numbers, so the case reducer shrinks the run by
count and names the threshold. The band is drawn first and its simplest
value is no padding at all, so a failure shrinks to the smallest band that
still fails, then to the band's lowest count (Hypothesis shrinks integers
towards the lower bound; between bands it may stay), then the reducer's
binary search finds the exact count. Names past 65,535 (two prefixes) are
drawn about once in a million cases: a function of 65,540 names takes 0.4 s
to compile, 0.7 s to pickle and 1 s for ``proposed``'s ``dis`` walk (about
4 s to judge, against 10 ms for most cases), and once Hypothesis has drawn
one it mutates it into more (20 of 2,000 cases in a trial drawn 4,096 times
as often), so a long campaign reaches it and a one-minute gate almost never.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from fuzz.model.tags import SIZE, SIZE_BAND, tag


def _pads(count: int) -> list[str]:
    return ["import types", f"PADS = types.SimpleNamespace(**{{f'p{{k}}': k for k in range({count})}})"]


def _no_setup(count: int) -> list[str]:
    return []


def _cell_names(count: int) -> list[str]:
    # ``a_pad`` sorts after closure_layout's ``a_cell`` and before module cells (``clo0``) in co_freevars.
    return [f"a_pad{k}" for k in range(count)]


def _jump_lines(count: int) -> list[str]:
    return ["for pad in (None,):", *(["    pad = None"] * count)]


@dataclass(frozen=True)
class Operand:
    """A code-object table (or a distance) padding grows: module lines, body lines, factory cells."""

    setup: Callable[[int], list[str]]
    lines: Callable[[int], list[str]]
    cells: Callable[[int], list[str]] = lambda count: []


#: Every operand, as the tags and the coverage report name it; the first is what shrinking goes back to.
OPERANDS: dict[str, Operand] = {
    "names": Operand(_pads, lambda count: [f"pad{k} = PADS.p{k}" for k in range(count)]),
    "constants": Operand(_no_setup, lambda count: [f"pad = {k}.5" for k in range(count)]),
    "locals": Operand(_no_setup, lambda count: [f"pad{k} = None" for k in range(count)]),
    "cells": Operand(_no_setup, _cell_names, _cell_names),
    "jumps": Operand(_no_setup, _jump_lines),
    "code-objects": Operand(_no_setup, lambda count: [f"pad = lambda: {k}" for k in range(count)]),
}
#: The ``size:`` value of a case with no padding.
NO_OPERAND = "none"
#: How often each operand is drawn: names (the operand of ``proposed``'s real bug) three times as often as
#: each other, so that a minute's gate draws a few dozen cases with a submodule's name past the boundary.
_OPERAND_DRAWS = ("names", "names", *OPERANDS)

#: Bands of counts, simplest first: none, a few, on the 128 and 256 boundaries, and anywhere in between.
BANDS: dict[str, tuple[int, int]] = {
    "0": (0, 0),
    "1-12": (1, 12),
    "120-136": (120, 136),
    "250-262": (250, 262),
    "100-400": (100, 400),
}
#: How often each band is drawn, in eighths: none 1, a few 2, the 128 boundary 1, the 256 boundary 3 (past it,
#: every operand needs EXTENDED_ARG on every Python), anywhere 1. Hypothesis draws the simplest value more
#: often than that besides: about a third of generated cases have no padding.
_BAND_DRAWS = ("0", "1-12", "1-12", "120-136", "250-262", "250-262", "250-262", "100-400")
#: Names past the two-byte boundary: drawn instead of the ``100-400`` band (names: about 3% of cases)
#: when every one of :data:`_HUGE_COINS` fair coins comes up, so about once in a million cases.
HUGE = "65530-65540"
_HUGE_COUNTS = (65530, 65540)
_HUGE_COINS = 15


@dataclass(frozen=True)
class Size:
    """How much padding a function gets, of which operand, and from which band the count was drawn."""

    operand: str = NO_OPERAND
    count: int = 0
    band: str = "0"

    def setup(self) -> list[str]:
        """Module-level lines the padding reads (``PADS``), before the function."""
        return OPERANDS[self.operand].setup(self.count) if self.count else []

    def lines(self) -> list[str]:
        """The function's padding statements, each alike the others but for its numbers."""
        return OPERANDS[self.operand].lines(self.count) if self.count else []

    def cells(self) -> list[tuple[str, str]]:
        """``(parameter, argument)`` of the factory cells the padding adds (``cells`` only)."""
        return [(name, str(k)) for k, name in enumerate(OPERANDS[self.operand].cells(self.count))] if self.count else []

    def tags(self) -> list[str]:
        """``size:OPERAND`` (``none`` without padding) and ``size-band:BAND``."""
        return [tag(SIZE, self.operand if self.count else NO_OPERAND), tag(SIZE_BAND, self.band)]


NO_PADDING = Size()

_BANDS = st.sampled_from(_BAND_DRAWS)
_OPERAND = st.sampled_from(_OPERAND_DRAWS)
_COUNTS = {name: st.integers(low, high) for name, (low, high) in BANDS.items() if high}
_COIN = st.booleans()


@st.composite
def _sizes(draw: st.DrawFn) -> Size:
    band = draw(_BANDS)
    if band == "0":
        return NO_PADDING
    operand = draw(_OPERAND)
    if band == "100-400" and operand == "names" and all(draw(_COIN) for _ in range(_HUGE_COINS)):
        return Size(operand, draw(st.integers(*_HUGE_COUNTS)), HUGE)
    return Size(operand, draw(_COUNTS[band]), band)


def padding_sizes() -> st.SearchStrategy[Size]:
    """A :class:`Size`: no padding (the simplest), or one operand grown by a count of one band."""
    return _sizes()


#: Every ``size:`` value a case can have.
SIZE_OPERANDS = (NO_OPERAND, *OPERANDS)
#: Every ``size-band:`` value a 1,000-case run reaches (:data:`HUGE` is drawn too seldom to count there).
SIZE_BANDS = tuple(BANDS)
#: The bands whose counts can pass an operand's boundary (at least 100 lines): a case drawn from one is
#: grouped apart before shrinking (:func:`fuzz.report.findings.group_before_shrinking`).
LARGE_BANDS = frozenset(band for band, (low, _) in BANDS.items() if low >= 100) | {HUGE}
