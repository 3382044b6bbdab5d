# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:walrus", "at:dead-branch", "use:load", "exec:dead", "via:cell", "at:nested-def", "exec:live", "fn:async", "universe:stdlib", "noise:global", "need:cell:concurrent.futures"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["concurrent.futures"]
#
#   universe: none (standard library only)
# --- case source ---
import concurrent
import types
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(7)})
data = 'global data'


async def f():
    loc1 = concurrent
    pad0 = PADS.p0
    pad1 = PADS.p1
    pad2 = PADS.p2
    pad3 = PADS.p3
    pad4 = PADS.p4
    pad5 = PADS.p5
    pad6 = PADS.p6
    nz0 = data
    v0 = None
    if len(__name__) < 0:
        v0 = (w0 := concurrent).futures.__name__
    def inner_1():
        return loc1.futures.__name__
    v1 = inner_1()
    return (v0, v1)
