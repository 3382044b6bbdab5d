# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:global-dotted", "at:body", "use:load", "exec:live", "via:globals-lookup", "at:listcomp", "via:getattr-computed", "at:try-finally", "use:del", "fn:plain", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "init:lazy", "need:global-dotted:bravo.leaf", "need:global-dotted:bravo.leaf.util", "need:globals-lookup:alpha.leaf", "need:globals-lookup:alpha.leaf.impl", "need:getattr-computed:alpha.leaf.api", "need:getattr-computed:alpha.leaf.api.impl"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["alpha.leaf", "alpha.leaf.api", "alpha.leaf.api.impl", "alpha.leaf.impl", "bravo.leaf", "bravo.leaf.util"]
#
#   universe:
#     alpha/
#       leaf/
#         api/
#           core.py
#           impl.py
#           leaf.py
#         data.py
#         impl/
#           __init__.py
#           data.py
#           leaf.py
#       tools/
#         __init__.py
#         data/
#           __init__.py
#           core.py
#           impl.py
#         leaf.py
#         sub.py
#     bravo/
#       leaf/
#         core.py
#         util.py
#     charlie/
#       data.py
#       leaf/
#         api/
#           __init__.py
#           leaf.py
#           tools.py
#         data/
#           __init__.py
#           api.py
#           impl.py
#           leaf.py
#         util.py
#       util.py
# --- file: bravo/leaf/util.py ---
VALUE = 'bravo.leaf.util'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/leaf/core.py ---
VALUE = 'bravo.leaf.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/tools/__init__.py ---
from . import sub
from . import leaf

VALUE = 'alpha.tools'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/tools/sub.py ---
VALUE = 'alpha.tools.sub'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/tools/leaf.py ---
VALUE = 'alpha.tools.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/tools/data/__init__.py ---
from . import impl as shortcut

VALUE = 'alpha.tools.data'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('impl',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: alpha/tools/data/core.py ---
VALUE = 'alpha.tools.data.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/tools/data/impl.py ---
VALUE = 'alpha.tools.data.impl'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/api/leaf.py ---
VALUE = 'alpha.leaf.api.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/api/core.py ---
VALUE = 'alpha.leaf.api.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/api/impl.py ---
VALUE = 'alpha.leaf.api.impl'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/data.py ---
VALUE = 'alpha.leaf.data'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/impl/__init__.py ---
from . import leaf as other

VALUE = 'alpha.leaf.impl'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/impl/leaf.py ---
VALUE = 'alpha.leaf.impl.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/impl/data.py ---
VALUE = 'alpha.leaf.impl.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/__init__.py ---
from . import leaf
from . import impl
from . import api
from . import leaf as shortcut

VALUE = 'charlie.leaf.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/impl.py ---
VALUE = 'charlie.leaf.data.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/leaf.py ---
VALUE = 'charlie.leaf.data.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/data/api.py ---
VALUE = 'charlie.leaf.data.api'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/util.py ---
VALUE = 'charlie.leaf.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/api/__init__.py ---
from . import leaf
from . import leaf as shortcut

VALUE = 'charlie.leaf.api'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('tools',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: charlie/leaf/api/tools.py ---
VALUE = 'charlie.leaf.api.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/api/leaf.py ---
VALUE = 'charlie.leaf.api.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/data.py ---
VALUE = 'charlie.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util.py ---
VALUE = 'charlie.util'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import bravo
import bravo.leaf.util
import alpha
import alpha.leaf.impl.leaf
import alpha.leaf.api.impl


def f():
    v0 = bravo.leaf.util.VALUE
    v1 = [globals()['alpha'].leaf.impl.leaf.VALUE for _ in range(1)][0]
    try:
        pass
    finally:
        del getattr(alpha, ''.join(['l', 'e', 'a', 'f'])).api.impl.SPARE
        v2 = 'deleted'
    return (v0, v1, v2)
