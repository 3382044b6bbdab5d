"""The fork server: one clean, long-lived interpreter per side.

Starting an interpreter and importing cloudpickle costs tens of milliseconds;
forking one that has already done so costs about one. The server imports the
side's cloudpickle (under the side's alias), then answers requests forever:
each request is served by a forked child that runs :mod:`child_runtime` and
exits, so every load starts from the same clean module set and nothing one
case imports can leak into the next.

The server bounds every child: a child that hangs past its deadline is killed
with SIGKILL; one that dies by a signal or exits without a result is reported
as such. Children die with the server (``PR_SET_PDEATHSIG``) and the server
dies with the fuzzer (the same flag, plus end of file on its request pipe), so
no process outlives a run, even a killed one.

Standard library only; run by path, never imported by the fuzzer.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import child_runtime

del sys.path[0]

_PR_SET_PDEATHSIG = 1
_OUTPUT_TAIL = 4000


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent goes away."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: rely on end of file instead
        pass


def _child(header: dict, payload: bytes, result_w: int, output_w: int, closing: list[int]) -> None:
    """Body of a forked child; never returns."""
    code = 0
    try:
        for fd in closing:
            os.close(fd)
        die_with_parent()
        os.dup2(output_w, 1)
        os.dup2(output_w, 2)
        report = child_runtime.handle(header, payload)
        sys.stdout.flush()
        sys.stderr.flush()
        child_runtime.write_frame(result_w, report)
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


def serve_one(header: dict, payload: bytes, protocol_fds: list[int]) -> dict:
    """Fork a child for one request and turn whatever happens into a report."""
    result_r, result_w = os.pipe()
    output_r, output_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(header, payload, result_w, output_w, [*protocol_fds, result_r, output_r])
    os.close(result_w)
    os.close(output_w)
    deadline = time.monotonic() + float(header.get("timeout", 10.0))
    result, output = bytearray(), bytearray()
    open_fds = {result_r: result, output_r: output}
    timed_out = False
    try:
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select(list(open_fds), [], [], left)
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if chunk:
                    buffer = open_fds[fd]
                    buffer += chunk
                    if fd == output_r and len(buffer) > 4 * _OUTPUT_TAIL:
                        del buffer[:-_OUTPUT_TAIL]
                else:
                    del open_fds[fd]
        status = None if timed_out else _wait_until(pid, deadline)
        if status is None:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    finally:
        os.close(result_r)
        os.close(output_r)
    tail = bytes(output[-_OUTPUT_TAIL:]).decode("utf-8", "replace")
    return describe_exit(bytes(result), status, timed_out, tail, header)


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
    report.setdefault("imported_by_load", [])
    report.setdefault("imported_by_call", [])
    report.setdefault("preloaded", [])
    report["output"] = tail
    return report


def main(argv: list[str]) -> int:
    alias, package_dir = (argv[0], argv[1]) if argv else (None, None)
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    protocol_in = os.dup(0)
    protocol_out = child_runtime.redirect_output()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    child_runtime.prepare_side(alias, package_dir)
    child_runtime.write_frame(protocol_out, {"status": "ready"})
    while True:
        frame = child_runtime.read_frame(protocol_in)
        if frame is None:
            return 0
        report = serve_one(frame[0], frame[1], [protocol_in, protocol_out])
        child_runtime.write_frame(protocol_out, report)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
