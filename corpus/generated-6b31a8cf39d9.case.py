# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:globals-lookup", "at:for-loop", "use:store", "exec:live", "via:global-dotted", "at:try-finally", "fn:generator", "universe:stdlib", "noise:attribute", "need:globals-lookup:urllib.request"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["urllib.request"]
#
#   universe: none (standard library only)
# --- case source ---
import urllib
import urllib.request
import types
NOISE = types.SimpleNamespace(data='data')


def f():
    nz0 = NOISE.data
    for _ in range(1):
        globals()['urllib'].request.STORED = 'stored'
        v0 = 'stored'
    try:
        pass
    finally:
        urllib.STORED = 'stored'
        v1 = 'stored'
    try:
        pass
    finally:
        urllib.STORED = 'stored'
        v2 = 'stored'
    yield (v0, v1, v2)
