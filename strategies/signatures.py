"""The function's signature, as the grammar of ``def`` allows it (PEP 570, PEP 3102, PEP 3107, PEP 695).

A detector reads more of a function than its body: ``__defaults__`` and
``__kwdefaults__`` hold values (modules among them), ``__annotations__``
holds whatever the annotations evaluated to, ``co_posonlyargcount``,
``co_kwonlyargcount`` and the ``*args``/``**kwargs`` flags change the code
object, and on 3.12 and later type parameters put the function inside an
annotation scope. A :class:`Signature` draws each parameter kind of the
grammar (positional-only, positional-or-keyword and keyword-only, each with
and without a default; ``*args``; ``**kwargs``), where the module-valued
defaults of the ``default-arg`` way sit (``__defaults__`` through
positional-only or ordinary parameters, or ``__kwdefaults__``), an
annotation style, and type parameters where the language has them.

Required parameters are bound by the case itself (:meth:`Signature.bind`):
the pickled object is ``functools.partial(f, ...)`` of the function, so the
fresh interpreter still calls it with no arguments. The simplest signature,
what shrinking goes back to, is the one the generator always wrote before:
no parameters beyond the ways' own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from hypothesis import strategies as st

#: Every parameter kind the grammar has, as tags and the coverage report name them.
PARAMETER_KINDS = (
    "positional-only",
    "positional-only-default",
    "positional",
    "positional-default",
    "varargs",
    "keyword-only",
    "keyword-only-default",
    "varkw",
)
#: Where module-valued defaults (the ``default-arg`` way) sit: ``__defaults__`` through an ordinary or a
#: positional-only parameter, or ``__kwdefaults__`` through a keyword-only one.
MODULE_DEFAULT_PLACES = ("positional", "positional-only", "keyword-only")
#: Annotation styles: none; a builtin class (``int``); a module object (the case's top-level package:
#: pickled by reference in ``__annotations__``); a string; every annotation postponed by
#: ``from __future__ import annotations`` (PEP 563: they become strings).
#: Whether the running Python defers annotations (PEP 649/749: ``__annotate__`` computes them when asked).
DEFERRED_ANNOTATIONS = sys.version_info >= (3, 14)
#: On 3.14+ also ``submodule``: the annotation names the first access's module (``alpha.core.VALUE``), which
#: ``__annotate__`` reads only when asked (cloudpickle asks while pickling, and pickles the values).
ANNOTATIONS = ("none", "builtin", "module", "string", "postponed", *(("submodule",) if DEFERRED_ANNOTATIONS else ()))
#: On 3.14+: whether the function's body reads its own annotations, and how (``f.__annotations__``, or
#: ``annotationlib.get_annotations(f)``). Unpickled, it reads the values pickled with it: nothing is needed.
ANNOTATION_READS = ("none", "dunder", "annotationlib") if DEFERRED_ANNOTATIONS else ()
#: The body line each way of reading writes (``{f}`` is the function's own name).
READ_LINES = {"dunder": "notes = {f}.__annotations__", "annotationlib": "notes = annotationlib.get_annotations({f})"}
#: Whether the running Python has type parameter syntax (PEP 695).
HAS_TYPE_PARAMS = sys.version_info >= (3, 12)


@dataclass(frozen=True)
class Signature:
    """The parameters ``f`` gets beyond the ways' own, and how its defaults and annotations are written."""

    #: One entry per parameter of the kind: whether it has a default.
    positional_only: tuple[bool, ...] = ()
    positional: tuple[bool, ...] = ()
    keyword_only: tuple[bool, ...] = ()
    varargs: bool = False
    varkw: bool = False
    module_defaults: str = "positional"
    annotation: str = "none"
    type_params: bool = False
    #: How the body reads the function's own annotations (:data:`ANNOTATION_READS`; 3.14+).
    reads: str = "none"

    def render(self, first: list[str], defaults: list[str], top: str) -> tuple[list[str], list[str]]:
        """The parameter list and the call arguments that bind its required parameters.

        ``first`` is the kind's own first parameter (``self``, ``cls``, a bound
        placeholder: bound by how the object is reached), ``defaults`` the
        ``name=value`` parameters of the ways and the closure layout, placed
        where :attr:`module_defaults` says; ``top`` is the module an annotation
        of style ``module`` names. Parameters follow the grammar's order: a
        required one never comes after one with a default among the
        positional ones, so those are made required only while nothing before
        them has a default.
        """
        params: list[str] = list(first)
        bound: list[str] = []
        keywords: list[str] = []
        seen_default = False

        def positional(prefix: str, flags: tuple[bool, ...], placed: list[str]) -> None:
            nonlocal seen_default
            for k, has_default in enumerate(sorted(flags)):
                name = f"{prefix}{k}"
                if has_default or seen_default:
                    params.append(self._annotated(name, top) + f"={k}")
                    seen_default = True
                else:
                    params.append(self._annotated(name, top))
                    bound.append(str(k))
            params.extend(self._annotated_default(p, top) for p in placed)
            seen_default = seen_default or bool(placed)

        here = self.module_defaults
        positional("po", self.positional_only, defaults if here == "positional-only" else [])
        if self.positional_only or (here == "positional-only" and defaults):
            params.append("/")
        positional("pk", self.positional, defaults if here == "positional" else [])
        kwonly = [self._annotated(f"ko{k}", top) + (f"={k}" if d else "") for k, d in enumerate(self.keyword_only)]
        kwonly += [self._annotated_default(p, top) for p in (defaults if here == "keyword-only" else [])]
        keywords = [f"ko{k}={k}" for k, d in enumerate(self.keyword_only) if not d]
        if self.varargs:
            params.append("*" + self._annotated("args", top))
        elif kwonly:
            params.append("*")
        params += kwonly
        if self.varkw:
            params.append("**" + self._annotated("kwargs", top))
        return params, bound + keywords

    def _annotation(self, top: str) -> str:
        return {"none": "", "builtin": "int", "module": top, "string": repr(f"{top}.Thing")}.get(self.annotation, top)

    def _annotated(self, name: str, top: str) -> str:
        note = self._annotation(top)
        return f"{name}: {note}" if note else name

    def _annotated_default(self, param: str, top: str) -> str:
        name, _, value = param.partition("=")
        note = self._annotation(top)
        return f"{name}: {note} = {value}" if note else param

    def returns(self, top: str) -> str:
        """`` -> annotation`` for the header, or ""."""
        note = self._annotation(top)
        return f" -> {note}" if note else ""

    def type_parameters(self) -> str:
        """``[T]`` after the function's name when it has type parameters (3.12+), else ""."""
        return "[T]" if self.type_params and HAS_TYPE_PARAMS else ""

    def module_lines(self) -> list[str]:
        """Lines the module must open with: the ``__future__`` import postponed annotations need."""
        future = ["from __future__ import annotations"] if self.annotation == "postponed" else []
        return future + (["import annotationlib"] if self.reads == "annotationlib" else [])

    def read_lines(self, name: str) -> list[str]:
        """The body's line reading the function's own annotations (``name`` is how the body reaches it)."""
        return [READ_LINES[self.reads].format(f=name)] if self.reads in READ_LINES else []


def parameter_kinds(params: list[str]) -> list[str]:
    """The parameter kinds (:data:`PARAMETER_KINDS`) of a parameter list :meth:`Signature.render` wrote."""
    found = []
    section = "positional-only" if "/" in params else "positional"
    for param in params:
        if param == "/":
            section = "positional"
        elif param == "*":
            section = "keyword-only"
        elif param.startswith("**"):
            found.append("varkw")
        elif param.startswith("*"):
            found.append("varargs")
            section = "keyword-only"
        else:
            found.append(section + ("-default" if "=" in param else ""))
    return sorted(set(found), key=PARAMETER_KINDS.index)


#: The signature the generator wrote before it drew one: what shrinking goes back to.
PLAIN = Signature()

_FLAGS = st.lists(st.booleans(), max_size=2).map(tuple)


@st.composite
def _drawn(draw: st.DrawFn) -> Signature:
    return Signature(
        positional_only=draw(_FLAGS),
        positional=draw(_FLAGS),
        keyword_only=draw(_FLAGS),
        varargs=draw(st.booleans()),
        varkw=draw(st.booleans()),
        module_defaults=draw(st.sampled_from(MODULE_DEFAULT_PLACES)),
        annotation=draw(st.sampled_from(ANNOTATIONS)),
        type_params=HAS_TYPE_PARAMS and draw(st.booleans()),
        reads=draw(st.sampled_from(ANNOTATION_READS)) if DEFERRED_ANNOTATIONS else "none",
    )


def signatures() -> st.SearchStrategy[Signature]:
    """The plain signature half the time (every earlier case's), a drawn one otherwise."""
    return st.one_of(st.just(PLAIN), _drawn())
