"""Ways through another object: an attribute of a class or instance, an item of a container."""

from __future__ import annotations

from strategies.ways.fragments import AccessParts, Base, Rendered


def object_attr(access: AccessParts, i: int, out: Rendered) -> Base:
    """A class attribute, a ``SimpleNamespace`` attribute, or an instance attribute set in ``__init__``."""
    top = access.parts[0]
    if access.variant == 0:
        out.setup += [f"class Holder{i}:", f"    mod = {top}"]
        return f"Holder{i}.mod", 1, set()
    if access.variant == 1:
        out.setup += ["import types", f"holder{i} = types.SimpleNamespace(mod={top})"]
        return f"holder{i}.mod", 1, set()
    out.setup += [
        f"class Owner{i}:",
        "    def __init__(self):",
        f"        self.mod = {top}",
        f"owner{i} = Owner{i}()",
    ]
    return f"owner{i}.mod", 1, set()


def container_item(access: AccessParts, i: int, out: Rendered) -> Base:
    """An item of a dict, a list or a tuple held in a global."""
    top = access.parts[0]
    box = (f"{{'m': {top}}}", f"[{top}]", f"({top},)")[access.variant]
    out.setup.append(f"box{i} = {box}")
    return f"box{i}" + ("['m']" if access.variant == 0 else "[0]"), 1, set()
