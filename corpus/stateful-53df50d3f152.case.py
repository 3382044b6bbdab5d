# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "stateful"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["stateful", "stateful:replace-code", "stateful:rebind-global", "last-change:rebind-global"]
# found: "2026-11-25"
# entry: "h"
# parent_imports: []
#
#   universe:
#     alpha/
#       __init__.py
#       tools.py
#     bravo/
#       __init__.py
#       tools.py
# --- file: alpha/__init__.py ---
VALUE = 'alpha'
# --- file: alpha/tools.py ---
VALUE = 'alpha.tools'
# --- file: bravo/__init__.py ---
VALUE = 'bravo'
# --- file: bravo/tools.py ---
VALUE = 'bravo.tools'
# --- case source ---
import sys
import alpha
import bravo
import alpha.tools
import bravo.tools

g = alpha


def make(m):
    def f():
        return m.tools.VALUE

    return f


def h():
    return g.tools.VALUE


def h_other():
    return g.tools.VALUE


f = make(alpha)
# --- step 1 (no final newline) ---
h.__code__ = h_other.__code__
# --- step 2 (no final newline) ---
pickled(f)
# --- step 3 (no final newline) ---
pickled(h)
# --- step 4 (no final newline) ---
g = alpha
# --- step 5 (no final newline) ---
pickled(f)
# --- step 6 (no final newline) ---
pickled(h)
# --- step 7 (no final newline) ---
g = bravo
# --- step 8 (no final newline) ---
pickled(f)
