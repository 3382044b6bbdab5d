# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "store"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.9": "match", "3.10": "match", "3.11": "match", "3.12": "match", "3.13": "match", "3.14": "match", "3.15": "match"}
# tags: ["store"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["pkg.sub"]
#
#   universe:
#     pkg/
#       __init__.py
#       other.py
#       sub/
#         __init__.py
#         leaf.py
# --- file: pkg/__init__.py ---
# --- file: pkg/sub/__init__.py ---
VALUE = 'pkg.sub'
# --- file: pkg/sub/leaf.py ---
VALUE = 'pkg.sub.leaf'
# --- file: pkg/other.py ---
VALUE = 'pkg.other'
# --- case source ---
import pkg.sub
def f():
    pkg.sub.NEW = 1
    return pkg.sub.NEW
