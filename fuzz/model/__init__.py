"""The case model: a case, the verdict on it, and its record.

:mod:`.case` is the case; :mod:`.verdict` classifies both sides' outcomes
(:mod:`fuzz.isolation.outcomes`: what a fresh interpreter reports) into a
:class:`~.verdict.Kind`; :mod:`.records` is the JSON record every later
stage reads; :mod:`.tags` the ``dimension:value`` tags the strategies put on
a case. Nothing here runs anything.
"""
