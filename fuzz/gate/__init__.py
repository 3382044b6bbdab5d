"""The pre-merge gate: one budgeted run, judged as PASS, FAIL or INCOMPLETE.

:mod:`.run` drives it; :mod:`.campaign` (a pytest test module) and
:mod:`.campaign_plugin` run the Hypothesis campaigns on pytest-xdist workers,
:mod:`.campaign_runner` watches them from outside; :mod:`.example_database`
keeps a campaign's findings between runs; :mod:`.progress` is the live line.
What the run found goes to the report stage (:mod:`fuzz.report`).
"""
