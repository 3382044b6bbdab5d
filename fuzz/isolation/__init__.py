"""Keeping the fuzzer safe from what it runs: fresh interpreters, guarded pickling, signals, helper processes.

:mod:`.pool` starts and talks to fresh interpreters (a fork server per side,
or one spawned interpreter per load); :mod:`.remote` holds the scripts that
run inside them, standard library only; :mod:`.pickling_guard` bounds and
watches each ``dumps`` in the fuzzer's own process; :mod:`.interrupts` makes
Ctrl-C and SIGTERM impossible to lose; :mod:`.process_tree` makes sure no
helper process outlives the fuzzer.
"""
