"""Size: functions from tiny to thousands of instructions.

Padding lines read attributes of a module-level namespace, so each one adds a
distinct name to ``co_names`` (the set ``legacy`` intersects with) and a few
instructions to the bytecode (which ``proposed`` walks). The size is drawn
from a strategy whose simplest value is zero, so a failure shrinks to a
function with no padding at all.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st


def padding_sizes() -> st.SearchStrategy[int]:
    return st.one_of(st.just(0), st.integers(1, 12), st.integers(100, 400))


def padding_setup(size: int) -> list[str]:
    if not size:
        return []
    return ["import types", f"PADS = types.SimpleNamespace(**{{f'p{{k}}': k for k in range({size})}})"]


def padding_lines(size: int) -> list[str]:
    return [f"pad{k} = PADS.p{k}" for k in range(size)]


#: How a colliding name is used: as an attribute, a global, or a local.
NOISE_ROLES = ("attribute", "global", "local")


@functools.cache
def noise(names: tuple[str, ...]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Names shared with submodules (``names``: the universe's pool), each used in one role by the function."""
    return st.lists(
        st.tuples(st.sampled_from(names), st.sampled_from(NOISE_ROLES)),
        max_size=3,
        unique_by=lambda pair: pair[0],
    )


def noise_setup(pairs: list[tuple[str, str]]) -> list[str]:
    lines = []
    attributes = [name for name, role in pairs if role == "attribute"]
    if attributes:
        fields = ", ".join(f"{name}={name!r}" for name in attributes)
        lines += ["import types", f"NOISE = types.SimpleNamespace({fields})"]
    lines += [f"{name} = 'global {name}'" for name, role in pairs if role == "global"]
    return lines


def noise_lines(pairs: list[tuple[str, str]]) -> list[str]:
    out = []
    for k, (name, role) in enumerate(pairs):
        if role == "attribute":
            out.append(f"nz{k} = NOISE.{name}")
        elif role == "global":
            out.append(f"nz{k} = {name}")
        else:
            out.append(f"{name} = {k}")
    return out
