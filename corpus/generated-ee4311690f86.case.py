# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:sys-modules", "at:nested-def", "use:store", "exec:live", "via:walrus", "via:closure", "at:live-branch", "fn:decorated", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "noise:global", "need:sys-modules:alpha.sub", "need:walrus:alpha.sub", "need:closure:alpha.impl.leaf.sub", "closure:factory-reused"]
# found: "2026-11-25"
# entry: "make(alpha)"
# parent_imports: []
# needed: ["alpha.impl.leaf.sub", "alpha.sub"]
#
#   universe:
#     alpha/
#       __init__.py
#       api/
#         sub.py
#       impl/
#         __init__.py
#         leaf/
#           sub.py
#       sub.py
# --- file: alpha/__init__.py ---
from . import api
from . import impl

VALUE = 'alpha'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/impl/__init__.py ---
from . import leaf
from . import leaf as facade

VALUE = 'alpha.impl'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/impl/leaf/sub.py ---
VALUE = 'alpha.impl.leaf.sub'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/sub.py ---
VALUE = 'alpha.sub'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/sub.py ---
VALUE = 'alpha.api.sub'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import alpha
import alpha.sub
import sys
import alpha.impl.leaf.sub
impl = 'global impl'


import functools


def passthrough(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def make(clo2):
    @passthrough
    def f():
        nz0 = impl
        def inner_0():
            sys.modules['alpha'].sub.STORED = 'stored'
            return 'stored'
        v0 = inner_0()
        def inner_1():
            (w1 := alpha).sub.STORED = 'stored'
            return 'stored'
        v1 = inner_1()
        v2 = None
        if len(__name__) >= 0:
            clo2.impl.leaf.sub.STORED = 'stored'
            v2 = 'stored'
        return (v0, v1, v2)
    return f


earlier = make(alpha)
