# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "stateful"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["stateful", "stateful:remove", "stateful:replace-code", "stateful:import", "last-change:import"]
# found: "2026-11-25"
# entry: "h"
# parent_imports: []
#
#   universe:
#     alpha/
#       __init__.py
#       core.py
#       tools.py
#     bravo/
#       __init__.py
#       core.py
#       tools.py
# --- file: alpha/__init__.py ---
VALUE = 'alpha'
# --- file: alpha/core.py ---
VALUE = 'alpha.core'
# --- file: alpha/tools.py ---
VALUE = 'alpha.tools'
# --- file: bravo/__init__.py ---
VALUE = 'bravo'
# --- file: bravo/core.py ---
VALUE = 'bravo.core'
# --- file: bravo/tools.py ---
VALUE = 'bravo.tools'
# --- case source ---
import sys
import alpha
import bravo
import alpha.tools
import bravo.core

g = alpha


def make(m):
    def f():
        return m.core.VALUE

    return f


def h():
    return g.core.VALUE


def h_other():
    return g.tools.VALUE


f = make(alpha)
# --- step 1 (no final newline) ---
sys.modules.pop('bravo.tools', None)
# --- step 2 (no final newline) ---
pickled(f)
# --- step 3 (no final newline) ---
pickled(h)
# --- step 4 (no final newline) ---
h.__code__ = h_other.__code__
# --- step 5 (no final newline) ---
pickled(f)
# --- step 6 (no final newline) ---
pickled(h)
# --- step 7 (no final newline) ---
import alpha.core
# --- step 8 (no final newline) ---
pickled(f)
