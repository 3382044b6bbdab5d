"""``python -m fuzz matrix``: access pattern x Python version x verdict.

Generates one set of cases here (seeded: stateless cases and state-machine
histories), writes them to a scratch corpus together with the real corpus,
and has every interpreter replay exactly those cases through the gate
(``--replay-only``). Running the same cases everywhere matters: Hypothesis
itself differs between the versions each interpreter can install, so seeded
campaigns would compare different functions. The table gives, per access
pattern, the verdicts each version gave. Each interpreter other than the
running one gets a virtualenv (under ``--venvs``) with this project
installed, made once and reused. CPython releases newer than any this
machine installs are found once :mod:`fuzz.newer_pythons` prepared them
(``--prepare-newer`` does it first).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fuzz import newer_pythons
from fuzz.config.option_types import positive_int, positive_seconds
from fuzz.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from fuzz.interpreters import Interpreter, discover, version_of
from fuzz.model.verdict import FAILING, SEVERITY
from fuzz.newer_pythons import venv

#: The project's checkout (fuzz/cli/matrix.py is three levels down): what each interpreter's venv installs.
ROOT = Path(__file__).resolve().parents[2]


def _environment(interpreter: Interpreter, venvs: Path) -> str:
    """A Python for ``interpreter`` with this project installed."""
    if os.path.realpath(interpreter.path) == os.path.realpath(sys.executable):
        return sys.executable
    env = venvs / interpreter.version
    python = env / "bin" / "python"
    if not python.exists():
        venv.create(interpreter.path, env)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", str(ROOT)], check=True)
    return str(python)


def generate(args: argparse.Namespace, corpus: Path) -> int:
    """Write the seeded cases every interpreter will replay; return how many."""
    from hypothesis.stateful import run_state_machine_as_test

    from fuzz.corpus.format import CorpusEntry
    from fuzz.corpus.store import save
    from fuzz.generation.seeded_draws import fuzzing_settings, seeded_cases
    from fuzz.isolation.pool import Isolation
    from fuzz.model.case import Case
    from fuzz.oracle.sides import make_side
    from strategies import cases
    from strategies.pickling_history import PicklingHistory

    if os.path.isdir(args.corpus):
        shutil.copytree(args.corpus, corpus)
    written: set[str] = set()

    def keep(case: Case, verdict: object) -> None:
        written.add(save(CorpusEntry(case, args.baseline, args.candidate, {}), str(corpus)))

    for case in seeded_cases(args.max_examples, args.seed, cases()):
        keep(case, None)
    with Isolation("fork" if hasattr(os, "fork") else "spawn", timeout=10) as isolation:
        baseline, candidate = make_side(args.baseline), make_side(args.candidate)
        run_state_machine_as_test(
            PicklingHistory.bound(baseline, candidate, isolation, judge=keep),
            settings=fuzzing_settings(max(1, args.max_examples // 20), stateful_step_count=4, derandomize=True),
        )  # fmt: skip
    return len(written)


def _gate(python: str, args: argparse.Namespace, corpus: Path, workdir: Path) -> dict:
    report = workdir / "report.json"
    command = [
        python, "-m", "fuzz", "gate", "--baseline", args.baseline, "--candidate", args.candidate,
        "--replay-only", "--budget", str(args.budget), "--corpus", str(corpus), "--json", str(report),
        # Only the matrix's own cases: not the findings of earlier gate runs, and no report left in the checkout.
        "--findings", str(workdir / "findings"), "--markdown", str(workdir / "report.md"),
    ]  # fmt: skip
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if not report.exists():
        raise UsageError(f"the gate failed to run under {python}: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(report.read_text())


def _cell(counts: dict[str, int]) -> str:
    if not counts:
        return "-"
    total = sum(counts.values())
    worst = next(kind for kind in SEVERITY if counts.get(kind))
    return f"{worst} {counts[worst]}/{total}"


def to_markdown(table: dict[str, dict[str, dict[str, int]]], versions: list[str], args: argparse.Namespace) -> str:
    lines = [
        f"Verdicts of `{args.candidate}` against `{args.baseline}` per access pattern and Python version "
        f"(worst verdict, cases with it / cases; the same {args.max_examples} seeded cases, seed {args.seed}, "
        "and the corpus, replayed on each).",
        "",
        "| pattern | " + " | ".join(versions) + " |",
        "| --- |" + " --- |" * len(versions),
    ]
    for pattern in sorted(table):
        lines.append(f"| {pattern} | " + " | ".join(_cell(table[pattern].get(v, {})) for v in versions) + " |")
    varying = version_dependent(table, versions)
    lines += ["", "Patterns whose verdict depends on the version: " + (", ".join(varying) or "none") + "."]
    return "\n".join(lines) + "\n"


def version_dependent(table: dict[str, dict[str, dict[str, int]]], versions: list[str]) -> list[str]:
    """Patterns whose worst verdict is not the same on every version that saw them."""
    out = []
    for pattern, row in sorted(table.items()):
        worst = {_cell(row[v]).split()[0] for v in versions if row.get(v)}
        if len(worst) > 1:
            out.append(pattern)
    return out


def run(args: argparse.Namespace) -> int:
    """Run the gate on each interpreter and print pattern x version x verdict."""
    if args.python:
        interpreters = []
        for path in args.python:
            version = version_of(path)
            if version is None:
                raise UsageError(f"--python {path}: not a runnable Python interpreter")
            interpreters.append(Interpreter(f"{version[0]}.{version[1]}", path))
    else:
        if args.prepare_newer:
            from fuzz.newer_pythons.__main__ import ensure

            _, failed = ensure(newer_pythons.default_cache(), newer_pythons.VERSIONS, True, sys.stderr)
            if failed:
                raise UsageError("preparing the newer Pythons failed (see above); run without --prepare-newer")
        interpreters = discover()
        unprepared = [v for v in newer_pythons.VERSIONS if v not in {i.version for i in interpreters}]
        if unprepared:
            print(
                f"Python {', '.join(unprepared)} not found: --prepare-newer (or python3 -m fuzz.newer_pythons) "
                "prepares them",
                file=sys.stderr,
            )
    venvs = Path(args.venvs)
    table: dict[str, dict[str, dict[str, int]]] = {}
    failing = False
    with tempfile.TemporaryDirectory(prefix="fuzz-matrix-") as workdir:
        corpus = Path(workdir) / "cases"
        print(f"generated {generate(args, corpus)} cases (seed {args.seed})", file=sys.stderr)
        for interpreter in interpreters:
            print(f"Python {interpreter.version} ({interpreter.path})...", file=sys.stderr)
            python = _environment(interpreter, venvs)
            own = Path(workdir) / interpreter.version
            own.mkdir(exist_ok=True)
            report = _gate(python, args, corpus, own)
            failing |= any(report["counts"][k] for k in FAILING)
            for pattern, counts in report["by_pattern"].items():
                table.setdefault(pattern, {})[interpreter.version] = counts
    versions = [i.version for i in interpreters]
    markdown = to_markdown(table, versions, args)
    print(markdown)
    if args.markdown:
        Path(args.markdown).write_text(markdown, encoding="utf-8")
    if args.json:
        data = {
            "baseline": args.baseline,
            "candidate": args.candidate,
            "versions": versions,
            "patterns": table,
            "version_dependent": version_dependent(table, versions),
        }
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return EXIT_FINDINGS if failing else EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("matrix", help=run.__doc__, description=__doc__)
    parser.add_argument("--baseline", default="legacy", help="side spec of the baseline (default legacy)")
    parser.add_argument("--candidate", default="proposed", help="side spec of the candidate (default proposed)")
    parser.add_argument("--python", action="append", help="an interpreter to run (repeatable; default: all found)")
    parser.add_argument(
        "--prepare-newer",
        action="store_true",
        help=f"first prepare CPython {' and '.join(newer_pythons.VERSIONS)} if missing (python3 -m fuzz.newer_pythons)",
    )
    parser.add_argument(
        "--max-examples", type=positive_int, default=300, help="stateless cases generated (default 300)"
    )
    parser.add_argument("--budget", type=positive_seconds, default=600.0, help="seconds per interpreter (default 600)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", default="corpus", help="corpus replayed on each interpreter")
    parser.add_argument("--venvs", default=os.path.join(tempfile.gettempdir(), "fuzz-matrix-venvs"),
                        help="where per-interpreter virtualenvs are kept")  # fmt: skip
    parser.add_argument("--json", help="write the matrix as JSON here")
    parser.add_argument("--markdown", help="write the matrix as Markdown here")
    parser.set_defaults(handler=run)
