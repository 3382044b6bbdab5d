"""Hypothesis strategies that generate cases for the differential oracle.

One module per concern, composed in one direction:

- :mod:`strategies.names`: every name pool and narrowing rule, in tables.
- :mod:`strategies.universe`: package trees (and the standard library).
- :mod:`strategies.accesses`: the ways a function can reach a module.
- :mod:`strategies.placements`: where in the function the access sits.
- :mod:`strategies.operand_sizes`: size, grown by statements that shrink away, on the bytecode's
  operand boundaries; :mod:`strategies.padding`: names colliding with submodule names.
- :mod:`strategies.signatures` and :mod:`strategies.origins`: the function's signature and annotations,
  and where it comes from (``__main__``, a module registered by value, ``exec``...).
- :mod:`strategies.real_shapes`: real functions' shapes, harvested from the installed code.
- :mod:`strategies.functions`: the assembled function, with ground truth.
- :mod:`strategies.pickling_history`: pickling again and again between changes.

Everything is built from ``st.*`` combinators so Hypothesis can shrink a
failure down to a function a maintainer reads in ten seconds.
"""

from strategies.functions import INPUTS, cases, cases_for

__all__ = ["INPUTS", "cases", "cases_for"]
