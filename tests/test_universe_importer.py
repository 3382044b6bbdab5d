"""Universes served from memory look like universes on disk to cloudpickle and to children."""

from __future__ import annotations

import sys

import cloudpickle

from fuzz.isolation.pool import SideRuntime
from fuzz.model.case import VIRTUAL_ROOT, Case, materialise

FILES = (
    ("pkg/__init__.py", "from . import eager\n"),
    ("pkg/eager.py", "NAME = __name__\n"),
    ("pkg/sub.py", "NAME = __name__\n"),
    ("ns/deep/mod.py", "NAME = __name__\n"),
    ("top.py", "NAME = __name__\n"),
)
SOURCE = """\
import pkg.sub, ns.deep.mod, top
def f():
    return (pkg.sub.NAME, pkg.eager.NAME, ns.deep.mod.NAME, top.NAME, ns.__file__, pkg.__file__.rsplit('/', 2)[-2:])
"""


def test_modules_have_what_the_import_system_gives_files():
    with materialise(Case(FILES, SOURCE)) as mat:
        suffix = mat.suffix
        pkg, ns, top = (mat.namespace[n + suffix] for n in ("pkg", "ns", "top"))
        assert pkg.__name__ == "pkg" + suffix
        assert pkg.__file__ == f"{VIRTUAL_ROOT}/pkg{suffix}/__init__.py"
        assert pkg.__path__ == [f"{VIRTUAL_ROOT}/pkg{suffix}"]
        assert pkg.sub.__spec__.parent == pkg.__name__
        assert top.__file__.endswith(f"/top{suffix}.py") and not hasattr(top, "__path__")
        # A directory without __init__.py is a namespace package, as on disk.
        assert getattr(ns, "__file__", None) is None and list(ns.__path__) == [f"{VIRTUAL_ROOT}/ns{suffix}"]
        assert ns.deep.mod.NAME == f"ns{suffix}.deep.mod"
        # cloudpickle pickles them by reference, as it does modules loaded from files.
        for module in (pkg, pkg.sub, ns, ns.deep.mod, top):
            assert cloudpickle.loads(cloudpickle.dumps(module)) is module
        names = [n for n in sys.modules if n.endswith(suffix) or suffix + "." in n]
        assert len(names) == 7
    assert not [n for n in sys.modules if suffix in n]
    assert not any(type(finder).__name__ == "UniverseImporter" for finder in sys.meta_path)


def test_a_fresh_interpreter_imports_the_same_universe(fork_isolation):
    with materialise(Case(FILES, SOURCE)) as mat:
        outcome = fork_isolation.run(SideRuntime(), mat.reference_header())
        expected = repr(mat.func())
    assert outcome.status == "returned", outcome
    assert outcome.value == expected


def test_a_file_that_does_not_compile_fails_where_it_is_imported(fork_isolation):
    files = (("pkg/__init__.py", ""), ("pkg/broken.py", "def (:\n"))
    with materialise(Case(files, "import pkg\ndef f():\n    import pkg.broken\n")) as mat:
        outcome = fork_isolation.run(SideRuntime(), mat.reference_header())
    assert outcome.status == "raised" and outcome.value.startswith("SyntaxError"), outcome


def test_a_name_given_twice_resolves_as_the_path_finder_would():
    from fuzz.isolation.remote.child_runtime import universe_table

    package_last = universe_table([("m.py", ""), ("m/__init__.py", ""), ("n/x.py", ""), ("n.py", "")], "<u>")
    assert package_last["m"][0] == "<u>/m/__init__.py"  # a package beats a module
    assert package_last["n"][0] == "<u>/n.py"  # a module beats a directory without __init__.py
    package_first = universe_table([("m/__init__.py", ""), ("m.py", "")], "<u>")
    assert package_first["m"][0] == "<u>/m/__init__.py"
