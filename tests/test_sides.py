"""Side specs: good ones work side by side, bad ones fail with one clear line."""

from __future__ import annotations

import subprocess
import sys
import tarfile

import pytest

from fuzz.corpus.known_cases import CASES
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import SideSpecError, cloudpickle_version, make_side
from tests.trees import LOSE_DEEP, copy_tree


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    base = copy_tree(tmp_path_factory.mktemp("base"))
    head = copy_tree(tmp_path_factory.mktemp("head"), LOSE_DEEP)
    return make_side(f"tree:{base}"), make_side(f"tree:{head}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_tree_copy_behaves_like_installed(name, trees, side_factory, fork_isolation):
    case, _ = CASES[name]
    verdict = run_case(case, side_factory("installed"), trees[0], fork_isolation)
    assert verdict.kind in ("match", "shared_failure", "uninformative"), verdict
    assert verdict.baseline.submodules == verdict.candidate.submodules


def test_patched_tree_is_a_regression(trees, side_factory, fork_isolation):
    case, _ = CASES["dotted_leaf"]
    verdict = run_case(case, side_factory("installed"), trees[1], fork_isolation)
    assert verdict.kind == "regression", verdict
    assert verdict.candidate.missed == ("pkg.sub.leaf",)


def test_two_trees_side_by_side(trees, fork_isolation):
    base, head = trees
    assert base.module is not head.module
    assert base.runtime.alias != head.runtime.alias
    case, _ = CASES["dotted_leaf"]
    assert run_case(case, base, head, fork_isolation).kind == "regression"
    assert run_case(case, base, base, fork_isolation).kind == "match"


def test_sides_share_no_state_with_installed_cloudpickle(side_factory):
    import cloudpickle

    side = side_factory("proposed")
    assert side.module is not cloudpickle
    assert cloudpickle.cloudpickle._function_getstate.__module__ == "cloudpickle.cloudpickle"


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("nonsense", "unknown side"),
        ("tree:", "expected tree:PATH"),
        ("tree:/does/not/exist", "is not a directory"),
        ("tree:/tmp", "holds no cloudpickle/__init__.py"),
        ("detector:", "expected detector:MODULE:CALLABLE"),
        ("detector:no_such_module_xyz:f", "does not import"),
        ("detector:fuzz.detectors.planted:nothing_here", "has no attribute"),
        ("detector:fuzz.detectors.planted:BUGGY", "is not callable"),
    ],
)
def test_bad_spec_is_one_clear_error(spec, fragment):
    with pytest.raises(SideSpecError) as info:
        make_side(spec)
    message = str(info.value)
    assert repr(spec) in message and fragment in message
    assert "\n" not in message


def test_tree_that_fails_to_import_names_the_spec(tmp_path):
    (tmp_path / "cloudpickle").mkdir()
    (tmp_path / "cloudpickle" / "__init__.py").write_text("raise RuntimeError('broken checkout')\n")
    with pytest.raises(SideSpecError, match="broken checkout"):
        make_side(f"tree:{tmp_path}")


def test_cli_bad_spec_exits_2_with_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "fuzz", "known", "--candidate", "tree:/does/not/exist"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "tree:/does/not/exist" in proc.stderr


def _cloudpickle_2_checkout(root) -> str:
    """cloudpickle 2.2.1's source tree (``cloudpickle_fast.py`` layout, absolute self-imports), from PyPI."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "cloudpickle==2.2.1", "-d", str(root)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    archives = list(root.glob("cloudpickle-2.2.1.tar.gz"))
    if proc.returncode != 0 or not archives:
        pytest.skip(f"cloudpickle 2.2.1's sources could not be downloaded: {proc.stderr.strip()[-300:]}")
    with tarfile.open(archives[0]) as archive:
        archive.extractall(root, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return str(root / "cloudpickle-2.2.1")


@pytest.mark.skipif(
    sys.version_info >= (3, 14),
    reason="cloudpickle 2.2.1 calls pickle._getattribute(module, name), whose signature 3.14 changed: "
    "its lookups fail and pickling recurses without end (a RecursionError, or a crash of the process)",
)
@pytest.mark.slow
def test_a_cloudpickle_2_checkout_is_a_side(tmp_path, side_factory, fork_isolation):
    tree = _cloudpickle_2_checkout(tmp_path)
    side = make_side(f"tree:{tree}")
    assert side.module.__version__ == "2.2.1"
    assert cloudpickle_version(f"tree:{tree}") == "2.2.1"
    # Its own modules were loaded, not the installed cloudpickle's: 2.x keeps its pickler in cloudpickle_fast.
    assert "cloudpickle_fast" in vars(side.module)
    case, _ = CASES["dotted_leaf"]
    verdict = run_case(case, side_factory("installed"), side, fork_isolation)
    assert verdict.kind == "match", verdict
    assert verdict.candidate.submodules == ("pkg.sub", "pkg.sub.leaf")
