"""Ctrl-C and SIGTERM that cannot be lost.

Python raises ``KeyboardInterrupt`` wherever the main thread happens to be
when SIGINT arrives. If that is inside a weakref callback or a ``__del__``
(cloudpickle's caches and the proposal's cache are weak dictionaries, whose
callbacks run all the time while fuzzing), the exception is printed as
"ignored" and the run goes on as if nothing happened. The guard below records
every interrupt, so the next safe point (:func:`check`, called before each
batch of child processes) raises it again.

SIGTERM (what ``kill``, CI runners and process managers send) is treated the
same way, as :class:`Terminated`, a ``KeyboardInterrupt``: every clean-up
path that a Ctrl-C takes (stop the helpers, write the partial report, remove
temporary files) runs for it too, and the command exits 143 instead of 130.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

_interrupted: list[type[KeyboardInterrupt]] = []


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as for Ctrl-C."""


#: Exit code of a command stopped by each signal (128 + the signal's number, as shells report it).
EXIT_CODES = {KeyboardInterrupt: 128 + signal.SIGINT, Terminated: 128 + signal.SIGTERM}


def exit_code(exc: KeyboardInterrupt) -> int:
    return EXIT_CODES[Terminated] if isinstance(exc, Terminated) else EXIT_CODES[KeyboardInterrupt]


def signal_name(exc: KeyboardInterrupt) -> str:
    return "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C (SIGINT)"


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _interrupted.append(KeyboardInterrupt)
    raise KeyboardInterrupt


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _interrupted.append(Terminated)
    raise Terminated


def check() -> None:
    """Raise the interrupt that arrived, if one did and might have been swallowed."""
    if _interrupted:
        raise _interrupted[-1]


class InterruptGuard:
    """Install the recording SIGINT and SIGTERM handlers for a block.

    Only in the main thread, and only over the default handlers: a caller
    that chose its own handling keeps it.
    """

    def __init__(self) -> None:
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            defaults = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
            handlers = {signal.SIGINT: _on_sigint, signal.SIGTERM: _on_sigterm}
            for signum, default in defaults.items():
                if signal.getsignal(signum) is default:
                    if not self._previous:
                        _interrupted.clear()
                    self._previous[signum] = signal.signal(signum, handlers[signum])
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous = {}
