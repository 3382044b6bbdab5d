"""What runs inside a fresh interpreter, by path: standard library only, nothing of ``fuzz`` imported.

:mod:`.fork_server` is the long-lived interpreter that forks a child per
load; :mod:`.child_runtime` is what a child does (unpickle, call, report) and
the framing both ends share; :mod:`.package_alias` loads a side's cloudpickle
under its alias. The fuzzer imports ``child_runtime`` too, for the framing
and the in-memory importer, so both ends speak the same protocol.
"""
