"""Sides: the ways of pickling a function that the fuzzer compares.

A side is built from a spec string:

``installed``
    The installed cloudpickle, nothing replaced.
``legacy`` / ``proposed`` (and other built-in detector names)
    The installed cloudpickle with its submodule detection replaced by that
    reference detector (see :data:`BUILTIN_DETECTORS`).
``tree:PATH``
    A cloudpickle source checkout (``PATH/cloudpickle/__init__.py``), used end
    to end through its own ``dumps``: this is how a pull request is gated.
``detector:MODULE:CALLABLE``
    Any importable ``(func) -> iterable of modules``, swapped in like
    ``legacy``.

Every side loads its own private copy of a cloudpickle package under an alias
(:mod:`fuzz.isolation.remote.package_alias`), so two trees, or one tree and two detectors,
coexist in one process without sharing caches or monkeypatches, and both
sides of a comparison pickle the very same function object against the same
``sys.modules``. The only change made to a copy is to observe
``_function_getstate``: that is how the submodule list recorded in the pickled
state is read, whatever detection the copy uses internally.
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import cloudpickle

from fuzz.detectors import BUILTIN_DETECTORS, Detector, TakesDependencies
from fuzz.errors import FuzzError
from fuzz.isolation.outcomes import PickleOutcome
from fuzz.isolation.pickling_guard import PicklingGuard
from fuzz.isolation.pool import SideRuntime
from fuzz.isolation.remote.child_runtime import clean_text, pickled_owner
from fuzz.isolation.remote.package_alias import load_package_as

INSTALLED_DIR = os.path.dirname(os.path.abspath(cloudpickle.__file__))
_alias_counter = itertools.count()


class SideSpecError(FuzzError, ValueError):
    """A side spec that cannot be turned into a side; the message says why."""


def _fail(spec: str, why: str) -> SideSpecError:
    return SideSpecError(f"invalid side spec {spec!r}: {why}")


def resolve_detector(spec: str, target: str) -> Detector:
    """Import ``MODULE:CALLABLE`` for ``spec``, with errors that name it."""
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise _fail(spec, "expected detector:MODULE:CALLABLE, e.g. detector:mypkg.detect:find")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise _fail(spec, f"module {module_name!r} does not import ({type(exc).__name__}: {exc})") from exc
    try:
        detector = getattr(module, attr)
    except AttributeError:
        raise _fail(spec, f"module {module_name!r} has no attribute {attr!r}") from None
    if not callable(detector):
        raise _fail(spec, f"{module_name}.{attr} is not callable")
    return detector


@dataclass
class Side:
    """One way of pickling; :meth:`dumps` never raises for a pickling error, a hang or output."""

    spec: str
    runtime: SideRuntime
    module: types.ModuleType
    _recorded: list[list[str]]
    #: ``baseline`` or ``candidate`` (``side`` when built alone): named in a worker file, so a
    #: supervisor knows whom to blame when this side kills its process.
    role: str = "side"
    #: Bounds each ``dumps`` in time and keeps its output (:mod:`fuzz.isolation.pickling_guard`).
    guard: PicklingGuard = field(default_factory=PicklingGuard)

    def __repr__(self) -> str:
        # Short, so Hypothesis's falsifying examples show the case, not the side's internals.
        return f"Side({self.spec!r})"

    def forget_observed(self) -> None:
        """Drop what the observer kept from raw ``self.module.dumps`` calls (timing loops)."""
        self._recorded.clear()

    def dumps(self, func: object) -> PickleOutcome:
        """Pickle ``func`` by value with this side, bounded by the guard; never raises for the side's errors.

        A function whose module is imported here (a case's module standing for a
        user's own, :attr:`fuzz.model.case.Case.module_registered`) would be pickled by
        reference, which tests nothing: that module is registered with
        ``register_pickle_by_value`` for this call, as users of Ray or Dask
        register theirs, and unregistered after.
        """
        self._recorded.clear()
        module = _imported_module_of(func)
        registered = module is not None and module.__name__ not in self._by_value_registry()
        if registered:
            self.module.register_pickle_by_value(module)
        try:
            outcome = self.guard.dumps(self.role, self.spec, self.module.dumps, func)
        finally:
            if registered:
                self.module.unregister_pickle_by_value(module)
        return replace(outcome, submodules=_union(self._recorded))

    def _by_value_registry(self) -> frozenset[str]:
        listed = getattr(self.module, "list_registry_pickle_by_value", None)
        return frozenset(listed()) if callable(listed) else frozenset()


def _imported_module_of(func: object) -> types.ModuleType | None:
    """The module ``sys.modules`` holds under the pickled function's ``__module__``, if any (not ``__main__``)."""
    name = getattr(pickled_owner(func), "__module__", None)
    if not isinstance(name, str) or name == "__main__":
        return None
    module = sys.modules.get(name)
    return module if isinstance(module, types.ModuleType) else None


def _union(recorded: list[list[str]]) -> tuple[str, ...]:
    return tuple(sorted({name for names in recorded for name in names}))


def _module_name(module: object) -> str:
    """A recorded module's name; for what stands in a module's place, its repr without its address.

    Reports and verdicts compare across runs and processes: an address would make the same case differ.
    """
    name = getattr(module, "__name__", None)
    return name if isinstance(name, str) and name else clean_text(repr(module))


#: Where cloudpickle keeps its pickler, newest layout first (2.x had ``cloudpickle_fast.py`` beside ``cloudpickle.py``).
PICKLER_MODULES = ("cloudpickle", "cloudpickle_fast")


def _pickler_module(package: types.ModuleType) -> types.ModuleType | None:
    """The module of a side's cloudpickle whose pickler calls ``_function_getstate``."""
    found = None
    for name in PICKLER_MODULES:
        module = getattr(package, name, None)
        if isinstance(module, types.ModuleType) and "_function_getstate" in vars(module):
            found = module  # cloudpickle_fast, where it exists, is where 2.x's pickler calls it
    return found


def _instrument(package: types.ModuleType, detector: Detector | None, recorded: list) -> None:
    """Observe (and for detector sides, replace) submodule detection in a side's cloudpickle.

    Its pickler calls the module-global ``_function_getstate`` for every
    function pickled by value, so wrapping that global sees each function's
    slot state; the detection it calls, ``_find_imported_submodules``, is
    replaced wherever a module of the package holds it (2.x imports it by
    name into ``cloudpickle_fast``).
    """
    core = _pickler_module(package)
    assert core is not None, "checked when the side was loaded"
    # Through the module's namespace: these are private names of whichever cloudpickle the side copies.
    namespace = vars(core)
    original = namespace["_function_getstate"]
    stack: list[types.FunctionType] = []

    def observed_getstate(func: types.FunctionType) -> tuple:
        stack.append(func)
        try:
            state, slotstate = original(func)
        finally:
            stack.pop()
        recorded.append([_module_name(m) for m in slotstate.get("_cloudpickle_submodules", ())])
        return state, slotstate

    namespace["_function_getstate"] = observed_getstate
    if detector is not None:
        swapped = _swapped_detection(detector, stack)
        for name in PICKLER_MODULES:
            module = getattr(package, name, None)
            if isinstance(module, types.ModuleType) and "_find_imported_submodules" in vars(module):
                vars(module)["_find_imported_submodules"] = swapped


def _swapped_detection(detector: Detector, stack: list[types.FunctionType]) -> Callable[..., list]:
    """cloudpickle's ``_find_imported_submodules(code, dependencies)``, answered by ``detector``.

    A detector that takes the dependencies cloudpickle already computed
    (:class:`fuzz.detectors.TakesDependencies`) gets them; any other is
    called as ``detector(func)``, the function being the one in pickling.
    """
    if isinstance(detector, TakesDependencies):
        aware = detector

        def with_dependencies(code: types.CodeType, dependencies: Iterable[object]) -> list:
            return list(aware.with_dependencies(stack[-1], code, dependencies))

        return with_dependencies

    def alone(code: types.CodeType, dependencies: Iterable[object]) -> list:
        return list(detector(stack[-1]))

    return alone


def _load_copy(spec: str, package_dir: str) -> tuple[SideRuntime, types.ModuleType]:
    # Fixed width: two sides' pickles of one function differ only in this name,
    # byte for byte, when their detections agree (see fuzz.oracle.judge).
    alias = f"_fuzzside{next(_alias_counter):05d}_cloudpickle"
    try:
        package = load_package_as(alias, package_dir)
    except Exception as exc:
        raise _fail(spec, f"cloudpickle at {package_dir} does not import ({type(exc).__name__}: {exc})") from exc
    if _pickler_module(package) is None:
        modules = " or ".join(f"cloudpickle.{name}" for name in PICKLER_MODULES)
        raise _fail(
            spec, f"{package_dir} has no _function_getstate in {modules} to observe (is it cloudpickle 2.x or later?)"
        )
    if not callable(getattr(package, "dumps", None)):
        raise _fail(spec, f"{package_dir} has no cloudpickle.dumps")
    return SideRuntime(alias, package_dir), package


_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def cloudpickle_version(spec: str) -> str:
    """The version a side's cloudpickle declares, read from its ``__init__.py`` (nothing of it is imported)."""
    try:
        path = os.path.join(parse_side_spec(spec).package_dir, "__init__.py")
        with open(path, encoding="utf-8") as handle:
            found = _VERSION.search(handle.read())
    except (OSError, SideSpecError):
        return "unknown"
    return found.group(1) if found else "unknown"


def make_sides(baseline: str, candidate: str, guard: PicklingGuard | None = None) -> tuple[Side, Side]:
    """The two sides of a comparison, sharing one guard (default: a 10 s bound, no worker file)."""
    guard = guard or PicklingGuard()
    return make_side(baseline, role="baseline", guard=guard), make_side(candidate, role="candidate", guard=guard)


@dataclass(frozen=True)
class SideSpec:
    """A side spec read, but nothing imported yet: which cloudpickle, and which detection in it."""

    text: str
    #: The cloudpickle package directory the side copies.
    package_dir: str
    #: ``MODULE:CALLABLE`` of the detector swapped in (built-in names resolved), or ``None`` to keep the copy's own.
    detector: str | None = None
    #: For ``tree:`` sides, the checkout's top directory.
    tree: str | None = None


def parse_side_spec(spec: str) -> SideSpec:
    """Read a spec (see the module docstring); raise :class:`SideSpecError` naming what is wrong."""
    if spec == "installed":
        return SideSpec(spec, INSTALLED_DIR)
    if spec in BUILTIN_DETECTORS:
        return SideSpec(spec, INSTALLED_DIR, BUILTIN_DETECTORS[spec])
    if spec.startswith("detector:"):
        return SideSpec(spec, INSTALLED_DIR, spec[len("detector:") :])
    if spec.startswith("tree:"):
        root = spec[len("tree:") :]
        if not root:
            raise _fail(spec, "expected tree:PATH, PATH being a cloudpickle source checkout")
        if not os.path.isdir(root):
            raise _fail(spec, f"{root} is not a directory")
        package_dir = os.path.abspath(os.path.join(root, "cloudpickle"))
        if not os.path.isfile(os.path.join(package_dir, "__init__.py")):
            raise _fail(spec, f"{root} holds no cloudpickle/__init__.py; pass the checkout's top directory")
        return SideSpec(spec, package_dir, tree=os.path.abspath(root))
    names = ", ".join(["installed", *BUILTIN_DETECTORS, "tree:PATH", "detector:MODULE:CALLABLE"])
    raise _fail(spec, f"unknown side; use one of {names}")


def make_side(spec: str, *, role: str = "side", guard: PicklingGuard | None = None) -> Side:
    """Build a side from its spec; raise :class:`SideSpecError` if it is bad."""
    parsed = parse_side_spec(spec)
    detector = resolve_detector(spec, parsed.detector) if parsed.detector is not None else None
    runtime, package = _load_copy(spec, parsed.package_dir)
    recorded: list[list[str]] = []
    _instrument(package, detector, recorded)
    return Side(spec, runtime, package, recorded, role, guard or PicklingGuard())
