"""Hypothesis strategies that generate cases for the differential oracle.

One module per concern, composed in one direction:

- :mod:`strategies.names`: every name pool and narrowing rule, in tables.
- :mod:`strategies.universe`: package trees (and the standard library).
- :mod:`strategies.accesses`: the ways a function can reach a module.
- :mod:`strategies.placements`: where in the function the access sits.
- :mod:`strategies.padding`: size, grown by statements that shrink away.
- :mod:`strategies.functions`: the assembled function, with ground truth.
- :mod:`fuzz.pickling_history`: pickling again and again between changes.

Everything is built from ``st.*`` combinators so Hypothesis can shrink a
failure down to a function a maintainer reads in ten seconds.
"""

from strategies.functions import cases

__all__ = ["cases"]
