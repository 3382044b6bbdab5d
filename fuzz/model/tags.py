"""Tags: the short labels a case carries, written and read in one place.

Generated cases say what they are made of with ``DIMENSION:VALUE`` tags
(``via:closure``, ``at:lambda``, ``fn:async``, ``universe:stdlib``) and
which way of access needs which module with ``need:WAY:MODULE``; reports
group and blame findings by them. Hand-written cases use bare words
(``local-alias``); state-machine histories carry ``stateful``, one
``stateful:CHANGE`` per change and ``last-change:CHANGE``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Dimensions of a generated case: the way of access, where it sits, how the target is used, whether
#: its placement runs, the kind of function, the universe, its node kinds and ``__init__`` styles,
#: noise names, size, closure factories.
VIA, AT, USE, EXEC, FN, UNIVERSE, NODE, INIT, NOISE, SIZE, CLOSURE = (
    "via", "at", "use", "exec", "fn", "universe", "node", "init", "noise", "size", "closure",
)  # fmt: skip
#: Dimensions added for breadth: the universe's name category, the parent's ``sys.modules`` hazard,
#: the function's closure size, and where module values sit among its cells and its defaults.
NAMES, HAZARD, CELLS, CELL_AT, DEFAULT_AT = "names", "hazard", "cells", "cell-at", "default-at"
#: Dimensions read from the language's own grammar and data model: the parameter kinds of the
#: function's signature, where module-valued defaults sit (``__defaults__`` or ``__kwdefaults__``), the
#: annotation style, type parameters (3.12+), and where the function comes from (its module's kind).
PARAM, MODULE_DEFAULT, ANNOTATION, GENERIC, ORIGIN = "param", "module-default", "annotation", "generic", "origin"
#: Size: which code-object operand the padding grows is ``SIZE`` (``size:names``); the band its count was
#: drawn from, on or around an ``EXTENDED_ARG`` boundary, is ``SIZE_BAND`` (:mod:`strategies.operand_sizes`).
SIZE_BAND = "size-band"
#: Python 3.14+ and 3.15+: how the function's package is imported lazily (PEP 810) and whether the lazy
#: name was used before the pickle (:mod:`strategies.lazy_imports`); how the function's body reads its own
#: deferred annotations (PEP 649/749, :mod:`strategies.signatures`).
LAZY, FIRST_USE, ANNOTATION_READ = "lazy", "first-use", "annotation-read"
#: Whether the function has a generated shape or a real function's (``shape:real``), and, for the
#: latter, which real function it was (``real:json.decoder:JSONObject``; :mod:`strategies.real_shapes`).
SHAPE, REAL = "shape", "real"
#: What a run's generated cases are made of: every shape (``all``), or real functions' shapes only
#: (``real-code``: ``python -m fuzz gate --inputs real-code``, ``python -m fuzz real-code``).
INPUTS = ("all", "real-code")
#: A module the case needs, and the way of access that needs it.
NEED = "need"
#: Bare tag of every state-machine history, and the dimension of its changes.
STATEFUL = "stateful"
#: The change made last before the judged pickle.
LAST_CHANGE = "last-change"


def tag(dimension: str, value: str) -> str:
    """``dimension:value``."""
    return f"{dimension}:{value}"


def need(way: str, module: str) -> str:
    """``need:WAY:MODULE``: ``way`` is why the case needs ``module`` imported."""
    return f"{NEED}:{way}:{module}"


def values(tags: Iterable[str], dimension: str) -> list[str]:
    """The values of ``dimension`` among ``tags``, in order."""
    prefix = dimension + ":"
    return [t[len(prefix) :] for t in tags if t.startswith(prefix)]


def needs(tags: Iterable[str]) -> list[tuple[str, str]]:
    """``(way, module)`` for every ``need:`` tag."""
    return [(way, module) for way, _, module in (value.partition(":") for value in values(tags, NEED))]


#: One access of a generated case: ``access:I:WAY:PLACEMENT:USE:NEEDED`` (``I`` is the ``v<I>`` it
#: assigns, ``NEEDED`` the comma-separated submodules it needs imported).
ACCESS = "access"


@dataclass(frozen=True)
class AccessTag:
    """What one access of a generated case was made of, read back from its tag."""

    way: str
    placement: str
    use: str
    needs: tuple[str, ...]


def access(index: int, way: str, placement: str, use: str, needs: Iterable[str] = ()) -> str:
    """The tag of access number ``index``: what a shrunk case's remaining ``v<index>`` was made of."""
    return f"{ACCESS}:{index}:{way}:{placement}:{use}:{','.join(sorted(needs))}"


def accesses(tags: Iterable[str]) -> dict[int, AccessTag]:
    """``{index: AccessTag}`` from the ``access:`` tags."""
    found = {}
    for value in values(tags, ACCESS):
        index, way, placement, use, needs = [*value.split(":"), ""][:5]
        found[int(index)] = AccessTag(way, placement, use, tuple(n for n in needs.split(",") if n))
    return found


def is_bare(one: str) -> bool:
    """A hand-written label (``local-alias``), with no dimension."""
    return ":" not in one
