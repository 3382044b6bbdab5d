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


def top_level_dependencies(func: types.FunctionType) -> Iterator[object]:
    """Yield the global values and closure values cloudpickle would pass on."""
    names = _cloudpickle._extract_code_globals(func.__code__)
    f_globals = {k: func.__globals__[k] for k in names if k in func.__globals__}
    if func.__closure__ is not None:
        closure_values = [_cloudpickle._get_cell_contents(c) for c in func.__closure__]
    else:
        closure_values = []
    return itertools.chain(f_globals.values(), closure_values)


get_cell_contents = _cloudpickle._get_cell_contents
