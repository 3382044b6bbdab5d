"""The fork server: one clean, long-lived interpreter per side.

Starting an interpreter and importing cloudpickle costs tens of milliseconds;
forking one that has already done so costs about one. The server imports the
side's cloudpickle (under the side's alias), then answers requests forever:
each request is served by a forked child that runs :mod:`child_runtime` and
exits, so every load starts from the same clean module set and nothing one
case imports can leak into the next. A request marked ``reusable`` (batch
isolation) is the exception: its child stays *warm*, puts itself back as a
fresh child and checks it did (:func:`child_runtime.restore`), and serves the
next reusable request; one that cannot put itself back retires, and a warm
child that dies has its request rerun in a fresh one.

Two things keep the fork off the critical path. The next child is forked
*before* its request arrives (a spare, blocked reading its own request
pipe), while the fuzzer is busy preparing that request; since the server does
nothing between forks but pass frames along, a spare is exactly what forking
on demand would give. And a child that has written its result closes its
pipes at once, so the reply goes back to the fuzzer while the child is still
tearing itself down; it is reaped afterwards.

The server bounds every child: a child that hangs past its deadline is killed
with SIGKILL; one that dies by a signal or exits without a result is reported
as such. Children die with the server (``PR_SET_PDEATHSIG``, asked for by
:func:`child_runtime.die_with_parent`) and the server dies with the fuzzer
(the same flag, plus end of file on its request pipe), so no process outlives
a run, even a killed one.

Standard library only; run by path, never imported by the fuzzer.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import child_runtime

del sys.path[0]

_OUTPUT_TAIL = 4000
#: Seconds a child that has sent its result may take to exit before it is killed.
_EXIT_GRACE = 5.0
#: Seconds a reused child may take to put itself back after a request before it is let go.
_READY_WAIT = 2.0
#: Reusable requests one child serves at most: whatever a case leaves behind that restore() cannot
#: see (memory, caches inside the side's cloudpickle) is bounded by this.
MAX_REQUESTS_PER_CHILD = 200


#: Looked up once, in the server: a forked child only makes the call. ``None`` off Linux, where end of file
#: on the request pipe is what stops the server.
_PRCTL = child_runtime.libc_prctl()


def _child(request_r: int, result_w: int, output_w: int, closing: list[int]) -> None:
    """Body of a forked child: serve one request, or several in a row if they may share it; never returns.

    A request marked ``reusable`` (a case whose modules no other case shares,
    see :func:`fuzz.oracle.judge.submit_case`) leaves the child alive: after the
    reply it puts itself back as it was (:func:`child_runtime.restore`) and
    says whether it can serve again, in a second frame the server reads before
    it sends the next reusable request. Any other request is the child's last.
    """
    code = 0
    try:
        for fd in closing:
            os.close(fd)
        child_runtime.die_with_parent(_PRCTL)
        os.dup2(output_w, 1)
        os.dup2(output_w, 2)
        fresh: dict | None = None
        served = 0
        while True:
            frame = child_runtime.read_frame(request_r)
            if frame is None:  # the server is shutting down, or has no more for this child
                break
            reusable = bool(frame[0].get("reusable"))
            if reusable and fresh is None:
                fresh = child_runtime.snapshot()
            report = child_runtime.handle(*frame)
            sys.stdout.flush()
            sys.stderr.flush()
            child_runtime.write_frame(result_w, report)
            served += 1
            if not reusable or fresh is None:
                break
            why = child_runtime.restore(fresh) or ("served its share" if served >= MAX_REQUESTS_PER_CHILD else "")
            sys.stdout.flush()
            sys.stderr.flush()
            child_runtime.write_frame(result_w, {"status": "retiring" if why else "ready", "value": why})
            if why:
                break
        # Done: let the server see end of file now rather than after exit.
        for fd in (request_r, result_w, output_w, 1, 2):
            os.close(fd)
    except BaseException:  # noqa: BLE001  (report by exit code)
        code = 70
    finally:
        os._exit(code)


def _wait_until(pid: int, deadline: float) -> int | None:
    """The child's wait status, or ``None`` if it is still running at ``deadline``.

    A child normally exits right after closing its pipes; waiting on a pidfd
    wakes up the moment it does, where polling would add up to a tick per load.
    """
    pidfd = -1
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = -1
    try:
        while True:
            waited, status = os.waitpid(pid, os.WNOHANG)
            if waited:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if pidfd >= 0:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(0.001, left))
    finally:
        if pidfd >= 0:
            os.close(pidfd)


def _kill_and_reap(pid: int) -> int:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return os.waitpid(pid, 0)[1]


class Spare:
    """A forked child waiting for its request (and, once it has served reusable ones, the next)."""

    def __init__(self, protocol_fds: list[int]) -> None:
        request_r, self.request_w = os.pipe()
        self.result_r, result_w = os.pipe()
        self.output_r, output_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _child(request_r, result_w, output_w, [*protocol_fds, self.request_w, self.result_r, self.output_r])
        for fd in (request_r, result_w, output_w):
            os.close(fd)
        #: Bytes of the result pipe read past the last whole frame.
        self.pending = bytearray()
        #: This child's pipe ends already closed here (their numbers may be reused by another child's pipes).
        self._closed: set[int] = set()

    def fds(self) -> list[int]:
        """This child's pipe ends in the server: children forked later must close them."""
        return [fd for fd in (self.request_w, self.result_r, self.output_r) if fd not in self._closed]

    def _close(self, *fds: int) -> None:
        for fd in fds:
            if fd not in self._closed:
                self._closed.add(fd)
                os.close(fd)

    def serve(self, header: dict, payload: bytes) -> tuple[dict, bool]:
        """Hand the request over and turn whatever happens into a report.

        Returns the report and whether the child is still running: one that
        sent a result either exits on its own time (:meth:`reap`) or, after a
        reusable request, stays to serve the next (:meth:`ready`).
        """
        deadline = time.monotonic() + float(header.get("timeout", 10.0))
        reusable = bool(header.get("reusable"))
        try:
            child_runtime.write_frame(self.request_w, header, payload)
        except OSError:
            pass  # the child died before reading: its exit status tells how
        if not reusable:
            self._close(self.request_w)
        output = bytearray()
        frame, result, timed_out = self._next_frame(deadline, output)
        tail = bytes(output[-_OUTPUT_TAIL:]).decode("utf-8", "replace")
        if frame is not None:
            if not reusable:
                self._close(self.result_r, self.output_r)
            return finish_report(frame, tail), True
        self._close(*self.fds())
        status = None if timed_out else _wait_until(self.pid, deadline)
        if status is None:
            timed_out = True
            status = _kill_and_reap(self.pid)
        return describe_exit(result, status, timed_out, tail, header), False

    def _next_frame(self, deadline: float, output: bytearray) -> tuple[dict | None, bytes, bool]:
        """The child's next result frame, read with its output meanwhile: ``(frame, bytes read, timed out)``.

        ``frame`` is ``None`` unless a whole frame arrived by ``deadline``
        (the child died, closed its pipe, or is still busy).
        """
        open_fds = [self.result_r, self.output_r]
        while True:
            size = child_runtime.frame_size(self.pending)
            if size:
                result = bytes(self.pending[:size])
                del self.pending[:size]
                # What the child printed before its reply is in the pipe already.
                self._drain(output)
                return child_runtime.read_frame_bytes(result), result, False
            if self.result_r not in open_fds:
                return None, bytes(self.pending), False
            left = deadline - time.monotonic()
            if left <= 0:
                return None, bytes(self.pending), True
            ready, _, _ = select.select(open_fds, [], [], left)
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    open_fds.remove(fd)
                elif fd == self.result_r:
                    self.pending += chunk
                else:
                    _keep_tail(output, chunk)

    def _drain(self, output: bytearray) -> None:
        """Read what the child's output pipe holds now, without waiting."""
        while select.select([self.output_r], [], [], 0.0)[0]:
            chunk = os.read(self.output_r, 1 << 16)
            if not chunk:
                return
            _keep_tail(output, chunk)

    def ready(self) -> bool:
        """Whether a child that served reusable requests has put itself back and can serve another.

        It says so right after its reply; anything else (it retires, dies, or
        takes longer than :data:`_READY_WAIT` to clean up) and it is let go.
        """
        frame, _, _ = self._next_frame(time.monotonic() + _READY_WAIT, bytearray())
        if frame is not None and frame.get("status") == "ready":
            return True
        self.discard()
        return False

    def reap(self) -> None:
        """Collect a child that has sent its result; kill it if it lingers."""
        if _wait_until(self.pid, time.monotonic() + _EXIT_GRACE) is None:
            _kill_and_reap(self.pid)

    def discard(self) -> None:
        """Tell a child it will get no more requests (end of file on its request pipe) and collect it."""
        self._close(*self.fds())
        self.reap()


def _keep_tail(output: bytearray, chunk: bytes) -> None:
    """Add ``chunk`` to a child's output, keeping about the last :data:`_OUTPUT_TAIL` bytes."""
    output += chunk
    if len(output) > 4 * _OUTPUT_TAIL:
        del output[:-_OUTPUT_TAIL]


def _preimport_quietly(names: list[str]) -> list[str]:
    """:func:`child_runtime.preimport` with stdout and stderr sent to /dev/null (import-time noise is nobody's)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        return child_runtime.preimport(names)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def finish_report(report: dict, tail: str) -> dict:
    report.setdefault("imported_by_load", [])
    report.setdefault("imported_by_call", [])
    report.setdefault("preloaded", [])
    report["output"] = tail
    return report


def describe_exit(result: bytes, status: int | None, timed_out: bool, tail: str, header: dict) -> dict:
    """Map a child's result bytes and wait status to a report dict."""
    if timed_out:
        report = {"status": "timeout", "value": f"killed after {header.get('timeout')} s"}
    elif result:
        frame = child_runtime.read_frame_bytes(result)
        report = frame if frame is not None else {"status": "exited", "value": "garbled result"}
    elif status is not None and os.WIFSIGNALED(status):
        report = {"status": "signal", "value": signal.Signals(os.WTERMSIG(status)).name}
    else:
        code = os.WEXITSTATUS(status) if status is not None else -1
        report = {"status": "exited", "value": f"exit code {code} without a result"}
    return finish_report(report, tail)


def main(argv: list[str]) -> int:
    child_runtime.die_with_parent(_PRCTL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    protocol_in = os.dup(0)
    protocol_out = child_runtime.redirect_output()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    child_runtime.prepare_side(*(argv[:2] if argv else (None, None)))
    # Everything loaded so far lives as long as the server: keep the collector
    # out of it, so a child's collections do not copy every page it touches.
    gc.freeze()
    protocols = [protocol_in, protocol_out]
    #: The child serving reusable requests, if one is warm.
    warm: Spare | None = None

    def next_spare() -> Spare:
        # The new child must not hold the warm child's pipes, or the warm one never sees end of file.
        return Spare(protocols + (warm.fds() if warm is not None else []))

    spare = next_spare()
    child_runtime.write_frame(protocol_out, {"status": "ready"})
    while True:
        frame = child_runtime.read_frame(protocol_in)
        if frame is None:
            spare.discard()
            if warm is not None:
                warm.discard()
            return 0
        if frame[0].get("kind") == "preimport":
            # Served by the server itself: later children are forked with these loaded.
            spare.discard()
            if warm is not None:
                warm.discard()
                warm = None
            failed = _preimport_quietly(frame[0].get("imports", []))
            gc.freeze()
            report = finish_report({"status": "raised" if failed else "returned", "value": ",".join(failed)}, "")
            child_runtime.write_frame(protocol_out, report)
            spare = next_spare()
            continue
        if not frame[0].get("reusable"):
            report, running = spare.serve(*frame)
            child_runtime.write_frame(protocol_out, report)
            if running:
                spare.reap()
            spare = next_spare()
            continue
        if warm is not None and not warm.ready():
            warm = None
        served: dict | None = None
        reran_after = ""
        if warm is not None:
            served, running = warm.serve(*frame)
            if not running and served["status"] != "timeout":
                # It died serving a case after others: the case gets a fresh child, as without reuse,
                # so no death is ever blamed on what an earlier case left behind.
                reran_after = f"{served['status']}: {served.get('value', '')}"
                served = None
            warm = warm if running else None
        if served is not None:
            report = served
        else:
            report, running = spare.serve(*frame)
            warm = spare if running else None
            spare = next_spare()
            if reran_after:
                report["reran_after"] = reran_after
        child_runtime.write_frame(protocol_out, report)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
