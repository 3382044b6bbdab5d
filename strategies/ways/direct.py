"""Direct ways: the package's global name, an ``import ... as`` name, a module-level alias."""

from __future__ import annotations

from strategies.ways.fragments import AccessParts, Base, Rendered


def global_dotted(access: AccessParts, i: int, out: Rendered) -> Base:
    """``pkg.sub.VALUE``: the form both detectors were written for."""
    return access.parts[0], 1, set()


def import_as(access: AccessParts, i: int, out: Rendered) -> Base:
    """``import pkg.sub as mod0`` at module level, then ``mod0...``."""
    prefix = ".".join(access.parts[: access.split])
    out.setup.append(f"import {prefix} as mod{i}")
    return f"mod{i}", access.split, set()


def module_alias(access: AccessParts, i: int, out: Rendered) -> Base:
    """``alias0 = pkg`` at module level."""
    out.setup.append(f"alias{i} = {access.parts[0]}")
    return f"alias{i}", 1, set()
