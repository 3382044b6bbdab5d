# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "seed func3"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.9": "match", "3.10": "match", "3.11": "match", "3.12": "match", "3.13": "match", "3.14": "match", "3.15": "match"}
# tags: ["module-alias"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["concurrent.futures"]
#
#   universe: none (standard library only)
# --- case source ---
import concurrent.futures
import concurrent.futures as cf
c = concurrent
def f():
    x = c.futures.ThreadPoolExecutor
    return x.__name__
