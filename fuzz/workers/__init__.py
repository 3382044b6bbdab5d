"""Supervised worker processes that pickle on the fuzzer's behalf.

:mod:`.case_worker` judges cases (corpus replay, reruns) or times them (the
slowness hunt) in its own process; :mod:`.supervisor` starts it and turns a
death into a record; :mod:`.watcher` watches it (and the campaign's workers),
kills it when a side is stuck, and says how it died.
"""
