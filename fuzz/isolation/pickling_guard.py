"""Pickling under watch: a side that hangs, prints or kills its process is caught and named.

Both sides pickle the very same function object in the fuzzer's own process
(that is what makes the comparison fair), so a candidate whose ``dumps``
loops forever, floods stdout or segfaults would otherwise take the fuzzer
with it. Every :meth:`fuzz.oracle.sides.Side.dumps` goes through a
:class:`PicklingGuard`, which does three things:

* **bounds the time**: an interval timer raises :class:`PicklingTimeout`
  inside a ``dumps`` that runs past the timeout (main thread only; Python
  code and interruptible system calls stop there);
* **keeps what the side prints**: stdout and stderr, at the file-descriptor
  and the ``sys.stdout`` level, go to a scratch file during the call; the
  byte count and the first bytes are part of the :class:`PickleOutcome`, and
  nothing reaches the fuzzer's own output;
* **says what is in flight**, when given a *worker file*: before each call
  the file holds the case, the side and the time; after it, nothing. The
  process holds an exclusive lock on the file for as long as it lives, so a
  supervisor (:func:`read_worker_files`) can tell a live worker from a dead
  one and, for a dead one, which side killed it on which case. A ``dumps``
  that the timer could not stop (a loop in C) is seen there too, by its age,
  and the supervisor kills the process.

It also **watches the process it pickles in** (:mod:`fuzz.isolation.side_effects`):
what the call changed there (an import, a ``sys.modules`` entry, a process or
thread left running, a signal handler) is named in the outcome and undone as
far as it can be. And an exception is the side's, whatever its class: a
``SystemExit``, a ``KeyboardInterrupt`` or a bare ``BaseException`` raised by
the side ends its ``dumps`` like any error; only a real Ctrl-C or SIGTERM,
which arrives as a signal during the call, goes on up.
"""

from __future__ import annotations

import dataclasses
import faulthandler
import fcntl
import io
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from fuzz.isolation.outcomes import PickleOutcome
from fuzz.isolation.side_effects import ProcessSnapshot, SideEffect

#: Bytes of a side's output kept in its outcome; the count is always exact.
OUTPUT_HEAD = 300
#: Suffix of worker files in a supervisor's directory.
WORKER_FILE_SUFFIX = ".worker.json"
#: Suffix of the file beside it where :mod:`faulthandler` writes a fatal signal's traceback.
FAULT_FILE_SUFFIX = ".fault.txt"


class PicklingTimeout(BaseException):
    """Raised inside a side's ``dumps`` past the guard's timeout.

    A ``BaseException``, so a candidate's ``except Exception`` cannot swallow it.
    """


def _raise_timeout(signum: int, frame: object) -> None:
    raise PicklingTimeout


class _OutputTrap:
    """Sends fds 1 and 2, and ``sys.stdout``/``sys.stderr``, to a scratch file for one call."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # unlinked at once: nothing to clean up
        self._fd = self._file.fileno()
        self._text = io.TextIOWrapper(
            io.FileIO(self._fd, "w", closefd=False), encoding="utf-8", errors="backslashreplace", write_through=True
        )

    @contextmanager
    def trapped(self) -> Iterator[None]:
        for stream in (sys.stdout, sys.stderr):
            _flush(stream)
        saved = (os.dup(1), os.dup(2))
        streams = (sys.stdout, sys.stderr)
        try:
            os.dup2(self._fd, 1)
            os.dup2(self._fd, 2)
            sys.stdout = sys.stderr = self._text
            yield
        finally:
            _flush(self._text)
            sys.stdout, sys.stderr = streams
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])

    def take(self) -> tuple[int, str]:
        """Bytes written since the last call, and the first of them; empties the file."""
        size = os.fstat(self._fd).st_size
        if not size:
            return 0, ""
        head = os.pread(self._fd, OUTPUT_HEAD, 0).decode("utf-8", "replace")
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        return size, head

    def close(self) -> None:
        self._text.close()
        self._file.close()


def _flush(stream: IO[str]) -> None:
    try:
        stream.flush()
    except Exception:  # noqa: BLE001  (a closed or odd stream must not break pickling)
        pass


class PicklingGuard:
    """Bounds, silences and announces each ``dumps`` of the sides that share it (see the module docstring)."""

    def __init__(self, timeout: float = 10.0, worker_file: str | None = None, watch_process: bool = True) -> None:
        self.timeout = timeout
        self.worker_file = worker_file
        #: Compare the process before and after each call (off only where calls are timed in a loop).
        self.watch_process = watch_process
        self._signalled = False
        self._fd: int | None = None
        self._case_json = "null"
        self._trap: _OutputTrap | None = None
        self._fault = None
        if worker_file is not None:
            self._fd = os.open(worker_file, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            # A segfault in a side then leaves its Python traceback for the supervisor to show.
            self._fault = open(fault_file_path(worker_file), "w", encoding="utf-8")
            faulthandler.enable(self._fault, all_threads=False)

    def __repr__(self) -> str:
        return f"PicklingGuard(timeout={self.timeout})"

    @contextmanager
    def case(self, case: Any) -> Iterator[None]:
        """Name the case (a dataclass, such as :class:`fuzz.model.case.Case`) in the worker file during the block."""
        if self._fd is None:
            yield
            return
        previous = self._case_json
        self._case_json = json.dumps(dataclasses.asdict(case))
        try:
            yield
        finally:
            self._case_json = previous

    def dumps(self, role: str, spec: str, dumps: Callable[[object], bytes], func: object) -> PickleOutcome:
        """``dumps(func)``, bounded in time, its output kept, its changes to the process named and undone.

        Never raises but for a real Ctrl-C or SIGTERM.
        """
        on_main = threading.current_thread() is threading.main_thread()
        trap = self._output_trap() if on_main else None
        before = ProcessSnapshot.take() if self.watch_process else None
        self._announce(role, spec)
        data, error, hung = None, None, False
        previous = signal.signal(signal.SIGALRM, _raise_timeout) if on_main else None
        interrupts = self._note_interrupts() if on_main else {}
        try:
            with trap.trapped() if trap is not None else _nothing():
                try:
                    if on_main:
                        signal.setitimer(signal.ITIMER_REAL, self.timeout)
                    try:
                        data = dumps(func)
                    finally:
                        if on_main:
                            signal.setitimer(signal.ITIMER_REAL, 0)
                except PicklingTimeout:
                    hung = True
                    error = f"PicklingTimeout: still pickling after {self.timeout:g} s; stopped"
                except BaseException as exc:  # a side's pickling error, whatever its class, is a finding
                    if self._signalled and isinstance(exc, KeyboardInterrupt):
                        raise  # a real Ctrl-C or SIGTERM: the run stops
                    error = f"{type(exc).__name__}: {exc}"
        finally:
            if previous is not None:
                signal.signal(signal.SIGALRM, previous)
            for signum, handler in interrupts.items():
                signal.signal(signum, handler)
            self._announce(None, None)
        printed, head = trap.take() if trap is not None else (0, "")
        effects: tuple[SideEffect, ...] = ()
        if before is not None:
            effects = before.changes()
            if effects:
                before.undo()
        return PickleOutcome(data, (), error, hung=hung, printed=printed, printed_head=head, side_effects=effects)

    def _note_interrupts(self) -> dict[int, Any]:
        """Wrap the SIGINT and SIGTERM handlers so a real signal is told apart from a side's own raise."""
        self._signalled = False
        replaced: dict[int, Any] = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(signum)
            if callable(handler):
                replaced[signum] = signal.signal(signum, self._signal_noter(handler))
        return replaced

    def _signal_noter(self, handler: Callable[[int, Any], Any]) -> Callable[[int, Any], Any]:
        def noted(signum: int, frame: Any) -> Any:
            self._signalled = True
            return handler(signum, frame)

        return noted

    def _output_trap(self) -> _OutputTrap:
        if self._trap is None:
            self._trap = _OutputTrap()
        return self._trap

    def _announce(self, role: str | None, spec: str | None) -> None:
        if self._fd is None:
            return
        if role is None:
            os.ftruncate(self._fd, 0)
            return
        text = (
            f'{{"pid": {os.getpid()}, "started": {time.time()!r}, "role": {json.dumps(role)}, '
            f'"spec": {json.dumps(spec)}, "case": {self._case_json}}}'
        ).encode()
        os.pwrite(self._fd, text, 0)
        os.ftruncate(self._fd, len(text))

    def close(self) -> None:
        """Release the worker file (removed: a clean exit leaves nothing to explain)."""
        if self._trap is not None:
            self._trap.close()
            self._trap = None
        if self._fd is not None:
            assert self.worker_file is not None and self._fault is not None
            faulthandler.disable()
            self._fault.close()
            for path in (self.worker_file, fault_file_path(self.worker_file)):
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
            os.close(self._fd)
            self._fd = None


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def worker_file_path(directory: str, label: str = "worker") -> str:
    """Where this process announces itself in a supervisor's directory: ``LABEL-PID.worker.json``."""
    return os.path.join(directory, f"{label}-{os.getpid()}{WORKER_FILE_SUFFIX}")


def fault_file_path(worker_file: str) -> str:
    return worker_file[: -len(WORKER_FILE_SUFFIX)] + FAULT_FILE_SUFFIX


@dataclass(frozen=True)
class WorkerFile:
    """What a supervisor reads of one worker file."""

    path: str
    #: Whether the owning process still holds the lock (is alive).
    alive: bool
    #: The pickle in flight (``pid``, ``started``, ``role``, ``spec``, ``case``), or ``None``.
    in_flight: dict | None
    #: What :mod:`faulthandler` wrote when a fatal signal hit the worker ("" if nothing).
    fault: str = ""

    @property
    def pid(self) -> int | None:
        stem = os.path.basename(self.path)[: -len(WORKER_FILE_SUFFIX)].rpartition("-")[2]
        return int(stem) if stem.isdigit() else None

    def remove(self) -> None:
        """Forget a worker that was dealt with."""
        for path in (self.path, fault_file_path(self.path)):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    def age(self, now: float | None = None) -> float:
        """Seconds the pickle in flight has been running (0 when none is)."""
        if self.in_flight is None:
            return 0.0
        return (time.time() if now is None else now) - float(self.in_flight.get("started", 0.0))


def read_worker_file(path: str) -> WorkerFile | None:
    """Read one worker file; ``None`` if it vanished (its owner exited cleanly)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            alive = False
        except BlockingIOError:
            alive = True
        data = os.read(fd, 1 << 24)
    finally:
        os.close(fd)
    in_flight = None
    if data:
        try:
            in_flight = json.loads(data)
        except ValueError:
            # Caught mid-write by a live owner; a dead owner finished writing before it pickled.
            in_flight = None
    fault = ""
    if not alive:
        try:
            with open(fault_file_path(path), encoding="utf-8", errors="replace") as handle:
                fault = handle.read(8000)
        except FileNotFoundError:
            pass
    return WorkerFile(path, alive, in_flight, fault)


def read_worker_files(directory: str) -> list[WorkerFile]:
    """Every worker file in ``directory``, live and dead."""
    if not os.path.isdir(directory):
        return []
    found = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(WORKER_FILE_SUFFIX):
            state = read_worker_file(os.path.join(directory, name))
            if state is not None:
                found.append(state)
    return found
