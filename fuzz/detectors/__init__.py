"""The submodule detectors under test, and deliberately buggy or equivalent ones.

``legacy`` is cloudpickle's ``sys.modules`` scan (up to 3.1.x), ``proposed``
the bytecode scan of upstream issue 576 / PR 582, transcribed bugs included;
``bytecode_v2`` is this project's replacement; ``planted`` holds detectors
with one known bug each (or none), which the fuzzer must kill (or pass).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from fuzz.detectors.dependencies import top_level_dependencies

#: Built-in detector names, usable as side specs, and where each lives (``MODULE:CALLABLE``).
BUILTIN_DETECTORS = {
    "legacy": "fuzz.detectors.legacy:legacy",
    "proposed": "fuzz.detectors.proposed:proposed",
    "bytecode-v2": "fuzz.detectors.bytecode_v2:bytecode_v2",
}


class Detector(Protocol):
    """A submodule detection: the modules a function needs recorded in its pickle."""

    def __call__(self, func: types.FunctionType, /) -> Iterable[types.ModuleType]: ...


@runtime_checkable
class TakesDependencies(Protocol):
    """A detector that can also be handed what cloudpickle already computed (globals, cells), as a patch would be."""

    def with_dependencies(
        self, func: types.FunctionType, code: types.CodeType, dependencies: Iterable[object], /
    ) -> Iterable[types.ModuleType]: ...


@dataclass(frozen=True)
class DependencyAwareDetector:
    """A detector with both entries, from one ``detect(func, code, dependencies)``.

    Called alone it computes the dependencies the way cloudpickle does
    (:func:`fuzz.detectors.dependencies.top_level_dependencies`); a side hands it
    cloudpickle's own, so a patched cloudpickle is timed without the work twice.
    """

    detect: Callable[[types.FunctionType, types.CodeType, Iterable[object]], list[types.ModuleType]]

    def __call__(self, func: types.FunctionType, /) -> list[types.ModuleType]:
        return self.detect(func, func.__code__, top_level_dependencies(func))

    def with_dependencies(
        self, func: types.FunctionType, code: types.CodeType, dependencies: Iterable[object], /
    ) -> list[types.ModuleType]:
        return self.detect(func, code, dependencies)
