"""Closure ways: the package reached through a free variable.

``closure`` passes the package to a factory (``make(pkg)`` returns ``f``,
whose cell holds the package; the factory may have been called before with
other packages); ``cell`` binds a local in the function that a nested scope
then reads (placed only where a nested scope evaluates the base).
"""

from __future__ import annotations

from strategies.ways.fragments import AccessParts, Base, Rendered


def closure(access: AccessParts, i: int, out: Rendered) -> Base:
    """A factory parameter: ``def make(clo0): def f(): clo0.sub...``."""
    out.factory.append((f"clo{i}", access.parts[0]))
    return f"clo{i}", 1, set()


def cell(access: AccessParts, i: int, out: Rendered) -> Base:
    """A local of ``f`` read by a nested scope: ``loc0 = pkg`` then ``lambda: loc0.sub...``."""
    out.prelude.append(f"loc{i} = {access.parts[0]}")
    return f"loc{i}", 1, set()
