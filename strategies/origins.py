"""Where the pickled function comes from: the module around it, as users' code makes it.

cloudpickle pickles a function by value when its module cannot be imported
where it is loaded, and that happens in several ways in real use:

``dynamic-module``
    A namespace executed from source and registered nowhere (what the
    generator always made): code built at run time, plugin loaders.
``main``
    A script or a notebook: the function's ``__module__`` is ``__main__``,
    which cloudpickle always pickles by value.
``registered``
    A module that *is* imported (``sys.modules`` holds it, its ``__dict__`` is
    the function's globals) and that the user registered with
    ``cloudpickle.register_pickle_by_value``, as Ray, Dask and PySpark users
    do for their own code; each side registers it (:class:`fuzz.oracle.sides.Side`).
``function-type``
    A copy made with ``types.FunctionType(code, globals, name, defaults,
    closure)`` over a copy of the globals, under another name, as function
    copying helpers do: the same code, another function object, a globals
    dict that is no module's.
``exec-globals``
    Definitions executed with ``exec`` into a custom globals dict (code
    generators such as ``dataclasses`` and templating do this): its
    ``__name__`` is no module's, and ``exec`` inserts the builtins as a dict.

Each origin says which lines go before the function's definitions, how the
definitions are wrapped, and how the pickled object is reached. None of them
changes what the function needs imported, so the ground truth is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

#: Every origin; the first is the simplest (what every earlier case had) and is what shrinking goes back to.
ORIGINS = ("dynamic-module", "main", "registered", "function-type", "exec-globals")
#: Origins that rebuild the function object: only for kinds whose pickled object is the function.
REBUILDING = frozenset({"function-type"})
#: What ``exec-globals`` calls its custom namespace, and the ``__name__`` it gives it.
SCOPE = "SCOPE"
EXEC_NAME = "<generated>"
_REBUILD = (
    "def rebuilt(fn):",
    "    copy = types.FunctionType(fn.__code__, dict(fn.__globals__), 'rebuilt', fn.__defaults__, fn.__closure__)",
    "    copy.__kwdefaults__ = fn.__kwdefaults__",
    "    return copy",
)


@dataclass(frozen=True)
class Origin:
    """How the module around the function is written for one origin."""

    name: str

    @property
    def registered(self) -> bool:
        """Whether the case's module is put in ``sys.modules`` (:attr:`fuzz.model.case.Case.module_registered`)."""
        return self.name == "registered"

    def opening(self) -> list[str]:
        """Lines at the very top of the module (after any ``__future__`` import)."""
        return ["__name__ = '__main__'"] if self.name == "main" else []

    def setup(self) -> list[str]:
        """Module imports the origin needs."""
        if self.name == "function-type":
            return ["import types"]
        if self.name == "exec-globals":
            return ["import builtins"]
        return []

    def definitions(self, lines: list[str], exported: list[str]) -> list[str]:
        """The module's definitions (``def``, ``class``, factories), as this origin writes them.

        ``exported`` are the names the entry expression reads from the module.
        """
        if self.name == "function-type":
            return [*lines, "", "", *_REBUILD]
        if self.name != "exec-globals":
            return lines
        text = "\n".join(lines).strip("\n") + "\n"
        literal = f'"""\\\n{text}"""' if '"""' not in text and "\\" not in text else repr(text)
        scope = (
            f"{SCOPE} = {{name: value for name, value in globals().items() if not name.startswith('__')}}",
            f"{SCOPE}['__name__'] = {EXEC_NAME!r}",
        )
        exports = [f"{name} = {SCOPE}[{name!r}]" for name in exported]
        return [*scope, f"exec({literal}, {SCOPE})", *exports]

    def entry(self, entry: str) -> str:
        """The pickled object's expression, from the one the kind gives."""
        return f"rebuilt({entry})" if self.name == "function-type" else entry


def origins() -> st.SearchStrategy[Origin]:
    """An origin, the dynamic module first (what shrinking goes back to)."""
    return st.sampled_from(tuple(Origin(name) for name in ORIGINS))
