# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:import-module", "at:live-branch", "use:del", "exec:live", "via:default-arg", "at:dead-branch", "use:call", "exec:dead", "via:conditional", "at:with", "fn:generator", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "noise:global", "need:import-module:charlie.leaf", "need:import-module:charlie.leaf.impl", "need:import-module:charlie.leaf.impl.util", "need:conditional:charlie.leaf", "need:conditional:charlie.leaf.impl", "need:conditional:charlie.leaf.impl.util"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["charlie.leaf", "charlie.leaf.impl", "charlie.leaf.impl.util"]
#
#   universe:
#     alpha/
#       __init__.py
#       util/
#         __init__.py
#         impl.py
#     charlie/
#       impl.py
#       leaf/
#         impl/
#           sub.py
#           util.py
#       tools.py
# --- file: charlie/leaf/impl/util.py ---
VALUE = 'charlie.leaf.impl.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/impl/sub.py ---
VALUE = 'charlie.leaf.impl.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/impl.py ---
VALUE = 'charlie.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/tools.py ---
VALUE = 'charlie.tools'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/__init__.py ---
VALUE = 'alpha'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/util/__init__.py ---
from . import impl
from . import impl as shortcut

VALUE = 'alpha.util'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/util/impl.py ---
VALUE = 'alpha.util.impl'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.leaf.impl.util
import importlib
import contextlib
import types
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(12)})
api = 'global api'


def f(dflt1=charlie):
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
    pad11 = PADS.p11
    nz0 = api
    v0 = None
    if len(__name__) >= 0:
        del importlib.import_module('charlie').leaf.impl.util.SPARE
        v0 = 'deleted'
    v1 = None
    if len(__name__) < 0:
        v1 = dflt1.leaf.impl.util.call()
    with contextlib.nullcontext():
        del (charlie if len(__name__) >= 0 else None).leaf.impl.util.SPARE
        v2 = 'deleted'
    yield (v0, v1, v2)
