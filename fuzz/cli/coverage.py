"""``python -m fuzz coverage``: which values of the input space the generator reaches.

Draws ``--examples`` seeded cases (generation only: nothing is pickled or
run) and counts, for each dimension (way of access, placement, name
category, package shape, function kind, closure size and where modules sit
among cells and defaults, ``sys.modules`` hazard, Python feature), how many
cases had each value. Exits 1 when some value was never reached, so a CI
step can hold the generator to its own tables. The gate prints the same
table for the cases it judged.
"""

from __future__ import annotations

import argparse
import json

from fuzz.config.option_types import non_negative_int, positive_int, report_path
from fuzz.errors import EXIT_FINDINGS, EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Count the values of each dimension among seeded generated cases; exit 1 if one is never reached."""
    from fuzz.generation.input_coverage import coverage_of
    from fuzz.generation.seeded_draws import seeded_cases

    coverage = coverage_of(case.tags for case in seeded_cases(args.examples, args.seed))
    text = "\n".join(coverage.to_markdown()) + "\n"
    print(text, end="")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"examples": args.examples, "seed": args.seed, **coverage.to_dict()}, out, indent=1)
    return EXIT_FINDINGS if coverage.unreached() else EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("coverage", help=run.__doc__, description=__doc__)
    parser.add_argument("--examples", type=positive_int, default=1000, help="cases to draw (default 1000)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the draw (default 0)")
    parser.add_argument("--json", type=report_path, help="also write the counts as JSON")
    parser.add_argument("--markdown", type=report_path, help="also write the table as Markdown")
    parser.set_defaults(handler=run)
