"""What a finding is a case of, in plain words: the key findings are grouped by.

A shrunk case keeps only what its failure needs, so what is left says why it
fails. Of the accesses still in it (the generator's ``access:`` tags of the
``v<i>`` values still assigned), the *blamed* ones are those whose needed
submodules the candidate did not record; the others only make the baseline
work. The root cause is then:

* the families of the blamed ways of access (:mod:`strategies.ways`: the
  package's own global names, closure variables, aliases made inside the
  function, attributes or items of another object, names looked up at run
  time); a family, not a way, because a detector that misses a local alias
  misses a walrus for the same reason, and the table stays readable (the
  ways seen are listed in the finding);
* whether the access sits in nested code (a nested function, a lambda, a
  comprehension, a class body) or in a branch that never runs;
* whether the state machine changed the world between two pickles;
* which odd ``sys.modules`` state the parent was in, if shrinking kept it
  (:mod:`strategies.hazards`);
* whether a size threshold is all that is left to blame.

Two findings alike in these, with the same verdict and the same failure on
the candidate's side, are one root cause, whatever their package names or
the tags of the first example seen.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from fuzz import tags as tagging
from fuzz.case import Case
from fuzz.pickling_history import change_of
from fuzz.records import ways_of
from strategies.ways import WAYS

#: How each family of ways reads in a report: ``package reached through ...``.
FAMILY_WORDS = {
    "direct": "its own global names (pkg.sub, import ... as m, m = pkg)",
    "closures": "closure variables",
    "aliases": "an alias made inside the function (a local, a default argument, a conditional or walrus)",
    "containers": "an attribute or item of another object",
    "dynamic": "a name looked up at run time (getattr, globals(), sys.modules, importlib, a local import)",
}
#: How each way reads where a finding lists the ways seen.
WAY_WORDS = {
    "global-dotted": "pkg.sub.X",
    "import-as": "import pkg.sub as m",
    "module-alias": "m = pkg at module level",
    "closure": "a factory's closure variable",
    "cell": "a local read by a nested scope",
    "local-alias": "p = pkg; p.sub",
    "default-arg": "def f(m=pkg)",
    "object-attr": "Holder.mod.sub",
    "container-item": "box['m'].sub",
    "getattr-const": "getattr(pkg, 'sub')",
    "getattr-computed": "getattr with a computed name",
    "conditional": "(pkg if c else None).sub",
    "walrus": "(p := pkg).sub",
    "globals-lookup": "globals()['pkg']",
    "sys-modules": "sys.modules['pkg']",
    "import-module": "importlib.import_module('pkg')",
    "import-inside": "an import inside the function",
}
#: How each state-machine change reads where a finding lists the changes seen.
CHANGE_WORDS = {
    "rebind-global": "a global alias rebound",
    "set-cell": "a closure cell set",
    "replace-code": "__code__ replaced",
    "import": "a submodule imported",
    "remove": "a submodule removed from sys.modules",
    "factory-again": "the factory called again",
}
#: How each ``sys.modules`` hazard reads: ``with sys.modules holding ...``.
HAZARD_WORDS = {
    "none-key": "a None key",
    "non-string-key": "a key that is not a string",
    "none-entry": "None for a module (an import blocked)",
    "no-package": "a package without __package__",
    "replaced-by-object": "another object in a module's place",
    "unhashable-replacement": "an unhashable object in a module's place",
    "import-during-scan": "a key whose use imports (the dictionary changes size mid-scan)",
}
#: Nested code, as found in the shrunk function: where a detector that scans one code object looks not.
NESTED = ("lambda", "comprehension", "nested function", "class body")
#: Ways that find the package by a string at run time: never a dependency cloudpickle hands a detector.
STRING_LOOKUPS = frozenset({"globals-lookup", "sys-modules", "import-module"})
_ASSIGNED = re.compile(r"^v(\d+)$")
_DEAD = "len(__name__)<0"


@dataclass(frozen=True)
class RootCause:
    """The grouping key of a finding, its description, and the ways of access its example blames."""

    key: tuple
    words: str
    ways: tuple[str, ...] = ()


def _remaining_accesses(tree: ast.Module) -> set[int]:
    """Indices ``i`` of the ``v<i>`` values the case's source still assigns."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            match = _ASSIGNED.match(node.id)
            if match:
                found.add(int(match.group(1)))
    return found


def _placement(tree: ast.Module, entry: str) -> tuple[str, ...]:
    """The nested code kinds (see :data:`NESTED`) and dead branches left in the pickled function."""
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    # Generated functions are ``f``, at module level or inside a factory ``make``.
    function = functions.get("f") or functions.get(entry)
    if function is None:
        return ()
    found = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Lambda):
            found.add("lambda")
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            found.add("comprehension")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node is not function:
            found.add("nested function")
        elif isinstance(node, ast.ClassDef):
            found.add("class body")
        elif isinstance(node, ast.If) and ast.unparse(node.test).replace(" ", "") == _DEAD:
            found.add("dead branch")
    return tuple(sorted(found))


def blamed_ways(record: dict, case: Case) -> tuple[str, ...]:
    """The ways of access the finding's case blames (generated cases), or its hand-written labels."""
    accesses = tagging.accesses(case.tags)
    if not accesses:
        return tuple(w for w in ways_of(case.tags) if w in WAYS)
    try:
        remaining = _remaining_accesses(ast.parse(case.source)) & set(accesses) or set(accesses)
    except SyntaxError:
        remaining = set(accesses)
    # The cause is the access whose needs the candidate missed; the others only make the baseline work
    # (a global use of the package, say, without which neither side records anything).
    recorded = set(record["candidate"]["submodules"])
    blamed = {accesses[i].way for i in remaining if set(accesses[i].needs) - recorded}
    others = {accesses[i].way for i in remaining} - STRING_LOOKUPS
    if blamed <= STRING_LOOKUPS and others:
        # A lookup by string gives no side the package as a dependency: the access that does (an alias, a
        # closure...) is what one side follows and the other does not; the lookup only uses the submodule.
        blamed = others
    return tuple(sorted(blamed or {accesses[i].way for i in remaining}))


def changes_after_a_pickle(steps: tuple[str, ...]) -> tuple[str, ...]:
    """The state changes made after a function was pickled once: what a cache could have missed.

    A change before any pickle (an import, a rebinding) only sets the scene.
    """
    changes: set[str] = set()
    pickled = False
    for step in steps:
        if step.startswith("pickled("):
            pickled = True
        elif pickled and (change := change_of(step)) is not None:
            changes.add(change)
    return tuple(sorted(changes))


def hazard_kept(case: Case) -> str:
    """The ``sys.modules`` hazard a (shrunk) case still makes, or "" (its step was shrunk away, or none)."""
    kept = any(not step.startswith("pickled(") and change_of(step) is None for step in case.steps)
    return case.hazard if kept else ""


def root_cause(record: dict, case: Case, threshold: dict | None = None) -> RootCause:
    """The root cause of a finding's record (its ``case`` already parsed as ``case``)."""
    kind, failure = record["kind"], record["candidate"]["behaviour"]
    ways = blamed_ways(record, case)
    families = tuple(sorted({WAYS[w].family for w in ways if w in WAYS}))
    try:
        placement = _placement(ast.parse(case.source), case.entry.split("(", 1)[0].strip())
    except SyntaxError:
        placement = ()
    nested = any(p in NESTED for p in placement)
    dead = "dead branch" in placement
    changes = changes_after_a_pickle(case.steps)
    hazard = hazard_kept(case)
    key: tuple = (kind, failure, families, nested, dead, bool(changes), threshold is not None, hazard)
    if threshold is not None:
        # Size is the cause: whatever way of access a function over the threshold uses fails alike.
        key = (kind, failure, "size")
        families, nested, dead, changes = (), False, False, ()
    parts = []
    if families:
        parts.append("package reached through " + " and ".join(FAMILY_WORDS[f] for f in families))
    if nested:
        parts.append("in nested code (" + ", ".join(p for p in placement if p in NESTED) + ")")
    if dead:
        parts.append("in a branch that never runs")
    if changes:
        parts.append("then the world changed between two pickles of the same function")
    if hazard:
        parts.append("with sys.modules holding " + HAZARD_WORDS.get(hazard, hazard))
    if threshold is not None:
        fails, passes = threshold["fails_with_names"], threshold["passes_with_names"]
        parts.append(f"a function with {fails} names or more (passes with {passes})")
    words = f"{kind} ({failure.replace(':', ': ')}): " + ("; ".join(parts) or "see the example")
    return RootCause(key, words, ways)


def seen_as(ways: list[str], changes: list[str]) -> str:
    """The ways of access and state changes a finding's cases showed, for the line under its heading."""
    named = [WAY_WORDS.get(w, w) for w in dict.fromkeys(ways)]
    named += [CHANGE_WORDS.get(c, c) for c in dict.fromkeys(changes)]
    return ", ".join(named)
