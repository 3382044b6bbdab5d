"""Ways that name modules at run time: ``getattr``, ``globals()``, ``sys.modules``, importing.

Most of these are invisible to a bytecode scan (the names are strings, or
the load goes through a call); the import ways import (part of) the path
themselves, which changes what the function needs.
"""

from __future__ import annotations

from strategies.ways.fragments import AccessParts, Base, Rendered, prefixes


def getattr_const(access: AccessParts, i: int, out: Rendered) -> Base:
    """``getattr(pkg, 'sub')``: the seed's func4."""
    return f"getattr({access.parts[0]}, {access.attrs[0]!r})", 2, set()


def getattr_computed(access: AccessParts, i: int, out: Rendered) -> Base:
    """``getattr(pkg, ''.join([...]))``: the name never appears whole."""
    pieces = ", ".join(repr(c) for c in access.attrs[0])
    return f"getattr({access.parts[0]}, ''.join([{pieces}]))", 2, set()


def globals_lookup(access: AccessParts, i: int, out: Rendered) -> Base:
    """``globals()['pkg']``."""
    return f"globals()[{access.parts[0]!r}]", 1, set()


def sys_modules(access: AccessParts, i: int, out: Rendered) -> Base:
    """``sys.modules['pkg']``."""
    out.setup.append("import sys")
    return f"sys.modules[{access.parts[0]!r}]", 1, set()


def import_module(access: AccessParts, i: int, out: Rendered) -> Base:
    """``importlib.import_module('pkg.sub')``: imports the prefix it names."""
    prefix = ".".join(access.parts[: access.split])
    out.setup.append("import importlib")
    return f"importlib.import_module({prefix!r})", access.split, prefixes(access.parts, access.split)


def import_inside(access: AccessParts, i: int, out: Rendered) -> Base:
    """``import pkg.sub`` (or ``from pkg import sub as inner0``) inside the function."""
    parts = access.parts
    prefix = ".".join(parts[: access.split])
    out.self_imported = prefixes(parts, access.split)
    if access.variant == 0 or access.split < 2:
        out.prelude.insert(0, f"import {prefix}")
        return parts[0], 1, set()
    parent, _, child = prefix.rpartition(".")
    out.prelude.insert(0, f"from {parent} import {child} as inner{i}")
    return f"inner{i}", access.split, set()
