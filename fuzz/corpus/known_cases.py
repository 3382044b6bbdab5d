"""Hand-written cases: the seed's edge cases, and one case per known hazard.

Each entry pairs a :class:`~fuzz.model.case.Case` with the verdict expected for
``legacy`` (baseline) against ``proposed`` (candidate) on the Python running
the tests, so the oracle is checked against reasoning done by hand.
"""

from __future__ import annotations

import sys
from typing import Any

from fuzz.model.case import Case
from fuzz.model.verdict import Kind

# The seed's module header: three ways to name the same package.
SEED_HEADER = """\
import concurrent.futures
import concurrent.futures as cf
c = concurrent
"""

# A small universe whose leaves identify themselves.
UNIVERSE = (
    ("pkg/__init__.py", ""),
    ("pkg/sub/__init__.py", "VALUE = 'pkg.sub'\n"),
    ("pkg/sub/leaf.py", "VALUE = 'pkg.sub.leaf'\n"),
    ("pkg/other.py", "VALUE = 'pkg.other'\n"),
)


def _seed_case(name: str, source: str, needed: tuple[str, ...], tag: str, entry: str = "f") -> Case:
    """A case of the seed's own: the standard library's ``concurrent.futures``, no files of ours."""
    return Case((), source, entry=entry, needed=needed, name=name, tags=(tag,))


def _universe_case(name: str, source: str, needed: tuple[str, ...], entry: str = "f", **kw: Any) -> Case:
    return Case(files=UNIVERSE, source=source, entry=entry, needed=needed, name=name, **kw)


def _seed_function(body: str) -> str:
    """The seed's module header, then ``f`` returning the name of what ``body`` reaches as ``x``."""
    return f"{SEED_HEADER}def f():\n    x = {body}\n    return x.__name__\n"


CASES: dict[str, tuple[Case, str]] = {
    # -- the seed's Correctness section, verbatim in spirit --------------------
    "seed_func1": (
        _seed_case(
            "seed func1",
            _seed_function("concurrent.futures.ThreadPoolExecutor"),
            ("concurrent.futures",),
            "global-dotted",
        ),
        Kind.MATCH,
    ),
    "seed_func2": (
        _seed_case("seed func2", _seed_function("cf.ThreadPoolExecutor"), (), "import-as"),
        Kind.MATCH,
    ),
    "seed_func3": (
        _seed_case(
            "seed func3", _seed_function("c.futures.ThreadPoolExecutor"), ("concurrent.futures",), "module-alias"
        ),
        Kind.MATCH,
    ),
    "seed_func4_getattr": (
        _seed_case(
            "seed func4 / getattr case",
            _seed_function("getattr(concurrent, 'futures').ThreadPoolExecutor"),
            ("concurrent.futures",),
            "getattr-const",
        ),
        Kind.SHARED_FAILURE,
    ),
    "seed_func5_closure": (
        _seed_case(
            "seed func5",
            "def func5():\n    import concurrent.futures\n    def inner():\n"
            "        x = concurrent.futures.ThreadPoolExecutor\n        return x.__name__\n    return inner\n",
            ("concurrent.futures",),
            "closure",
            entry="func5()",
        ),
        Kind.MATCH,
    ),
    # -- our own universe ------------------------------------------------------
    "dotted_leaf": (
        _universe_case(
            "dotted leaf",
            "import pkg.sub.leaf\ndef f():\n    return pkg.sub.leaf.VALUE\n",
            ("pkg.sub", "pkg.sub.leaf"),
            tags=("global-dotted",),
        ),
        Kind.MATCH,
    ),
    "closure_factory": (
        _universe_case(
            "closure factory",
            "import pkg.sub.leaf\ndef make(m):\n    def f():\n        return m.sub.leaf.VALUE\n    return f\n",
            ("pkg.sub", "pkg.sub.leaf"),
            entry="make(pkg)",
            tags=("closure",),
        ),
        Kind.MATCH,
    ),
    "local_alias": (
        _universe_case(
            "local alias",
            "import pkg.sub\ndef f():\n    p = pkg\n    return p.sub.VALUE\n",
            ("pkg.sub",),
            tags=("local-alias",),
        ),
        Kind.REGRESSION,
    ),
    "walrus": (
        _universe_case(
            "walrus",
            "import pkg.sub\ndef f():\n    return (p := pkg).sub.VALUE\n",
            ("pkg.sub",),
            tags=("walrus",),
        ),
        Kind.REGRESSION,
    ),
    "store_attr": (
        _universe_case(
            "store",
            "import pkg.sub\ndef f():\n    pkg.sub.NEW = 1\n    return pkg.sub.NEW\n",
            ("pkg.sub",),
            tags=("store",),
        ),
        Kind.MATCH,
    ),
    "default_argument": (
        _universe_case(
            "default argument",
            "import pkg.sub\ndef f(m=pkg):\n    return m.sub.VALUE\n",
            ("pkg.sub",),
            tags=("default-arg",),
        ),
        Kind.SHARED_FAILURE,
    ),
    "nested_def": (
        _universe_case(
            "nested def",
            "import pkg.sub\ndef f():\n    def g():\n        return pkg.sub.VALUE\n    return g()\n",
            ("pkg.sub",),
            tags=("nested-def",),
        ),
        Kind.SHARED_FAILURE,
    ),
    "dead_branch": (
        _universe_case(
            "dead branch",
            "import pkg.sub, pkg.other\ndef f():\n    if False:\n"
            "        return pkg.sub.VALUE\n    return pkg.other.VALUE\n",
            ("pkg.other",),
            tags=("dead-branch",),
        ),
        # From 3.10 the compiler drops the branch but keeps ``sub`` in co_names,
        # so legacy records pkg.sub too; 3.9 drops the name with the branch.
        Kind.BENIGN if sys.version_info >= (3, 10) else Kind.MATCH,
    ),
    "plain_module_only": (
        _universe_case("no package", "import math\ndef f():\n    return math.floor(2.5)\n", ()),
        Kind.MATCH,
    ),
    "preloaded_stdlib": (
        # Every CPython imports encodings.aliases at start-up (encodings needs it).
        _seed_case(
            "already loaded in the child",
            "import encodings.aliases\ndef f():\n    return encodings.aliases.aliases['utf8']\n",
            ("encodings.aliases",),
            "global-dotted",
        ),
        Kind.UNINFORMATIVE,
    ),
    "raises_at_home": (
        _universe_case("raises at home too", "import pkg\ndef f():\n    return pkg.missing.VALUE\n", ()),
        Kind.MATCH,
    ),
}

# Comprehensions are inlined from 3.12 on, so the scan sees their body; before, it is a code object of its own.
CASES["list_comprehension"] = (
    _universe_case(
        "comprehension",
        "import pkg.sub\ndef f():\n    return [pkg.sub.VALUE for _ in (1,)]\n",
        ("pkg.sub",),
        tags=("comprehension",),
    ),
    Kind.MATCH if sys.version_info >= (3, 12) else Kind.SHARED_FAILURE,
)
