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

#: Submodule names by category: a universe draws its children's names from one category's pool.
#: Real packages have all of these: private modules (``concurrent.futures._base``, ``numpy._core``),
#: modules named like builtins (``numpy.lib.format``, ``pkg.type``), names made legal
#: by a trailing underscore (``pkg.async_``), long names, and non-ASCII identifiers (PEP 3131,
#: already NFKC-normal, as the compiler would make them). A detector that treats names as text
#: (a regex, a truncation, a filter) breaks on one category and on no other. None of these is a
#: builtin the generated code calls (``len``, ``range``, ``getattr``...), since a function or
#: package may bind a child's name.
NAME_CATEGORIES: dict[str, tuple[str, ...]] = {
    "plain": CHILD_NAMES,
    "private": ("_impl", "_core", "_base", "_compat"),
    "builtin": ("type", "id", "format", "object"),
    "keyword-suffix": ("async_", "class_", "import_", "lambda_"),
    "long": (
        "a_submodule_name_long_enough_to_run_past_any_fixed_width_column_0",
        "another_submodule_name_that_goes_on_well_past_sixty_four_characters",
        "the_third_very_long_submodule_name_in_this_pool_for_deep_dotted_paths",
    ),
    "non-ascii": ("données", "модуль", "名前", "λόγος"),
}

#: Names a package re-exports a child under (``from . import core as shortcut``).
ALIAS_NAMES = ("shortcut", "other", "facade")

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
