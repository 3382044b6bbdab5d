"""Long campaigns: ``python -m fuzz campaign``, its example database, its pictures, and merging shards.

The gate (:mod:`fuzz.gate`) answers one question in a minute; a campaign runs
the same machinery in rounds for as long as it is let
(:mod:`fuzz.campaign.rounds`), keeps what it found in a Hypothesis example
database between runs (:mod:`fuzz.gate.example_database`), and rewrites one
cumulative report after every round. Reports of several rounds, shards or
machines are merged by :mod:`fuzz.report.merge`; :mod:`fuzz.report.pictures`
draws how discovery went over time.
"""
