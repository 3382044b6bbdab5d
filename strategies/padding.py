"""Colliding names: submodule names the function also uses as an attribute, a global or a local.

``legacy`` keeps a loaded submodule whenever each of its dotted components is
in ``co_names``, so the function reuses some of the universe's child names in
roles that put them there (or, as a local, do not). Size, the other padding a
function gets, is drawn in :mod:`strategies.operand_sizes`.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

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
