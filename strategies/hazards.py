"""Odd ``sys.modules`` states the parent may be in when it pickles.

cloudpickle's own history shows the ``sys.modules`` scan breaking on them:
a ``None`` key (old pytest added one), a key that is not a string at all,
a ``None`` value (the marker that blocks an import), a module replaced by
another object (packages that put an instance in ``sys.modules``; an
unhashable one breaks code that collects modules in a set), a package
without ``__package__``, and the dictionary changing size while it is
scanned (another thread importing; here, deterministically, a key whose
``startswith`` imports, so only a scan of the live dictionary sees it).

Each hazard is a step run after the module's source and before the pickle
under test, with the module-level lines it needs. Steps name only the
case's own packages (renamed per case, and dropped after it) or, for the
odd keys, keys the clean-up removes, so a long-lived worker is left as it
was. The standard-library universe gets no hazard: its modules are shared.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st


@dataclass(frozen=True)
class Hazard:
    """A ``sys.modules`` state: module-level setup lines, and the step that makes it."""

    setup: tuple[str, ...]
    #: ``{top}`` is a top-level package of the case, ``{child}`` a name from its universe's pool.
    step: str
    #: How a root cause names the state: ``sys.modules holding ...``.
    words: str = ""


_IMPORTING_KEY = (
    "import sys",
    "import types",
    "",
    "",
    "class ImportingKey(str):",
    "    def startswith(self, *args):",
    "        during = str(self) + '.during'",
    "        if sys.modules.pop(during, None) is None:",
    "            sys.modules[during] = types.ModuleType(during)",
    "        return str.startswith(self, *args)",
)
_LOOKALIKE = (
    "import sys",
    "",
    "",
    "class Lookalike:",
    "    def __eq__(self, other):",
    "        return self is other",
)

#: Every hazard but "none". The order is part of what a seed draws: a new one goes at the end.
HAZARDS: dict[str, Hazard] = {
    "none-key": Hazard(("import sys",), "sys.modules[None] = sys", words="a None key"),
    "non-string-key": Hazard(("import sys",), "sys.modules[404] = sys", words="a key that is not a string"),
    "none-entry": Hazard(
        ("import sys",), "sys.modules['{top}.{child}'] = None", words="None for a module (an import blocked)"
    ),
    "no-package": Hazard((), "del {top}.__package__", words="a package without __package__"),
    "replaced-by-object": Hazard(
        ("import sys", "import types"),
        "sys.modules['{top}.{child}'] = types.SimpleNamespace(VALUE='replaced')",
        words="another object in a module's place",
    ),
    "unhashable-replacement": Hazard(
        _LOOKALIKE, "sys.modules['{top}.{child}'] = Lookalike()", words="an unhashable object in a module's place"
    ),
    "import-during-scan": Hazard(
        _IMPORTING_KEY,
        "sys.modules[ImportingKey('{top}.scanned')] = types.ModuleType('{top}.scanned')",
        words="a key whose use imports (the dictionary changes size mid-scan)",
    ),
}

#: Every value the coverage report counts, "none" first.
HAZARD_NAMES = ("none", *HAZARDS)


def hazard_names() -> st.SearchStrategy[str]:
    """Mostly "none" (the simplest value, what shrinking goes back to); each hazard about one case in 20."""
    return st.one_of(st.just("none"), st.just("none"), st.sampled_from(tuple(HAZARDS)))
