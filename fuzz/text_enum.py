"""Enums whose members are their text: a member and its string are interchangeable.

The fuzzer's fixed vocabularies (verdict kinds, load statuses, request kinds)
cross process boundaries and JSON files as plain strings. A member of a
:class:`TextEnum` equals its string, hashes like it (so a ``Counter`` of
strings read back from JSON answers to members), prints as it, and
serialises as it, on every Python from 3.9; ``KIND("crash")`` turns text
back into a member and rejects anything outside the vocabulary.
"""

from __future__ import annotations

from enum import Enum


class TextEnum(str, Enum):
    """A ``str`` enum that behaves as its value everywhere but ``repr``."""

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)
