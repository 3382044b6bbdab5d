"""Processes the fuzzer starts, and the promise that none outlives it.

Every helper process (the gate's campaign, a supervised case worker) runs in
a session of its own, so a Ctrl-C typed in the terminal reaches the fuzzer
alone and the fuzzer stops its helpers in order, and so a whole helper tree
can be killed at once by its process group. A session of its own would also
let a helper outlive a fuzzer killed with SIGKILL; on Linux each helper asks
the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), and
helpers that start their own workers do the same for those.

A side may start processes of its own while it pickles, and detach them
(``setsid``, a double fork) so that no session or parent links them to us any
more. The processes that pickle, and the gate itself, are therefore *child
subreapers* (:func:`become_subreaper`): an orphan below them is reparented to
them rather than to init, where :func:`kill_descendants` finds and ends it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def die_with_parent(prctl: Callable[..., int] | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent goes away (elsewhere: nothing)."""
    prctl = prctl or _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def become_subreaper(prctl: Callable[..., int] | None = None) -> bool:
    """Make this process adopt the orphans below it (Linux 3.4+); whether it now does."""
    prctl = prctl or _prctl()
    return prctl is not None and prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def kill_descendants(rounds: int = 50) -> int:
    """SIGKILL every process below this one, reaping what it can; return how many were killed.

    An adopted orphan's own children come to us when it dies, so the walk
    repeats until a round finds nothing left (or ``rounds`` run out).
    """
    from fuzz.isolation.side_effects import kill_new_descendants

    return kill_new_descendants(set(), rounds=rounds)


def start_helper(command: Sequence[str], log_path: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``command`` in its own session, output to ``log_path``, dying with this process."""
    prctl = _prctl()  # looked up here: the forked child should only make the call
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: die_with_parent(prctl),
            env=env,
        )


def stop_group(proc: subprocess.Popen, grace: float = 3.0) -> None:
    """Interrupt ``proc``'s process group, then kill it if it lingers past ``grace`` seconds."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, 10.0)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    # Whatever the leader did, nothing of its group may stay behind.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def kill_pid(pid: int) -> None:
    """SIGKILL one process, if it is still there."""
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def exit_description(returncode: int | None) -> str:
    """``was killed by SIGSEGV``, ``exited with code 3``, ... for a process's return code."""
    if returncode is None:
        return "is still running"
    if returncode < 0:
        try:
            return f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"
