# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:walrus", "at:try-except", "use:load", "exec:live", "via:conditional", "at:while-loop", "at:nested-def", "fn:plain", "universe:stdlib", "need:conditional:importlib.metadata"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["importlib.metadata"]
#
#   universe: none (standard library only)
# --- case source ---
import importlib
import importlib.metadata


def f():
    try:
        v0 = (w0 := importlib).__name__
    except ZeroDivisionError:
        v0 = None
    n1 = 1
    while n1:
        n1 -= 1
        v1 = (importlib if len(__name__) >= 0 else None).metadata.__name__
    def inner_2():
        return (importlib if len(__name__) >= 0 else None).metadata.__name__
    v2 = inner_2()
    return (v0, v1, v2)
