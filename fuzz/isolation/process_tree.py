"""Processes the fuzzer starts, and the promise that none outlives it.

Every helper process (the gate's campaign, a supervised case worker) runs in
a session of its own, so a Ctrl-C typed in the terminal reaches the fuzzer
alone and the fuzzer stops its helpers in order, and so a whole helper tree
can be killed at once by its process group. A session of its own would also
let a helper outlive a fuzzer killed with SIGKILL; on Linux each helper asks
the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), and
helpers that start their own workers do the same for those. That request has
one definition, :func:`~fuzz.isolation.remote.child_runtime.die_with_parent`,
shared with the fresh interpreters and the fork servers (which run that
module by path; its docstring says why it lives there).

A side may start processes of its own while it pickles, and detach them
(``setsid``, a double fork) so that no session or parent links them to us any
more. The processes that pickle, and the gate itself, are therefore *child
subreapers* (:func:`become_subreaper`): an orphan below them is reparented to
them rather than to init, where :func:`kill_descendants` finds and ends it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from fuzz.isolation.remote.child_runtime import die_with_parent, libc_prctl

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper(prctl: Callable[..., int] | None = None) -> bool:
    """Make this process adopt the orphans below it (Linux 3.4+); whether it now does."""
    prctl = prctl or libc_prctl()
    return prctl is not None and prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def kill_descendants(rounds: int = 50) -> int:
    """SIGKILL every process below this one, reaping what it can; return how many were killed."""
    return kill_new_descendants(set(), rounds=rounds)


#: How long killed processes get to be reaped before they are left to the end of the run.
_REAP_S = 1.0


def children_of(pid: int) -> set[int]:
    """Direct children of ``pid`` (Linux ``/proc``; empty where it is not available)."""
    found: set[int] = set()
    task_dir = f"/proc/{pid}/task"
    try:
        tasks = os.listdir(task_dir)
    except OSError:
        return found
    for task in tasks:
        try:
            # Bytes: decoding text would import a codec, itself a change to sys.modules.
            with open(f"{task_dir}/{task}/children", "rb") as handle:
                found.update(int(p) for p in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


def is_running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def kill_new_descendants(known: set[int], rounds: int = 1000) -> int:
    """SIGKILL every child of this process not in ``known``, and everything under it; return how many.

    A killed process's own children are reparented to this process (a
    subreaper), so the walk repeats until no new child is left (at most
    ``rounds`` times, or a second); each killed child is reaped when it can
    be, so no zombie stays behind.
    """
    me = os.getpid()
    killed: set[int] = set()
    deadline = time.monotonic() + _REAP_S
    for _ in range(rounds):
        fresh = children_of(me) - known
        if not fresh or time.monotonic() > deadline:
            break
        for pid in fresh:
            for below in _descendants(pid):
                kill_pid(below)
                killed.add(below)
            kill_pid(pid)
            killed.add(pid)
        for pid in fresh:
            _reap(pid)
        time.sleep(0.001)
    return len(killed)


def _descendants(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        for child in children_of(stack.pop()):
            out.append(child)
            stack.append(child)
    return out


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except OSError:  # not our child (any more)
        pass


def start_helper(command: Sequence[str], log_path: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``command`` in its own session, output to ``log_path``, dying with this process.

    The helper gets Ctrl-C and SIGTERM as a terminal's program has them:
    :func:`stop_group` interrupts first, and a process started in the
    background by a shell without job control (``cmd &`` in a script) ignores
    SIGINT, which stays ignored across ``exec``. The default handling is put
    back in the child first.
    """
    prctl = libc_prctl()  # looked up here: the forked child should only make the calls

    def in_child() -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        die_with_parent(prctl)

    with open(log_path, "ab") as log:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=in_child,
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


def log_tail(log_path: str, count: int, missing: str) -> str:
    """The last ``count`` lines of a helper's log (:func:`start_helper` writes it), on one line; ``missing`` if none."""
    try:
        lines = Path(log_path).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return missing
    return " | ".join(lines[-count:])
