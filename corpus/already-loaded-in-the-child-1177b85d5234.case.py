# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "already loaded in the child"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "uninformative", "3.12": "match", "3.13": "match"}
# tags: ["global-dotted"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["urllib.parse"]
#
#   universe: none (standard library only)
# --- case source ---
import urllib.parse
def f():
    return urllib.parse.quote('a b')
