"""``python -m fuzz campaign``: the gate's machinery, in rounds, for as long as it is let run.

Each round is one run of the gate (:class:`fuzz.gate.run.GateRun`) of
``--report-every`` seconds: the campaign on pytest-xdist workers (local or
``--tx`` gateways) with the round's own seeds, then shrinking the groups no
earlier round shrank, and no slowness hunt. After each round the reports of
all rounds so far are merged (:mod:`fuzz.report.merge`) and the Markdown
and JSON reports rewritten, with the discovery curve and coverage heatmap
beside them; root causes that the last report did not have (the last report
of an earlier campaign included, if its JSON is where this one writes) are
marked new.

The first round replays the reviewed corpus, the findings directory, and the
example database (:mod:`fuzz.gate.example_database`), whose entries each shard
replays before generating anything. Ctrl-C or SIGTERM ends the round in
flight: its verdicts so far are merged and the reports written before the
command exits (130 or 143); a restart continues from the database.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from fuzz.config.run_config import MIN_CASES, CampaignConfig
from fuzz.errors import UsageError
from fuzz.gate.example_database import KeptFindings, entries
from fuzz.gate.run import GateRun, RunPlan
from fuzz.isolation.interrupts import InterruptGuard
from fuzz.model.records import CaseRecord
from fuzz.model.verdict import failing_kinds
from fuzz.report.merge import finding_key, merge
from fuzz.report.publish import exit_code, publish
from fuzz.report.run_verdict import Problem, RunVerdict
from fuzz.report.summary import GateSummary

#: Share of a round the campaign fuzzes; shrinking the new groups may use the rest.
ROUND_CAMPAIGN_SHARE = 0.85
#: A round shorter than this is not started (workers take seconds to start).
MIN_ROUND_S = 20.0


@dataclass
class CampaignRun:
    """A campaign: its rounds so far, what they shrank, and what the last report showed."""

    config: CampaignConfig
    start: float = field(default_factory=time.time)
    rounds: list[GateSummary] = field(default_factory=list)
    #: Shrunk examples by group key, from every round: a later round does not shrink a known group again.
    shrunk: dict[tuple, CaseRecord] = field(default_factory=dict)
    #: Root-cause keys of the last report's findings (the previous campaign's, read back, at first).
    reported: set[str] | None = None
    database: dict = field(default_factory=dict)
    #: Which groups of findings have an entry in the database (``None``: no database).
    kept: KeptFindings | None = None
    interrupted: KeyboardInterrupt | None = None
    #: The merged verdict of the last report, and the report files it could not write.
    verdict: RunVerdict = RunVerdict.INCOMPLETE
    failed_writes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reported = _finding_keys_in(self.json_path)
        database = self.config.run.database
        if database:
            self.database = {"path": database, "entries_at_start": len(entries(database))}
            self.kept = KeptFindings(database)

    @property
    def markdown_path(self) -> str:
        return self.config.run.markdown_path

    @property
    def json_path(self) -> str:
        return self.config.run.json_path

    def round_budget(self) -> float | None:
        """Seconds for the next round; ``None`` when the budget is spent (the first round always runs)."""
        every = self.config.report_every
        if self.config.budget is None:
            return every
        left = self.start + self.config.budget - time.time()
        if left < MIN_ROUND_S and self.rounds:
            return None
        return max(MIN_ROUND_S, min(every, left))

    def run(self) -> int:
        """Rounds until the budget or an interrupt; the exit code of the merged verdict (130/143 if stopped)."""
        with InterruptGuard():
            while self.interrupted is None:
                budget = self.round_budget()
                if budget is None:
                    break
                try:
                    self._one_round(len(self.rounds), budget)
                except UsageError as exc:
                    if self.rounds:
                        # The sides broke between rounds (a tree removed, say): the report must say so.
                        self._report(Problem(f"round {len(self.rounds) + 1} could not start: {exc}"))
                    raise
        return self._final_code()

    def _one_round(self, number: int, budget: float) -> None:
        first = number == 0
        config = replace(
            self.config.run, budget=budget, max_examples=None, min_cases=MIN_CASES, replay_only=False,
            round=number, replay_database=first,
        )  # fmt: skip
        plan = RunPlan(ROUND_CAMPAIGN_SHARE, 1.0, replay_corpus=first, hunt=False)
        gate = GateRun(config, plan)
        gate.label = f"campaign {gate.label}" if gate.label != "run" else "campaign"
        gate.shrunk.update(self.shrunk)
        try:
            gate.run_to_end()
            self.interrupted = gate.interrupted
            gate.progress.done()
            summary = gate.finish_summary()
            records = gate.records()
        finally:
            gate.clean_up()
        self.shrunk.update(gate.shrunk)
        if first and self.database:
            self._note_replay(records)
        if self.kept is not None:
            self.database["saved"] = self.database.get("saved", 0) + self.kept.keep(
                records, failing_kinds(self.config.run.strict)
            )
        self.rounds.append(summary)
        while True:
            try:
                self._report()
                return
            except KeyboardInterrupt as exc:
                # Stopped while reporting: the report is what stopping must not lose; write it whole.
                self.interrupted = self.interrupted or exc

    def _note_replay(self, records: list[CaseRecord]) -> None:
        """How the first round replayed the database: how many, whether first in every shard, still failing."""
        replayed = [r for r in records if r.get("replayed")]
        first = True
        for shard in {r.get("shard") for r in replayed}:
            mine = [r for r in records if r.get("shard") == shard and r.get("source") == "campaign"]
            last_replayed = max(r["t"] for r in mine if r.get("replayed"))
            first = first and all(r["t"] >= last_replayed for r in mine if not r.get("replayed"))
        self.database.update(
            replayed=len(replayed),
            replayed_first=first,
            still_failing=sum(r["kind"] in failing_kinds(self.config.run.strict) for r in replayed),
        )

    def _report(self, problem: Problem | None = None) -> None:
        summary = merge([(f"round {n + 1}", s) for n, s in enumerate(self.rounds)], continuing=True)
        if problem is not None:
            summary.problems.append(problem)
            summary.verdict = summary.verdict.at_best_incomplete()
            summary.reasons.append(problem.text)
        summary.settings = {**summary.settings, "rounds": len(self.rounds), "report_every_s": self.config.report_every}
        keys = {finding_key(f.kind, f.cause.key) for f in summary.findings}
        for finding in summary.findings:
            # Replayed from the database, it was found by an earlier run: its key may differ from that run's
            # (an interrupted run reports its findings unshrunk, and shrinking changes the key), it is not new.
            seen = self.reported is not None and finding_key(finding.kind, finding.cause.key) in self.reported
            finding.new = not (seen or finding.replayed)
        self.reported = keys
        if self.database:
            self.database["entries_now"] = len(entries(self.database["path"]))
            summary.database = dict(self.database)
        self.failed_writes = publish(summary, self.markdown_path, self.json_path, pictures=True)
        self.verdict = summary.verdict

    def _final_code(self) -> int:
        return exit_code(self.verdict, self.failed_writes, self.interrupted)


def _finding_keys_in(path: str) -> set[str] | None:
    """Root-cause keys of the findings in an earlier report at ``path`` (``None``: no readable report there)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {finding_key(f["kind"], f["cause"]["key"]) for f in data.get("findings", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return None
