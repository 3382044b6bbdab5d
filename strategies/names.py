"""Name pools and narrowing rules, kept in one table each.

Names are the fuzzer's main lever on ``legacy``: it keeps a loaded submodule
whenever each of its dotted components appears in the function's
``co_names``, so submodule names that also appear as attribute, global or
local names of the function are drawn on purpose.
"""

from __future__ import annotations

#: Top-level package names. Each is renamed per case with a unique suffix, so
#: they must not appear as any other identifier in generated code.
TOP_NAMES = ("alpha", "bravo", "charlie")

#: Names for submodules and subpackages; several are reused below as
#: attribute, global and local names of generated functions.
CHILD_NAMES = ("core", "util", "sub", "data", "leaf", "api", "impl", "tools")

#: Names a package re-exports a child under (``from . import core as shortcut``).
ALIAS_NAMES = ("shortcut", "other", "facade")

#: Names the function uses for other things, drawn from the child pool so that
#: they collide with submodule names.
COLLIDING_NAMES = CHILD_NAMES

#: Deepest dotted name (top level counts as 1): ``alpha.core.sub.leaf``.
MAX_DEPTH = 4

#: Standard-library modules reachable as attributes of a package. Those the
#: fresh interpreter already has are filtered out at run time.
STDLIB_TARGETS = (
    "xml.etree.ElementTree",
    "xml.dom.minidom",
    "xml.sax.saxutils",
    "email.mime.text",
    "email.utils",
    "concurrent.futures",
    "json.decoder",
    "urllib.request",
    "http.client",
    "http.cookies",
    "logging.handlers",
    "logging.config",
    "importlib.metadata",
    "html.parser",
    "unittest.mock",
)
