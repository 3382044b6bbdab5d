"""What a finding is a case of, in words a cloudpickle maintainer knows: the key findings are grouped by.

A shrunk case keeps only what its failure needs, so what is left says why it
fails. The root cause is read from the case's *facts*
(:mod:`fuzz.shrinking.case_facts`: the pickled function found from the entry
and the source, its module accesses classified from the code, the package
files' ``__init__`` behaviour, the function's definition), never from the
generator's names (``f``, ``make``, ``v<i>``), so a hand-written corpus case
or a function shaped after real code is grouped and worded like a generated
one. Of the accesses still in the case, the *blamed* ones are those whose
needed submodules the candidate did not record (the generator's ``access:``
tags say which where a case has them; matched to the accesses the shrunk
source still holds by way and module, not by ``v<i>``; otherwise what the
candidate missed against the baseline); the others only make the baseline
work. The key is:

* the verdict and the candidate's failure;
* the family of each blamed way of access (:mod:`strategies.ways`): a
  family, not a way, because a detector that misses a local alias misses a
  walrus for the same reason;
* what the package's ``__init__`` does on the blamed path: a re-export under
  another name, an eager import, a lazy ``__getattr__``, a shadowed child;
* whether the blamed access sits in nested code or in a branch that never runs;
* whether the world changed between two pickles, and which ``sys.modules``
  hazard the parent was left in;
* the function's features that are not the default (keyword-only
  parameters, a module default in ``__kwdefaults__``, annotations, type
  parameters, decorators, ``async``, a generator, where the function comes
  from): a 1-minimal case keeps such a feature only if the failure needs it;
* or, when a size threshold is all that is left to blame, the size alone:
  which operand table (names, constants, locals, cells), and whether an
  operand of the access went past one byte (``EXTENDED_ARG``).

The words say the mechanism first and name only ways of access the shrunk
example uses: "regression (AttributeError): a submodule reached through a
re-export under another name (`alpha.shortcut` is `alpha.core`), from its
package's global name (`alpha.shortcut.core`)". Two findings alike in the
key are one root cause, whatever their package names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fuzz.isolation.side_effects import SideEffect, not_made_by
from fuzz.model import tags as tagging
from fuzz.model.case import Case
from fuzz.model.records import ROLES, CaseRecord, side_of
from fuzz.model.verdict import Kind
from fuzz.shrinking.case_facts import (
    AccessFact,
    Annotation,
    CaseFacts,
    DefaultPlace,
    FunctionFeatures,
    Nested,
    Origin,
    ParameterKind,
    Shape,
    case_facts,
    changes_after_a_pickle,
    extended_operands,
    hazard_kept,
)
from strategies.hazards import HAZARDS
from strategies.history_changes import CHANGES
from strategies.ways import WAYS

__all__ = [
    "RootCause",
    "blamed_accesses",
    "blamed_ways",
    "changes_after_a_pickle",
    "hazard_kept",
    "recorded_modules",
    "root_cause",
    "seen_as",
    "threshold_words",
]

#: How each package shape on the blamed path reads.
SHAPE_WORDS = {
    Shape.REEXPORT: "a re-export under another name",
    Shape.EAGER: "its package's eager import",
    Shape.LAZY: "its package's lazy PEP 562 __getattr__",
    Shape.SHADOWED: "a name its package binds to a stand-in until the submodule is imported",
}


def _named(table: Mapping[str, object], name: str, attribute: str) -> str:
    """How ``name`` reads (its entry's ``attribute`` in its own table: a way, a change, a hazard), else itself."""
    entry = table.get(name)
    return str(getattr(entry, attribute)) if entry is not None else name


PARAMETER_WORDS = {
    ParameterKind.POSITIONAL_ONLY: "positional-only parameters",
    ParameterKind.POSITIONAL_ONLY_DEFAULT: "positional-only parameters with defaults",
    ParameterKind.POSITIONAL_DEFAULT: "parameters with defaults",
    ParameterKind.VARARGS: "*args",
    ParameterKind.KEYWORD_ONLY: "keyword-only parameters",
    ParameterKind.KEYWORD_ONLY_DEFAULT: "keyword-only parameters with defaults",
    ParameterKind.VARKW: "**kwargs",
}
DEFAULT_WORDS = {
    DefaultPlace.POSITIONAL_ONLY: "a module as a positional-only default",
    DefaultPlace.KEYWORD_ONLY: "a module as a keyword-only default (in __kwdefaults__)",
}
ANNOTATION_WORDS = {
    Annotation.PLAIN: "annotations",
    Annotation.STRING: "string annotations",
    Annotation.MODULE: "a module as an annotation",
}
ORIGIN_WORDS = {
    Origin.MAIN: "defined in a script (__name__ = '__main__')",
    Origin.REGISTERED: "defined in a module registered in sys.modules",
    Origin.FUNCTION_TYPE: "copied with types.FunctionType",
    Origin.EXEC_GLOBALS: "defined by exec into a custom globals dict",
}
#: Parameters every kind of function has (``self``, ``x=0``): facts, but no part of a cause.
ORDINARY = frozenset({ParameterKind.POSITIONAL, ParameterKind.POSITIONAL_DEFAULT})
#: Decorators that make the function a kind of method; any other is a wrapper.
METHOD_DECORATORS = {"staticmethod": "a staticmethod", "classmethod": "a classmethod", "property": "a property getter"}
#: Ways that find the package by a string at run time: never a dependency cloudpickle hands a detector.
STRING_LOOKUPS = frozenset({"globals-lookup", "sys-modules", "import-module"})
#: What each operand of a size threshold counts, and the code object's table it lives in.
OPERAND_TABLES = {"names": "co_names", "constants": "co_consts", "locals": "co_varnames", "cells": "co_cellvars"}
#: Distinct access mechanisms named in one root cause's words, at most.
MOST_NAMED = 3


@dataclass(frozen=True)
class RootCause:
    """The grouping key of a finding, its description, and the ways of access its example blames."""

    key: tuple
    words: str
    ways: tuple[str, ...] = ()


def _matches(tag: tagging.AccessTag, access: AccessFact) -> bool:
    """Whether a generated access's tag describes an access the (shrunk) source still makes."""
    return tag.way in access.ways and set(tag.needs) <= set(access.modules)


def _prefer_dependencies(
    blamed: list[AccessFact], accesses: tuple[AccessFact, ...]
) -> tuple[list[AccessFact], list[AccessFact]]:
    """A lookup by string gives no side the package as a dependency: blame the access that does, if any.

    The access that hands over the package (an alias, a closure...) is what one
    side follows and the other does not; the lookup only uses the submodule.
    Returns the blamed accesses, and the lookups they stand in for (empty when none).
    """
    if blamed and all(a.way in STRING_LOOKUPS for a in blamed):
        others = [a for a in accesses if a.way not in STRING_LOOKUPS]
        if others:
            return others, blamed
    return blamed, []


def recorded_modules(record: CaseRecord) -> tuple[str, ...]:
    """The modules either side recorded for the case: modules that exist, whatever the case imports."""
    return tuple(m for role in ROLES for m in side_of(record, role)["submodules"])


def _blame(record: CaseRecord, case: Case, facts: CaseFacts) -> tuple[tuple[AccessFact, ...], tuple[AccessFact, ...]]:
    """The blamed accesses, and the lookups by string that reach the missed submodule through them."""
    accesses = facts.accesses
    if not accesses:
        return (), ()
    candidate = record["candidate"]
    recorded = set(candidate["submodules"])
    tagged = tagging.accesses(case.tags)
    if tagged:
        remaining = [t for t in tagged.values() if any(_matches(t, a) for a in accesses)]
        missing = [t for t in remaining if set(t.needs) - recorded] or remaining
        found = [a for a in accesses if any(_matches(t, a) for t in missing)]
        if found:
            blamed, lookups = _prefer_dependencies(found, accesses)
            return tuple(blamed), tuple(lookups)
    # No tags (a hand-written case, real code), or none still in the source: what the candidate missed.
    given = candidate["missed"]
    missed = set(given) if given is not None else set(record["baseline"]["submodules"]) - recorded
    found = [a for a in accesses if set(a.modules) & missed]
    found = found or [a for a in accesses if set(a.submodules) - recorded]
    blamed, lookups = _prefer_dependencies(found, accesses)
    return tuple(blamed or accesses), tuple(lookups)


def blamed_accesses(record: CaseRecord, case: Case, facts: CaseFacts | None = None) -> tuple[AccessFact, ...]:
    """The accesses of the shrunk case whose needed submodules the candidate did not record."""
    facts = facts if facts is not None else case_facts(case, recorded_modules(record))
    return _blame(record, case, facts)[0]


def blamed_ways(record: CaseRecord, case: Case) -> tuple[str, ...]:
    """The ways of access the finding's shrunk case blames, each once."""
    return tuple(sorted({a.way for a in blamed_accesses(record, case)}))


# -- words --------------------------------------------------------------------------------------


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _how(access: AccessFact) -> str:
    """The access's way as a mechanism, with the construct inside it (a cell's local, a walrus in a conditional)."""
    how = _named(WAYS, access.way, "mechanism")
    inner = [_named(WAYS, w, "mechanism") for w in access.through]
    if not inner:
        return how
    if access.way == "cell":
        return f"{inner[0]} read by a nested scope (a cell)"
    return f"{how} around {' and '.join(inner)}"


def _access_words(access: AccessFact) -> tuple[str, str]:
    """One blamed access as a mechanism: what it reaches, and how (the package shape on its path first)."""
    what = "a submodule" if access.submodules else "the package"
    bound_alone = access.binding.split("=", 1)[0].strip() == access.text
    seen = _code(access.binding) if bound_alone else _code(access.text)
    if access.binding and not bound_alone:
        seen = f"{_code(access.binding)}, then {seen}"
    shapes = list(dict.fromkeys(access.shapes))
    how = "its global name" if access.way == "global-dotted" and not access.submodules else _how(access)
    if not shapes:
        return what, f"{how} ({seen})"
    named = []
    for shape in dict.fromkeys(s.shape for s in shapes):
        steps = [s for s in shapes if s.shape == shape]
        if shape == Shape.REEXPORT:
            detail = ", ".join(f"{_code(s.written)} is {_code(s.module)}" for s in steps)
        else:
            detail = ", ".join(_code(s.module) for s in steps)
        named.append(f"{SHAPE_WORDS[shape]} ({detail})")
    return what, f"{' and '.join(named)}, from {how} ({seen})"


def _phrases(accesses: tuple[AccessFact, ...]) -> dict[tuple, tuple[str, str]]:
    """``(what, how)`` of each access, alike ones (same way, same package shapes) once."""
    phrases: dict[tuple, tuple[str, str]] = {}
    for access in accesses:
        phrases.setdefault(
            (access.way, access.through, tuple(sorted({s.shape for s in access.shapes}))), _access_words(access)
        )
    return phrases


def _mechanisms(blamed: tuple[AccessFact, ...], lookups: tuple[AccessFact, ...] = ()) -> str:
    """The blamed accesses' mechanisms: "a submodule reached through A and through B; the package ... C".

    With lookups by string, those come first (they reach the submodule), then the accesses that give the
    function the package: "a submodule reached through a globals() lookup (...), the package also
    reached through its global name (...)".
    """
    if lookups:
        holders = [how for _, how in list(_phrases(blamed).values())[:MOST_NAMED]]
        return _mechanisms(lookups) + ", the package also reached through " + " and through ".join(holders)
    phrases = _phrases(blamed)
    named = list(phrases.values())[:MOST_NAMED]
    more = len(phrases) - len(named)
    by_what: dict[str, list[str]] = {}
    for what, how in named:
        by_what.setdefault(what, []).append(how)
    words = "; ".join(f"{what} reached through " + " and through ".join(hows) for what, hows in by_what.items())
    return words + (f" (and {more} more)" if more > 0 else "")


def _placement_words(blamed: tuple[AccessFact, ...], features: FunctionFeatures) -> tuple[list[str], bool, bool]:
    """Where the blamed accesses sit (nested code, a branch that never runs), as words and as two flags."""
    if blamed:
        nested = [k for k in Nested if any(k in a.nested for a in blamed)]
        dead = any(a.dead for a in blamed)
    else:
        nested, dead = list(features.nested), features.dead_branch
    words = []
    if nested:
        words.append("in nested code (" + ", ".join(f"a {k}" for k in nested) + ")")
    if dead:
        words.append("in a branch that never runs")
    return words, bool(nested), dead


def _decorator_kind(text: str) -> str:
    name = text.split("(", 1)[0]
    return name if name in METHOD_DECORATORS else "decorator"


def feature_keys(facts: CaseFacts) -> tuple[str, ...]:
    """The function's features that are not the default, as key items: each is part of the cause when kept."""
    features = facts.features
    keys = [f"parameters:{k}" for k in features.parameters if k not in ORDINARY]
    keys += [f"module-default:{p}" for p in features.module_defaults if p != DefaultPlace.POSITIONAL]
    keys += [f"annotation:{a}" for a in features.annotations]
    keys += ["type-params"] if features.type_params else []
    keys += sorted({f"decorator:{_decorator_kind(d)}" for d in features.decorators})
    keys += ["async"] if features.is_async else []
    keys += ["generator"] if features.is_generator else []
    keys += [f"origin:{facts.origin}"] if facts.origin != Origin.DYNAMIC_MODULE else []
    return tuple(keys)


#: Parameter kinds that come with and without defaults: one phrase for both.
PAIRED = (
    (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL_ONLY_DEFAULT, "positional-only parameters"),
    (ParameterKind.KEYWORD_ONLY, ParameterKind.KEYWORD_ONLY_DEFAULT, "keyword-only parameters"),
)


def _parameter_words(kinds: tuple[ParameterKind, ...]) -> list[str]:
    words = []
    for kind in kinds:
        pair = next((p for p in PAIRED if kind in p[:2]), None)
        if pair is None:
            words.append(PARAMETER_WORDS[kind])
        elif kind == pair[0] or pair[0] not in kinds:
            with_default, without = pair[1] in kinds, pair[0] in kinds
            words.append(
                pair[2]
                + (" (some with defaults)" if with_default and without else " with defaults" if with_default else "")
            )
    return words


def _function_words(facts: CaseFacts) -> str:
    """The function's non-default features: "an async function with keyword-only parameters with defaults"."""
    features = facts.features
    kind = "async generator function" if features.is_async and features.is_generator else (
        "async function" if features.is_async else "generator function" if features.is_generator else "function"
    )  # fmt: skip
    having = _parameter_words(tuple(k for k in features.parameters if k in PARAMETER_WORDS and k not in ORDINARY))
    having += [DEFAULT_WORDS[p] for p in features.module_defaults if p in DEFAULT_WORDS]
    having += [ANNOTATION_WORDS[a] for a in features.annotations]
    having += ["type parameters (PEP 695)"] if features.type_params else []
    methods = [METHOD_DECORATORS[k] for d in features.decorators if (k := _decorator_kind(d)) in METHOD_DECORATORS]
    wrappers = [d for d in features.decorators if _decorator_kind(d) == "decorator"]
    if not (having or methods or wrappers or kind != "function" or facts.origin != Origin.DYNAMIC_MODULE):
        return ""
    article = "an" if kind[0] in "aeiou" else "a"
    words = f"{article} {kind}"
    if methods:
        words = f"{methods[0]} ({words})" if kind != "function" else methods[0]
    if having:
        words += " with " + ", ".join(having)
    if wrappers:
        words += (", " if having else " ") + "decorated with " + ", ".join("@" + d for d in wrappers)
    if facts.origin != Origin.DYNAMIC_MODULE:
        words += (", " if having or wrappers else " ") + ORIGIN_WORDS[facts.origin]
    return words


def _failure_words(failure: str) -> str:
    """``raised:AttributeError`` as ``AttributeError``; a load error, a wrong value and the rest as such."""
    status, _, detail = failure.partition(":")
    if status in ("raised", "pickling") and detail:
        return detail
    if status == "load_error" and detail:
        return f"{detail} on load"
    if status == "returned":
        return "a wrong value"
    return failure.replace(":", ": ")


def _count(threshold: dict, side: str, operand: str) -> object:
    for key in (f"{side}_with_{operand}", f"{side}_with", f"{side}_with_names"):
        if key in threshold:
            return threshold[key]
    return "?"


def _threshold_operand(threshold: dict) -> str:
    return str(threshold.get("operand") or "names")


def threshold_words(threshold: dict, facts: CaseFacts | None = None, blamed: tuple[AccessFact, ...] = ()) -> str:
    """A size threshold as a mechanism: where the access's operand sits, or how big the function is."""
    operand = _threshold_operand(threshold)
    table = OPERAND_TABLES.get(operand, operand)
    fails, passes = _count(threshold, "fails", operand), _count(threshold, "passes", operand)
    extended = _extended(facts, blamed)
    far = [e for e in extended if e.index is not None and e.index > 255]
    if operand == "names" and far:
        return (
            "a submodule whose name sits past index 255 of co_names "
            f"(fails with {fails} names or more; passes with {passes})"
        )
    if extended:
        one = extended[0]
        return (
            f"a submodule whose {one.opname} of `{one.argval}` takes an EXTENDED_ARG prefix "
            f"(fails with {fails} {operand} or more in {table}; passes with {passes})"
        )
    return f"a function whose {table} holds {fails} {operand} or more (passes with {passes})"


def _extended(facts: CaseFacts | None, blamed: tuple[AccessFact, ...]) -> tuple:
    if facts is None or not facts.codes:
        return ()
    found: list = []
    for access in blamed or facts.accesses:
        found += [e for e in extended_operands(facts.codes, access) if e not in found]
    return tuple(found)


# -- the root cause --------------------------------------------------------------------------------


def root_cause(record: CaseRecord, case: Case, threshold: dict | None = None) -> RootCause:
    """The root cause of a finding's record (its ``case`` already parsed as ``case``)."""
    kind, failure = record["kind"], record["candidate"]["behaviour"]
    if kind == Kind.SIDE_EFFECT:
        return side_effect_cause(record)
    facts = case_facts(case, recorded_modules(record))
    blamed, lookups = _blame(record, case, facts)
    ways = tuple(sorted({a.way for a in (*blamed, *lookups)}))
    head = f"{kind} ({_failure_words(failure)}): "
    if threshold is not None:
        # Size is the cause: whatever way of access a function over the threshold uses fails alike.
        extended = bool(_extended(facts, (*blamed, *lookups)))
        key: tuple = (kind, failure, "size", _threshold_operand(threshold), extended)
        return RootCause(key, head + threshold_words(threshold, facts, (*blamed, *lookups)), ways)
    families = tuple(sorted({a.family for a in blamed}))
    shapes = tuple(sorted({str(s.shape) for a in (*blamed, *lookups) for s in a.shapes}))
    placement, nested, dead = _placement_words((*blamed, *lookups), facts.features)
    features = feature_keys(facts)
    key = (
        kind,
        failure,
        ("families", families),
        ("lookups", tuple(sorted({a.family for a in lookups}))),
        ("shapes", shapes),
        ("nested", nested),
        ("dead", dead),
        ("changed", bool(facts.changes)),
        ("hazard", facts.hazard),
        ("features", features),
        ("lazy", tuple(re.sub(r"`[^`]*`", "", w) for w in facts.lazy)),
        ("annotation-reads", facts.annotation_reads),
    )
    mechanism = _mechanisms(blamed, lookups) if blamed else ""
    changes = (
        ["pickled once, then again after " + " and ".join(_named(CHANGES, c, "after") for c in facts.changes)]
        if facts.changes
        else []
    )
    function = _function_words(facts) if features else ""
    hazard = "sys.modules holding " + _named(HAZARDS, facts.hazard, "words") if facts.hazard else ""
    lazy = ", ".join(facts.lazy)
    if kind == "crash":
        # A crash is the candidate choking on something: the odd state (a lazy import's proxy in the globals,
        # sys.modules) or the odd function comes first.
        parts = [lazy, hazard, function, mechanism, *placement, *changes]
    else:
        parts = [mechanism, *placement, *changes]
        parts += ["with " + hazard] if hazard else []
        parts += ["with " + lazy] if lazy else []
        parts += [", ".join(facts.annotation_reads)] if facts.annotation_reads else []
        parts += ["in " + function] if function else []
    words = head + ("; ".join(p for p in parts if p) or "see the example")
    return RootCause(key, words, ways)


def side_effect_cause(record: CaseRecord) -> RootCause:
    """A change to the pickling process: the kinds of change are the cause, the example's words name it.

    Whatever way of access or function the case has, the same change (an
    import, a process left running) is one finding.
    """
    effects = tuple(SideEffect.from_dict(e) for e in record["candidate"].get("side_effects", ()))
    theirs = tuple(SideEffect.from_dict(e) for e in record["baseline"].get("side_effects", ()))
    own = not_made_by(theirs, effects) or effects
    key = (Kind.SIDE_EFFECT, tuple(sorted({str(e.kind) for e in own})))
    words = "; ".join(e.words for e in own) or "changed the pickling process"
    return RootCause(key, f"side_effect: the candidate {words} while pickling (the baseline did not)", ())


def seen_as(ways: list[str], changes: list[str]) -> str:
    """The ways of access and state changes a finding's cases showed, for the line under its heading."""
    named = [_named(WAYS, w, "words") for w in dict.fromkeys(ways)]
    named += [_named(CHANGES, c, "words") for c in dict.fromkeys(changes)]
    return ", ".join(named)
