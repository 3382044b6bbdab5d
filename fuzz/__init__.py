"""Differential correctness fuzzer for cloudpickle's submodule detection.

Data flows one way: a :class:`fuzz.model.case.Case` is pickled by two
:mod:`fuzz.oracle.sides`, each pickle is loaded in a fresh interpreter by
:mod:`fuzz.isolation.pool`, and :mod:`fuzz.model.verdict` classifies the difference.
"""

__version__ = "0.1.0"
