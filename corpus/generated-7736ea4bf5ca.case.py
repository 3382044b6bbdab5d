# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:object-attr", "at:with", "use:load", "exec:live", "via:getattr-const", "at:class-body", "use:store", "via:conditional", "at:try-except", "fn:decorated", "universe:stdlib", "need:object-attr:xml.sax", "need:object-attr:xml.sax.saxutils"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["xml.sax", "xml.sax.saxutils"]
#
#   universe: none (standard library only)
# --- case source ---
import xml
import xml.sax.saxutils
import contextlib
import xml.sax
import types
class Holder0:
    mod = xml
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(11)})


import functools


def passthrough(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@passthrough
def f():
    pad0 = PADS.p0
    pad1 = PADS.p1
    pad2 = PADS.p2
    pad3 = PADS.p3
    pad4 = PADS.p4
    pad5 = PADS.p5
    pad6 = PADS.p6
    pad7 = PADS.p7
    pad8 = PADS.p8
    pad9 = PADS.p9
    pad10 = PADS.p10
    with contextlib.nullcontext():
        v0 = Holder0.mod.sax.saxutils.__name__
    class Box1:
        getattr(xml, 'sax').STORED = 'stored'
        attr = 'stored'
    v1 = Box1.attr
    try:
        (xml if len(__name__) >= 0 else None).STORED = 'stored'
        v2 = 'stored'
    except ZeroDivisionError:
        v2 = None
    return (v0, v1, v2)
