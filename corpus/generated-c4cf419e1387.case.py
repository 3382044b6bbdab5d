# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:object-attr", "at:try-except", "use:del", "exec:live", "via:walrus", "at:for-loop", "use:call", "via:cell", "at:nested-def", "fn:async", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "noise:global", "noise:local", "need:object-attr:charlie.leaf.core", "need:walrus:alpha.api", "need:walrus:alpha.api.core.api", "need:cell:charlie.leaf.tools"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["alpha.api", "alpha.api.core.api", "charlie.leaf.core", "charlie.leaf.tools"]
#
#   universe:
#     alpha/
#       api/
#         __init__.py
#         core/
#           api.py
#           core.py
#         data.py
#         leaf/
#           sub.py
#           tools.py
#           util.py
#       core.py
#     bravo.py
#     charlie/
#       __init__.py
#       api/
#         __init__.py
#         api/
#           core.py
#           leaf.py
#           tools.py
#       leaf/
#         core/
#           __init__.py
#           api.py
#           impl.py
#           util.py
#         data/
#           util.py
#         tools.py
#       sub/
#         __init__.py
#         tools/
#           data.py
# --- file: bravo.py ---
VALUE = 'bravo'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/__init__.py ---
from . import sub
from . import leaf
from . import api

VALUE = 'charlie'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/__init__.py ---
from . import tools

VALUE = 'charlie.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/tools/data.py ---
VALUE = 'charlie.sub.tools.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/util.py ---
VALUE = 'charlie.leaf.data.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/tools.py ---
VALUE = 'charlie.leaf.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/core/__init__.py ---
from . import impl

VALUE = 'charlie.leaf.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/core/api.py ---
VALUE = 'charlie.leaf.core.api'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/core/util.py ---
VALUE = 'charlie.leaf.core.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/core/impl.py ---
VALUE = 'charlie.leaf.core.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/api/__init__.py ---
VALUE = 'charlie.api'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/api/api/tools.py ---
VALUE = 'charlie.api.api.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/api/api/leaf.py ---
VALUE = 'charlie.api.api.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/api/api/core.py ---
VALUE = 'charlie.api.api.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/core.py ---
VALUE = 'alpha.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/__init__.py ---
from . import leaf
from . import core
from . import data

VALUE = 'alpha.api'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/data.py ---
VALUE = 'alpha.api.data'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/leaf/util.py ---
VALUE = 'alpha.api.leaf.util'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/leaf/tools.py ---
VALUE = 'alpha.api.leaf.tools'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/leaf/sub.py ---
VALUE = 'alpha.api.leaf.sub'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/core/api.py ---
VALUE = 'alpha.api.core.api'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/api/core/core.py ---
VALUE = 'alpha.api.core.core'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.leaf.core
import alpha
import alpha.api.core.api
class Owner0:
    def __init__(self):
        self.mod = charlie
owner0 = Owner0()
impl = 'global impl'


async def f():
    loc2 = charlie
    nz0 = impl
    api = 1
    sub = 2
    try:
        del owner0.mod.leaf.core.SPARE
        v0 = 'deleted'
    except ZeroDivisionError:
        v0 = None
    for _ in range(1):
        v1 = ((w1 := alpha) if len(__name__) >= 0 else None).api.core.api.call()
    def inner_2():
        del loc2.leaf.tools.SPARE
        return 'deleted'
    v2 = inner_2()
    return (v0, v1, v2)
