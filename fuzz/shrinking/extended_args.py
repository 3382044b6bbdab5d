"""Whether a missed submodule's own access is past one byte: the mark of a finding of size.

An instruction whose argument does not fit a byte takes an ``EXTENDED_ARG``
prefix; a detector that walks bytecode and forgets the prefix misses the
access it stands before (``proposed`` breaks its ``LOAD_ATTR`` chain there).
When the attribute load of a submodule a candidate missed carries the prefix,
the case's size may be why it was missed: the gate shows such a case for a
group of padded cases (:mod:`fuzz.report.findings`), and the shrinker keeps the
prefix while it shrinks one (:mod:`fuzz.shrinking.shrinker`), where it would
otherwise drop the padding for whatever else the case does wrong. Standard
library only: the gate's controller imports this without Hypothesis.
"""

from __future__ import annotations

import dis
import functools
import types
from collections.abc import Iterable

#: Instructions that load an attribute: a submodule's name is one past its package's.
ATTRIBUTE_LOADS = frozenset({"LOAD_ATTR", "LOAD_METHOD"})


@functools.lru_cache(maxsize=1024)
def attributes_past_a_byte(source: str) -> frozenset[str]:
    """The attribute names the module's code (its functions' included) loads with an ``EXTENDED_ARG`` prefix."""
    try:
        codes = [compile(source, "<case>", "exec", dont_inherit=True)]
    except (SyntaxError, ValueError):
        return frozenset()
    found: set[str] = set()
    while codes:
        code = codes.pop()
        codes += [const for const in code.co_consts if isinstance(const, types.CodeType)]
        previous = ""
        for instruction in dis.get_instructions(code):
            if previous == "EXTENDED_ARG" and instruction.opname in ATTRIBUTE_LOADS:
                found.add(instruction.argval)
            previous = instruction.opname
    return frozenset(found)


def missed_past_a_byte(source: str, missed: Iterable[str]) -> bool:
    """Whether a part of a missed module's dotted name is an attribute ``source`` loads past one byte."""
    parts = {part for name in missed for part in name.split(".")[1:]}
    return bool(parts) and bool(parts & attributes_past_a_byte(source))
