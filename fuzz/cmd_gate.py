"""``python -m fuzz gate``: judge a candidate against a baseline within a time budget.

The pre-merge gate. In order: replay the corpus; run the stateless and
stateful campaigns (:mod:`fuzz.campaign`) on pytest-xdist workers until the
budget or the example count is spent; hunt for slower pickling if time is
left; then write a Markdown report (verdict first, fit for a PR comment) and
a JSON one. Exit 0: pass; 1: a regression or crash (or, with ``--strict``, a
benign divergence); 2: bad usage or configuration.

The budget is wall-clock and enforced from here, whatever the workers do:
past it the campaign is interrupted, then killed. Ctrl-C does the same and
still writes a partial report. Every process and temporary directory the run
made is gone when it returns.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fuzz.cli import EXIT_FINDINGS, EXIT_OK, UsageError, add_side_options
from fuzz.corpus_replay import replay_corpus
from fuzz.gate_report import summarise, to_json, to_markdown
from fuzz.isolation import Isolation
from fuzz.progress import Progress
from fuzz.results import ResultsTail, ResultsWriter, record, ways_of
from fuzz.sides import Side, make_side
from fuzz.verdict import FAILING

#: The campaign's test module, collected by path.
CAMPAIGN = Path(__file__).with_name("campaign.py")
#: Seconds the campaign may overrun the budget before it is interrupted, then killed.
GRACE = 3.0


def _workers(text: str) -> int:
    if text == "auto":
        return os.cpu_count() or 1
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--workers {text!r}: expected a positive number or 'auto'") from None
    if value < 1:
        raise UsageError(f"--workers {text}: expected at least 1")
    return value


def _validate(args: argparse.Namespace) -> int:
    if args.budget <= 0:
        raise UsageError(f"--budget {args.budget}: expected a positive number of seconds")
    if args.max_examples is not None and args.max_examples < 1:
        raise UsageError(f"--max-examples {args.max_examples}: expected at least 1")
    if args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout}: expected a positive number of seconds")
    for option in ("json", "markdown"):
        path = getattr(args, option)
        if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise UsageError(f"--{option} {path}: its directory does not exist")
    if os.path.exists(args.corpus) and not os.path.isdir(args.corpus):
        raise UsageError(f"--corpus {args.corpus}: not a directory")
    return _workers(args.workers)


def _replay(
    args: argparse.Namespace, sides: tuple[Side, Side], results: str, progress: Progress
) -> tuple[list[dict], list[str]]:
    """Replay the corpus in this process; findings here are already in the corpus."""
    if not os.path.isdir(args.corpus):
        return [], []
    baseline, candidate = sides
    writer = ResultsWriter(os.path.join(results, "replay.jsonl"))
    replayed, problems = [], []
    try:
        with Isolation(args.isolation, timeout=args.timeout) as isolation:
            for n, item in enumerate(replay_corpus(args.corpus, baseline, candidate, isolation), 1):
                if item.status == "bad" or item.verdict is None:
                    problems.append(item.error)
                    continue
                writer.write(record(item.entry.case, item.verdict, "corpus", 0.0, item.path))
                replayed.append({"file": item.name, "recorded": item.recorded, "verdict": item.verdict.kind})
                progress.update(n, 0, "corpus")
    finally:
        writer.close()
    return replayed, problems


def _campaign_command(args: argparse.Namespace, workers: int, results: str, deadline: float) -> list[str]:
    command = [
        sys.executable, "-m", "pytest", str(CAMPAIGN),
        "-p", "fuzz.pytest_plugin", "-p", "fuzz.campaign_plugin",
        "-c", os.devnull, "--rootdir", results, "-p", "no:cacheprovider",
        "-o", "python_files=*.py", "-q", "--no-header", "-n", str(workers),
        "--fuzz-baseline", args.baseline, "--fuzz-candidate", args.candidate,
        "--fuzz-isolation", args.isolation, "--fuzz-timeout", str(args.timeout),
        "--campaign-results", results, "--campaign-deadline", str(deadline),
        "--campaign-seed", str(args.seed), "--campaign-shards", str(workers),
        "--campaign-examples", str(args.max_examples or 0), "--campaign-corpus", args.corpus,
        "--campaign-failing", ",".join(FAILING + (("benign",) if args.strict else ())),
    ]  # fmt: skip
    return command


def _stop(proc: subprocess.Popen) -> None:
    """Interrupt the campaign's process group, then kill it if it lingers."""
    for sig, wait in ((signal.SIGINT, GRACE), (signal.SIGKILL, 10.0)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


def _campaign(
    args: argparse.Namespace, workers: int, results: str, deadline: float, progress: Progress, log: Path
) -> tuple[list[dict], list[str]]:
    tail = ResultsTail(results)
    records: list[dict] = []
    problems: list[str] = []
    with open(log, "wb") as output:
        # Workers make their temporary directories under ours: even a killed worker leaks nothing.
        scratch = os.path.join(results, "tmp")
        os.makedirs(scratch, exist_ok=True)
        proc = subprocess.Popen(
            _campaign_command(args, workers, results, deadline),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "TMPDIR": scratch},
        )
        try:
            while proc.poll() is None:
                records += [r for r in tail.new_lines() if r.get("source") == "campaign"]
                progress.update(len(records), sum(r["kind"] in FAILING for r in records), "campaign")
                if time.time() > deadline + GRACE:
                    problems.append(f"the campaign overran the budget by {GRACE:.0f} s and was stopped")
                    break
                time.sleep(0.2)
        finally:
            _stop(proc)
    records += [r for r in tail.new_lines() if r.get("source") == "campaign"]
    if proc.returncode not in (0, -signal.SIGINT, -signal.SIGKILL) and not problems:
        problems.append(f"the campaign's pytest exited with {proc.returncode}: {_last_lines(log)}")
    events = os.path.join(results, "worker-events.log")
    if os.path.exists(events):
        with open(events, encoding="utf-8") as handle:
            problems += [f"a worker died: {json.loads(line)}" for line in handle if line.strip()]
    return records, problems


def _last_lines(log: Path, count: int = 15) -> str:
    text = log.read_text(errors="replace").strip().splitlines()
    return " | ".join(text[-count:])


def _prune_corpus(records: list[dict], findings: list) -> None:
    """Keep one corpus file per finding: delete the larger ones this run created."""
    keep = {f.example.get("corpus") for f in findings}
    for line in records:
        path = line.get("corpus")
        if path and line.get("corpus_created") and path not in keep and os.path.exists(path):
            os.unlink(path)


def _slowness(args: argparse.Namespace, sides: tuple[Side, Side], seconds: float) -> list[dict]:
    """Slower-pickling hunt over a small seeded sample, when enough of the budget is left."""
    if seconds < 10:
        return []
    from fuzz.slowness import hunt

    report = hunt(*sides, examples=20, repeats=3, seed=args.seed)
    rows = []
    for slow in report.slow:
        timing = getattr(slow, slow.slower_mode)
        rows.append(
            {
                "ratio": timing.ratio,
                "mode": slow.slower_mode,
                "baseline_s": timing.baseline_s,
                "candidate_s": timing.candidate_s,
                "pattern": " + ".join(ways_of(slow.case.tags)),
                "source": slow.source,
            }
        )
    return rows


def run(args: argparse.Namespace) -> int:
    """Judge the candidate against the baseline; write Markdown and JSON reports."""
    workers = _validate(args)
    # Built once: this checks both specs (exit 2 on a bad one) and serves replay and the slowness hunt.
    sides = (make_side(args.baseline), make_side(args.candidate))
    start = time.time()
    deadline = start + args.budget
    progress = Progress(deadline)
    results = tempfile.mkdtemp(prefix="fuzz-gate-")
    records: list[dict] = []
    replayed: list[dict] = []
    problems: list[str] = []
    slow: list[dict] = []
    interrupted = False
    try:
        replayed, problems = _replay(args, sides, results, progress)
        records += [r for r in ResultsTail(results).new_lines() if r.get("source") == "corpus"]
        if not args.replay_only:
            # The campaign gets most of the budget; the slowness hunt what is left (if 10 s or more).
            campaign_deadline = start + args.budget * (0.8 if args.budget >= 60 else 0.95)
            log = Path(results) / "pytest.log"
            found, trouble = _campaign(args, workers, results, campaign_deadline, progress, log)
            records += found
            problems += trouble
            slow = _slowness(args, sides, deadline - time.time())
    except KeyboardInterrupt:
        interrupted = True
        records = [r for r in ResultsTail(results).new_lines()]
    finally:
        progress.done()
        elapsed = time.time() - start
        settings = {
            "budget_s": args.budget,
            "max_examples": args.max_examples,
            "workers": workers,
            "seed": args.seed,
            "isolation": args.isolation,
            "strict": args.strict,
            "corpus": args.corpus,
            "replay_only": args.replay_only,
        }
        summary = summarise(
            records,
            elapsed=elapsed,
            baseline=args.baseline,
            candidate=args.candidate,
            settings=settings,
            strict=args.strict,
            replay=replayed,
            problems=problems,
            slowness=slow,
            interrupted=interrupted,
        )
        _prune_corpus(records, summary.findings)
        markdown = to_markdown(summary)
        if args.markdown:
            Path(args.markdown).write_text(markdown, encoding="utf-8")
        if args.json:
            Path(args.json).write_text(json.dumps(to_json(summary), indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(results, ignore_errors=True)
    print(markdown)
    if interrupted:
        return 130
    return EXIT_FINDINGS if summary.verdict == "fail" else EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gate", help=run.__doc__, description=__doc__)
    add_side_options(parser, "legacy", "proposed")
    parser.add_argument("--budget", type=float, default=60.0, help="wall-clock seconds for the whole run (default 60)")
    parser.add_argument("--max-examples", type=int, default=None, help="stop after N generated cases")
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers: a number or 'auto' (default)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the campaign (default 0)")
    parser.add_argument("--corpus", default="corpus", help="corpus to replay and to save failures to")
    parser.add_argument("--json", help="write the JSON report here")
    parser.add_argument("--markdown", help="write the Markdown report here")
    parser.add_argument("--strict", action="store_true", help="benign divergences fail the gate too")
    parser.add_argument("--replay-only", action="store_true", help="replay the corpus only: no campaign")
    parser.set_defaults(handler=run)
