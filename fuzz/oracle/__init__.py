"""The oracle: both sides pickle one case, fresh interpreters load each pickle, and the outcomes are judged.

:mod:`.sides` builds a side from its spec (``legacy``, ``proposed``,
``installed``, ``tree:PATH``...); :mod:`.judge` runs a case against both
and returns the :class:`~fuzz.model.verdict.Verdict`; :mod:`.explain` puts a
verdict in words; :mod:`.side_probe` imports a ``tree:`` side once, bounded,
before a run trusts it.
"""
