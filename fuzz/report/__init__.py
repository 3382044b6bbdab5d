"""The report stage: what a run found, as one summary, and every form it is written in.

The gate and the campaign both end here, and nothing here imports either:
:mod:`.findings` groups failing records and folds shrunk examples into one
finding per root cause; :mod:`.run_verdict` decides PASS, FAIL or
INCOMPLETE; :mod:`.summary` holds the result; :mod:`.markdown`,
:mod:`.json_form` and :mod:`.terminal` write it; :mod:`.merge` folds several
(shards, rounds, machines); :mod:`.timeline` holds how discovery went over time, :mod:`.pictures` draws it;
:mod:`.publish` prints the verdict first, writes the files and picks the exit
code.
"""
