"""A run's report put out: the verdict printed first, then the Markdown and JSON files, and the exit code.

The gate, each round of a campaign, and ``python -m fuzz merge`` end the same
way, so they share this: the terminal gets the verdict before anything can
fail; a report that cannot be written never stops the other; and a PASS
whose reports were not written is not a PASS (exit 2).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from fuzz.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE
from fuzz.isolation import interrupts
from fuzz.report.json_form import to_json
from fuzz.report.markdown import to_markdown
from fuzz.report.pictures import draw_pictures
from fuzz.report.run_verdict import RunVerdict
from fuzz.report.summary import GateSummary
from fuzz.report.terminal import to_summary


def exit_code(verdict: RunVerdict, failed_writes: list[str], interrupted: KeyboardInterrupt | None = None) -> int:
    """The command's exit code: the interrupt's, else the verdict's; a pass whose reports were not written is 2."""
    if interrupted is not None:
        return interrupts.exit_code(interrupted)
    code = {RunVerdict.PASS: EXIT_OK, RunVerdict.FAIL: EXIT_FINDINGS, RunVerdict.INCOMPLETE: EXIT_INCOMPLETE}[verdict]
    return EXIT_USAGE if failed_writes and code == EXIT_OK else code


def publish(summary: GateSummary, markdown_path: str, json_path: str, pictures: bool = False) -> list[str]:
    """Print the summary (verdict first), then write both reports; return what could not be written.

    With ``pictures``, the discovery curve and the coverage heatmap are drawn
    beside the Markdown first (:mod:`fuzz.report.pictures`) and linked from it.
    """
    if pictures:
        directory = os.path.dirname(os.path.abspath(markdown_path))
        stem = os.path.splitext(os.path.basename(markdown_path))[0]
        try:
            os.makedirs(directory, exist_ok=True)
            summary.pictures = draw_pictures(summary, directory, stem)
        except Exception as exc:  # noqa: BLE001  (a picture is never worth the reports)
            print(f"error: could not draw the pictures in {directory}: {exc}", file=sys.stderr)
    outputs = [
        (markdown_path, lambda: to_markdown(summary)),
        (json_path, lambda: json.dumps(to_json(summary), indent=2) + "\n"),
    ]
    # The verdict goes out first, whatever happens to the files.
    _print(to_summary(summary, [path for path, _ in outputs]))
    failed_writes = [failure for path, text in outputs if (failure := _write(path, text()))]
    for failure in failed_writes:
        print(f"error: {failure}", file=sys.stderr)
    return failed_writes


def _print(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # A reader that went away (``| head``) must not cost the report files.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write(path: str, text: str) -> str | None:
    """Write one report; a failure is returned as a message, never raised (the other report still goes out)."""
    # Written beside, then renamed: a report being rewritten (a campaign's, every round) is never half there.
    partial = f"{path}.partial"
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        Path(partial).write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        return f"could not write {path}: {exc.strerror or exc}"
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return None
