"""The corpus directory: atomic, merging saves and tolerant loads.

:func:`save` is what the pytest plugin and the gate call the moment a failure
is found, before anything else can go wrong, possibly from many pytest-xdist
workers at once. So it never leaves a torn file under a final name (it writes
a temporary file in the same directory, fsyncs it and renames it over the
target), and it serialises writers with an exclusive ``flock`` on the
directory itself, so two workers saving the same case produce one file whose
metadata is the merge of both. A writer killed mid-save leaves only a hidden
temporary file, which the next save removes.

:func:`load_directory` reads every ``*.case.py`` file and returns the bad
ones as errors next to the good entries, so one broken file never hides the
rest.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fuzz.model.records import CaseRecord
from fuzz.corpus.format import (
    SUFFIX,
    CorpusEntry,
    CorpusFormatError,
    content_hash,
    digest_in_name,
    file_name,
    from_text,
    short_hash,
    to_text,
)

try:
    import fcntl
except ImportError:  # pragma: no cover  (Windows: the rename alone stays atomic)
    fcntl = None  # type: ignore[assignment]

#: Bytes written per ``os.write`` to the temporary file.
CHUNK_SIZE = 1 << 16
_TEMP_SUFFIX = ".tmp"
#: Test hook: called with the byte count written so far after each chunk, so a
#: test can kill the writer half way through. ``None`` in normal use.
_after_chunk: Callable[[int], None] | None = None


@dataclass
class LoadedCorpus:
    """Every entry of a directory that parsed, and every file that did not."""

    entries: list[tuple[str, CorpusEntry]] = field(default_factory=list)
    errors: list[CorpusFormatError] = field(default_factory=list)


def load(path: str) -> CorpusEntry:
    """Read one corpus file; its name must carry its case's content hash."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise CorpusFormatError(path, "encoding", f"the file is not UTF-8 text ({exc})") from None
    entry = from_text(text, path)
    name = os.path.basename(path)
    expected = short_hash(entry.case)
    if digest_in_name(name) != expected:
        raise CorpusFormatError(
            path,
            "file name",
            f"the case's content hash is {expected}, but the name does not end in -{expected}{SUFFIX} "
            f"(was the case edited by hand?); rename the file to {file_name(entry.case)}",
        )
    return entry


def corpus_files(directory: str) -> list[str]:
    """The corpus files of ``directory``, sorted by name (temporary files excluded)."""
    names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIX) and not n.startswith("."))
    return [os.path.join(directory, n) for n in names]


def load_directory(directory: str) -> LoadedCorpus:
    """Load every corpus file; a bad file becomes an error, never an exception."""
    loaded = LoadedCorpus()
    for path in corpus_files(directory):
        try:
            loaded.entries.append((path, load(path)))
        except CorpusFormatError as exc:
            loaded.errors.append(exc)
        except OSError as exc:
            loaded.errors.append(CorpusFormatError(path, "file", f"cannot be read ({exc})"))
    return loaded


def merge(old: CorpusEntry, new: CorpusEntry) -> CorpusEntry:
    """Combine two entries of the same case.

    The first label and date found are kept and tags are united. Verdicts only
    mean something for the sides that produced them: when both entries used
    the same sides, the new verdicts are added (replacing the same version's,
    as the newer observation); when the sides differ, the recorded sides and
    their verdicts stay as they are.
    """
    if content_hash(old.case) != content_hash(new.case):
        raise ValueError("merge: the two entries hold different cases")
    tags = tuple(dict.fromkeys((*old.case.tags, *new.case.tags)))
    case = dataclasses.replace(old.case, tags=tags)
    verdicts = dict(old.verdicts)
    if (old.baseline, old.candidate) == (new.baseline, new.candidate):
        verdicts.update(new.verdicts)
    found = min(d for d in (old.found, new.found) if d) if (old.found or new.found) else ""
    return CorpusEntry(case, old.baseline, old.candidate, verdicts, found)


@contextlib.contextmanager
def _locked(directory: str) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (no lock file left behind)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_stale_temporaries(directory: str) -> None:
    # Every writer holds the lock while its temporary file exists, so any
    # temporary file seen under the lock belongs to a writer that died.
    for name in os.listdir(directory):
        if name.startswith(".") and SUFFIX in name and name.endswith(_TEMP_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(directory, name))


def _existing(directory: str, digest: str) -> str | None:
    for path in corpus_files(directory):
        if digest_in_name(os.path.basename(path)) == digest:
            return path
    return None


def _write_atomically(path: str, data: bytes) -> None:
    directory = os.path.dirname(path)
    temp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            view = memoryview(data)
            written = 0
            while written < len(data):
                written += os.write(fd, view[written : written + CHUNK_SIZE])
                if _after_chunk is not None:
                    _after_chunk(written)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    # Makes the rename itself durable; some platforms cannot open directories.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save(entry: CorpusEntry, directory: str) -> str:
    """Write ``entry`` to ``directory`` (created if missing); return the file's path.

    If the directory already holds the same case (same content hash, whatever
    its label), the two are merged into that file (see :func:`merge`). The
    text is parsed back before it is written, so a file that would not load is
    never written. Safe to call concurrently from any number of processes.
    """
    return save_telling(entry, directory)[0]


def save_telling(entry: CorpusEntry, directory: str) -> tuple[str, bool]:
    """:func:`save`, and whether the file is new: a run may delete only the files it created."""
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    digest = short_hash(entry.case)
    with _locked(directory):
        _remove_stale_temporaries(directory)
        path = _existing(directory, digest)
        created = path is None
        if path is None:
            path = os.path.join(directory, file_name(entry.case))
        else:
            try:
                entry = merge(load(path), entry)
            except CorpusFormatError as exc:
                warnings.warn(f"replacing a corpus file that does not load: {exc}", stacklevel=2)
        text = to_text(entry)
        if to_text(from_text(text, path)) != text:
            raise CorpusFormatError(path, "entry", "does not read back identically; this is a bug in the format")
        _write_atomically(path, text.encode("utf-8"))
    return path, created


def save_noted(entry: CorpusEntry, directory: str, line: CaseRecord) -> str | None:
    """Save ``entry`` and note in its record ``line`` where (``corpus``, ``corpus_created``).

    A failure is noted (``corpus_error``) and returned, never raised: the
    finding is in the record and the report all the same.
    """
    try:
        line["corpus"], line["corpus_created"] = save_telling(entry, directory)
    except (OSError, CorpusFormatError) as exc:
        line["corpus_error"] = f"{type(exc).__name__}: {exc}"
        return line["corpus_error"]
    return None
