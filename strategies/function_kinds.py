"""What kind of callable is pickled: a plain function, or one reached as real code reaches functions.

cloudpickle detects submodules per *function* it pickles by value, however
it got there: the function itself, a method of a class defined at run time
(pickled by value with its class), a ``classmethod`` or ``staticmethod``, a
property's getter, the function inside a ``functools.partial``, or a lambda
kept in a dictionary that calls it. Each kind here says how ``f`` is
defined (decorator, first parameter, inside a class or not) and how the
pickled object is reached from the name the module binds (``f``,
``Service``, or ``make(...)`` when a factory builds it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionKind:
    """How ``f`` is written, and how the object that is pickled (and called once unpickled) is reached."""

    #: ``async`` before ``def``, ``yield`` instead of ``return``.
    is_async: bool = False
    is_generator: bool = False
    #: A decorator line above ``def f`` (``passthrough`` is defined by the module).
    decorator: str = ""
    #: A first parameter before the accesses' parameters (``self``, ``cls``, a bound placeholder).
    first_param: str = ""
    #: Whether ``f`` is defined in the body of ``class Service`` (the module then binds ``Service``).
    in_class: bool = False
    #: The pickled object, from what the module (or the factory) gives: ``{obj}`` is ``f`` or ``Service``.
    entry: str = "{obj}"
    #: Whether the module keeps the callable in ``HANDLERS['run']``: ``lambda: f()``, or the factory's ``f``.
    in_container: bool = False
    #: Module imports the entry needs.
    imports: tuple[str, ...] = ()

    @property
    def features(self) -> tuple[str, ...]:
        """The Python features a case shows by pickling this kind (:data:`fuzz.generation.input_coverage.FEATURES`)."""
        shown = {
            "async": self.is_async,
            "generator": self.is_generator,
            "decorator": bool(self.decorator),
            "class": self.in_class,
            "lambda": self.in_container,
        }
        return tuple(feature for feature, present in shown.items() if present)


#: Every kind of pickled callable. The order is part of what a seed draws: a new kind goes at the end.
FUNCTION_KINDS: dict[str, FunctionKind] = {
    "plain": FunctionKind(),
    "async": FunctionKind(is_async=True),
    "generator": FunctionKind(is_generator=True),
    "decorated": FunctionKind(decorator="@passthrough"),
    "method": FunctionKind(first_param="self", in_class=True, entry="{obj}().f"),
    "classmethod": FunctionKind(decorator="@classmethod", first_param="cls", in_class=True, entry="{obj}.f"),
    "staticmethod": FunctionKind(decorator="@staticmethod", in_class=True, entry="{obj}.f"),
    # getattr(instance, 'f') runs the getter: the instance, its class and the getter are pickled by value.
    "property": FunctionKind(
        decorator="@property",
        first_param="self",
        in_class=True,
        entry="functools.partial(getattr, {obj}(), 'f')",
        imports=("import functools",),
    ),
    "partial": FunctionKind(first_param="bound", entry="functools.partial({obj}, None)", imports=("import functools",)),
    # The lambda is pickled, and ``f`` with it as one of its globals (or the factory's ``f`` as the item).
    "lambda-in-container": FunctionKind(in_container=True, entry="HANDLERS['run']"),
    # ``yield`` in an ``async def``: an asynchronous generator (PEP 525), driven to its end once unpickled.
    "async-generator": FunctionKind(is_async=True, is_generator=True),
}

#: The names of :data:`FUNCTION_KINDS`, in order.
KIND_NAMES = tuple(FUNCTION_KINDS)
