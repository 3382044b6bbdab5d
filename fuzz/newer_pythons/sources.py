"""Which Debian archive this machine already uses, read from its own apt configuration.

The newer interpreters come from Debian's testing and unstable suites. Rather
than name an archive, the project asks the machine which one it trusts: the
first Debian archive its apt sources list (deb822 ``.sources`` files or the
one-line ``sources.list`` format). Security and update archives are skipped:
they carry no testing or unstable suite.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass

#: The keyring Debian's archive is signed with, as the debian-archive-keyring package installs it.
DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


@dataclass(frozen=True)
class Source:
    """One archive line: where it is and which suites it serves."""

    uri: str
    suites: tuple[str, ...]


def parse_deb822(text: str) -> list[Source]:
    """The ``Types: deb`` stanzas of a deb822 ``.sources`` file (``Enabled: no`` ones left out)."""
    sources = []
    for stanza in _stanzas(text):
        if "deb" not in stanza.get("types", "").split() or stanza.get("enabled", "yes").lower() == "no":
            continue
        for uri in stanza.get("uris", "").split():
            sources.append(Source(uri, tuple(stanza.get("suites", "").split())))
    return sources


def _stanzas(text: str) -> Iterable[dict[str, str]]:
    stanza: dict[str, str] = {}
    key = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("#"):
            continue
        if not line.strip():
            if stanza:
                yield stanza
            stanza, key = {}, None
        elif line[0] in " \t" and key is not None:
            stanza[key] += " " + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            stanza[key] = value.strip()
    if stanza:
        yield stanza


def parse_one_line(text: str) -> list[Source]:
    """The ``deb URI SUITE COMPONENT...`` lines of a ``sources.list`` (options in brackets skipped)."""
    sources = []
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2:
            sources.append(Source(words[0], (words[1],)))
    return sources


def is_debian_archive(source: Source) -> bool:
    """A Debian main archive: its path ends in ``/debian`` and it serves no security or updates suite only."""
    path = source.uri.rstrip("/")
    plain_suites = [s for s in source.suites if not s.endswith(("-security", "-updates", "-backports"))]
    return path.endswith("/debian") and bool(plain_suites)


def configured_sources(etc: str = "/etc/apt") -> list[Source]:
    """Every archive the machine's apt lists, deb822 files first (Debian 12's default layout)."""
    sources: list[Source] = []
    for path in sorted(glob.glob(os.path.join(etc, "sources.list.d", "*.sources"))):
        sources += parse_deb822(_read(path))
    one_line = [os.path.join(etc, "sources.list")]
    one_line += sorted(glob.glob(os.path.join(etc, "sources.list.d", "*.list")))
    for path in one_line:
        sources += parse_one_line(_read(path))
    return sources


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return ""


def debian_mirror(etc: str = "/etc/apt") -> str | None:
    """The first Debian archive the machine uses, or None when it lists none."""
    for source in configured_sources(etc):
        if is_debian_archive(source):
            return source.uri.rstrip("/")
    return None
