# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "already loaded in the child"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.9": "uninformative", "3.10": "uninformative", "3.11": "uninformative", "3.12": "uninformative", "3.13": "uninformative", "3.14": "uninformative", "3.15": "uninformative"}
# tags: ["global-dotted"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["encodings.aliases"]
#
#   universe: none (standard library only)
# --- case source ---
import encodings.aliases
def f():
    return encodings.aliases.aliases['utf8']
