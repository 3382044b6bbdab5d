"""The case model: plain data describing one function to pickle, and its world.

A :class:`Case` is everything needed to rebuild a test from scratch: the
package universe (files and their contents), the source of the module that
defines the function, the modules the parent imports before pickling, and,
when known, the ground truth (which submodules the function needs).

:func:`materialise` renames every top-level package of a case's universe with
a unique suffix, compiles the universe once and makes it importable from
memory (:class:`fuzz.isolation.remote.child_runtime.UniverseImporter`; children get the same
compiled table), so thousands of cases can run one after another in one
process without one case's modules leaking into the next and without a file
written per case; on exit it drops every module it imported.
The function's own module is executed into a namespace that is registered
nowhere, so cloudpickle has to pickle the function *by value*: a function
pickled by reference would test nothing, and that is asserted.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import itertools
import re
import secrets
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fuzz.errors import FuzzError
from fuzz.isolation.outcomes import RequestKind
from fuzz.isolation.remote.child_runtime import UniverseImporter, module_namespace, pickled_owner, universe_table
from fuzz.model import tags as tagging

#: Where a case's files claim to live; no such directory exists.
VIRTUAL_ROOT = "<universe>"
_counter = itertools.count()


class CaseError(FuzzError, ValueError):
    """A case that cannot be materialised; the message names the field."""


@dataclass(frozen=True)
class Case:
    """One function under test, as plain, serialisable data."""

    #: The package universe: ``(relative path, file contents)`` pairs, such as
    #: ``("pkg/__init__.py", "")``. Top-level names are renamed on materialising.
    files: tuple[tuple[str, str], ...]
    #: Source of the module defining the function.
    source: str
    #: Expression, evaluated in that module, giving the function to pickle.
    entry: str = "f"
    #: Modules the parent imports before pickling (its ``sys.modules`` state).
    parent_imports: tuple[str, ...] = ()
    #: Ground truth: the submodules the function needs when called, if known.
    needed: tuple[str, ...] | None = None
    #: Statements run in the module, in order, after its source and before the
    #: pickle under test: rebinding globals, setting cells, importing. A step
    #: may call ``pickled(fn)``, which pickles ``fn`` with both sides (warming
    #: any cache) in the parent and does nothing at home.
    steps: tuple[str, ...] = ()
    #: Short labels for the access pattern, used to group findings.
    tags: tuple[str, ...] = ()
    #: Human-readable label.
    name: str = ""
    #: Whether the function's module is a module object in ``sys.modules`` while the case runs (an
    #: imported module, as a user's own code is), rather than a namespace registered nowhere. cloudpickle
    #: would pickle its functions by reference; every side registers it with
    #: ``register_pickle_by_value`` for the pickle (:meth:`fuzz.oracle.sides.Side.dumps`), as Ray and Dask
    #: users do. Fresh interpreters still cannot import it.
    module_registered: bool = False

    def render(self) -> str:
        """The case as a person reads it: the file tree, then the function's module."""
        out = []
        for path, content in self.files:
            out += [f"# --- {path} ---", content.rstrip("\n") or "# (empty)"]
        out += [f"# --- the function's module; pickled: {self.entry} ---", self.source.rstrip("\n")]
        if self.steps:
            out += ["# --- then, step by step ---", *self.steps]
        if self.needed is not None:
            out.append(f"# needs imported before the call: {', '.join(self.needed) or 'nothing'}")
        return "\n".join(out)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints falsifying examples with this: show source, not escapes."""
        printer.text("Case(  # " + (self.name or "case") + "\n" + self.render() + "\n)")

    def to_dict(self) -> dict[str, Any]:
        """The case as JSON-able data (tuples become lists); :meth:`from_dict` reads it back equal."""
        return {f.name: jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        """A case from :meth:`to_dict`'s data (or a JSON round trip of it); missing fields take their defaults."""
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in data:
                values[f.name] = tupled(data[f.name])
            elif f.default is dataclasses.MISSING:
                raise CaseError(f"{f.name}: missing from the case's data")
        return cls(**values)

    @property
    def hazard(self) -> str:
        """The ``sys.modules`` hazard the case's steps make (:mod:`strategies.hazards`), or ""."""
        hazard = next(iter(tagging.values(self.tags, tagging.HAZARD)), "none")
        return "" if hazard == "none" else hazard

    def top_level_names(self) -> tuple[str, ...]:
        tops = set()
        for path, _ in self.files:
            head = path.split("/", 1)[0]
            tops.add(head[:-3] if head.endswith(".py") else head)
        return tuple(sorted(tops))


@dataclass
class Materialised:
    """A case made importable and executed in this process."""

    case: Case
    #: The compiled universe (:func:`fuzz.isolation.remote.child_runtime.universe_table`), as sent to children.
    universe: dict
    module_name: str
    filename: str
    source: str
    entry: str
    steps: tuple[str, ...]
    parent_imports: tuple[str, ...]
    namespace: dict
    #: What is pickled: a function, or a method, partial or container item that reaches one.
    func: Callable[..., object]
    suffix: str

    def logical(self, name: str) -> str:
        """Map a materialised module name back to the case's own name."""
        return name.replace(self.suffix, "")

    def logical_all(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({self.logical(n) for n in names}))

    def home_modules(self) -> list[str]:
        """Modules this process holds under the packages the case's module refers to.

        "At home" must mean the state the function is pickled in. A case's own
        packages are fresh, but a standard-library package may have gained
        submodules from earlier cases or from the fuzzer itself (``xml.etree``
        loaded long ago); a function can rely on them here, and legacy records
        them, so the home run imports them too.
        """
        tops = {v.__name__.partition(".")[0] for v in self.namespace.values() if isinstance(v, types.ModuleType)}
        return sorted(
            name
            for name, module in list(sys.modules.items())
            if isinstance(name, str)
            and name.partition(".")[0] in tops
            and isinstance(module, types.ModuleType)
            # Only what the import system loaded; a stand-in made by hand cannot be re-imported.
            and getattr(module, "__spec__", None) is not None
        )

    def reference_header(self, home_modules: list[str] | None = None) -> dict:
        """The request that runs this case at home in a fresh interpreter."""
        return {
            "kind": RequestKind.REFERENCE,
            "universe": self.universe,
            "module_name": self.module_name,
            "filename": self.filename,
            "source": self.source,
            "parent_imports": list(self.parent_imports),
            "home_modules": self.home_modules() if home_modules is None else home_modules,
            "steps": list(self.steps),
            "entry": self.entry,
            "module_registered": self.case.module_registered,
        }


def rename_tops(text: str, tops: tuple[str, ...], suffix: str) -> str:
    """Rename whole-word occurrences of each top-level name (code and strings)."""
    if not tops:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in tops) + r")\b")
    return pattern.sub(lambda m: m.group(1) + suffix, text)


def jsonable(value: Any) -> Any:
    """Tuples (at any depth) as lists, for JSON."""
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    return value


def tupled(value: Any) -> Any:
    """Lists (at any depth) as tuples: a case's fields are immutable."""
    if isinstance(value, list):
        return tuple(tupled(v) for v in value)
    return value


def universe_path_problem(path: str) -> str | None:
    """Why ``path`` cannot name a file of a universe, or ``None`` if it can."""
    parts = path.split("/")
    if path.startswith("/") or not path.endswith(".py"):
        return "must be a relative path ending in .py, such as pkg/sub/__init__.py"
    if not all(part.removesuffix(".py").isidentifier() for part in parts):
        return "must be made of identifiers (no '..', no dashes), such as pkg/sub/__init__.py"
    return None


def _check_paths(case: Case) -> None:
    for path, content in case.files:
        problem = universe_path_problem(path)
        if problem is not None:
            raise CaseError(f"files: {path!r} {problem}")
        if not isinstance(content, str):
            raise CaseError(f"files: contents of {path!r} must be text")


def _no_pickling(func: object) -> None:
    return None


@contextmanager
def materialise(case: Case, pickled: Callable[[object], object] = _no_pickling) -> Iterator[Materialised]:
    """Make ``case``'s universe importable, import it, run its steps, yield the live function.

    ``pickled`` is what the case's steps call to pickle a function midway.

    On exit every module of the case's universe is dropped from
    ``sys.modules`` and its importer from ``sys.meta_path``, so the next case
    starts clean.
    """
    _check_paths(case)
    suffix = f"_{next(_counter)}x{secrets.token_hex(3)}"
    tops = case.top_level_names()
    renamed = tuple(t + suffix for t in tops)
    module_name = "fuzzcase" + suffix
    filename = f"{VIRTUAL_ROOT}/{module_name}.py"
    # Keys that are not module names (a case's steps may add some, see strategies.hazards): dropped on exit.
    odd_keys = {key for key in sys.modules if not isinstance(key, str)}
    importer = UniverseImporter(
        universe_table(
            [(rename_tops(path, tops, suffix), rename_tops(content, tops, suffix)) for path, content in case.files],
            VIRTUAL_ROOT,
        )
    )
    try:
        sys.meta_path.insert(0, importer)
        source = rename_tops(case.source, tops, suffix)
        parent_imports = tuple(rename_tops(m, tops, suffix) for m in case.parent_imports)
        for name in parent_imports:
            importlib.import_module(name)
        if module_name in sys.modules or importlib.util.find_spec(module_name) is not None:
            raise CaseError(f"the case module {module_name} is importable; it would be pickled by reference")
        namespace = module_namespace(module_name, case.module_registered)
        exec(compile(source, filename, "exec", dont_inherit=True), namespace)
        steps = tuple(rename_tops(step, tops, suffix) for step in case.steps)
        namespace["pickled"] = pickled
        for step in steps:
            exec(compile(step, filename, "exec", dont_inherit=True), namespace)
        entry = rename_tops(case.entry, tops, suffix)
        func = eval(entry, namespace)
        if not callable(func) or not isinstance(pickled_owner(func), (types.FunctionType, type)):
            raise CaseError(
                f"entry: {case.entry!r} gives {type(func).__name__}, not a function, a method, or a partial of one"
            )
        yield Materialised(
            case=case,
            universe=importer.table,
            module_name=module_name,
            filename=filename,
            source=source,
            entry=entry,
            steps=steps,
            parent_imports=parent_imports,
            namespace=namespace,
            func=func,
            suffix=suffix,
        )
    finally:
        try:
            _clean_up(importer, renamed, odd_keys, module_name)
        except KeyboardInterrupt:
            # A Ctrl-C during clean-up must not leave the case behind: finish, then stop.
            _clean_up(importer, renamed, odd_keys, module_name)
            raise


def _clean_up(importer: UniverseImporter, renamed: tuple[str, ...], odd_keys: set, module_name: str) -> None:
    """Undo :func:`materialise`; safe to run twice."""
    sys.modules.pop(module_name, None)
    if importer in sys.meta_path:
        sys.meta_path.remove(importer)
    for key in [k for k in sys.modules if not isinstance(k, str) and k not in odd_keys]:
        sys.modules.pop(key, None)
    tops = set(renamed)
    for name in [n for n in sys.modules if isinstance(n, str) and n.partition(".")[0] in tops]:
        sys.modules.pop(name, None)
    # Python 3.15 keeps the names of lazy imports not yet used (PEP 810): the case's are dropped
    # too, or a long-lived worker would carry every earlier case's pending imports.
    pending = getattr(sys, "lazy_modules", None)
    if isinstance(pending, set):
        pending.difference_update([n for n in pending if isinstance(n, str) and n.partition(".")[0] in tops])
