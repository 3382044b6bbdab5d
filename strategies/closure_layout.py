"""Where the modules sit among a function's closure cells and defaults.

A detector that reads closures or defaults by position (the first cell, the
last default) or stops at the first value that is not a module breaks on
some layouts only. A :class:`Layout` adds cells and defaults holding plain
values before and after those holding modules. Cells are ordered by name in
``co_freevars`` (``a_cell0`` sorts before a module cell ``clo0``,
``z_cell0`` after it); defaults by parameter order. Extra cells alone make
a factory (``make``) even when no access closes over a module, so closure
size is drawn independently of the ways of access.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st


@dataclass(frozen=True)
class Layout:
    """Plain-valued cells and defaults around the module-valued ones."""

    cells_before: int = 0
    cells_after: int = 0
    defaults_before: int = 0
    defaults_after: int = 0

    def cells(self) -> tuple[list[str], list[str]]:
        """Names of the extra cells before and after the module cells."""
        return [f"a_cell{k}" for k in range(self.cells_before)], [f"z_cell{k}" for k in range(self.cells_after)]

    def defaults(self) -> tuple[list[str], list[str]]:
        """The extra parameters with defaults before and after the module defaults."""
        before = [f"a_opt{k}={k}" for k in range(self.defaults_before)]
        return before, [f"z_opt{k}={k}" for k in range(self.defaults_after)]


#: The layout of a function with no extra cells or defaults.
NO_EXTRAS = Layout()
#: Which side of the module values the extras go, then how many (1 or 2) on each side that has any.
_SIDES = st.sampled_from(("before", "after", "both"))
_COUNTS = st.integers(1, 2)


@st.composite
def _extras(draw: st.DrawFn) -> tuple[int, int]:
    side = draw(_SIDES)
    before = draw(_COUNTS) if side != "after" else 0
    return before, draw(_COUNTS) if side != "before" else 0


@st.composite
def _layouts(draw: st.DrawFn) -> Layout:
    return Layout(*draw(_extras()), *draw(_extras()))


_SOMETIMES = st.one_of(st.just(NO_EXTRAS), _layouts())
_MOSTLY = st.one_of(st.just(NO_EXTRAS), _layouts(), _layouts(), _layouts())


def layouts(modules_placed: bool) -> st.SearchStrategy[Layout]:
    """No extras (the simplest value, what shrinking goes back to), or one or two on one side of the
    module values, or on both, for cells and for defaults alike.

    The side is drawn first so that each position (first, middle, last) is about as likely as the others;
    extras are likelier when some module does sit in a cell or a default (``modules_placed``), the only
    functions where their position means anything.
    """
    return _MOSTLY if modules_placed else _SOMETIMES


def position(modules: int, before: int, after: int) -> str:
    """Where ``modules`` module-valued slots sit among ``before`` and ``after`` plain ones."""
    if not modules:
        return "none"
    if before and after:
        return "middle"
    return "last" if before else "first" if after else "only"


#: Every value :func:`position` gives.
POSITIONS = ("none", "only", "first", "middle", "last")


def size_bucket(cells: int) -> str:
    """Closure size as the coverage report counts it: 0, 1, 2, 3, 4 or more cells."""
    return str(cells) if cells < 4 else "4+"


#: Every value :func:`size_bucket` gives.
SIZES = ("0", "1", "2", "3", "4+")
