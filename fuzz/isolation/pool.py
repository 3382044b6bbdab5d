"""Fresh interpreters that load pickles: the fork server and spawn modes.

Every mode runs :mod:`fuzz.isolation.remote.child_runtime` in an interpreter that has imported
only the side's cloudpickle, and every one returns the same
:class:`~fuzz.isolation.outcomes.LoadOutcome`; they differ only in how the interpreter
is obtained. ``fork`` keeps one long-lived server per side
(:mod:`fuzz.isolation.remote.fork_server`) and forks a child per load: fast, Linux and macOS
only. ``batch`` is ``fork`` whose children also serve request after request
when the parent marks them ``reusable`` (cases no other case shares a module
with, :func:`fuzz.oracle.judge.disjoint`), putting themselves back in between; it
is proven against ``fork`` by :mod:`fuzz.perf.equivalence`. ``spawn`` starts
a new interpreter per load: slow, portable, and the reference the fork path
is tested against.

Every process started here is in its own session (so a Ctrl-C in the
terminal reaches the fuzzer, which then shuts them down in order) and is
killed when the isolation is closed, when the fuzzer exits, or, for the fork
server, when the fuzzer dies.
"""

from __future__ import annotations

import collections
import itertools
import os
import select
import signal
import subprocess
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from fuzz.errors import FuzzError
from fuzz.isolation import interrupts
from fuzz.isolation.interrupts import InterruptGuard
from fuzz.isolation.outcomes import LoadOutcome, LoadStatus, RequestKind
from fuzz.isolation.remote import child_runtime

#: The standard-library-only scripts children run, by path (never imported there as part of ``fuzz``).
_REMOTE = Path(__file__).resolve().parent / "remote"
FORK_SERVER = str(_REMOTE / "fork_server.py")
CHILD_RUNTIME = str(_REMOTE / "child_runtime.py")
#: Seconds a fresh interpreter may take to import cloudpickle.
STARTUP_TIMEOUT = 60.0
#: Seconds a spawned interpreter gets, beyond the load's own bound, to start and import cloudpickle.
SPAWN_STARTUP = 10.0
#: Seconds of slack on top of a load's own bound before the server is deemed hung.
SERVER_SLACK = 10.0
ISOLATION_MODES = ("batch", "fork", "spawn")
#: Modes served by fork servers.
FORKING_MODES = ("batch", "fork")
#: Home servers kept per isolation (one per set of top-level packages); the least recently used goes first.
#: The standard-library universes give a few dozen such sets (one or two of about ten packages); a
#: cap below that made servers start over and over (13 sets in a 300-case pool cycled 12 servers
#: five times in 10 s, 137 against 221 cases/s for one worker). Each idle server holds about 9 MB.
MAX_HOME_SERVERS = 48


class IsolationError(FuzzError, RuntimeError):
    """A fresh interpreter for a side could not be started."""


@dataclass(frozen=True)
class SideRuntime:
    """What a fresh interpreter must import to load one side's pickles.

    ``home`` names the top-level packages whose held submodules a *home
    server* has preimported for reference runs (see
    :meth:`Isolation.for_reference`); it loads the same cloudpickle.
    """

    alias: str | None = None
    package_dir: str | None = None
    home: tuple[str, ...] = ()

    def argv(self) -> list[str]:
        if self.alias is None:
            return []
        return [self.alias, str(self.package_dir)]


def default_mode() -> str:
    return "batch" if hasattr(os, "fork") and sys.platform != "win32" else "spawn"


def _interpreter(script: str, runtime: SideRuntime) -> list[str]:
    # -I: no user site, no PYTHON* variables, no script directory on sys.path,
    # so the child sees nothing of the fuzzer or of the working directory.
    # -B: a case's modules are imported once; writing their bytecode is waste.
    return [sys.executable, "-I", "-B", script, *runtime.argv()]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass
    proc.wait()


class _ForkServer:
    """Parent-side handle on one fork server process."""

    def __init__(self, runtime: SideRuntime) -> None:
        self.runtime = runtime
        self.proc = subprocess.Popen(
            _interpreter(FORK_SERVER, runtime),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        #: Home modules this server has imported in itself (see Isolation.for_reference).
        self.preimported: set[str] = set()
        ready = self._read(STARTUP_TIMEOUT)
        if ready is None or ready[0].get("status") != "ready":
            self.close()
            raise IsolationError(f"the fork server for {runtime} did not start; its traceback is above")

    def _read(self, timeout: float) -> tuple[dict, bytes] | None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        return child_runtime.read_frame(fd)

    def send(self, header: dict, payload: bytes) -> LoadOutcome | None:
        """Start one request; a failure to send is returned as its outcome."""
        assert self.proc.stdin is not None
        try:
            child_runtime.write_frame(self.proc.stdin.fileno(), header, payload)
        except (BrokenPipeError, ValueError):
            return LoadOutcome(LoadStatus.LOST, "the fork server died before the request")
        return None

    def fileno(self) -> int:
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def receive(self) -> LoadOutcome:
        """The outcome of the request sent last, if the server has started answering; else it is given up.

        Called once the server's output is readable, or once the wait for it
        is over (:meth:`Isolation._wait_for_any`): nothing is waited for here.
        """
        try:
            reply = self._read(0.0)
        except (OSError, ValueError):
            reply = None
        if reply is None:
            self.close()
            return LoadOutcome(LoadStatus.LOST, "the fork server stopped answering")
        return LoadOutcome.from_report(reply[0])

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            _kill_group(self.proc)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _close_servers(servers: dict) -> None:
    for server in list(servers.values()):
        server.close()
    servers.clear()


class Isolation:
    """Runs requests in fresh interpreters; use as a context manager."""

    def __init__(self, mode: str = "fork", timeout: float = 10.0) -> None:
        if mode not in ISOLATION_MODES:
            raise ValueError(f"unknown isolation mode {mode!r}; use one of {', '.join(ISOLATION_MODES)}")
        if mode in FORKING_MODES and default_mode() == "spawn":
            raise ValueError(f"{mode} isolation needs os.fork; use --isolation spawn here")
        self.mode = mode
        self.timeout = timeout
        self._servers: dict[SideRuntime, _ForkServer] = {}
        self._tickets = itertools.count()
        self._queued: dict[SideRuntime, collections.deque[tuple[int, dict, bytes]]] = {}
        self._in_flight: dict[SideRuntime, int] = {}
        self._done: dict[int, LoadOutcome] = {}
        self._fresh: dict[SideRuntime, frozenset[str]] = {}
        #: Home servers in order of use, oldest first (the values mean nothing).
        self._homes: collections.OrderedDict[SideRuntime, None] = collections.OrderedDict()
        #: Home modules a home server failed to import (or died importing): left to the children.
        self._refused: set[str] = set()
        self._finalizer = weakref.finalize(self, _close_servers, self._servers)
        self._guard = InterruptGuard()

    def __repr__(self) -> str:
        return f"Isolation({self.mode!r}, timeout={self.timeout})"

    @property
    def shares_children(self) -> bool:
        """Whether a child may serve a ``reusable`` request after another (batch mode only)."""
        return self.mode == "batch"

    def __enter__(self) -> Isolation:
        self._guard.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
        self._guard.__exit__(exc_type, exc, tb)

    def close(self) -> None:
        self._finalizer()

    def run(self, runtime: SideRuntime, header: dict, payload: bytes = b"") -> LoadOutcome:
        """Serve one request (see :mod:`fuzz.isolation.remote.child_runtime`) for one side."""
        return self.run_many([(runtime, header, payload)])[0]

    def run_many(self, requests: list[tuple[SideRuntime, dict, bytes]]) -> list[LoadOutcome]:
        """Serve several requests; in fork mode, those for different sides run at once."""
        return self.collect(self.submit(requests))

    def submit(self, requests: list[tuple[SideRuntime, dict, bytes]]) -> list[int]:
        """Queue requests and start those whose server is free; return a ticket for each.

        Each server takes one request at a time (a request waits in this
        process until its server is free, so neither side of a pipe can block
        the other), requests for the same server run in order, and requests
        for different servers overlap. The caller may do other work, such as
        preparing the next case, before :meth:`collect`. In spawn mode the
        requests run here and now, one after another.
        """
        interrupts.check()
        tickets = []
        for runtime, header, payload in requests:
            ticket = next(self._tickets)
            tickets.append(ticket)
            # The child speaks plain strings (marshal takes no enum): the kind goes as its text.
            reusable = self.shares_children and bool(header.get("reusable"))
            kind = RequestKind(header["kind"]).value
            header = {**header, "kind": kind, "timeout": self.timeout, "reusable": reusable}
            if self.mode == "spawn":
                self._done[ticket] = self._spawn(runtime, header, payload)
            else:
                self._queued.setdefault(runtime, collections.deque()).append((ticket, header, payload))
                self._start(runtime)
        return tickets

    def collect(self, tickets: list[int]) -> list[LoadOutcome]:
        """The outcomes of ``tickets``, waiting for those still running."""
        while any(ticket not in self._done for ticket in tickets):
            interrupts.check()
            if not self._in_flight:
                # Only after a server failed to start mid-way: never wait on nothing.
                waiting = set(tickets)
                for queue in self._queued.values():
                    for item in [item for item in queue if item[0] in waiting]:
                        queue.remove(item)
                for ticket in tickets:
                    self._done.setdefault(ticket, LoadOutcome(LoadStatus.LOST, "not run: its server did not start"))
                break
            self._wait_for_any()
        return [self._done.pop(ticket) for ticket in tickets]

    def _start(self, runtime: SideRuntime) -> None:
        """Send ``runtime``'s next queued request if its server is free."""
        queue = self._queued.get(runtime)
        while queue and runtime not in self._in_flight:
            ticket, header, payload = queue.popleft()
            failed = self._server(runtime).send(header, payload)
            if failed is None:
                self._in_flight[runtime] = ticket
            else:
                self._done[ticket] = failed

    def _wait_for_any(self) -> None:
        """Receive at least one reply (or time one server out), then start what was waiting."""
        servers = {self._servers[runtime].fileno(): runtime for runtime in self._in_flight}
        ready, _, _ = select.select(list(servers), [], [], self.timeout + SERVER_SLACK)
        # Nothing in time: every server in flight has stopped answering.
        for fd in ready or list(servers):
            runtime = servers[fd]
            ticket = self._in_flight.pop(runtime)
            self._done[ticket] = self._servers[runtime].receive()
            self._start(runtime)

    def fresh_modules(self, runtime: SideRuntime) -> frozenset[str]:
        """The modules a fresh interpreter for ``runtime`` holds before any request (asked once)."""
        fresh = self._fresh.get(runtime)
        if fresh is None:
            fresh = self._fresh[runtime] = frozenset(self.run(runtime, {"kind": RequestKind.PROBE}).preloaded)
        return fresh

    def for_reference(self, runtime: SideRuntime, held: list[str]) -> SideRuntime:
        """Where to run a reference run that first imports ``held``: ``runtime`` or a home server.

        ``held`` are the home modules beyond what a fresh interpreter for
        ``runtime`` holds (:meth:`fresh_modules`). Fork mode only; a spawned
        interpreter starts from nothing either way. A reference run imports
        the parent's held submodules of the case's packages (``email`` and
        twenty of its submodules, say) before the case; importing them in
        every child is most of what a reference run costs. A home server
        imports them once, in itself, so its children find them loaded. There
        is one per set of top-level packages, and it only ever imports held
        submodules of those packages: what this process holds under them only
        grows, so a child of that server holds what the reference run would
        have imported itself, nothing under any other package. What it
        reports as preloaded is what the server held before any preimport. A
        module the server fails or dies importing is left to the children,
        whose runs are bounded by the timeout.
        """
        extra = [name for name in held if name not in self._refused]
        if self.mode not in FORKING_MODES or not extra:
            return runtime
        home = SideRuntime(runtime.alias, runtime.package_dir, tuple(sorted({n.partition(".")[0] for n in extra})))
        self._homes[home] = None
        self._homes.move_to_end(home)
        self._retire_idle_homes()
        missing = [name for name in extra if name not in self._server(home).preimported]
        if missing:
            # The reply names the modules that failed to import; a server that died refuses them all.
            outcome = self.run(home, {"kind": RequestKind.PREIMPORT, "imports": missing})
            refused = {"returned": set(), "raised": set(outcome.value.split(","))}.get(outcome.status, set(missing))
            self._refused |= refused
            server = self._servers.get(home)
            if server is not None and server.alive:
                server.preimported.update(name for name in missing if name not in refused)
        return home

    def _retire_idle_homes(self) -> None:
        """Close the least recently used home servers beyond :data:`MAX_HOME_SERVERS` that have no work."""
        for home in list(self._homes)[: max(0, len(self._homes) - MAX_HOME_SERVERS)]:
            if home not in self._in_flight and not self._queued.get(home):
                del self._homes[home]
                server = self._servers.pop(home, None)
                if server is not None:
                    server.close()

    def _server(self, runtime: SideRuntime) -> _ForkServer:
        """The server for ``runtime``, started (or restarted) if need be.

        A server with a request in flight is never replaced: its reply, or
        end of file if it died, is what that request is waiting for.
        """
        server = self._servers.get(runtime)
        if server is not None and (server.alive or runtime in self._in_flight):
            return server
        if server is not None:
            server.close()
        server = self._servers[runtime] = _ForkServer(runtime)
        return server

    def _spawn(self, runtime: SideRuntime, header: dict, payload: bytes) -> LoadOutcome:
        proc = subprocess.Popen(
            _interpreter(CHILD_RUNTIME, runtime),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(
                child_runtime.encode_frame(header, payload),
                timeout=self.timeout + SPAWN_STARTUP,
            )
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            return LoadOutcome(LoadStatus.TIMEOUT, f"killed after {self.timeout} s")
        finally:
            if proc.poll() is None:
                _kill_group(proc)
        tail = err[-4000:].decode("utf-8", "replace")
        report = child_runtime.read_frame_bytes(out) if out else None
        if report is not None:
            report["output"] = tail
            return LoadOutcome.from_report(report)
        if proc.returncode < 0:
            return LoadOutcome(LoadStatus.SIGNAL, signal.Signals(-proc.returncode).name, output=tail)
        return LoadOutcome(LoadStatus.EXITED, f"exit code {proc.returncode} without a result", output=tail)
