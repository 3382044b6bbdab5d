"""Standalone reproducers: one corpus entry as a script needing only Python and cloudpickle.

The script is what gets pasted into an upstream issue, so it must run with
nothing from this project installed. It writes the case's package tree to a
temporary directory, defines the function by executing the case source in a
namespace no import can reach (so cloudpickle pickles it by value), pickles
it, loads and calls it in a fresh ``python -I -c`` child, and compares with
the call at home. Both calls go through the code the fuzzer's own children
call and drive a function with (:func:`shared_definitions`, copied from
:mod:`fuzz.isolation.remote.child_runtime` when the script is made), so a
script judges an outcome as the fuzzer did.

Which cloudpickle does the pickling is the *side*. ``installed`` uses the
cloudpickle running the script, unchanged: pick it when that cloudpickle is
the one under test (say, the pull request's branch installed). ``tree:PATH``
puts that checkout first on ``sys.path``. A detector side (``legacy``,
``proposed``, ``detector:MODULE:CALLABLE``) vendors the detector's source,
and the modules of this project it imports, into the script and swaps it
into the installed cloudpickle, so the candidate's behaviour reproduces with
a stock cloudpickle; the block says so and can be deleted.

Exit status of a script (documented in its docstring too): 0 when the
unpickled function behaves as it does at home, 1 when it does not (including
``dumps`` raising, or the child dying or hanging), 2 when the case cannot be
set up. So a ``regression`` or ``shared_failure`` entry exits 1 with its
candidate, and a ``match`` entry exits 0.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re

from fuzz.errors import FuzzError
from fuzz.corpus.format import CorpusEntry
from fuzz.isolation.remote import child_runtime
from fuzz.oracle.sides import SideSpecError, parse_side_spec, resolve_detector

#: This project's own package: modules under it are vendored with a detector.
PROJECT_PACKAGE = "fuzz"
#: Seconds the script lets its child run.
CHILD_TIMEOUT = 60


class ReproducerError(FuzzError, ValueError):
    """A reproducer that cannot be generated; the message says why and what to do."""


# -- readable string literals ---------------------------------------------------------


def literal(text: str) -> str:
    """A Python literal for ``text`` that shows it as it reads (triple-quoted when possible)."""
    if any(ch < " " and ch not in "\n\t\r" for ch in text) or "\n" not in text:
        return repr(text)
    escaped = text.replace("\\", "\\\\").replace("\r", "\\r")
    for quote in ("'''", '"""'):
        if quote in escaped:
            continue
        body = escaped[:-1] + "\\" + quote[0] if escaped.endswith(quote[0]) else escaped
        candidate = quote + "\\\n" + body + quote
        try:
            if ast.literal_eval(candidate) == text:
                return candidate
        except (SyntaxError, ValueError):
            pass
    return repr(text)


def _comment(text: str) -> str:
    return " ".join(str(text).split())


# -- vendoring a detector -------------------------------------------------------------


def _module_source(name: str) -> tuple[str, bool]:
    """Source text of an importable module and whether it is a package."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        raise ReproducerError(f"cannot find module {name!r} to vendor ({exc})") from None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        raise ReproducerError(f"module {name!r} has no Python source to vendor into the reproducer")
    with open(spec.origin, encoding="utf-8") as handle:
        return handle.read(), spec.submodule_search_locations is not None


def _imported_names(name: str, source: str, is_package: bool) -> list[str]:
    """Every module name an import statement of ``source`` could bring in."""
    package = name if is_package else name.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = importlib.util.resolve_name("." * node.level + base, package)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def _is_module(name: str) -> bool:
    """Whether ``name`` is a module (``from m import x`` may name a function ``x``)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def vendored_modules(module_name: str) -> list[tuple[str, str, bool]]:
    """``(name, source, is_package)`` for a detector module and the project modules it
    needs, dependencies first."""
    ours = {module_name.split(".")[0], PROJECT_PACKAGE}
    order: list[tuple[str, str, bool]] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        source, is_package = _module_source(name)
        for dep in _imported_names(name, source, is_package):
            if dep.split(".")[0] in ours and dep not in seen and _is_module(dep):
                visit(dep)
        order.append((name, source, is_package))

    visit(module_name)
    return order


# -- the script -------------------------------------------------------------------------

#: Put before the definitions shared with the children: their annotations name types the script never imports.
_HELPERS_HEAD = """
from __future__ import annotations

import json, re, sys, traceback, types
"""

_HELPERS_TAIL = r'''

def outcome(func):
    """Call func; return what it did as {"status", "value"}, with the traceback shown if it raised."""
    status, value = call(func, lambda: traceback.print_exc(file=sys.stdout))
    return {"status": status, "value": value}
'''


def shared_definitions() -> str:
    """The source of what a child calls and drives a function with, copied from :mod:`child_runtime`.

    A reproducer must run with nothing of this project installed, so it
    carries those definitions (:data:`child_runtime.STANDALONE`) as they are
    written there, read when the script is made: the script's verdict comes
    from the very code the fuzzer's children run, kept in one place.
    """
    path = child_runtime.__file__
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            name = node.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        else:
            continue
        text = ast.get_source_segment(source, node)
        if name in child_runtime.STANDALONE and text is not None:
            found[name] = text
    missing = [name for name in child_runtime.STANDALONE if name not in found]
    assert not missing, f"child_runtime.STANDALONE names what {path} does not define: {missing}"
    return "\n\n\n".join(found[name] for name in child_runtime.STANDALONE)


def helpers() -> str:
    """The code the script and its fresh interpreter share: ``describe``, ``drive``, ``call``, ``outcome``."""
    return _HELPERS_HEAD + "\n" + shared_definitions() + "\n" + _HELPERS_TAIL


_LOADER_MAIN = r"""
import pickle
universe, cloudpickle_root = sys.argv[1], sys.argv[2]
sys.path.insert(0, universe)
if cloudpickle_root not in sys.path:
    sys.path.insert(1, cloudpickle_root)
preloaded = sorted(m for m in sys.modules if isinstance(m, str))
try:
    func = pickle.loads(sys.stdin.buffer.read())
except BaseException as exc:
    traceback.print_exc(file=sys.stdout)
    result = {"status": "load_error", "value": describe(exc)}
else:
    result = outcome(func)
result["preloaded"] = preloaded
sys.stdout.write("\nRESULT " + json.dumps(result) + "\n")
"""

_TEMPLATE = '''\
#!/usr/bin/env python3
"""Reproducer: does a function survive a cloudpickle round trip to a fresh interpreter?

Needs only Python and cloudpickle. The script writes a small package tree to a
temporary directory, defines a function by executing SOURCE in a namespace no
import can reach (so cloudpickle pickles the function by value), pickles it
with cloudpickle.dumps, then unpickles and calls it in a fresh `python -I -c`
interpreter that has never imported the package, and compares the result with
calling the function at home.

Exit status: 0 when the unpickled function behaves as at home (same return
value, or same exception); 1 when it does not, when cloudpickle.dumps raises,
or when the fresh interpreter dies or hangs; 2 when the case cannot be set up.
"""
# Generated by `python -m fuzz repro` (cloudpickle-submodule-fuzz) from:
#   corpus file: @@ORIGIN@@
#   case: @@NAME@@   tags: @@TAGS@@
#   recorded with baseline @@BASELINE@@ against candidate @@CANDIDATE@@: @@VERDICTS@@
#   pickled here with: @@SIDE_NOTE@@

import builtins
import importlib
import json
import os
import subprocess
import sys
import tempfile
import traceback
import types

# The package universe, written under a temporary directory put on sys.path.
FILES = {
@@FILES@@}
# Modules imported before pickling (the pickling process's sys.modules).
PARENT_IMPORTS = @@PARENT_IMPORTS@@
# The module defining the function.
SOURCE = @@SOURCE@@
# Statements run in that module after SOURCE, before the pickle that counts; a step
# may call pickled(fn) to pickle a function midway (which warms any cache).
STEPS = @@STEPS@@
# Evaluated in that module's namespace: the function to pickle.
ENTRY = @@ENTRY@@
# Whether the case's module stands for an imported one: put in sys.modules and registered by value.
MODULE_REGISTERED = @@MODULE_REGISTERED@@
# Ground truth: the submodules the function needs imported when called (None: unknown).
NEEDED = @@NEEDED@@
TIMEOUT = @@TIMEOUT@@
@@PATH_SETUP@@
import cloudpickle
from cloudpickle import cloudpickle as cloudpickle_core

@@DETECTOR@@
HELPERS = r\'\'\'@@HELPERS@@\'\'\'
exec(HELPERS)  # describe, drive, outcome: shared with the fresh interpreter below
LOADER = HELPERS + r\'\'\'@@LOADER@@\'\'\'
RECORDED = []  # the submodule names cloudpickle stored for each function pickled by value
_PICKLING = []


def install_hooks():
    """Observe (and, with DETECTOR, replace) cloudpickle's submodule detection."""
    original = getattr(cloudpickle_core, "_function_getstate", None)
    if original is None:
        return False

    def observed_getstate(func):
        _PICKLING.append(func)
        try:
            state, slotstate = original(func)
        finally:
            _PICKLING.pop()
        modules = slotstate.get("_cloudpickle_submodules", ())
        RECORDED.append([getattr(m, "__name__", repr(m)) for m in modules])
        return state, slotstate

    cloudpickle_core._function_getstate = observed_getstate
    if DETECTOR is not None:
        cloudpickle_core._find_imported_submodules = lambda code, deps: list(DETECTOR(_PICKLING[-1]))
    return True


def show(result):
    verb = {"returned": "returned", "raised": "raised", "load_error": "failed to unpickle:"}
    return f"{verb.get(result['status'], result['status'])} {result['value']}"


def main():
    observed = install_hooks()
    if DETECTOR is not None and not observed:
        print("This cloudpickle has no _function_getstate, so DETECTOR cannot be swapped in.")
        return 2
    cloudpickle_root = os.path.dirname(os.path.dirname(os.path.abspath(cloudpickle.__file__)))
    print(f"Python {sys.version.split()[0]}, cloudpickle {cloudpickle.__version__} from {cloudpickle_root}")
    with tempfile.TemporaryDirectory(prefix="cloudpickle-repro-") as root:
        universe = os.path.join(root, "universe")
        os.makedirs(universe)
        for path, text in FILES.items():
            target = os.path.join(universe, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        # Written next to the universe, not in it: the module stays unimportable.
        module_file = os.path.join(root, "case_module.py")
        with open(module_file, "w", encoding="utf-8") as handle:
            handle.write(SOURCE)
        sys.path.insert(0, universe)
        importlib.invalidate_caches()
        module = types.ModuleType("cloudpickle_repro_case")
        namespace = module.__dict__ if MODULE_REGISTERED else {"__name__": module.__name__}
        namespace["__builtins__"] = builtins
        if MODULE_REGISTERED:
            sys.modules[module.__name__] = module
            cloudpickle.register_pickle_by_value(module)
        try:
            for name in PARENT_IMPORTS:
                importlib.import_module(name)
            exec(compile(SOURCE, module_file, "exec"), namespace)
            namespace["pickled"] = cloudpickle.dumps
            for step in STEPS:
                exec(compile(step, module_file, "exec"), namespace)
            func = eval(ENTRY, namespace)
            assert callable(func), f"ENTRY gives {type(func).__name__}, not a function"
        except BaseException:
            print("The case could not be set up here:")
            traceback.print_exc(file=sys.stdout)
            return 2

        del RECORDED[:]  # forget what the steps pickled
        try:
            data = cloudpickle.dumps(func)
        except BaseException:
            print("FAIL: cloudpickle.dumps raised:")
            traceback.print_exc(file=sys.stdout)
            return 1
        recorded = sorted({name for names in RECORDED for name in names})
        if observed:
            print("submodules cloudpickle recorded:", ", ".join(recorded) or "none")

        home = outcome(func)
        print("at home:       ", show(home))
        try:
            child = subprocess.run(
                [sys.executable, "-I", "-c", LOADER, universe, cloudpickle_root],
                input=data,
                capture_output=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            print(f"FAIL: the fresh interpreter hung for {TIMEOUT} s")
            return 1
        out = child.stdout.decode("utf-8", "replace")
        body, _, result_line = out.rstrip("\\n").rpartition("\\nRESULT ")
        errors = child.stderr.decode("utf-8", "replace").strip("\\n")
        if body.strip() or errors:
            print("--- output of the fresh interpreter ---")
            print("\\n".join(text for text in (body.strip("\\n"), errors) if text))
        if child.returncode != 0 or not result_line:
            print(f"FAIL: the fresh interpreter died (exit status {child.returncode})")
            return 1
        loaded = json.loads(result_line)
        print("after loading: ", show(loaded))
        watched = set(NEEDED if NEEDED is not None else recorded)
        already = sorted(watched & set(loaded["preloaded"]))
        if already:
            print(f"note: the fresh interpreter had {', '.join(already)} loaded already; this proves little")
        if (loaded["status"], loaded["value"]) != (home["status"], home["value"]):
            print("FAIL: the unpickled function does not behave as it does at home")
            return 1
        print("OK: the unpickled function behaves as it does at home")
        return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def _files_block(files: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"    {path!r}: {literal(text)},\n" for path, text in files)


def _steps_block(steps: tuple[str, ...]) -> str:
    if not steps:
        return "[]"
    return "[\n" + "".join(f"    {literal(step)},\n" for step in steps) + "]"


def _detector_block(side: str) -> tuple[str, str]:
    """The DETECTOR definition for ``side`` and a one-line note on it."""
    try:
        spec = parse_side_spec(side)
    except SideSpecError as exc:
        raise ReproducerError(f"cannot reproduce side {side!r}: {exc}") from None
    if spec.tree is not None:
        return "DETECTOR = None  # the checkout's own submodule detection\n", (
            f"the cloudpickle checkout {spec.tree} (put first on sys.path above)"
        )
    target = spec.detector
    if target is None:
        return "DETECTOR = None  # the installed cloudpickle's own submodule detection\n", (
            "the cloudpickle this script imports, unchanged"
        )
    resolve_detector(side, target)  # a clear SideSpecError now rather than a broken script
    module_name, _, attr = target.partition(":")
    parts = [
        "# --- CANDIDATE DETECTION " + "-" * 50,
        f"# The side {side!r} is the installed cloudpickle with its submodule detection",
        f"# replaced by {module_name}.{attr}; its source (and the project modules it",
        "# imports) are vendored below so this script runs with a stock cloudpickle.",
        "# To test the installed cloudpickle as it is, replace this block with: DETECTOR = None",
        "import types as _types",
        "",
        "VENDORED = [  # (module name, is a package, source), dependencies first",
    ]
    for name, source, is_package in vendored_modules(module_name):
        parts.append(f"    ({name!r}, {is_package!r}, {literal(source)}),")
    parts += [
        "]",
        "for _name, _is_package, _source in VENDORED:",
        "    for _i in range(1, _name.count('.') + 1):",
        "        _parent = _name.rsplit('.', _i)[0]",
        "        if _parent not in sys.modules:",
        "            sys.modules[_parent] = _types.ModuleType(_parent)",
        "            sys.modules[_parent].__path__ = []",
        "    _module = _types.ModuleType(_name)",
        "    if _is_package:",
        "        _module.__path__ = []",
        "    sys.modules[_name] = _module",
        "    exec(compile(_source, f'<vendored {_name}>', 'exec'), _module.__dict__)",
        "    if '.' in _name:",
        "        setattr(sys.modules[_name.rsplit('.', 1)[0]], _name.rsplit('.', 1)[1], _module)",
        f"DETECTOR = getattr(sys.modules[{module_name!r}], {attr!r})",
        "# --- END OF CANDIDATE DETECTION " + "-" * 43,
    ]
    return "\n".join(parts) + "\n", f"{side} ({module_name}.{attr}) swapped into the installed cloudpickle"


def _path_setup(side: str) -> str:
    root = parse_side_spec(side).tree
    if root is None:
        return ""
    note = "# The cloudpickle under test: a source checkout on this machine; edit for yours."
    return f"\n{note}\nsys.path.insert(0, {root!r})\n"


def reproducer(entry: CorpusEntry, side: str | None = None, origin: str = "(not saved)") -> str:
    """The standalone script for ``entry``, pickling with ``side`` (default: its candidate)."""
    side = side or entry.candidate
    case = entry.case
    detector, side_note = _detector_block(side)
    verdicts = ", ".join(f"{v} on {k}" for k, v in sorted(entry.verdicts.items())) or "no verdicts"
    values = {
        "ORIGIN": _comment(origin),
        "NAME": _comment(case.name or "(unnamed)"),
        "TAGS": _comment(", ".join(case.tags) or "none"),
        "BASELINE": _comment(entry.baseline),
        "CANDIDATE": _comment(entry.candidate),
        "VERDICTS": _comment(verdicts),
        "SIDE_NOTE": _comment(side_note),
        "FILES": _files_block(case.files),
        "PARENT_IMPORTS": repr(list(case.parent_imports)),
        "SOURCE": literal(case.source),
        "STEPS": _steps_block(getattr(case, "steps", ())),
        "ENTRY": repr(case.entry),
        "MODULE_REGISTERED": repr(case.module_registered),
        "NEEDED": repr(list(case.needed)) if case.needed is not None else "None",
        "TIMEOUT": str(CHILD_TIMEOUT),
        "PATH_SETUP": _path_setup(side),
        "DETECTOR": detector,
        "HELPERS": helpers(),
        "LOADER": _LOADER_MAIN,
    }
    # One pass, so text substituted in (a case's source, say) is never scanned again.
    script = re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _TEMPLATE)
    compile(script, "<reproducer>", "exec")  # a generated script that does not compile is a bug here
    return script
