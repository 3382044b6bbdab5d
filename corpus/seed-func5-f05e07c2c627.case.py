# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "seed func5"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.9": "match", "3.10": "match", "3.11": "match", "3.12": "match", "3.13": "match", "3.14": "match", "3.15": "match"}
# tags: ["closure"]
# found: "2026-11-25"
# entry: "func5()"
# parent_imports: []
# needed: ["concurrent.futures"]
#
#   universe: none (standard library only)
# --- case source ---
def func5():
    import concurrent.futures
    def inner():
        x = concurrent.futures.ThreadPoolExecutor
        return x.__name__
    return inner
