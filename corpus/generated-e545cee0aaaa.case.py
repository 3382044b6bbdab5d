# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:import-inside", "at:listcomp", "use:call", "exec:live", "via:module-alias", "at:try-finally", "via:conditional", "at:genexp", "fn:async", "universe:packages", "node:module", "node:namespace", "noise:local", "need:import-inside:bravo.core.impl.impl", "need:module-alias:bravo.core.impl.tools", "need:conditional:bravo.core.data", "need:conditional:bravo.core.data.api"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["bravo.core.data", "bravo.core.data.api", "bravo.core.impl.impl", "bravo.core.impl.tools"]
#
#   universe:
#     bravo/
#       core/
#         data/
#           api.py
#           util.py
#         impl/
#           impl.py
#           tools.py
# --- file: bravo/core/impl/tools.py ---
VALUE = 'bravo.core.impl.tools'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core/impl/impl.py ---
VALUE = 'bravo.core.impl.impl'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core/data/api.py ---
VALUE = 'bravo.core.data.api'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core/data/util.py ---
VALUE = 'bravo.core.data.util'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import bravo
import bravo.core.impl.impl
import bravo.core.impl.tools
alias1 = bravo


async def f():
    from bravo.core import impl as inner0
    tools = 0
    v0 = [inner0.impl.call() for _ in range(1)][0]
    try:
        pass
    finally:
        v1 = alias1.core.impl.tools.call()
    v2 = next((bravo if len(__name__) >= 0 else None).core.data.api.call() for _ in range(1))
    return (v0, v1, v2)
