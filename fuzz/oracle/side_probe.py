"""A ``tree:`` side is imported once in a process of its own, bounded in time, before a run trusts it.

A cloudpickle checkout is somebody's code: its ``__init__`` may hang, raise or
print. Building it inside the gate's workers would turn that into a run that
judged nothing (INCOMPLETE after the whole budget) instead of what it is: a
side that cannot be built, which is bad usage (exit 2), said at once and
naming the tree. :func:`check_tree_sides` imports each ``tree:`` side the way
a worker would, in a child process killed past ``timeout`` seconds, and
raises :class:`~fuzz.errors.UsageError` saying what happened. Built-in and
``detector:`` sides are left to the workers, which report a bad one the same
way.
"""

from __future__ import annotations

import subprocess
import sys

from fuzz.errors import UsageError

#: Written by the probe, on stderr, before the reason a side could not be built.
_REFUSED = "side refused: "
#: Bytes of a tree's own output quoted in the message.
_QUOTED = 120

_PROBE = f"""
import sys
from fuzz.oracle.sides import SideSpecError, make_side
try:
    make_side(sys.argv[1])
except SideSpecError as exc:
    sys.stderr.write({_REFUSED!r} + str(exc))
    sys.exit(3)
"""


def check_tree_sides(specs: list[str], timeout: float) -> None:
    """Import every ``tree:`` spec among ``specs`` in a child; raise :class:`UsageError` for one that fails."""
    for spec in dict.fromkeys(s for s in specs if s.startswith("tree:")):
        problem = probe(spec, timeout)
        if problem:
            raise UsageError(f"{problem}; fix the checkout, or pass another tree")


def probe(spec: str, timeout: float) -> str:
    """Why ``spec`` cannot be built, in a sentence naming it; ``""`` when it imports cleanly, silently and in time."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, spec],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"side {spec!r}: its cloudpickle did not import within {timeout:g} s (--timeout)"
    stderr = done.stderr.decode("utf-8", "replace")
    if _REFUSED in stderr:
        return stderr.partition(_REFUSED)[2].strip()
    if done.returncode != 0:
        last = stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        return f"side {spec!r}: importing its cloudpickle ended the process ({last[0][:200]})"
    printed = done.stdout + done.stderr
    if printed:
        text = printed[:_QUOTED].decode("utf-8", "replace")
        wrote = f"wrote {len(printed):,} bytes to stdout/stderr"
        return f"side {spec!r}: importing its cloudpickle {wrote}, starting {text!r}"
    return ""
