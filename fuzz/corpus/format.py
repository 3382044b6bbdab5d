"""The corpus file format: one case per human-readable text file.

A finding is only worth something if it outlives the run that found it, so a
case is written as text a person can read in a pull request, paste into an
issue, and replay in CI. A file looks like this::

    # cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file.
    # format: 1
    # name: "local alias"
    # baseline: "legacy"
    # candidate: "proposed"
    # verdicts: {"3.11": "regression"}
    # ...more `# field: <JSON value>` lines...
    #
    #   universe:
    #     pkg/
    #       __init__.py
    # --- file: pkg/__init__.py ---
    # --- case source ---
    import pkg.sub
    def f():
        ...
    # --- step 1 ---
    pkg.sub = None

The header is one ``# field: <JSON>`` line per field, so a mistake is pinned
to one line and one field; any other line starting with ``#`` is a comment
(the rendered file tree is one). Then come sections, each text verbatim after
its marker line: the universe files (``# --- file: PATH ---``), the case
source (``# --- case source ---``) and, for cases that have them, the steps
run between source and pickle (``# --- step N ---``). A section whose text
does not end in a newline says so in its marker, so every string round-trips
exactly; a text with a line that looks like a marker is refused on writing.
Parsing reads text only: nothing is executed and no pickle is ever involved.

Files are content-addressed: the name ends in the first 12 hex digits of the
SHA-256 of the case's canonical content, which leaves out everything that is
not the case itself (its label, tags, the sides and verdicts, the date), so
finding the same case twice names the same file.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fuzz.errors import FuzzError
from fuzz.model.case import Case, jsonable, tupled, universe_path_problem
from fuzz.model.verdict import KINDS, Verdict

if TYPE_CHECKING:
    from fuzz.model.records import CaseRecord

FORMAT_VERSION = 1
SUFFIX = ".case.py"
TITLE = (
    f"# cloudpickle-submodule-fuzz corpus entry (format {FORMAT_VERSION}): "
    "code you choose to run, like a test file; never a pickle."
)
#: Lowest CPython minor version a verdict may be recorded for (the project's floor).
MIN_MINOR = 9

_FIELD_LINE = re.compile(r"^# (\w+):(.*)$")
_MARKER = re.compile(
    r"^# --- (?:file: (?P<path>\S+)|(?P<source>case source)|step (?P<step>\d+))(?P<nonl> \(no final newline\))? ---$"
)
_NO_NEWLINE = " (no final newline)"
_VERSION = re.compile(r"^3\.(\d{1,2})$")
_DIGEST_IN_NAME = re.compile(r"-([0-9a-f]{12})" + re.escape(SUFFIX) + "$")

#: Header fields that are not fields of :class:`Case`.
META_FIELDS = ("format", "baseline", "candidate", "verdicts", "found")
#: Fields every header must have (``needed`` may be absent: no ground truth).
REQUIRED = ("format", "name", "baseline", "candidate", "verdicts", "tags", "found", "entry", "parent_imports")
#: Case fields written as sections rather than header lines (``steps`` when
#: :class:`Case` has it).
SECTION_FIELDS = ("files", "source", "steps")
#: Case fields that label a case without changing it: left out of the hash.
LABEL_FIELDS = ("name", "tags")


class CorpusFormatError(FuzzError, ValueError):
    """A corpus file (or entry) that cannot be read or written.

    The message names the file and the field at fault, and what to do.
    """

    def __init__(self, path: str, field: str, problem: str) -> None:
        self.path = path
        self.field = field
        self.problem = problem
        super().__init__(f"{path}: field {field!r}: {problem}")


@dataclass(frozen=True)
class CorpusEntry:
    """One saved case plus what is known about it.

    ``verdicts`` maps a CPython version (``"3.11"``) to the verdict the
    recorded ``baseline`` and ``candidate`` sides gave on that version: the
    same case can behave differently on another interpreter's bytecode.
    """

    case: Case
    baseline: str
    candidate: str
    verdicts: dict[str, str] = field(default_factory=dict)
    #: ISO date (UTC) the case was first found.
    found: str = field(default_factory=lambda: today())

    @classmethod
    def from_verdict(
        cls, case: Case, verdict: Verdict, version: str | None = None, with_held: bool = True
    ) -> CorpusEntry:
        """The entry recording ``verdict`` for ``case`` on this (or ``version``'s) Python.

        The modules the verdict's pickling process held under the case's
        packages (:attr:`Verdict.held`) join the case's parent imports: the
        verdict may depend on them, and a replay in a fresh process has only
        what the entry says. ``with_held=False`` keeps a hand-written case as
        written (what a process holds varies, and its file name would too).
        """
        held = tuple(name for name in verdict.held if with_held and name not in case.parent_imports)
        if held:
            case = dataclasses.replace(case, parent_imports=case.parent_imports + held)
        return cls(
            case=case,
            baseline=verdict.baseline.spec,
            candidate=verdict.candidate.spec,
            verdicts={version or running_version(): verdict.kind},
            found=today(),
        )

    @classmethod
    def from_record(cls, line: CaseRecord, baseline: str, candidate: str) -> CorpusEntry:
        """The entry for a judged record's case, as the record holds it, with its verdict on this Python.

        For what is saved after judging (a rerun's confirmed crash, a shrunk
        example), where the record is all there is; a worker that has the
        :class:`~fuzz.model.verdict.Verdict` uses :meth:`from_verdict`.
        """
        return cls(Case.from_dict(line["case"]), baseline, candidate, {running_version(): line["kind"]})

    def verdict_for(self, version: str | None = None) -> str | None:
        return self.verdicts.get(version or running_version())


def running_version() -> str:
    """This interpreter's ``major.minor``, the key of its verdict."""
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def today() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


# -- content addressing ------------------------------------------------------------


def _case_fields() -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(Case)}


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def canonical_content(case: Case) -> str:
    """The case as one canonical JSON string: what the file name is a hash of.

    Labels (name, tags) are left out, and so is any field still at its
    default, so adding a defaulted field to :class:`Case` later does not
    rename every file already saved. File order does not change the case.
    """
    content: dict[str, Any] = {"files": sorted([path, text] for path, text in case.files), "source": case.source}
    for name, f in _case_fields().items():
        if name in ("files", "source") or name in LABEL_FIELDS:
            continue
        value = getattr(case, name)
        if value != _default(f):
            content[name] = jsonable(value)
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(case: Case) -> str:
    """Full SHA-256 hex digest of :func:`canonical_content`."""
    return hashlib.sha256(canonical_content(case).encode("utf-8")).hexdigest()


def short_hash(case: Case) -> str:
    return content_hash(case)[:12]


def slug(text: str) -> str:
    """A short, file-name-safe version of a case's label."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "case"


def file_name(case: Case) -> str:
    """``<slug>-<12 hex>.case.py``; only the hash part identifies the case."""
    return f"{slug(case.name or '-'.join(case.tags))}-{short_hash(case)}{SUFFIX}"


def digest_in_name(name: str) -> str | None:
    """The 12-hex content hash a corpus file name carries, if it has one."""
    match = _DIGEST_IN_NAME.search(name)
    return match.group(1) if match else None


# -- writing -----------------------------------------------------------------------


def _tree(paths: list[str]) -> list[str]:
    """The universe drawn as an indented tree, for the reader only."""
    if not paths:
        return ["#   universe: none (standard library only)"]
    lines = ["#   universe:"]
    shown: set[str] = set()
    for path in sorted(paths):
        parts = path.split("/")
        for depth in range(len(parts)):
            key = "/".join(parts[: depth + 1])
            if key in shown:
                continue
            shown.add(key)
            last = depth == len(parts) - 1
            lines.append("#     " + "  " * depth + parts[depth] + ("" if last else "/"))
    return lines


def _section(lines: list[str], marker: str, text: str) -> None:
    if text and not text.endswith("\n"):
        lines.append(f"# --- {marker}{_NO_NEWLINE} ---")
        body = text
    else:
        lines.append(f"# --- {marker} ---")
        body = text[:-1]
    if text:
        lines.extend(body.split("\n"))


def to_text(entry: CorpusEntry) -> str:
    """Render ``entry`` as corpus text; :func:`from_text` gives it back exactly."""
    case = entry.case
    header: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": case.name,
        "baseline": entry.baseline,
        "candidate": entry.candidate,
        "verdicts": dict(sorted(entry.verdicts.items(), key=lambda kv: _version_key(kv[0]))),
        "tags": list(case.tags),
        "found": entry.found,
        "entry": case.entry,
        "parent_imports": list(case.parent_imports),
    }
    if case.needed is not None:
        header["needed"] = list(case.needed)
    for name, f in _case_fields().items():
        if name in header or name in SECTION_FIELDS or name == "needed":
            continue
        value = getattr(case, name)
        if value != _default(f):
            header[name] = jsonable(value)
    lines = [TITLE, "#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE."]
    lines += [f"# {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in header.items()]
    lines += ["#", *_tree([path for path, _ in case.files])]
    sections = [(f"file: {path}", text) for path, text in case.files]
    sections.append(("case source", case.source))
    sections += [(f"step {number}", step) for number, step in enumerate(getattr(case, "steps", ()), 1)]
    for marker, text in sections:
        for line in text.split("\n"):
            if _MARKER.match(line.rstrip("\r")):
                raise CorpusFormatError(
                    "<new entry>",
                    marker,
                    f"a line looks like a corpus section marker ({line!r}); "
                    "change that line (it is a comment, presumably) so the case can be written",
                )
        _section(lines, marker, text)
    return "\n".join(lines) + "\n"


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (999,)


# -- reading -----------------------------------------------------------------------


def _check_str(path: str, name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise CorpusFormatError(path, name, f"must be a JSON string, got {json.dumps(value)}")
    return value


def _check_str_list(path: str, name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusFormatError(path, name, f"must be a JSON list of strings, got {json.dumps(value)}")
    return tuple(value)


def _check_verdicts(path: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise CorpusFormatError(
            path, "verdicts", f'must be a JSON object such as {{"3.11": "regression"}}, got {json.dumps(value)}'
        )
    for version, kind in value.items():
        match = _VERSION.match(version)
        if match is None or int(match.group(1)) < MIN_MINOR:
            raise CorpusFormatError(
                path,
                "verdicts",
                f"unknown Python version {version!r}; keys are CPython versions 3.{MIN_MINOR} and later, "
                'written "3.MINOR"',
            )
        if kind not in KINDS:
            raise CorpusFormatError(
                path, "verdicts", f"unknown verdict {kind!r} for {version}; use one of {', '.join(KINDS)}"
            )
    return dict(value)


def _check_date(path: str, value: Any) -> str:
    text = _check_str(path, "found", value)
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise CorpusFormatError(path, "found", f"{text!r} is not a date written YYYY-MM-DD") from None
    return text


def _check_universe_path(path: str, universe_path: str) -> None:
    problem = universe_path_problem(universe_path)
    if problem is not None:
        raise CorpusFormatError(path, f"file: {universe_path}", f"a universe file {problem}")


def _parse_header(path: str, lines: list[str]) -> tuple[dict[str, Any], int]:
    """Header fields and the index of the first section marker."""
    values: dict[str, Any] = {}
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if _MARKER.match(line):
            return values, index
        if not line.strip():
            continue
        if not line.startswith("#"):
            raise CorpusFormatError(
                path,
                "header",
                f"line {index + 1} ({line[:60]!r}) comes before any section marker but is not a comment; "
                "header lines are '# field: <JSON value>', and the case source goes after '# --- case source ---'",
            )
        match = _FIELD_LINE.match(line)
        if match is None:
            continue
        key, raw_value = match.group(1), match.group(2).strip()
        if key in values:
            raise CorpusFormatError(path, key, f"line {index + 1} repeats the field; keep one")
        if not raw_value:
            raise CorpusFormatError(path, key, f"line {index + 1} has no value; write '# {key}: <JSON value>'")
        try:
            values[key] = json.loads(raw_value)
        except json.JSONDecodeError as exc:
            raise CorpusFormatError(path, key, f"line {index + 1}: the value is not valid JSON ({exc})") from None
    raise CorpusFormatError(path, "case source", "the file has no '# --- case source ---' section")


def _parse_sections(path: str, lines: list[str], start: int) -> tuple[list[tuple[str, str]], str, list[str]]:
    """Universe files, case source and steps, in the order the format fixes."""
    sections: list[tuple[re.Match, list[str]]] = []
    for line in lines[start:]:
        match = _MARKER.match(line.rstrip("\r"))
        if match is not None:
            sections.append((match, []))
        else:
            sections[-1][1].append(line)
    files: list[tuple[str, str]] = []
    source: str | None = None
    steps: list[str] = []
    for match, body in sections:
        text = _join(body, bool(match.group("nonl")))
        if match.group("path") is not None:
            universe_path = match.group("path")
            field = f"file: {universe_path}"
            if source is not None:
                raise CorpusFormatError(path, field, "universe files come before '# --- case source ---'")
            _check_universe_path(path, universe_path)
            if universe_path in dict(files):
                raise CorpusFormatError(path, field, "the file appears twice; keep one section")
            files.append((universe_path, text))
        elif match.group("source") is not None:
            if source is not None:
                raise CorpusFormatError(path, "case source", "the file has two case source sections; keep one")
            source = text
        else:
            number = int(match.group("step"))
            if source is None or number != len(steps) + 1:
                raise CorpusFormatError(
                    path, f"step {number}", "steps come after the case source, numbered 1, 2, 3, ... in order"
                )
            steps.append(text)
    if source is None:
        raise CorpusFormatError(path, "case source", "the file has no '# --- case source ---' section")
    if steps and "steps" not in _case_fields():
        raise CorpusFormatError(path, "step 1", "this version of the fuzzer's Case has no steps")
    return files, source, steps


def _join(body: list[str], no_final_newline: bool) -> str:
    if not body:
        return ""
    return "\n".join(body) + ("" if no_final_newline else "\n")


def from_text(text: str, path: str = "<text>") -> CorpusEntry:
    """Parse corpus text; raise :class:`CorpusFormatError` naming the field at fault."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    values, start = _parse_header(path, lines)
    case_fields = _case_fields()
    for key in values:
        if key in SECTION_FIELDS:
            raise CorpusFormatError(path, key, f"'{key}' is written as sections below the header, not as a field")
        if key not in META_FIELDS and key not in case_fields:
            known = ", ".join([*META_FIELDS, *(k for k in case_fields if k not in SECTION_FIELDS)])
            raise CorpusFormatError(path, key, f"unknown field; known fields are {known}")
    for key in REQUIRED:
        if key not in values:
            raise CorpusFormatError(path, key, f"missing; add a line '# {key}: <JSON value>' to the header")
    if type(values["format"]) is not int or values["format"] != FORMAT_VERSION:
        raise CorpusFormatError(
            path, "format", f"this fuzzer reads format {FORMAT_VERSION}, the file says {json.dumps(values['format'])}"
        )
    files, source, steps = _parse_sections(path, lines, start)
    kwargs: dict[str, Any] = {
        "files": tuple(files),
        "source": source,
        "name": _check_str(path, "name", values["name"]),
        "tags": _check_str_list(path, "tags", values["tags"]),
        "entry": _check_str(path, "entry", values["entry"]),
        "parent_imports": _check_str_list(path, "parent_imports", values["parent_imports"]),
    }
    if not kwargs["entry"].strip():
        raise CorpusFormatError(path, "entry", 'must be an expression giving the function, such as "f"')
    if values.get("needed") is not None:
        kwargs["needed"] = _check_str_list(path, "needed", values["needed"])
    if steps:
        kwargs["steps"] = tuple(steps)
    for key, value in values.items():
        if key in case_fields and key not in kwargs and key != "needed":
            kwargs[key] = tupled(value)
    try:
        case = Case(**kwargs)
    except (TypeError, ValueError) as exc:
        raise CorpusFormatError(path, "case", f"does not make a Case ({exc})") from None
    return CorpusEntry(
        case=case,
        baseline=_nonempty(path, "baseline", values["baseline"]),
        candidate=_nonempty(path, "candidate", values["candidate"]),
        verdicts=_check_verdicts(path, values["verdicts"]),
        found=_check_date(path, values["found"]),
    )


def _nonempty(path: str, name: str, value: Any) -> str:
    text = _check_str(path, name, value)
    if not text:
        raise CorpusFormatError(path, name, 'must be a side spec such as "legacy" or "tree:PATH"')
    return text
