# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:import-module", "at:while-loop", "use:store", "exec:live", "via:closure", "at:nested-def", "use:del", "via:cell", "fn:plain", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "need:import-module:charlie.data", "need:import-module:charlie.data.data", "need:closure:charlie.data", "need:closure:charlie.data.data", "need:cell:charlie.leaf"]
# found: "2026-11-25"
# entry: "make(charlie)"
# parent_imports: []
# needed: ["charlie.data", "charlie.data.data", "charlie.leaf"]
#
#   universe:
#     charlie/
#       core/
#         __init__.py
#         api/
#           leaf.py
#           tools.py
#           util.py
#         sub/
#           __init__.py
#           leaf.py
#         tools/
#           __init__.py
#           core.py
#       data/
#         data/
#           __init__.py
#           core.py
#           impl.py
#           sub.py
#         impl/
#           __init__.py
#           tools.py
#         util.py
#       leaf/
#         __init__.py
#         data/
#           __init__.py
#           util.py
#         impl/
#           __init__.py
#           impl.py
#           sub.py
# --- file: charlie/leaf/__init__.py ---
from . import impl
from . import data
from . import data as facade

VALUE = 'charlie.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/__init__.py ---
from . import util
from . import util as facade

VALUE = 'charlie.leaf.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/util.py ---
VALUE = 'charlie.leaf.data.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/impl/__init__.py ---
from . import impl
from . import sub

VALUE = 'charlie.leaf.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/impl/sub.py ---
VALUE = 'charlie.leaf.impl.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/impl/impl.py ---
VALUE = 'charlie.leaf.impl.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/util.py ---
VALUE = 'charlie.data.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/data/__init__.py ---
from . import impl
from . import sub
from . import core
from . import sub as shortcut

VALUE = 'charlie.data.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/data/core.py ---
VALUE = 'charlie.data.data.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/data/impl.py ---
VALUE = 'charlie.data.data.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/data/sub.py ---
VALUE = 'charlie.data.data.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/impl/__init__.py ---
from . import tools

VALUE = 'charlie.data.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data/impl/tools.py ---
VALUE = 'charlie.data.impl.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/__init__.py ---
from . import tools
from . import api
from . import sub

VALUE = 'charlie.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/tools/__init__.py ---
VALUE = 'charlie.core.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/tools/core.py ---
VALUE = 'charlie.core.tools.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/api/tools.py ---
VALUE = 'charlie.core.api.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/api/leaf.py ---
VALUE = 'charlie.core.api.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/api/util.py ---
VALUE = 'charlie.core.api.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/sub/__init__.py ---
VALUE = 'charlie.core.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/sub/leaf.py ---
VALUE = 'charlie.core.sub.leaf'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.data.data.sub
import importlib
import types
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(7)})


def make(clo1):
    def f():
        loc2 = charlie
        pad0 = PADS.p0
        pad1 = PADS.p1
        pad2 = PADS.p2
        pad3 = PADS.p3
        pad4 = PADS.p4
        pad5 = PADS.p5
        pad6 = PADS.p6
        n0 = 1
        while n0:
            n0 -= 1
            importlib.import_module('charlie').data.data.shortcut.STORED = 'stored'
            v0 = 'stored'
        def inner_1():
            del clo1.data.data.shortcut.SPARE
            return 'deleted'
        v1 = inner_1()
        def inner_2():
            del loc2.leaf.impl.SPARE
            return 'deleted'
        v2 = inner_2()
        return (v0, v1, v2)
    return f
