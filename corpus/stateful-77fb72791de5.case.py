# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "stateful"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["stateful", "stateful:import", "stateful:replace-code", "last-change:replace-code"]
# found: "2026-11-25"
# entry: "h"
# parent_imports: []
#
#   universe:
#     alpha/
#       __init__.py
#       leaf.py
#       util.py
#     bravo/
#       __init__.py
#       leaf.py
#       util.py
# --- file: alpha/__init__.py ---
VALUE = 'alpha'
# --- file: alpha/util.py ---
VALUE = 'alpha.util'
# --- file: alpha/leaf.py ---
VALUE = 'alpha.leaf'
# --- file: bravo/__init__.py ---
VALUE = 'bravo'
# --- file: bravo/util.py ---
VALUE = 'bravo.util'
# --- file: bravo/leaf.py ---
VALUE = 'bravo.leaf'
# --- case source ---
import sys
import alpha
import bravo
import alpha.leaf

g = alpha


def make(m):
    def f():
        return m.util.VALUE

    return f


def h():
    return g.util.VALUE


def h_other():
    return g.leaf.VALUE


f = make(alpha)
# --- step 1 (no final newline) ---
import bravo.leaf
# --- step 2 (no final newline) ---
pickled(f)
# --- step 3 (no final newline) ---
pickled(h)
# --- step 4 (no final newline) ---
h.__code__ = h_other.__code__
# --- step 5 (no final newline) ---
pickled(f)
