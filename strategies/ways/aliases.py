"""Ways that alias the package inside the function: a local, a default argument, an expression."""

from __future__ import annotations

from strategies.ways.fragments import AccessParts, Base, Rendered


def local_alias(access: AccessParts, i: int, out: Rendered) -> Base:
    """``loc0 = pkg`` in the function, then ``loc0.sub...``."""
    out.prelude.append(f"loc{i} = {access.parts[0]}")
    return f"loc{i}", 1, set()


def default_arg(access: AccessParts, i: int, out: Rendered) -> Base:
    """``def f(dflt0=pkg)``."""
    out.params.append(f"dflt{i}={access.parts[0]}")
    return f"dflt{i}", 1, set()


def conditional(access: AccessParts, i: int, out: Rendered) -> Base:
    """A conditional expression that always picks the package."""
    return f"({access.parts[0]} if len(__name__) >= 0 else None)", 1, set()


def walrus(access: AccessParts, i: int, out: Rendered) -> Base:
    """An assignment expression, bare or inside a conditional."""
    top = access.parts[0]
    if access.variant == 0:
        return f"(w{i} := {top})", 1, set()
    return f"((w{i} := {top}) if len(__name__) >= 0 else None)", 1, set()
