"""Progress of a gate run: a live line in a terminal, a plain line in CI.

In a terminal the line is redrawn in place a few times a second; without one
(CI logs) a full line is printed every few seconds, so a log shows the run is
alive without drowning in updates.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    deadline: float
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    every: float = 5.0
    started: float = field(default_factory=time.monotonic)
    #: Seconds from the start to the first judged case, once there is one (how soon the run says anything).
    first_case_s: float | None = None
    _last: float = 0.0

    @property
    def live(self) -> bool:
        return self.stream.isatty()

    def update(self, cases: int, findings: int, phase: str, force: bool = False, note: str = "") -> None:
        """Show the run's state; ``note`` replaces the counts while they say nothing yet (workers starting)."""
        now = time.monotonic()
        if cases and self.first_case_s is None:
            self.first_case_s = now - self.started
        interval = 0.25 if self.live else self.every
        if not force and now - self._last < interval:
            return
        self._last = now
        elapsed = now - self.started
        rate = cases / elapsed if elapsed > 0 else 0.0
        left = max(0.0, self.deadline - time.time())
        counts = note or f"{cases} cases, {rate:.1f}/s, {findings} failing"
        text = f"[{phase}] {counts}, {left:.0f} s left"
        if self.live:
            self.stream.write("\r\033[K" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
