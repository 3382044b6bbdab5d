"""What one run of the gate, or one campaign, is asked to do: a typed value built once.

The command line parses options into an :class:`argparse.Namespace`, whose
attributes nothing checks: a typo in a reader is an ``AttributeError`` a
minute into a run, and a campaign round that builds a namespace of its own
can forget a field the gate reads. So the CLI turns its namespace into a
:class:`RunConfig` (:meth:`RunConfig.from_options`) and everything below it
(the gate's run, a campaign's rounds, the campaign's pytest workers' settings)
takes that value; a round changes what differs with
:func:`dataclasses.replace`. This module imports nothing of the project's
but the option types, so any layer may take a configuration.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, fields, replace

from fuzz.config.option_types import shard_text

#: Generated cases a run must judge to pass, unless --max-examples asks for fewer (:mod:`fuzz.report.run_verdict`).
MIN_CASES = 100
#: Where the full reports go when --markdown and --json name no file (git-ignored, like the findings).
REPORTS = os.path.join(".fuzz", "reports")


@dataclass(frozen=True)
class RunConfig:
    """One run of the gate: the sides, the budget, where it searches, what it keeps and where it reports."""

    #: Side specs (:mod:`fuzz.oracle.sides`).
    baseline: str
    candidate: str
    #: How fresh interpreters are made (:data:`fuzz.isolation.pool.ISOLATION_MODES`).
    isolation: str
    #: Seconds a child may run, and a side may take to pickle one function.
    timeout: float
    #: Wall-clock seconds for the whole run.
    budget: float
    #: Local pytest-xdist workers (ignored when ``gateways`` are given).
    workers: int
    seed: int
    #: Stop after this many generated cases (``None``: when the budget is spent).
    max_examples: int | None = None
    #: Generated cases a pass needs judged.
    min_cases: int = MIN_CASES
    #: What generated cases are made of (:data:`fuzz.model.tags.INPUTS`).
    inputs: str = "all"
    #: pytest-xdist gateway specs (``--tx``); empty: ``workers`` local processes.
    gateways: tuple[str, ...] = ()
    #: ``(K, N)``: this run searches part K of N.
    shard: tuple[int, int] = (1, 1)
    corpus: str = "corpus"
    findings: str = os.path.join(".fuzz", "findings")
    #: Report files; ``None``: ``.fuzz/reports/<report_name>.md`` and ``.json``.
    markdown: str | None = None
    json: str | None = None
    report_name: str = "gate"
    #: Benign divergences fail the run too.
    strict: bool = False
    shrink: bool = True
    #: Whether a slowness hunt follows the search, when time is left.
    hunt: bool = True
    #: Replay the corpus only: no campaign.
    replay_only: bool = False
    #: The Hypothesis example database findings are kept in (a campaign's), and read-only ones to replay.
    database: str | None = None
    replay_from: tuple[str, ...] = ()
    #: Whether the campaign's shards replay the databases' entries before generating (a campaign's first round).
    replay_database: bool = False
    #: The round of a long campaign: each round searches with new seeds.
    round: int = 0

    @classmethod
    def from_options(cls, args: argparse.Namespace, report_name: str = "gate") -> RunConfig:
        """The configuration the gate's (or the campaign's) parsed options ask for.

        A field is read from the option of its name; an option a command does
        not have (the campaign has no ``--max-examples``) leaves the field's
        default. These differ: ``--tx`` gives the gateways, ``--no-shrink``
        and ``--no-hunt`` turn shrinking and the slowness hunt off, and the
        command names its reports.
        """
        given = vars(args)
        values = {f.name: given[f.name] for f in fields(cls) if f.name in given}
        values.update(
            gateways=tuple(given.get("tx", ())),
            replay_from=tuple(given.get("replay_from", ())),
            shrink=not given.get("no_shrink", False),
            hunt=not given.get("no_hunt", False),
            report_name=report_name,
        )
        return cls(**values)

    @property
    def markdown_path(self) -> str:
        return self.markdown or os.path.join(REPORTS, f"{self.report_name}.md")

    @property
    def json_path(self) -> str:
        return self.json or os.path.join(REPORTS, f"{self.report_name}.json")

    @property
    def label(self) -> str:
        """This run's name in merged reports and discovery curves."""
        return f"shard {shard_text(self.shard)}" if self.shard[1] > 1 else "run"

    def settings(self) -> dict:
        """The settings a report lists (their JSON names are the report's, kept as they were)."""
        return {
            "budget_s": self.budget, "max_examples": self.max_examples, "min_cases": self.min_cases,
            "workers": self.workers, "seed": self.seed, "isolation": self.isolation, "timeout_s": self.timeout,
            "strict": self.strict, "corpus": self.corpus, "findings": self.findings,
            "replay_only": self.replay_only, "shrink": self.shrink, "hunt": self.hunt, "shard": shard_text(self.shard),
            "gateways": list(self.gateways),
        }  # fmt: skip


@dataclass(frozen=True)
class CampaignConfig:
    """A campaign: rounds of a gate's run (``run``, whose budget each round sets) until ``budget``."""

    run: RunConfig
    #: Wall-clock seconds in all (``None``: until stopped).
    budget: float | None
    #: Seconds per round and report.
    report_every: float

    @classmethod
    def from_options(cls, args: argparse.Namespace, seed: int) -> CampaignConfig:
        """``seed``: the one given, or the fresh one the command drew."""
        run = replace(RunConfig.from_options(args, report_name="campaign"), budget=args.report_every, seed=seed)
        return cls(run=run, budget=args.budget, report_every=args.report_every)
