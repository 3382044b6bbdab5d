# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:default-arg", "at:body", "use:call", "exec:live", "via:global-dotted", "use:store", "fn:generator", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "need:global-dotted:charlie.core.core", "need:global-dotted:charlie.core.core.core"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["charlie.core.core", "charlie.core.core.core"]
#
#   universe:
#     bravo/
#       __init__.py
#       core.py
#     charlie/
#       __init__.py
#       core/
#         __init__.py
#         core/
#           core.py
#         leaf/
#           __init__.py
#           tools.py
#           util.py
#         sub/
#           data.py
#           leaf.py
#       data.py
#       util/
#         __init__.py
#         leaf/
#           __init__.py
#           impl.py
#           sub.py
#           tools.py
# --- file: charlie/__init__.py ---
from . import core as other

VALUE = 'charlie'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/__init__.py ---
VALUE = 'charlie.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/leaf/__init__.py ---
VALUE = 'charlie.core.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/leaf/tools.py ---
VALUE = 'charlie.core.leaf.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/leaf/util.py ---
VALUE = 'charlie.core.leaf.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/core/core.py ---
VALUE = 'charlie.core.core.core'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/sub/data.py ---
VALUE = 'charlie.core.sub.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/core/sub/leaf.py ---
VALUE = 'charlie.core.sub.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data.py ---
VALUE = 'charlie.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/__init__.py ---
from . import leaf
from . import leaf as other

VALUE = 'charlie.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/leaf/__init__.py ---
from . import tools
from . import impl
from . import sub
from . import tools as other

VALUE = 'charlie.util.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/leaf/sub.py ---
VALUE = 'charlie.util.leaf.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/leaf/tools.py ---
VALUE = 'charlie.util.leaf.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/leaf/impl.py ---
VALUE = 'charlie.util.leaf.impl'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/__init__.py ---
VALUE = 'bravo'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core.py ---
VALUE = 'bravo.core'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.core.core.core


def f(dflt0=charlie):
    v0 = dflt0.call()
    charlie.other.core.core.STORED = 'stored'
    v1 = 'stored'
    yield (v0, v1)
