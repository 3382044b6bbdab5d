# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "stateful"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["stateful", "stateful:rebind-global", "stateful:replace-code", "stateful:remove", "last-change:remove"]
# found: "2026-11-25"
# entry: "h"
# parent_imports: []
#
#   universe:
#     alpha/
#       __init__.py
#       core.py
#       impl.py
#     bravo/
#       __init__.py
#       core.py
#       impl.py
# --- file: alpha/__init__.py ---
VALUE = 'alpha'
# --- file: alpha/impl.py ---
VALUE = 'alpha.impl'
# --- file: alpha/core.py ---
VALUE = 'alpha.core'
# --- file: bravo/__init__.py ---
VALUE = 'bravo'
# --- file: bravo/impl.py ---
VALUE = 'bravo.impl'
# --- file: bravo/core.py ---
VALUE = 'bravo.core'
# --- case source ---
import sys
import alpha
import bravo
import alpha.impl
import alpha.core
import bravo.impl
import bravo.core

g = alpha


def make(m):
    def f():
        return m.impl.VALUE

    return f


def h():
    return g.impl.VALUE


def h_other():
    return g.core.VALUE


f = make(alpha)
# --- step 1 (no final newline) ---
g = alpha
# --- step 2 (no final newline) ---
pickled(f)
# --- step 3 (no final newline) ---
pickled(h)
# --- step 4 (no final newline) ---
pickled(f)
# --- step 5 (no final newline) ---
h.__code__ = h_other.__code__
# --- step 6 (no final newline) ---
pickled(f)
# --- step 7 (no final newline) ---
pickled(h)
# --- step 8 (no final newline) ---
sys.modules.pop('bravo.impl', None)
# --- step 9 (no final newline) ---
pickled(f)
