"""What runs inside a fresh interpreter: unpickle a function, call it, report.

The same code serves both isolation modes (a forked child of the fork server,
or a new interpreter in spawn mode), which is what makes their verdicts equal.
It uses the standard library only, and imports every module either mode needs
up front, so the set of modules loaded before unpickling is the same in both.

A request is one frame: a header (a ``marshal``-encoded dict) plus the
pickle bytes. Its ``kind`` (:class:`fuzz.isolation.outcomes.RequestKind` on the
fuzzer's side; plain text here) is one of:

``load``
    unpickle the payload and call the result;
``reference``
    run the case's own source, unpickled by nobody, to learn what the
    function should return (the run *at home*);
``probe``
    report what this fresh interpreter holds, and what importing some
    modules adds;
``preimport``
    (served by the fork server itself, :mod:`fork_server`) import modules in
    the server, so the children it forks later start with them.

The reply is one frame holding the outcome.

A case's package universe travels in the header as compiled code, and
:class:`UniverseImporter` serves it from memory, in the child and in the
fuzzer alike: nothing is written to disk per case, each file is compiled once
by the fuzzer rather than once per interpreter, and no directory has to be
listed or removed. Modules imported this way are ordinary modules to
cloudpickle (a spec, a loader, ``__file__``; packages have ``__path__``;
directories without ``__init__.py`` are namespace packages), which is all the
detection under test looks at.
"""

from __future__ import annotations

import builtins
import ctypes  # (the fork server needs it too; loaded here so both modes match)
import functools  # (loaded by every interpreter at start-up)
import gc  # (the fork server needs it too)
import importlib
import marshal
import os
import pickle
import re
import select  # noqa: F401  (as above)
import signal
import struct
import sys
import types

MAX_TEXT = 2000
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_HEADER = struct.Struct(">II")

# For the type checker only: a child imports nothing it does not need.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Sequence
    from importlib.machinery import ModuleSpec


# -- framing -----------------------------------------------------------------


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> tuple[dict, bytes] | None:
    """One ``(header, payload)`` frame, or ``None`` at end of stream."""
    head = _read_exact(fd, _HEADER.size)
    if head is None:
        return None
    header_len, payload_len = _HEADER.unpack(head)
    header = _read_exact(fd, header_len) if header_len else b""
    payload = _read_exact(fd, payload_len) if payload_len else b""
    if header is None or payload is None:
        return None
    return marshal.loads(header), payload


def frame_size(data: bytes | bytearray) -> int:
    """The length of the first whole frame in ``data``, or 0 if it has not all arrived."""
    if len(data) < _HEADER.size:
        return 0
    header_len, payload_len = _HEADER.unpack_from(data)
    size = _HEADER.size + header_len + payload_len
    return size if len(data) >= size else 0


def read_frame_bytes(data: bytes) -> dict | None:
    """The header of a frame held in memory (a forked child's reply)."""
    if len(data) < _HEADER.size:
        return None
    header_len, _ = _HEADER.unpack_from(data)
    body = data[_HEADER.size : _HEADER.size + header_len]
    if len(body) != header_len:
        return None
    return marshal.loads(body)


def encode_frame(header: dict, payload: bytes = b"") -> bytes:
    body = marshal.dumps(header)
    return _HEADER.pack(len(body), len(payload)) + body + payload


def write_frame(fd: int, header: dict, payload: bytes = b"") -> None:
    view = memoryview(encode_frame(header, payload))
    while view:
        written = os.write(fd, view)
        view = view[written:]


# -- the case's universe, served from memory ------------------------------------


def universe_table(files: list[tuple[str, str]], root: str) -> dict[str, tuple[str, bytes | None]]:
    """Compile ``(relative path, source)`` pairs into the table :class:`UniverseImporter` serves.

    Keys are dotted module names; values are the file name the module claims
    (under ``root``, which exists nowhere) and its marshalled code, or
    ``None`` for a directory without ``__init__.py`` (a namespace package).
    A syntax error surfaces when the module is imported, as it would from a file.
    """
    table: dict[str, tuple[str, bytes | None]] = {}

    def rank(entry: tuple[str, bytes | None]) -> int:
        # What the path finder prefers for one name: a package, then a module, then a bare directory.
        return 0 if entry[1] is None else 2 if entry[0].endswith("/__init__.py") else 1

    for path, source in files:
        parts = path[:-3].split("/")
        for depth in range(1, len(parts)):
            table.setdefault(".".join(parts[:depth]), (root + "/" + "/".join(parts[:depth]), None))
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        filename = root + "/" + path
        try:
            code = marshal.dumps(compile(source, filename, "exec", dont_inherit=True))
        except SyntaxError as exc:
            code = marshal.dumps(compile(f"raise SyntaxError({str(exc)!r})", filename, "exec"))
        if name not in table or rank((filename, code)) >= rank(table[name]):
            table[name] = (filename, code)
    return table


# importlib.machinery would add a module to what every child holds before unpickling.
_ModuleSpec = importlib._bootstrap.ModuleSpec


class UniverseImporter:
    """Meta path finder and loader for exactly the modules of one case's universe table."""

    def __init__(self, table: dict[str, tuple[str, bytes | None]]) -> None:
        self.table = table

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        entry = self.table.get(fullname)
        if entry is None:
            return None
        filename, code = entry
        if code is None:
            # A directory without __init__.py: what the path finder makes of one.
            spec = _ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = [filename]
            return spec
        is_package = filename.endswith("/__init__.py")
        # A loader by protocol: importlib.abc would be one more module in every child.
        spec = _ModuleSpec(fullname, self, origin=filename, is_package=is_package)  # type: ignore[arg-type]
        spec.has_location = True
        if is_package:
            spec.submodule_search_locations = [filename.rpartition("/")[0]]
        return spec

    def create_module(self, spec: ModuleSpec) -> None:
        return None

    def get_code(self, fullname: str) -> types.CodeType | None:
        """The module's code object (``importlib.abc.InspectLoader.get_code``), as a file's loader gives it."""
        entry = self.table.get(fullname)
        return None if entry is None or entry[1] is None else marshal.loads(entry[1])

    def exec_module(self, module: types.ModuleType) -> None:
        code = self.table[module.__name__][1]
        assert code is not None
        exec(marshal.loads(code), module.__dict__)


# -- running -----------------------------------------------------------------

#: The definitions a standalone reproducer (:mod:`fuzz.corpus.reproducer`) copies from this module's
#: source, so that it calls and drives a function exactly as a child does: they must use nothing but
#: ``re``, ``types`` and one another.
STANDALONE = ("MAX_TEXT", "_ADDRESS", "clean_text", "describe", "drive", "_drive_coroutine", "call")


def clean_text(text: str) -> str:
    """Drop memory addresses and bound the length so outcomes compare."""
    text = _ADDRESS.sub("", text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "...<truncated>"


def drive(value: object) -> object:
    """Run generators and coroutines to completion; return plain values as is.

    The fuzzer generates ``async def`` and generator functions whose bodies
    reach modules only when driven, so calling them is not enough.
    """
    if isinstance(value, types.GeneratorType):
        return list(value)
    if isinstance(value, types.CoroutineType):
        return _drive_coroutine(value)
    if isinstance(value, types.AsyncGeneratorType):
        items = []
        while True:
            try:
                items.append(_drive_coroutine(value.__anext__()))
            except StopAsyncIteration:
                return items
    return value


def _drive_coroutine(coro: Coroutine[object, None, object]) -> object:
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    coro.close()
    raise RuntimeError("the coroutine awaited something only an event loop can drive")


def describe(exc: BaseException) -> str:
    """``Type: message``, cleaned as every text of an outcome is."""
    return clean_text(f"{type(exc).__name__}: {exc}")


def call(func: Callable[[], object], on_raise: Callable[[], object] | None = None) -> tuple[str, str]:
    """Call ``func`` and drive what it gives: ``("returned", its repr)`` or ``("raised", the exception)``.

    ``on_raise`` runs while the exception is being handled (the standalone
    reproducer prints its traceback there).
    """
    try:
        value = drive(func())
    except BaseException as exc:  # noqa: BLE001  (SystemExit is an outcome too)
        if on_raise is not None:
            on_raise()
        return "raised", describe(exc)
    try:
        return "returned", clean_text(repr(value))
    except BaseException as exc:  # noqa: BLE001
        return "returned", "unrepresentable: " + describe(exc)


def call_and_report(func: Callable[[], object], report: dict) -> None:
    """Call ``func`` and fill ``status``/``value`` in ``report``."""
    before_call = set(sys.modules)
    report["status"], report["value"] = call(func)
    report["imported_by_call"] = _added_since(before_call)


#: What this interpreter held before :func:`preimport` ran, if it did.
_before_preimports: list[str] = []


def _added_since(before: set) -> list[str]:
    """Module names added to ``sys.modules`` since ``before`` (a case may add keys that are not names)."""
    return sorted(str(m) for m in set(sys.modules) - before if isinstance(m, str))


def _held() -> list[str]:
    # str(): a key may be a str subclass, which marshal does not carry.
    return sorted(str(m) for m in sys.modules if isinstance(m, str))


def _install_universe(universe: dict) -> list[str]:
    """Make the case's universe importable; return what a fresh interpreter holds.

    That is what this one held before its preimports: those stand for
    imports the request itself would otherwise make (a reference run's home
    modules), not for the state of a fresh interpreter.
    """
    sys.meta_path.insert(0, UniverseImporter(universe))
    return _before_preimports or _held()


def preimport(names: list[str]) -> list[str]:
    """Import ``names`` now, ahead of the requests that would import them; return those that failed.

    A fork server for reference runs does this with the home modules (e.g.
    ``email.utils``) those runs import first thing, instead of every child
    importing them again; a module that fails is left for the request to
    fail on, as it would have.
    """
    if not _before_preimports:
        _before_preimports[:] = _held()
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001
            failed.append(name)
    return failed


def module_namespace(name: str, registered: bool) -> dict:
    """The globals a case's module is executed in, at home and in the pickling process alike.

    A namespace registered nowhere, unless the case's module stands for an
    imported one (``registered``): then a module object, put in
    ``sys.modules`` under ``name``, whose ``__dict__`` the functions get as
    their globals, as a user's own imported module gives them.
    """
    if not registered:
        return {"__name__": name, "__builtins__": builtins}
    module = types.ModuleType(name)
    module.__dict__["__builtins__"] = builtins
    sys.modules[name] = module
    return module.__dict__


def pickled_owner(obj: object) -> object:
    """The function or class whose module decides whether ``obj`` is pickled by value.

    Cases pickle functions, but also what reaches them: a bound method (its
    function), a ``functools.partial`` of a function (the function), or of a
    builtin with an instance (``partial(getattr, instance, 'f')``: the
    instance's class).
    """
    while True:
        if isinstance(obj, types.MethodType):
            obj = obj.__func__
        elif isinstance(obj, functools.partial):
            inner = obj.func
            callable_by_value = isinstance(inner, (types.FunctionType, types.MethodType, functools.partial))
            obj = inner if callable_by_value or not obj.args else type(obj.args[0])
        else:
            return obj


def load(payload: bytes, universe: dict) -> dict:
    """Unpickle ``payload`` with ``universe`` importable and call the result."""
    preloaded = _install_universe(universe)
    report: dict = {"preloaded": preloaded, "imported_by_call": []}
    before = set(preloaded)
    try:
        func = pickle.loads(payload)
    except BaseException as exc:  # noqa: BLE001
        report.update(status="load_error", value=describe(exc), imported_by_load=[])
        return report
    report["imported_by_load"] = _added_since(before)
    module_name = getattr(pickled_owner(func), "__module__", None)
    # cloudpickle pickles what ``__main__`` defines by value, always: this interpreter's own ``__main__``
    # says nothing about how the function was pickled.
    if module_name in sys.modules and module_name != "__main__":
        report.update(
            status="not_by_value",
            value=f"the function's module {module_name!r} is importable here, "
            "so it was pickled by reference and the case tests nothing",
        )
        return report
    call_and_report(func, report)
    return report


def reference(header: dict, universe: dict) -> dict:
    """Run the case at home: import, execute its source, call its entry."""
    preloaded = _install_universe(universe)
    report: dict = {"preloaded": preloaded, "imported_by_call": []}
    before = set(preloaded)
    namespace = module_namespace(header["module_name"], header.get("module_registered", False))
    try:
        for name in header.get("home_modules", ()):
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001  (held by the parent but not importable here)
                continue
        for name in header["parent_imports"]:
            importlib.import_module(name)
        code = compile(header["source"], header["filename"], "exec", dont_inherit=True)
        exec(code, namespace)
        namespace["pickled"] = lambda func: None  # pickling midway changes nothing at home
        for step in header.get("steps", ()):
            exec(compile(step, header["filename"], "exec", dont_inherit=True), namespace)
        func = eval(header["entry"], namespace)
    except BaseException as exc:  # noqa: BLE001
        report.update(status="load_error", value=describe(exc), imported_by_load=[])
        return report
    report["imported_by_load"] = _added_since(before)
    call_and_report(func, report)
    return report


def handle(header: dict, payload: bytes) -> dict:
    if header["kind"] == "probe":
        # What a fresh interpreter holds, and what importing some modules adds.
        preloaded = _held()
        before = set(sys.modules)
        for name in header.get("imports", ()):
            importlib.import_module(name)
        added = _added_since(before)
        return {"status": "returned", "value": "", "preloaded": preloaded, "imported_by_load": added}
    if header["kind"] == "reference":
        return reference(header, header["universe"])
    return load(payload, header["universe"])


# -- one child, several requests ------------------------------------------------

#: Signals whose handlers a request must leave as it found them for its child to serve another.
_WATCHED_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGALRM", "SIGCHLD", "SIGPIPE", "SIGUSR1", "SIGUSR2")
    if hasattr(signal, name)
)


def _threads() -> int:
    """The process's OS threads (Linux), or 1 where that cannot be seen."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def snapshot() -> dict:
    """What a fresh child looks like, as far as one request can change it (see :func:`restore`)."""
    return {
        "modules": dict(sys.modules),
        "meta_path": list(sys.meta_path),
        "path": list(sys.path),
        "path_hooks": list(sys.path_hooks),
        "importer_cache": set(sys.path_importer_cache),
        "builtins": dict(vars(builtins)),
        "recursion_limit": sys.getrecursionlimit(),
        "signals": [signal.getsignal(number) for number in _WATCHED_SIGNALS],
        "cwd": os.getcwd(),
        "threads": _threads(),
    }


def restore(fresh: dict) -> str:
    """Put this child back as :func:`snapshot` found it; return why it cannot serve again, or "".

    Reused children are what makes batched isolation fast, and this is what
    makes it safe: every module a request imported is removed (the case's own
    packages, and any standard-library module it pulled in, so the next
    request imports it again and reports it as a fresh child would), and the
    import system is reset. What cannot be put back (a thread left running,
    a module replaced under its own name, builtins or signal handlers
    changed, a tracer set, another working directory) retires the child: it
    exits, and the next request gets a fresh one.
    """
    modules = fresh["modules"]
    for name in [name for name in sys.modules if name not in modules]:
        module = sys.modules.pop(name)
        # Importing a submodule binds it in its package: unbind it from a package a fresh child has,
        # or the next request would reach it there without importing it.
        if isinstance(name, str) and "." in name:
            parent, _, child = name.rpartition(".")
            if parent in modules and getattr(modules[parent], child, None) is module:
                try:
                    delattr(modules[parent], child)
                except (AttributeError, TypeError):
                    pass
    sys.meta_path[:] = fresh["meta_path"]
    sys.path[:] = fresh["path"]
    sys.path_hooks[:] = fresh["path_hooks"]
    for key in [key for key in sys.path_importer_cache if key not in fresh["importer_cache"]]:
        del sys.path_importer_cache[key]
    sys.setrecursionlimit(fresh["recursion_limit"])
    # The case's modules form reference cycles: collect them now, so that nothing a request
    # defined (a class cloudpickle tracks by id, a finaliser) outlives it into the next.
    gc.collect()
    if set(sys.modules) != set(modules):
        return "sys.modules could not be put back"
    if any(sys.modules[name] is not module for name, module in modules.items()):
        return "a module was replaced under its own name"
    if vars(builtins) != fresh["builtins"]:
        return "builtins were changed"
    if [signal.getsignal(number) for number in _WATCHED_SIGNALS] != fresh["signals"]:
        return "a signal handler was changed"
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return "a tracer or profiler was set"
    if os.getcwd() != fresh["cwd"]:
        return "the working directory was changed"
    if _threads() != fresh["threads"]:
        return "a thread was left running"
    if hasattr(signal, "setitimer") and signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return "an interval timer was left running"
    return ""


def prepare_side(alias: str | None, package_dir: str | None) -> None:
    """Import the side's cloudpickle the way its pickles will reference it."""
    if alias is None:
        import cloudpickle  # noqa: F401

        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        from package_alias import load_package_as
    finally:
        del sys.path[0]
    load_package_as(alias, package_dir)


def redirect_output() -> int:
    """Keep the protocol fd for ourselves; send anything printed to stderr."""
    protocol = os.dup(1)
    os.dup2(2, 1)
    return protocol


# -- dying with the parent --------------------------------------------------------

#: prctl(2)'s option: the signal this process gets when its parent dies.
PR_SET_PDEATHSIG = 1


def libc_prctl() -> Callable[..., int] | None:
    """Linux's ``prctl(2)``, or ``None`` where there is none (another system, no C library to load)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def die_with_parent(prctl: Callable[..., int] | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent goes away (elsewhere: nothing).

    This is the one definition of that request, for every process the fuzzer
    starts: a spawned child (:func:`main`), the fork server and each child it
    forks (:mod:`fork_server`), and the helpers
    :mod:`fuzz.isolation.process_tree` starts (gate campaign, case workers).
    It lives here because this module is already in every one of them: run
    by path in a fresh interpreter, loaded by path by the fork server, and
    imported as ``fuzz.isolation.remote.child_runtime`` by the fuzzer. A
    module of its own would be one more module every child holds before it
    unpickles (what :func:`load` reports as ``preloaded``, and what the
    oracle takes for a fresh interpreter's modules), a set this module keeps
    to what a child needs.

    ``prctl`` is :func:`libc_prctl`, looked up by the caller when the call is
    made between ``fork`` and ``exec`` (where loading a library is unsafe);
    by default it is looked up here.
    """
    prctl = prctl or libc_prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def main(argv: list[str]) -> int:
    """Spawn mode: one request on stdin, one reply on stdout."""
    die_with_parent()
    alias, package_dir = (argv[0], argv[1]) if argv else (None, None)
    protocol_out = redirect_output()
    prepare_side(alias, package_dir)
    frame = read_frame(0)
    if frame is None:
        return 2
    report = handle(*frame)
    sys.stdout.flush()
    sys.stderr.flush()
    write_frame(protocol_out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
