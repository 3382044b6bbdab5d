"""Lazy imports (PEP 810) and annotation reads in a case, read from its text: the words a root cause needs.

Read line by line, not parsed: ``lazy import`` does not compile before 3.15,
and a finding shrunk there is still worded on any Python. A lazy import of a
submodule followed by an eager import of its package leaves the submodule
pending in ``sys.lazy_modules``; a step that names the lazily bound name
uses it first, before the pickle.
"""

from __future__ import annotations

import re

from fuzz.model.case import Case

_LAZY = re.compile(r"^\s*lazy\s+(?:import\s+([\w.]+)|from\s+([\w.]+)\s+import\s+(\w+))(?:\s+as\s+(\w+))?", re.M)
_EAGER = re.compile(r"^\s*import\s+([\w.]+)", re.M)
#: How a body reads its function's own annotations, and the words for each.
READS = {
    r"\.__annotations__\b": "reading its own annotations (`__annotations__`)",
    r"annotationlib\.get_annotations\(": "reading its own annotations (`annotationlib.get_annotations`)",
}


def _bound(match: re.Match[str]) -> str:
    module, _package, child, alias = match.groups()
    return alias or child or module.split(".")[0]


def _used_first(name: str, steps: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![.\w]){re.escape(name)}\b", step) for step in steps)


def lazy_words(case: Case) -> tuple[str, ...]:
    """One phrase per lazy import of the case's module and its packages' ``__init__`` files."""
    words = []
    for match in _LAZY.finditer(case.source):
        line = match.group(0).strip()
        module = match.group(1)
        later = case.source[match.end() :]
        top = (module or match.group(2)).split(".")[0]
        eager = [m.group(1) for m in _EAGER.finditer(later) if m.group(1).split(".")[0] == top]
        if module and "." in module and eager and module not in eager:
            words.append(f"a submodule a lazy import left pending (`{line}`, then `import {eager[0]}`)")
            continue
        used = "first used before the pickle" if _used_first(_bound(match), case.steps) else "unused before the pickle"
        words.append(f"a lazy import (`{line}`), {used}")
    for path, text in case.files:
        if path.endswith("__init__.py"):
            words += [f"a lazy import in `{path}` (`{m.group(0).strip()}`)" for m in _LAZY.finditer(text)]
    return tuple(words)


def annotation_read_words(source: str) -> tuple[str, ...]:
    """The ways the source reads a function's own annotations (``f.__annotations__``, ``annotationlib``)."""
    return tuple(words for pattern, words in READS.items() if re.search(pattern, source))
