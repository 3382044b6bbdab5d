"""The fuzzer's errors and exit codes, each defined once.

Every error a user can fix (a bad option, side spec, corpus file or
configuration) derives from :class:`FuzzError`, whose message says what was
wrong and what to do instead. The command line catches it in one place and
exits :data:`EXIT_USAGE`; everything else is a bug and keeps its traceback.
"""

from __future__ import annotations

#: PASS: nothing failing, and the run judged what a pass needs.
EXIT_OK = 0
#: FAIL: a regression or crash was found.
EXIT_FINDINGS = 1
#: Bad usage or configuration: nothing ran (or what ran is void).
EXIT_USAGE = 2
#: INCOMPLETE: nothing failing, but the run could not judge enough to pass.
EXIT_INCOMPLETE = 3


class FuzzError(Exception):
    """Bad input or configuration; printed as one line, exit code :data:`EXIT_USAGE`."""


class UsageError(FuzzError):
    """A command-line value that cannot work (checked after parsing, when it depends on several)."""
