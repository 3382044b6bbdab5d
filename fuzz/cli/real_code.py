"""``python -m fuzz real-code``: the gate on real code alone.

Every generated case takes the shape of a real function harvested from the
standard library and the installed packages (:mod:`strategies.real_shapes`:
its signature, decorators, docstring, how it is reached, and its real body's
bytecode in a branch that never runs), with generated package accesses and
their ground truth placed in it. Otherwise it is ``python -m fuzz gate
--inputs real-code``: the same options, corpus replay, shrinking, reports
(``.fuzz/reports/real-code.md`` and ``.json`` by default) and exit codes.
The first run on a machine harvests the pool (seconds; cached under
``.fuzz/cache/``).
"""

from __future__ import annotations

import argparse

from fuzz.cli.gate import add_gate_options


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("real-code", help="the gate on real functions' shapes only", description=__doc__)
    add_gate_options(parser, reports="real-code")
    parser.set_defaults(inputs="real-code")
