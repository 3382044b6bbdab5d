# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:module-alias", "at:genexp", "use:load", "exec:live", "via:container-item", "at:body", "use:store", "fn:async", "universe:stdlib", "need:module-alias:xml.sax", "need:module-alias:xml.sax.saxutils", "need:container-item:xml.sax", "need:container-item:xml.sax.saxutils"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["xml.sax", "xml.sax.saxutils"]
#
#   universe: none (standard library only)
# --- case source ---
import xml
import xml.sax.saxutils
alias0 = xml
box1 = (xml,)


async def f():
    v0 = next(alias0.sax.saxutils.__name__ for _ in range(1))
    box1[0].sax.saxutils.STORED = 'stored'
    v1 = 'stored'
    return (v0, v1)
