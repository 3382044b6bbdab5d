"""Facts of a case read from its code, and root causes keyed and worded from them.

Every case here is written by hand, as a corpus case or a function shaped
after real code would be: no ``access:`` tags, and none of the generator's
names (``f``, ``make``, ``Service``, ``v0``), unless a test is about tags.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import sys
import textwrap

import pytest

from fuzz.model import tags as tagging
from fuzz.model.case import Case, tupled
from fuzz.shrinking.case_facts import (
    Annotation,
    DefaultPlace,
    Nested,
    Origin,
    ParameterKind,
    Reached,
    Shape,
    case_facts,
    constant_truth,
    universe_facts,
)
from fuzz.shrinking.root_cause import blamed_accesses, root_cause
from strategies.ways import WAYS

#: ``alpha.shortcut`` is ``alpha.core``, whose child ``leaf`` nothing imports eagerly.
REEXPORT = (
    ("alpha/__init__.py", "from . import core as shortcut\n"),
    ("alpha/core/__init__.py", "VALUE = 'alpha.core'\n"),
    ("alpha/core/leaf.py", "VALUE = 'alpha.core.leaf'\n"),
)
#: The same shape under other names.
REEXPORT_ELSEWHERE = (
    ("beta/__init__.py", "from . import engine as fast\n"),
    ("beta/engine/__init__.py", "VALUE = 'beta.engine'\n"),
    ("beta/engine/parts.py", "VALUE = 'beta.engine.parts'\n"),
)
PLAIN = (
    ("alpha/__init__.py", "VALUE = 'alpha'\n"),
    ("alpha/core.py", "VALUE = 'alpha.core'\n"),
    ("alpha/data.py", "VALUE = 'alpha.data'\n"),
)


def source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def facts_of(body: str, entry: str, files: tuple = PLAIN, **fields):
    return case_facts(Case(files, source(body), entry=entry, **fields))


def only_access(facts):
    (access,) = facts.accesses
    return access


def record(
    case: Case,
    kind: str = "regression",
    behaviour: str = "raised:AttributeError",
    candidate: tuple[str, ...] = (),
    baseline: tuple[str, ...] = (),
) -> dict:
    return {
        "kind": kind,
        "candidate": {"submodules": list(candidate), "behaviour": behaviour, "missed": None},
        "baseline": {"submodules": list(baseline), "behaviour": "returned"},
        "case": case.to_dict(),
    }


# -- the pickled function, from the entry -------------------------------------------------------

LOAD_CONFIG = """
    import functools
    import alpha.core.leaf

    def load_config(path, /, *, strict=False):
        return alpha.shortcut.leaf.VALUE
"""


def test_the_function_behind_a_partial_with_real_names_and_a_reexport():
    facts = facts_of(LOAD_CONFIG, "functools.partial(load_config, 'settings.toml')", REEXPORT)
    assert facts.function is not None and facts.function.name == "load_config"
    assert facts.function.reached == (Reached.PARTIAL,)
    assert facts.features.parameters == (ParameterKind.POSITIONAL_ONLY, ParameterKind.KEYWORD_ONLY_DEFAULT)
    access = only_access(facts)
    assert access.way == "global-dotted" and access.text == "alpha.shortcut.leaf"
    assert access.modules == ("alpha", "alpha.core", "alpha.core.leaf")
    (step,) = access.shapes
    assert (step.shape, step.written, step.module) == (Shape.REEXPORT, "alpha.shortcut", "alpha.core")


@pytest.mark.parametrize(
    ("body", "entry", "name", "reached"),
    [
        (
            "def build(mod):\n    def handler():\n        return mod.core.VALUE\n    return handler\n",
            "build(alpha)",
            "handler",
            (Reached.FACTORY,),
        ),
        (
            "class Registry:\n    def lookup(self):\n        return alpha.core.VALUE\n",
            "Registry().lookup",
            "lookup",
            (Reached.CLASS,),
        ),
        (
            "class Registry:\n    @classmethod\n    def create(cls):\n        return alpha.core.VALUE\n",
            "Registry.create",
            "create",
            (Reached.CLASS,),
        ),
        (
            "class Registry:\n    @property\n    def current(self):\n        return alpha.core.VALUE\n",
            "functools.partial(getattr, Registry(), 'current')",
            "current",
            (Reached.CLASS, Reached.PARTIAL),
        ),
        (
            "def run():\n    return alpha.core.VALUE\nHANDLERS = {'run': lambda: run()}\n",
            "HANDLERS['run']",
            "run",
            (Reached.LAMBDA_WRAPPER,),
        ),
        (
            "def worker():\n    return alpha.core.VALUE\n",
            "types.FunctionType(worker.__code__, globals())",
            "worker",
            (Reached.COPY,),
        ),
        (
            "def worker():\n    return alpha.core.VALUE\n\ndef clone(fn):\n"
            "    copy = types.FunctionType(fn.__code__, dict(fn.__globals__), 'clone')\n    return copy\n",
            "clone(worker)",
            "worker",
            (Reached.COPY,),
        ),
        (
            "SCOPE = dict(globals())\nexec('def job():\\n    return alpha.core.VALUE\\n', SCOPE)\njob = SCOPE['job']\n",
            "job",
            "job",
            (Reached.EXEC,),
        ),
        (
            "NS = {}\nexec('def job():\\n    return alpha.core.VALUE\\n', NS)\n",
            "NS['job']",
            "job",
            (Reached.EXEC,),
        ),
    ],
)
def test_the_pickled_function_is_followed_from_the_entry(body, entry, name, reached):
    text = "import functools\nimport types\nimport alpha.core\n" + body
    facts = facts_of(text, entry)
    assert facts.function is not None and facts.function.name == name
    assert facts.function.reached == reached
    assert [a.text for a in facts.accesses] == [a for a in ("mod.core", "alpha.core") if a in body][:1]


def test_a_function_defined_inside_an_exec_string_is_read_from_the_string():
    text = 'SCOPE = {}\nexec("""\nimport alpha.core\ndef job(*, retries=3):\n    return alpha.core.VALUE\n""", SCOPE)\n'
    facts = facts_of(text + "job = SCOPE['job']\n", "job")
    assert facts.origin == Origin.EXEC_GLOBALS
    assert facts.features.parameters == (ParameterKind.KEYWORD_ONLY_DEFAULT,)
    assert only_access(facts).modules == ("alpha", "alpha.core")
    # Compiled from the string, so a size threshold counts the right function's names.
    assert facts.codes and facts.codes[0].co_name == "job"


def test_an_entry_that_names_nothing_known_gives_no_function():
    facts = facts_of("x = 1\n", "x")
    assert facts.function is None and facts.accesses == ()
    assert case_facts(Case((), "def broken(:\n", entry="broken")).function is None


# -- ways of access, from the AST ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "way", "text"),
    [
        ("import alpha.core\ndef load():\n    return alpha.core.VALUE\n", "global-dotted", "alpha.core"),
        ("import alpha.core as engine\ndef load():\n    return engine.VALUE\n", "import-as", "engine"),
        ("import alpha.core\nfrom alpha import core\ndef load():\n    return core.VALUE\n", "import-as", "core"),
        (
            "import alpha.core\nbackend = alpha\ndef load():\n    return backend.core.VALUE\n",
            "module-alias",
            "backend.core",
        ),
        ("import alpha.core\ndef load():\n    pkg = alpha\n    return pkg.core.VALUE\n", "local-alias", "pkg.core"),
        ("import alpha.core\ndef load(engine=alpha):\n    return engine.core.VALUE\n", "default-arg", "engine.core"),
        (
            "import alpha.core\ndef load():\n    return getattr(alpha, 'core').VALUE\n",
            "getattr-const",
            "getattr(alpha, 'core')",
        ),
        (
            "import alpha.core\ndef load():\n    return getattr(alpha, ''.join(['co', 're'])).VALUE\n",
            "getattr-computed",
            "getattr(alpha, ''.join(['co', 're']))",
        ),
        (
            "import alpha.core\ndef load():\n    return globals()['alpha'].core.VALUE\n",
            "globals-lookup",
            "globals()['alpha'].core",
        ),
        (
            "import sys\nimport alpha.core\ndef load():\n    return sys.modules['alpha'].core.VALUE\n",
            "sys-modules",
            "sys.modules['alpha'].core",
        ),
        (
            "import importlib\ndef load():\n    return importlib.import_module('alpha.core').VALUE\n",
            "import-module",
            "importlib.import_module('alpha.core')",
        ),
        ("def load():\n    import alpha.core\n    return alpha.core.VALUE\n", "import-inside", "alpha.core"),
        (
            "def load():\n    from alpha import core as engine\n    return engine.VALUE\n",
            "import-inside",
            "engine",
        ),
        (
            "import alpha.core\nclass Settings:\n    backend = alpha\n"
            "def load():\n    return Settings.backend.core.VALUE\n",
            "object-attr",
            "Settings.backend.core",
        ),
        (
            "import types\nimport alpha.core\nCONF = types.SimpleNamespace(backend=alpha)\n"
            "def load():\n    return CONF.backend.core.VALUE\n",
            "object-attr",
            "CONF.backend.core",
        ),
        (
            "import alpha.core\nclass Owner:\n    def __init__(self):\n        self.backend = alpha\nOWNER = Owner()\n"
            "def load():\n    return OWNER.backend.core.VALUE\n",
            "object-attr",
            "OWNER.backend.core",
        ),
        (
            "import alpha.core\nREGISTRY = {'backend': alpha}\n"
            "def load():\n    return REGISTRY['backend'].core.VALUE\n",
            "container-item",
            "REGISTRY['backend'].core",
        ),
        (
            "import alpha.core\ndef load():\n    return (alpha if len(__name__) >= 0 else None).core.VALUE\n",
            "conditional",
            "(alpha if len(__name__) >= 0 else None).core",
        ),
        ("import alpha.core\ndef load():\n    return (pkg := alpha).core.VALUE\n", "walrus", "(pkg := alpha).core"),
        (
            "import alpha.core\ndef load():\n    pkg = alpha\n    return (lambda: pkg.core.VALUE)()\n",
            "cell",
            "pkg.core",
        ),
    ],
)
def test_each_way_of_access_is_read_from_the_code(body, way, text):
    access = only_access(facts_of(body, "load"))
    assert (access.way, access.text) == (way, text)
    assert access.modules == ("alpha", "alpha.core")


def test_a_closure_variable_is_bound_from_the_factory_call():
    body = "import alpha.data\ndef build(mod):\n    def handler():\n        return mod.data.VALUE\n    return handler\n"
    access = only_access(facts_of(body, "build(alpha)"))
    assert (access.way, access.binding, access.modules) == ("closure", "mod = alpha", ("alpha", "alpha.data"))


def test_a_closure_cell_a_step_sets_holds_the_new_module():
    files = (*PLAIN, ("beta/__init__.py", ""), ("beta/core.py", "VALUE = 'beta.core'\n"))
    body = "import alpha\ndef build(mod):\n    def handler():\n        return mod.core.VALUE\n    return handler\n"
    steps = ("import beta.core", "pickled(handler)", "handler.__closure__[0].cell_contents = beta")
    facts = facts_of(body + "handler = build(alpha)\n", "handler", files, steps=steps)
    assert only_access(facts).modules == ("beta", "beta.core")
    assert facts.changes == ("set-cell",)


REPLACED_CODE = "import alpha.data\nalias = alpha\ndef one():\n    return alias.VALUE\n"
REPLACED_CODE += "def other():\n    return alias.data.VALUE\n"


def test_code_put_in_place_of_the_functions_own_is_read_too():
    body = REPLACED_CODE
    facts = facts_of(body, "one", steps=("pickled(one)", "one.__code__ = other.__code__"))
    assert facts.function is not None and facts.function.code_from == ("other",)
    assert [a.text for a in facts.accesses] == ["alias", "alias.data"]
    assert facts.changes == ("replace-code",)


def test_a_walrus_inside_a_conditional_is_both():
    body = "import alpha.core\ndef load():\n    return ((w := alpha) if len(__name__) >= 0 else None).core.VALUE\n"
    access = only_access(facts_of(body, "load"))
    assert access.ways == ("conditional", "walrus")


def test_helpers_and_attributes_that_are_not_modules_are_not_accesses():
    body = "import types\nimport functools\nimport alpha.core\nNS = types.SimpleNamespace(a=1)\n"
    body += "def load():\n    x = NS.a\n    y = functools.reduce\n    return alpha.core.VALUE.upper()\n"
    assert [a.text for a in facts_of(body, "load").accesses] == ["alpha.core"]


# -- where an access sits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "dead"),
    [
        ("if False:\n        return alpha.core.VALUE", True),
        ("if 0:\n        return alpha.core.VALUE", True),
        ("if len(__name__) < 0:\n        return alpha.core.VALUE", True),
        ("if __name__ is None:\n        return alpha.core.VALUE", True),
        ("if not True:\n        return alpha.core.VALUE", True),
        ("while 0:\n        return alpha.core.VALUE", True),
        ("if True:\n        pass\n    else:\n        return alpha.core.VALUE", True),
        ("if len(__name__) >= 0:\n        return alpha.core.VALUE", False),
        ("if len(sys.argv) > 1:\n        return alpha.core.VALUE", False),
    ],
)
def test_a_branch_that_never_runs_is_found_by_evaluating_its_test(statement, dead):
    facts = facts_of(f"import sys\nimport alpha.core\ndef load():\n    {statement}\n", "load")
    assert only_access(facts).dead is dead
    assert facts.features.dead_branch is dead


def test_constant_truth_knows_lengths_and_names():
    def truth(text: str) -> bool | None:
        return constant_truth(ast.parse(text, mode="eval").body)

    assert [truth(t) for t in ("1 < 2 < 3", "0 <= len(x)", "__name__ != None")] == [True, True, True]
    assert [truth(t) for t in ("0 > len(x)", "len(x) == -1", "1 < 2 > 3")] == [False, False, False]
    assert [truth(t) for t in ("x", "len(x) < 1", "__name__ == 'x'", "x < 0")] == [None] * 4


@pytest.mark.parametrize(
    ("expression", "nested"),
    [
        ("(lambda: alpha.core.VALUE)()", (Nested.LAMBDA,)),
        ("[alpha.core.VALUE for _ in range(1)][0]", (Nested.COMPREHENSION,)),
        ("next(alpha.core.VALUE for _ in range(1))", (Nested.COMPREHENSION,)),
        ("alpha.core.VALUE", ()),
    ],
)
def test_nested_code_around_an_access(expression, nested):
    facts = facts_of(f"import alpha.core\ndef load():\n    return {expression}\n", "load")
    assert only_access(facts).nested == nested
    assert facts.features.nested == nested


def test_a_nested_function_and_a_class_body():
    body = "import alpha.core\ndef load():\n    def inner():\n        return alpha.core.VALUE\n"
    body += "    class Box:\n        value = alpha.core.VALUE\n    return inner(), Box.value\n"
    facts = facts_of(body, "load")
    assert [a.nested for a in facts.accesses] == [(Nested.NESTED_FUNCTION,), (Nested.CLASS_BODY,)]
    assert facts.features.nested == (Nested.NESTED_FUNCTION, Nested.CLASS_BODY)


# -- the package universe -----------------------------------------------------------------------


def test_package_shapes_are_read_from_the_init_files():
    files = (
        (
            "alpha/__init__.py",
            "import types\nfrom . import eager\nfrom . import core as shortcut\n"
            "shadow = types.SimpleNamespace(VALUE='stand-in')\n\n"
            "def __getattr__(attr):\n    if attr in ('lazy',):\n        import importlib\n\n"
            "        return importlib.import_module(__name__ + '.' + attr)\n    raise AttributeError(attr)\n",
        ),
        ("alpha/eager.py", ""),
        ("alpha/core.py", ""),
        ("alpha/lazy.py", ""),
        ("alpha/shadow.py", ""),
        ("alpha/plain.py", ""),
        ("alpha/space/leaf.py", ""),
    )
    universe = universe_facts(Case(files, ""))
    assert universe.kinds["alpha.space"] == "namespace" and universe.kinds["alpha"] == "package"
    assert universe.child("alpha", "eager") == ("alpha.eager", Shape.EAGER)
    assert universe.child("alpha", "shortcut") == ("alpha.core", Shape.REEXPORT)
    assert universe.child("alpha", "lazy") == ("alpha.lazy", Shape.LAZY)
    assert universe.child("alpha", "shadow") == ("alpha.shadow", Shape.SHADOWED)
    assert universe.child("alpha", "plain") == ("alpha.plain", None)
    assert universe.child("alpha", "VALUE") == (None, None)


def test_a_reexport_bound_by_assignment():
    files = (("alpha/__init__.py", "from . import core\nshortcut = core\n"), ("alpha/core.py", ""))
    assert universe_facts(Case(files, "")).child("alpha", "shortcut") == ("alpha.core", Shape.REEXPORT)


def test_standard_library_submodules_are_known_from_what_the_case_imports():
    facts = facts_of("import concurrent.futures\nc = concurrent\ndef load():\n    return c.futures\n", "load", ())
    assert only_access(facts).modules == ("concurrent", "concurrent.futures")


# -- the function's features and origin --------------------------------------------------------------


def test_parameter_kinds_and_module_defaults():
    body = "import alpha.core\ndef load(a, b=1, /, c=2, *args, d, e=3, engine=alpha, **kwargs):\n"
    body += "    return engine.core.VALUE\n"
    features = facts_of(body, "load").features
    assert features.parameters == (
        ParameterKind.POSITIONAL_ONLY,
        ParameterKind.POSITIONAL_ONLY_DEFAULT,
        ParameterKind.POSITIONAL_DEFAULT,
        ParameterKind.VARARGS,
        ParameterKind.KEYWORD_ONLY,
        ParameterKind.KEYWORD_ONLY_DEFAULT,
        ParameterKind.VARKW,
    )
    assert features.module_defaults == (DefaultPlace.KEYWORD_ONLY,)
    positional = facts_of("import alpha\ndef load(m=alpha, /):\n    return m\n", "load").features
    assert positional.module_defaults == (DefaultPlace.POSITIONAL_ONLY,) and positional.parameters == ()


@pytest.mark.parametrize(
    ("header", "annotations"),
    [
        ("def load(x=1):", ()),
        ("def load(x: int = 1) -> str:", (Annotation.PLAIN,)),
        ("def load(x: 'alpha.Thing' = 1):", (Annotation.STRING,)),
        ("def load(x: alpha = 1):", (Annotation.MODULE,)),
    ],
)
def test_annotations(header, annotations):
    assert facts_of(f"import alpha\n{header}\n    return x\n", "load").features.annotations == annotations


def test_postponed_annotations_are_strings():
    body = "from __future__ import annotations\nimport alpha\ndef load(x: alpha = 1):\n    return x\n"
    assert facts_of(body, "load").features.annotations == (Annotation.STRING,)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type parameter syntax is 3.12+")
def test_type_parameters():
    facts = facts_of("import alpha.core\ndef load[T](x: T = None) -> T:\n    return alpha.core.VALUE\n", "load")
    assert facts.features.type_params and facts.codes and facts.codes[0].co_name == "load"


def test_decorators_async_and_generators():
    body = "import functools\ndef keep(fn):\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n"
    body += "        return fn(*a, **k)\n    return wrapper\n@keep\nasync def fetch():\n    yield 1\n"
    features = facts_of(body, "fetch").features
    assert features.decorators == ("keep",) and features.is_async and features.is_generator


@pytest.mark.parametrize(
    ("body", "entry", "fields", "origin"),
    [
        ("def load():\n    return 1\n", "load", {}, Origin.DYNAMIC_MODULE),
        ("__name__ = '__main__'\ndef load():\n    return 1\n", "load", {}, Origin.MAIN),
        (
            "import types\ndef load():\n    return 1\n",
            "types.FunctionType(load.__code__, {})",
            {},
            Origin.FUNCTION_TYPE,
        ),
        ("G = {}\nexec('def load():\\n    return 1\\n', G)\n", "G['load']", {}, Origin.EXEC_GLOBALS),
        ("exec('def load():\\n    return 1\\n')\n", "load", {}, Origin.DYNAMIC_MODULE),
    ],
)
def test_where_the_function_comes_from(body, entry, fields, origin):
    assert facts_of(body, entry, **fields).origin == origin


def test_a_registered_module_is_read_from_the_case():
    """``module_registered`` is a field of :class:`Case` (another change adds it): read with ``getattr``."""

    @dataclasses.dataclass(frozen=True)
    class RegisteredCase(Case):
        module_registered: bool = True

    case = RegisteredCase((), "def load():\n    return 1\n", entry="load")
    assert case_facts(case).origin == Origin.REGISTERED


def test_steps_and_hazards():
    body = "import alpha\ndef load():\n    return alpha.VALUE\n"
    before = facts_of(body, "load", steps=("import alpha.core", "pickled(load)"))
    assert before.changes == ()  # a change before any pickle only sets the scene
    after = facts_of(body, "load", steps=("pickled(load)", "import alpha.core"))
    assert after.changes == ("import",)
    hazard = tagging.tag(tagging.HAZARD, "none-key")
    kept = facts_of(body, "load", steps=("sys.modules[None] = None",), tags=(hazard,))
    gone = facts_of(body, "load", tags=(hazard,))
    assert (kept.hazard, gone.hazard) == ("none-key", "")


# -- root causes ------------------------------------------------------------------------------------

DEEP = """
    import functools
    import alpha.core.leaf

    def load_config(path, /, *, strict=False):
        return alpha.shortcut.leaf.VALUE
"""
DEEP_ELSEWHERE = """
    import beta.engine.parts

    def fetch():
        return beta.fast.parts.VALUE
"""


def test_a_reexport_finding_names_the_reexport_first():
    case = Case(REEXPORT, source(DEEP), entry="functools.partial(load_config, 'x')")
    cause = root_cause(record(case, baseline=("alpha.core", "alpha.core.leaf")), case)
    assert cause.words.startswith(
        "regression (AttributeError): a submodule reached through a re-export under another name "
        "(`alpha.shortcut` is `alpha.core`)"
    ), cause.words
    assert cause.ways == ("global-dotted",)
    # The kept keyword-only default is part of the cause, and said so.
    assert cause.words.endswith("in a function with positional-only parameters, keyword-only parameters with defaults")


def test_alike_findings_share_a_key_whatever_their_names():
    one = Case(REEXPORT, source(DEEP).replace("path, /, *, strict=False", ""), entry="load_config")
    other = Case(REEXPORT_ELSEWHERE, source(DEEP_ELSEWHERE), entry="fetch")
    first = root_cause(record(one, baseline=("alpha.core.leaf",)), one)
    second = root_cause(record(other, baseline=("beta.engine.parts",)), other)
    assert first.key == second.key and first.words != second.words
    # Through its real name the same submodule is another root cause.
    direct = Case(REEXPORT, "import alpha.core.leaf\ndef load():\n    return alpha.core.leaf.VALUE\n", entry="load")
    assert root_cause(record(direct, baseline=("alpha.core.leaf",)), direct).key != first.key


def test_a_local_alias_and_a_walrus_are_one_family():
    alias = Case(PLAIN, "import alpha.core\ndef load():\n    pkg = alpha\n    return pkg.core.VALUE\n", entry="load")
    walrus = Case(PLAIN, "import alpha.data\ndef get():\n    return (m := alpha).data.VALUE\n", entry="get")
    first = root_cause(record(alias, baseline=("alpha.core",)), alias)
    second = root_cause(record(walrus, baseline=("alpha.data",)), walrus)
    assert first.key == second.key
    head = "regression (AttributeError): a submodule reached through "
    assert first.words == head + "a local alias (`pkg = alpha`, then `pkg.core`)"
    assert second.words == head + "an assignment expression (`(m := alpha).data`)"


def test_a_crash_on_a_feature_says_the_feature():
    case = Case((), "def configure(*, strict=False, level=3):\n    return strict\n", entry="configure")
    cause = root_cause(record(case, kind="crash", behaviour="pickling:TypeError"), case)
    assert cause.words == "crash (TypeError): a function with keyword-only parameters with defaults"
    assert ("features", ("parameters:keyword-only-default",)) in cause.key
    plain = Case((), "def configure():\n    return 1\n", entry="configure")
    assert root_cause(record(plain, kind="crash", behaviour="pickling:TypeError"), plain).key != cause.key


def test_a_crash_with_a_hazard_says_the_hazard_first():
    tags = (tagging.tag(tagging.HAZARD, "unhashable-replacement"),)
    case = Case(PLAIN, "import alpha.core\ndef load():\n    return alpha.core.VALUE\n", entry="load")
    case = dataclasses.replace(case, steps=("sys.modules['alpha.data'] = []",), tags=tags)
    cause = root_cause(record(case, kind="crash", behaviour="pickling:TypeError", baseline=("alpha.core",)), case)
    assert cause.words.startswith(
        "crash (TypeError): sys.modules holding an unhashable object in a module's place; a submodule reached"
    ), cause.words


def test_nested_and_dead_placements_are_keyed_and_worded():
    lam = Case(PLAIN, "import alpha.core\ndef load():\n    return (lambda: alpha.core.VALUE)()\n", entry="load")
    comp = Case(PLAIN, "import alpha.data\ndef get():\n    return [alpha.data.VALUE for _ in 'x'][0]\n", entry="get")
    first = root_cause(record(lam, baseline=("alpha.core",)), lam)
    second = root_cause(record(comp, baseline=("alpha.data",)), comp)
    assert first.key == second.key and ("nested", True) in first.key
    assert first.words.endswith("; in nested code (a lambda)")
    dead = Case(PLAIN, "import alpha.core\ndef load():\n    if 0:\n        alpha.core.X = 1\n", entry="load")
    words = root_cause(record(dead, kind="benign", baseline=("alpha.core",)), dead).words
    assert words.endswith("; in a branch that never runs"), words


def test_the_world_changing_between_pickles_is_said():
    body = REPLACED_CODE
    case = Case(PLAIN, body, entry="one", steps=("pickled(one)", "one.__code__ = other.__code__"))
    cause = root_cause(record(case, baseline=("alpha.data",)), case)
    assert cause.words == (
        "regression (AttributeError): a submodule reached through a module-level alias (`alias = alpha`, then "
        "`alias.data`); pickled once, then again after its __code__ was replaced"
    )
    assert ("changed", True) in cause.key


PADDED = "import types\nimport alpha.core\nPADS = types.SimpleNamespace(**{f'p{k}': k for k in range(300)})\n"
PADDED += "def load():\n" + "".join(f"    pad{k} = PADS.p{k}\n" for k in range(256)) + "    return alpha.core.VALUE\n"


def test_a_size_threshold_is_keyed_as_size_and_names_the_operand_index():
    case = Case(PLAIN, PADDED, entry="load")
    threshold = {"statements": 256, "fails_with_names": 258, "passes_with_names": 257, "example": "pad0 = PADS.p0"}
    cause = root_cause(record(case, baseline=("alpha.core",)), case, threshold)
    assert cause.words == (
        "regression (AttributeError): a submodule whose name sits past index 255 of co_names "
        "(fails with 258 names or more; passes with 257)"
    )
    assert cause.key == ("regression", "raised:AttributeError", "size", "names", True)
    # The same threshold under any other way of access is the same root cause.
    other = Case(PLAIN, PADDED.replace("return alpha.core", "pkg = alpha\n    return pkg.core"), entry="load")
    assert root_cause(record(other, baseline=("alpha.core",)), other, threshold).key == cause.key


def test_a_size_threshold_of_another_operand_or_a_small_count():
    case = Case(PLAIN, "import alpha.core\ndef load():\n    return alpha.core.VALUE\n", entry="load")
    small = {"fails_with_names": 41, "passes_with_names": 40}
    words = root_cause(record(case, baseline=("alpha.core",)), case, small).words
    assert words.endswith(": a function whose co_names holds 41 names or more (passes with 40)")
    constants = {"operand": "constants", "fails_with": 300, "passes_with": 299, "fails_with_names": 3}
    cause = root_cause(record(case, baseline=("alpha.core",)), case, constants)
    assert cause.words.endswith(": a function whose co_consts holds 300 constants or more (passes with 299)")
    assert cause.key[2:4] == ("size", "constants")


def test_tags_blame_the_access_the_source_still_holds_without_v_names():
    """Generated tags say which access needs what; the shrunk source is matched by way and module."""
    tags = (
        tagging.access(0, "local-alias", "body", "load", ("alpha.core",)),
        tagging.access(1, "getattr-const", "body", "load", ("alpha.data",)),
    )
    body = "import alpha.core\nimport alpha.data\ndef load():\n    return getattr(alpha, 'data').VALUE\n"
    case = Case(PLAIN, body, entry="load", tags=tags)
    cause = root_cause(record(case, candidate=("alpha.core",)), case)
    assert cause.ways == ("getattr-const",)
    assert "local alias" not in cause.words


def test_a_lookup_by_string_blames_the_access_that_hands_over_the_package():
    body = "import sys\nimport alpha.core\ndef build(mod):\n    def handler():\n"
    body += "        return mod.VALUE, sys.modules['alpha'].core.VALUE\n    return handler\n"
    case = Case(PLAIN, body, entry="build(alpha)")
    line = record(case, baseline=("alpha.core",))
    assert [a.way for a in blamed_accesses(line, case)] == ["closure"]
    cause = root_cause(line, case)
    assert cause.ways == ("closure", "sys-modules")
    assert cause.words == (
        "regression (AttributeError): a submodule reached through a sys.modules lookup "
        "(`sys.modules['alpha'].core`), the package also reached through a closure variable (`mod = alpha`)"
    )
    assert ("families", ("closures",)) in cause.key and ("lookups", ("dynamic",)) in cause.key


def test_words_name_only_ways_the_shrunk_example_uses():
    cases = [
        Case(REEXPORT, source(DEEP), entry="functools.partial(load_config, 'x')"),
        Case(PLAIN, "import alpha.core\ndef load(engine=alpha):\n    return engine.core.VALUE\n", entry="load"),
        Case(PLAIN, "import alpha.core\nBOX = [alpha]\ndef load():\n    return BOX[0].core.VALUE\n", entry="load"),
        Case(PLAIN, "import alpha.core\ndef load():\n    return (lambda: alpha.core.VALUE)()\n", entry="load"),
    ]
    for case in cases:
        words = root_cause(record(case, baseline=("alpha.core", "alpha.core.leaf")), case).words
        used = {way for access in case_facts(case).accesses for way in access.ways}
        named = {
            way
            for way, phrase in ((name, w.mechanism) for name, w in WAYS.items())
            if f"through {phrase} (" in words or f"from {phrase} (" in words
        }
        assert named and named <= used, (words, used)


def test_keys_survive_a_json_round_trip():
    case = Case(REEXPORT, source(DEEP), entry="functools.partial(load_config, 'x')")
    key = root_cause(record(case, baseline=("alpha.core.leaf",)), case).key
    assert tupled(json.loads(json.dumps(key))) == key


def test_a_folded_finding_shows_the_words_of_the_example_it_shows():
    from fuzz.report.findings import Finding

    long = Case(PLAIN, "import alpha.core\n\n\ndef load():\n    pkg = alpha\n    return pkg.core.VALUE\n", entry="load")
    short = Case(PLAIN, "import alpha.core\ndef get():\n    return (m := alpha).core.VALUE\n", entry="get")
    findings = []
    for case in (long, short):
        line = dict(record(case, baseline=("alpha.core",)), shrink={"complete": True})
        findings.append(Finding("regression", root_cause(line, case), line, 1))
    first, second = findings
    assert first.cause.key == second.cause.key
    first.fold(second)
    assert first.case == short and first.cause.words == second.cause.words and first.count == 2
