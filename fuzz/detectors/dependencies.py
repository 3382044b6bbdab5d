"""The objects a function reaches directly, computed the way cloudpickle does.

Both reference detectors receive only the function, but cloudpickle hands its
detection the values of the globals the code names (including those of nested
code objects) and the contents of the closure cells. Computing that here, with
cloudpickle's own helpers, keeps the detectors' inputs identical to what
cloudpickle passes, so a difference in output is a difference in algorithm.
"""

from __future__ import annotations

import itertools
import types
from collections.abc import Iterator

from cloudpickle import cloudpickle as _cloudpickle


def global_items(func: types.FunctionType) -> dict[str, object]:
    """The globals the function's code names (nested code included), by name, as cloudpickle finds them."""
    names = _cloudpickle._extract_code_globals(func.__code__)
    return {k: func.__globals__[k] for k in names if k in func.__globals__}


def closure_values(func: types.FunctionType) -> list[object]:
    """What the function's closure cells hold."""
    return [_cloudpickle._get_cell_contents(c) for c in func.__closure__ or ()]


def top_level_dependencies(func: types.FunctionType) -> Iterator[object]:
    """Yield the global values and closure values cloudpickle would pass on."""
    return itertools.chain(global_items(func).values(), closure_values(func))


get_cell_contents = _cloudpickle._get_cell_contents
