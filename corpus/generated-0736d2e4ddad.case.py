# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:module-alias", "at:while-loop", "use:del", "exec:live", "via:import-inside", "at:class-body", "use:call", "via:globals-lookup", "at:nested-def", "fn:async", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "init:lazy", "noise:local", "noise:global", "need:module-alias:charlie.sub.data", "need:import-inside:charlie.sub.util", "need:globals-lookup:charlie.sub.data"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["charlie.sub.data", "charlie.sub.util"]
#
#   universe:
#     bravo/
#       api/
#         __init__.py
#         util.py
#       data/
#         __init__.py
#         leaf/
#           __init__.py
#           api.py
#           core.py
#     charlie/
#       __init__.py
#       data.py
#       sub/
#         data/
#           __init__.py
#           sub.py
#         tools/
#           __init__.py
#           data.py
#           sub.py
#         util.py
#       util.py
# --- file: charlie/__init__.py ---
from . import data
from . import util
from . import sub as other

VALUE = 'charlie'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('sub',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: charlie/util.py ---
VALUE = 'charlie.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data.py ---
VALUE = 'charlie.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/data/__init__.py ---
from . import sub
from . import sub as facade

VALUE = 'charlie.sub.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/data/sub.py ---
VALUE = 'charlie.sub.data.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/tools/__init__.py ---
VALUE = 'charlie.sub.tools'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('data', 'sub'):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: charlie/sub/tools/data.py ---
VALUE = 'charlie.sub.tools.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/tools/sub.py ---
VALUE = 'charlie.sub.tools.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/sub/util.py ---
VALUE = 'charlie.sub.util'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/__init__.py ---
from . import util

VALUE = 'bravo.api'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/util.py ---
VALUE = 'bravo.api.util'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/data/__init__.py ---
from . import leaf as facade

VALUE = 'bravo.data'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/data/leaf/__init__.py ---
from . import core
from . import api

VALUE = 'bravo.data.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/data/leaf/api.py ---
VALUE = 'bravo.data.leaf.api'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/data/leaf/core.py ---
VALUE = 'bravo.data.leaf.core'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.sub.data.sub
import charlie.sub.data
alias0 = charlie
sub = 'global sub'


async def f():
    import charlie.sub
    data = 0
    nz1 = sub
    api = 2
    n0 = 1
    while n0:
        n0 -= 1
        del alias0.other.data.sub.SPARE
        v0 = 'deleted'
    class Box1:
        attr = charlie.other.util.call()
    v1 = Box1.attr
    def inner_2():
        return globals()['charlie'].sub.data.call()
    v2 = inner_2()
    return (v0, v1, v2)
