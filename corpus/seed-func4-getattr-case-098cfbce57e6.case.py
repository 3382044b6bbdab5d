# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "seed func4 / getattr case"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.9": "shared_failure", "3.10": "shared_failure", "3.11": "shared_failure", "3.12": "shared_failure", "3.13": "shared_failure", "3.14": "shared_failure", "3.15": "shared_failure"}
# tags: ["getattr-const"]
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
    x = getattr(concurrent, 'futures').ThreadPoolExecutor
    return x.__name__
