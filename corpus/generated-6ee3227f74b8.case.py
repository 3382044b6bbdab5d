# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:getattr-const", "at:live-branch", "use:load", "exec:live", "fn:generator", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "init:lazy", "need:getattr-const:bravo.impl.impl", "need:getattr-const:bravo.impl.impl.sub"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["bravo.impl.impl", "bravo.impl.impl.sub"]
#
#   universe:
#     bravo/
#       impl/
#         impl/
#           leaf.py
#           sub.py
#         sub/
#           __init__.py
#           leaf.py
#           sub.py
# --- file: bravo/impl/impl/sub.py ---
VALUE = 'bravo.impl.impl.sub'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/impl/impl/leaf.py ---
VALUE = 'bravo.impl.impl.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/impl/sub/__init__.py ---
from . import leaf
from . import leaf as shortcut

VALUE = 'bravo.impl.sub'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('sub',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: bravo/impl/sub/sub.py ---
VALUE = 'bravo.impl.sub.sub'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/impl/sub/leaf.py ---
VALUE = 'bravo.impl.sub.leaf'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import bravo
import bravo.impl.impl.sub
import types
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(7)})


def f():
    pad0 = PADS.p0
    pad1 = PADS.p1
    pad2 = PADS.p2
    pad3 = PADS.p3
    pad4 = PADS.p4
    pad5 = PADS.p5
    pad6 = PADS.p6
    v0 = None
    if len(__name__) >= 0:
        v0 = getattr(bravo, 'impl').impl.sub.VALUE
    yield (v0,)
