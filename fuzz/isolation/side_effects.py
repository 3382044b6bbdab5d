"""What a side's ``dumps`` changed in the process that pickles, seen and undone.

A detection can be wrong without breaking the unpickled function: it can
change the user's process. Resolving a lazy import (Python 3.15) while
pickling imports a module the program chose to defer; a detector can leave
junk in ``sys.modules``, start a helper process or thread, or swap a signal
handler. :class:`ProcessSnapshot` records, before a ``dumps``, what a user
would notice afterwards and is cheap enough to check on every call:

* ``sys.modules``: keys added (an import), removed, or holding another object;
  keys that are not strings;
* processes: children of this process (the fuzzer's workers are child
  subreapers, :func:`fuzz.isolation.process_tree.become_subreaper`, so a
  process that detaches with ``setsid`` or a double fork is reparented here and
  seen too);
* threads left running;
* signal handlers;
* the import system's lists (``sys.path``, ``sys.meta_path``,
  ``sys.path_hooks``) and the working directory.

:meth:`ProcessSnapshot.changes` names each change in words, and
:meth:`ProcessSnapshot.undo` puts back what can be put back (the other side,
and every later case, must pickle in the process as it was): removed and
replaced ``sys.modules`` entries come back, odd keys go, the lists and
handlers are restored, and processes left running are killed. Modules a side
imported stay imported (unloading a module is no clean undo), and so do
threads (Python cannot stop one).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass

from fuzz.isolation.process_tree import children_of, is_running, kill_new_descendants
from fuzz.text_enum import TextEnum


class EffectKind(TextEnum):
    """What part of the pickling process a side changed: the key findings are grouped by."""

    IMPORTED = "imported a module"
    REMOVED = "removed a module from sys.modules"
    REPLACED = "replaced a module in sys.modules"
    ODD_ENTRY = "put a non-module entry in sys.modules"
    PROCESS = "left a process running"
    THREAD = "left a thread running"
    SIGNAL = "changed a signal handler"
    IMPORT_SYSTEM = "changed the import system"
    WORKING_DIRECTORY = "changed the working directory"


@dataclass(frozen=True)
class SideEffect:
    """One change a ``dumps`` made, with the words a report shows for it.

    ``subjects`` name what was changed (``sys.modules:json``, ``signal:SIGUSR1``,
    ``process``...): two sides that touched the same things made the same kind
    of change, even when the order they ran in made one add what the other then
    removed (a case's own object in ``sys.modules`` may react to being scanned).
    """

    kind: EffectKind
    words: str
    subjects: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"kind": str(self.kind), "words": self.words, "subjects": list(self.subjects)}

    @classmethod
    def from_dict(cls, data: dict) -> SideEffect:
        return cls(EffectKind(data["kind"]), str(data["words"]), tuple(data.get("subjects", ())))


def not_made_by(theirs: tuple[SideEffect, ...], ours: tuple[SideEffect, ...]) -> tuple[SideEffect, ...]:
    """The changes in ``ours`` that ``theirs`` did not also make.

    Compared by what was changed (:attr:`SideEffect.subjects`), not how: two
    sides pickle one after the other, so a ``sys.modules`` entry that reacts
    to being scanned (the ``import-during-scan`` hazard) is added by one and
    removed by the next, and neither change is the second side's own.
    """
    touched = {s for e in theirs for s in e.subjects}
    made = {e.words for e in theirs}
    return tuple(e for e in ours if e.words not in made and not (e.subjects and set(e.subjects) <= touched))


#: Signals whose handlers are compared (SIGKILL and SIGSTOP cannot have one).
_SIGNALS = tuple(s for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP))
#: Names listed in one effect's words, at most; the rest are counted.
_NAMES_SHOWN = 3


def _names(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:_NAMES_SHOWN])
    more = len(names) - _NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass
class ProcessSnapshot:
    """What a user would notice of this process, taken before a ``dumps`` (see the module docstring)."""

    modules: dict
    children: set[int]
    threads: set[int]
    handlers: dict[int, object]
    path: list[str]
    meta_path: list[object]
    path_hooks: list[object]
    cwd: str

    @classmethod
    def take(cls) -> ProcessSnapshot:
        return cls(
            modules=dict(sys.modules),
            children=children_of(os.getpid()),
            threads={t.ident for t in threading.enumerate() if t.ident is not None},
            handlers={s: signal.getsignal(s) for s in _SIGNALS} if _on_main_thread() else {},
            path=list(sys.path),
            meta_path=list(sys.meta_path),
            path_hooks=list(sys.path_hooks),
            cwd=_cwd(),
        )

    def changes(self) -> tuple[SideEffect, ...]:
        """Every change since the snapshot, in words; nothing is undone here."""
        effects = list(self._module_changes())
        started = sorted(children_of(os.getpid()) - self.children)
        running = [pid for pid in started if is_running(pid)]
        if running:
            words = f"left {_plural(len(running), 'process')} running"
            effects.append(SideEffect(EffectKind.PROCESS, words, ("process",)))
        threads = [t.name for t in threading.enumerate() if t.ident not in self.threads and t.is_alive()]
        if threads:
            words = f"left {_plural(len(threads), 'thread')} running ({_names(threads)})"
            effects.append(SideEffect(EffectKind.THREAD, words, ("thread",)))
        if self.handlers:
            changed = [signal.Signals(s).name for s, h in self.handlers.items() if signal.getsignal(s) is not h]
            if changed:
                words = f"changed the handler of {_names(changed)}"
                effects.append(SideEffect(EffectKind.SIGNAL, words, tuple(f"signal:{s}" for s in changed)))
        for name, now, before in self._import_lists():
            if not _same_items(before, now):
                effects.append(SideEffect(EffectKind.IMPORT_SYSTEM, f"changed {name}", (name,)))
        if _cwd() != self.cwd:
            effects.append(SideEffect(EffectKind.WORKING_DIRECTORY, "changed the working directory", ("cwd",)))
        return tuple(effects)

    def _import_lists(self) -> tuple[tuple[str, list, list], ...]:
        """The import system's lists: (name, the live list, its copy in the snapshot)."""
        return (
            ("sys.path", sys.path, self.path),
            ("sys.meta_path", sys.meta_path, self.meta_path),
            ("sys.path_hooks", sys.path_hooks, self.path_hooks),
        )

    def _module_changes(self) -> list[SideEffect]:
        before, now = self.modules, sys.modules
        if len(before) == len(now) and all(before.get(k, _MISSING) is v for k, v in list(now.items())):
            return []  # the common case, checked in one pass
        imported, odd, removed, replaced = [], [], [], []
        for key, value in list(now.items()):
            if key in before:
                if before[key] is not value:
                    replaced.append(str(key))
            elif not isinstance(key, str):
                odd.append(repr(key))
            elif isinstance(value, type(sys)):
                imported.append(key)
            else:
                odd.append(key)
        removed = [str(k) for k in before if k not in now]
        effects = []
        for kind, names, verb in (
            (EffectKind.IMPORTED, imported, "imported {} into the pickling process"),
            (EffectKind.REMOVED, removed, "removed {} from sys.modules"),
            (EffectKind.REPLACED, replaced, "replaced {} in sys.modules with another object"),
            (EffectKind.ODD_ENTRY, odd, "put {} in sys.modules, which is no module"),
        ):
            if names:
                subjects = tuple(f"sys.modules:{n}" for n in sorted(names))
                effects.append(SideEffect(kind, verb.format(_names(sorted(names))), subjects))
        return effects

    def undo(self) -> None:
        """Put back what can be put back (see the module docstring); kill processes left running."""
        now = sys.modules
        for key in [k for k, v in list(now.items()) if (k not in self.modules and not isinstance(v, type(sys)))]:
            now.pop(key, None)
        for key, value in self.modules.items():
            if now.get(key, _MISSING) is not value:
                now[key] = value
        for _, current, saved in self._import_lists():
            if not _same_items(saved, current):
                current[:] = saved
        if _on_main_thread():
            for signum, handler in self.handlers.items():
                if signal.getsignal(signum) is not handler and handler is not None:
                    try:
                        signal.signal(signum, handler)  # type: ignore[arg-type]
                    except (OSError, ValueError, TypeError):
                        pass
        if _cwd() != self.cwd:
            try:
                os.chdir(self.cwd)
            except OSError:
                pass
        kill_new_descendants(self.children)


_MISSING = object()


def _same_items(before: list, now: list) -> bool:
    """Whether two lists hold the very same objects in the same order."""
    return len(before) == len(now) and all(a is b for a, b in zip(before, now))


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:
        return ""


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
