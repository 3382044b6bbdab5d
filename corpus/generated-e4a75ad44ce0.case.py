# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:import-module", "at:with", "use:load", "exec:live", "via:default-arg", "at:setcomp", "via:closure", "at:listcomp", "fn:decorated", "universe:stdlib", "noise:attribute", "need:import-module:concurrent.futures", "need:default-arg:concurrent.futures", "need:closure:concurrent.futures", "closure:factory-reused"]
# found: "2026-11-25"
# entry: "make(concurrent)"
# parent_imports: []
# needed: ["concurrent.futures"]
#
#   universe: none (standard library only)
# --- case source ---
import concurrent
import concurrent.futures
import importlib
import contextlib
import types
NOISE = types.SimpleNamespace(leaf='leaf')


import functools


def passthrough(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def make(clo2):
    @passthrough
    def f(dflt1=concurrent):
        nz0 = NOISE.leaf
        with contextlib.nullcontext():
            v0 = importlib.import_module('concurrent').futures.__name__
        v1 = sorted({dflt1.futures.__name__ for _ in range(1)})[0]
        v2 = [clo2.futures.__name__ for _ in range(1)][0]
        return (v0, v1, v2)
    return f


earlier = make(concurrent)
