"""Runs of alike lines: padding a case grows to reach a size (``p0 = PADS.p0``, ``p1 = PADS.p1``, ...).

A case past a size boundary holds hundreds of lines that differ only in
their numbers. Three readers must see such a run as one thing: the reducer
(:mod:`fuzz.shrinking.case_reducer`) halves it instead of dropping lines one
by one, a finding's size counts it as one line, and the Markdown report shows
it as one comment. They share this module so that they agree on what a run is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Callable, TypeVar

#: Alike items in a row that count as a run.
RUN_LENGTH = 8
_NUMBER = re.compile(r"\d+")

Item = TypeVar("Item")


def shape(text: str) -> str:
    """A line with its numbers blanked: alike lines have the same shape."""
    return _NUMBER.sub("#", text)


def runs(items: Sequence[Item], shape_of: Callable[[Item], str], least: int = RUN_LENGTH) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of at least ``least`` items of the same shape, in order."""
    shapes = [shape_of(item) for item in items]  # once each: the reducer's shape unparses a statement
    found, start = [], 0
    for index in range(1, len(items) + 1):
        if index == len(items) or shapes[index] != shapes[start]:
            if index - start >= least:
                found.append((start, index))
            start = index
    return found


def count_lines(source: str, least: int = RUN_LENGTH) -> int:
    """Non-blank lines, a run of ``least`` or more alike lines counted as one."""
    lines = [line for line in source.splitlines() if line.strip()]
    folded = sum(end - start - 1 for start, end in runs(lines, shape, least))
    return len(lines) - folded


def collapse_runs(text: str, note: str = "") -> str:
    """Runs of alike lines as one comment line: what a reader needs of them."""
    lines = text.splitlines()
    out: list[str] = []
    done = 0
    for start, end in runs(lines, shape):
        out += lines[done:start]
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        first, last = lines[start].strip(), lines[end - 1].strip()
        out.append(f"{indent}# {end - start} lines like these, each a distinct name: {first} ... {last}{note}")
        done = end
    out += lines[done:]
    return "\n".join(out)
