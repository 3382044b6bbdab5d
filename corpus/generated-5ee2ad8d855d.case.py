# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:getattr-const", "at:body", "use:del", "exec:live", "via:default-arg", "use:store", "fn:plain", "universe:packages", "node:module", "node:namespace", "node:package", "init:reexport", "init:lazy", "noise:local", "noise:attribute", "need:getattr-const:charlie.core.core", "need:getattr-const:charlie.core.core.core", "need:default-arg:bravo.sub.core", "need:default-arg:bravo.sub.core.api"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["bravo.sub.core", "bravo.sub.core.api", "charlie.core.core", "charlie.core.core.core"]
#
#   universe:
#     alpha.py
#     bravo/
#       __init__.py
#       impl.py
#       sub/
#         core/
#           api.py
#         tools.py
#     charlie/
#       __init__.py
#       core/
#         core/
#           core.py
#           leaf.py
#           sub.py
#         data/
#           sub.py
#         leaf/
#           __init__.py
#           data.py
#           sub.py
#           util.py
# --- file: alpha.py ---
VALUE = 'alpha'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/__init__.py ---
from . import impl as shortcut

VALUE = 'bravo'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('impl', 'sub'):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: bravo/sub/tools.py ---
VALUE = 'bravo.sub.tools'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/sub/core/api.py ---
VALUE = 'bravo.sub.core.api'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/impl.py ---
VALUE = 'bravo.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/__init__.py ---
VALUE = 'charlie'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('core',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: charlie/core/leaf/__init__.py ---
from . import data as other

VALUE = 'charlie.core.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/leaf/data.py ---
VALUE = 'charlie.core.leaf.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/leaf/util.py ---
VALUE = 'charlie.core.leaf.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/leaf/sub.py ---
VALUE = 'charlie.core.leaf.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/core/leaf.py ---
VALUE = 'charlie.core.core.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/core/core.py ---
VALUE = 'charlie.core.core.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/core/sub.py ---
VALUE = 'charlie.core.core.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/data/sub.py ---
VALUE = 'charlie.core.data.sub'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.core.core.core
import bravo
import types
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(10)})
NOISE = types.SimpleNamespace(util='util')


def f(dflt1=bravo):
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
    tools = 0
    nz1 = NOISE.util
    del getattr(charlie, 'core').core.core.SPARE
    v0 = 'deleted'
    dflt1.sub.core.api.STORED = 'stored'
    v1 = 'stored'
    return (v0, v1)
