"""Preparing newer CPython releases: the parts that need no network (sources, manifest, skips, venvs)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fuzz import newer_pythons
from fuzz.newer_pythons import manifest, prepare, sources, venv
from fuzz.newer_pythons.__main__ import ensure

DEB822 = """\
Types: deb
# a comment line
URIs: http://archive.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://archive.invalid/debian-security
Suites: bookworm-security
Components: main
"""


def _etc(tmp_path: Path, sources_list: str = "", deb822: str = "") -> str:
    etc = tmp_path / "apt"
    (etc / "sources.list.d").mkdir(parents=True)
    (etc / "sources.list").write_text(sources_list, encoding="utf-8")
    if deb822:
        (etc / "sources.list.d" / "debian.sources").write_text(deb822, encoding="utf-8")
    return str(etc)


def test_the_mirror_is_read_from_deb822_sources(tmp_path):
    assert sources.debian_mirror(_etc(tmp_path, deb822=DEB822)) == "http://archive.invalid/debian"


def test_the_mirror_is_read_from_a_one_line_sources_list(tmp_path):
    text = (
        "# deb http://commented.invalid/debian sid main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://archive.invalid/debian-security bookworm-security main\n"
        "deb http://archive.invalid/debian/ bookworm main contrib\n"
    )
    assert sources.debian_mirror(_etc(tmp_path, sources_list=text)) == "http://archive.invalid/debian"


def test_disabled_and_non_debian_archives_are_not_used(tmp_path):
    disabled = DEB822.replace("Types: deb\n# a comment", "Types: deb\nEnabled: no\n# a comment")
    other = "deb http://archive.invalid/ubuntu noble main\n"
    assert sources.debian_mirror(_etc(tmp_path, sources_list=other, deb822=disabled)) is None


def test_the_manifest_counts_only_once_the_marker_is_written(tmp_path):
    record = manifest.Manifest("3.15", "testing", "http://archive.invalid/debian", {"python3.15": "3.15.0-1"})
    (tmp_path / "3.15").mkdir()
    assert manifest.read(tmp_path / "3.15") is None
    (tmp_path / "3.15" / manifest.MANIFEST).write_text("{}", encoding="utf-8")
    assert manifest.read(tmp_path / "3.15") is None, "a manifest without the marker is a preparation cut short"
    manifest.write(tmp_path / "3.15", record)
    assert manifest.read(tmp_path / "3.15") == record
    assert record.full_version == "3.15.0-1"


def test_package_versions_are_read_from_deb_names():
    names = ["/x/python3.15_3.15.0-1_amd64.deb", "libc6_2.43-7_amd64.deb", "perl_1%3a5.40-1_all.deb", "notes.txt"]
    assert manifest.versions_of_debs(names) == {"libc6": "2.43-7", "perl": "1:5.40-1", "python3.15": "3.15.0-1"}


def test_only_complete_preparations_are_found(tmp_path):
    for version in newer_pythons.VERSIONS:
        python = newer_pythons.interpreter_path(tmp_path, version)
        python.parent.mkdir(parents=True)
        python.write_text("", encoding="utf-8")
    manifest.write(tmp_path / "3.15", manifest.Manifest("3.15", "testing", "http://archive.invalid/debian"))
    assert newer_pythons.prepared(tmp_path) == {"3.15": newer_pythons.interpreter_path(tmp_path, "3.15")}


def test_a_machine_without_apt_skips_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(prepare.shutil, "which", lambda tool: None)
    out = io.StringIO()
    assert ensure(tmp_path, ["3.14", "3.15"], True, out) == ({}, False)
    assert out.getvalue() == "Python 3.14, 3.15: skipped, apt-get is not installed " + (
        "(a Debian-based machine's apt and dpkg are needed)\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == [".lock"], "the scratch folder was left behind"


def test_a_package_missing_from_every_suite_skips_that_version(tmp_path, monkeypatch):
    monkeypatch.setattr(prepare, "check_machine", lambda: "http://archive.invalid/debian")
    monkeypatch.setattr(prepare.PrivateApt, "download", lambda self, packages: None)
    out = io.StringIO()
    assert ensure(tmp_path, ["3.15"], True, out) == ({}, False)
    assert out.getvalue() == (
        "Python 3.15: skipped, neither testing nor unstable has python3.15 and python3.15-venv for amd64\n"
    )
    assert not (tmp_path / "3.15").exists()


def test_check_only_reports_and_prepares_nothing(tmp_path):
    out = io.StringIO()
    assert ensure(tmp_path / "cache", ["3.15"], False, out) == ({}, False)
    assert "not prepared" in out.getvalue() and not (tmp_path / "cache").exists()


@pytest.mark.parametrize("with_wheel", [True, False])
def test_a_debian_build_gets_pip_from_its_own_wheel(tmp_path, with_wheel):
    python = tmp_path / "usr" / "bin" / "python3.15"
    python.parent.mkdir(parents=True)
    python.write_text("", encoding="utf-8")
    wheel = tmp_path / "usr" / "share" / "python-wheels" / "pip-26.2.2-py3-none-any.whl"
    if with_wheel:
        wheel.parent.mkdir(parents=True)
        wheel.write_text("", encoding="utf-8")
    assert venv.bundled_pip_wheel(str(python)) == (str(wheel) if with_wheel else None)
