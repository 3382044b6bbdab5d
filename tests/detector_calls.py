"""Calling a detector the way cloudpickle does, on whatever a generated case pickles."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable

from fuzz.isolation.remote.child_runtime import pickled_owner


def functions_in(obj: object) -> list[types.FunctionType]:
    """The functions pickling ``obj`` detects submodules for: itself, or those its class defines.

    A generated case may pickle a method, a partial or a property's getter
    (:mod:`strategies.function_kinds`); detectors take functions.
    """
    owner = pickled_owner(obj)
    if isinstance(owner, types.FunctionType):
        return [owner]
    found = []
    for value in vars(owner).values():
        value = getattr(value, "__func__", None) or getattr(value, "fget", None) or value
        if isinstance(value, types.FunctionType):
            found.append(value)
    return found


def names_or_error(detect: Callable[[types.FunctionType], Iterable[object]], func: types.FunctionType) -> object:
    """The names of what ``detect`` found, in order, or the type of the exception it raised.

    ``sys.modules`` may hold ``None`` or another object where a module was
    (:mod:`strategies.hazards`), and a key that is not a string makes the
    ``sys.modules`` scan raise.
    """
    try:
        return [getattr(m, "__name__", repr(m)) for m in detect(func)]
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
