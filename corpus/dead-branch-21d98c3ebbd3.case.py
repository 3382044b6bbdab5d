# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "dead branch"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.9": "match", "3.10": "benign", "3.11": "benign", "3.12": "benign", "3.13": "benign", "3.14": "benign", "3.15": "benign"}
# tags: ["dead-branch"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["pkg.other"]
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
import pkg.sub, pkg.other
def f():
    if False:
        return pkg.sub.VALUE
    return pkg.other.VALUE
