"""Ctrl-C that cannot be lost.

Python raises ``KeyboardInterrupt`` wherever the main thread happens to be
when SIGINT arrives. If that is inside a weakref callback or a ``__del__``
(cloudpickle's caches and the proposal's cache are weak dictionaries, whose
callbacks run all the time while fuzzing), the exception is printed as
"ignored" and the run goes on as if nothing happened. The guard below records
every interrupt, so the next safe point (:func:`check`, called before each
batch of child processes) raises it again.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType

_interrupted = threading.Event()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def check() -> None:
    """Raise ``KeyboardInterrupt`` if one arrived and might have been swallowed."""
    if _interrupted.is_set():
        raise KeyboardInterrupt


class InterruptGuard:
    """Install the recording SIGINT handler (main thread, default handler only) for a block."""

    def __init__(self) -> None:
        self._previous: object = None

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                _interrupted.clear()
                self._previous = signal.signal(signal.SIGINT, _on_sigint)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._previous = None
