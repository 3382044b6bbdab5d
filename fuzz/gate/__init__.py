"""The pre-merge gate: one budgeted run, judged as PASS, FAIL or INCOMPLETE.

:mod:`.run` drives it; :mod:`.campaign` (a pytest test module) and
:mod:`.campaign_plugin` run the Hypothesis campaigns on pytest-xdist workers,
:mod:`.campaign_runner` watches them from outside; :mod:`.run_verdict` says
when a run passes; :mod:`.report` writes Markdown and JSON; :mod:`.progress`
is the live line.
"""
