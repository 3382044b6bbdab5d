"""The proposal's speed claim, measured here: ``dumps`` time of two sides, side by side.

The seed proposal (cloudpickle issue 576) claims its bytecode scan is 6x
faster on small functions, over 50x faster with 3,800 modules loaded, and
"no slower in any case I've tried". This module re-runs its benchmark on the
machine at hand, with both sides pickling *the very same function objects*:

* the seed's table: ``func1`` touching the non-packages ``math, os, sys``,
  ``func2`` touching the packages ``collections, re, asyncio``, and a
  100-line function using one package (``json``), at this process's own
  ``sys.modules`` and with ``sys.modules`` grown to 3,800 entries;
* the same package-using functions, but each ``dumps`` pickling a *new
  function object* with the same code, as a closure factory, a decorator or
  a loop that rebuilds its tasks produces;
* a scaling series: ``func2`` as ``sys.modules`` grows (100 ... 10,000).

Like the seed, the seed-table and scaling rows pickle one function object
``number`` times in a row (``timeit``), so a per-function cache (the proposal
caches its bytecode scan per function object) is cold only for the first
call, which the warm-up absorbs: they measure *repeated* pickling. The
new-function rows keep cloudpickle's per-code caches warm and leave every
per-function cache cold. A function's very first pickle (nothing cached at
all) is measured by :mod:`fuzz.perf.slowness`.

Built-in detector sides (``legacy``, ``proposed``) pay the same extra cost
on both sides (:mod:`fuzz.oracle.sides` recomputes a function's dependencies for
the detector), which pulls ratios towards 1; ``tree:`` sides are real
cloudpickle checkouts timed end to end.

The harness is :mod:`timeit` in this process, not pyperf: pyperf runs each
benchmark in freshly spawned worker processes, which would lose the very
``sys.modules`` state a row is about (thousands of in-process modules), and
the side's private cloudpickle copy with it. Noise is handled the usual way:
a warm-up run, ``repeat`` timed runs, baseline and candidate interleaved run
by run (so a slow spell of the machine hits both), and the median reported.
"""

from __future__ import annotations

import gc
import importlib.util
import itertools
import platform
import secrets
import statistics
import sys
import timeit
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from fuzz.oracle.sides import Side

#: ``sys.modules`` sizes of the scaling series; the seed's projects reach 3,800.
DEFAULT_SIZES = (100, 300, 1000, 3000, 10000)
#: The seed's "one of my projects".
SEED_BIG_SIZE = 3800
#: First line numbers that make copied code objects distinct cache keys (see :func:`fresh_copy`).
_fresh_lines = itertools.count(100_000)
#: Name of the unregistered module the benchmark functions live in: a function
#: whose module is not in ``sys.modules`` is pickled by value, as the seed's
#: ``__main__`` functions are (by reference, detection would not run at all).
BENCH_MODULE = "_fuzz_bench_functions"

_SEED_SOURCE = """\
import asyncio
import collections
import json
import math
import os
import re
import sys


def func1():
    [math, os, sys]  # non-packages


def func2():
    [collections, re, asyncio]  # packages
"""


def _large_function_source(lines: int = 100) -> str:
    """A long, plain function that uses one package (``json``), like the seed's.

    The body mixes arithmetic, branches, loops, string work and a few uses of
    ``json`` and its submodules, so its bytecode is as long as real code of
    that length and both detectors have something to look at.
    """
    body = ["def large(records):", "    total = 0", "    names = []"]
    shapes = (
        "    total += len(records) * {k}",
        "    if total % {k} == 0:\n        names.append(str(total))",
        "    for item in records[:{k}]:\n        total += hash(item) % {k}",
        "    label_{k} = '-'.join(names[-{k}:]) or 'none'",
        "    text_{k} = json.dumps({{'k': {k}, 'total': total}})",
        "    names.extend(part.upper() for part in str(total).split('{k}'))",
        "    decoder_{k} = json.decoder.JSONDecoder()",
        "    total = max(total, {k}) - min(total, {k} * 2)",
    )
    k = 1
    while sum(chunk.count("\n") + 1 for chunk in body) < lines - 1:
        body.append(shapes[k % len(shapes)].format(k=k))
        k += 1
    body.append("    return total, names, json.encoder.JSONEncoder().encode(names)")
    return "\n".join(body) + "\n"


def benchmark_functions() -> dict[str, types.FunctionType]:
    """The seed's ``func1`` and ``func2`` and a 100-line function, pickled by value."""
    namespace: dict = {"__name__": BENCH_MODULE}
    source = _SEED_SOURCE + "\n\n" + _large_function_source()
    exec(compile(source, f"<{BENCH_MODULE}>", "exec"), namespace)
    return {name: namespace[name] for name in ("func1", "func2", "large")}


# -- a realistic, throwaway sys.modules ---------------------------------------------

_SUBPACKAGES = ("core", "utils", "io", "api", "models", "config", "compat", "internal")
_LEAVES = ("base", "errors", "types", "helpers", "registry", "constants")


def _project_tree(prefix: str) -> Iterator[tuple[str, bool]]:
    """``(dotted name, is package)`` for an endless stream of made-up projects.

    A big application's ``sys.modules`` is many unrelated top-level packages,
    each holding dozens of subpackages and modules. The names reuse common
    words (``core``, ``utils``...), as real trees do, but every project sits
    under its own unique top-level name, so none of them lies under a package
    a benchmark function uses: they change how much there is to scan, not
    what either detector finds.
    """
    for index in itertools.count():
        top = f"{prefix}{index:04d}"
        yield top, True
        for sub in _SUBPACKAGES:
            yield f"{top}.{sub}", True
            for leaf in _LEAVES:
                yield f"{top}.{sub}.{leaf}", False


@contextmanager
def grown_sys_modules(target: int) -> Iterator[int]:
    """Grow ``sys.modules`` to ``target`` entries with cheap modules; yield the size reached.

    The modules are real :class:`types.ModuleType` objects, linked to their
    parents as attributes like imported submodules are, and all are removed
    on exit. ``sys.modules`` is never shrunk: if it already holds ``target``
    entries or more, nothing is added and the current size is yielded.
    """
    added: list[str] = []
    prefix = f"_fuzzbench_{secrets.token_hex(3)}_project"
    try:
        for name, is_package in _project_tree(prefix):
            if len(sys.modules) >= target:
                break
            module = types.ModuleType(name)
            parent, _, short = name.rpartition(".")
            module.__package__ = name if is_package else parent
            if is_package:
                module.__path__ = []
            sys.modules[name] = module
            added.append(name)
            if parent:
                setattr(sys.modules[parent], short, module)
        yield len(sys.modules)
    finally:
        for name in reversed(added):
            sys.modules.pop(name, None)


# -- timing -----------------------------------------------------------------------


@dataclass(frozen=True)
class BenchRow:
    """One benchmark row: the same function pickled by both sides."""

    #: What the row measures, e.g. ``func2 (3 packages), sys.modules=3800``.
    name: str
    #: Which table the row belongs to: ``seed``, ``new-function`` or ``scaling``.
    group: str
    #: Entries in ``sys.modules`` while the row was timed.
    modules: int
    #: Median seconds for ``number`` dumps (the seed's unit) of each side.
    baseline_s: float
    candidate_s: float

    @property
    def ratio(self) -> float:
        """Baseline time / candidate time: above 1, the candidate is faster."""
        return self.baseline_s / self.candidate_s if self.candidate_s > 0 else float("inf")


@dataclass
class BenchReport:
    """Everything ``python -m fuzz bench`` measured, ready for JSON."""

    baseline: str
    candidate: str
    python: str
    implementation: str
    repeat: int
    number: int
    #: ``sys.modules`` size of this process before anything was added.
    floor_modules: int
    rows: list[BenchRow] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rows"] = [{**asdict(row), "ratio": row.ratio} for row in self.rows]
        data["unit"] = f"seconds per {self.number} dumps, median of {self.repeat} runs"
        return data


def fresh_copy(func: types.FunctionType, new_code: bool = False) -> types.FunctionType:
    """A new function object behaving like ``func``, as a closure factory or decorator makes them.

    It shares ``func``'s code object unless ``new_code``: then the code is a
    new cache key too (code objects compare equal by value, so a distinct
    first line number is what makes it one, without changing what any
    detector sees).
    """
    code = func.__code__.replace(co_firstlineno=next(_fresh_lines)) if new_code else func.__code__
    copy = types.FunctionType(code, func.__globals__, func.__name__, func.__defaults__, func.__closure__)
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__qualname__ = func.__qualname__
    copy.__dict__.update(func.__dict__)
    return copy


def _supplier(func: types.FunctionType, count: int, new_function: bool) -> Callable[[], object]:
    """What one timed run pickles: ``func`` itself each time, or ``count`` fresh copies made beforehand."""
    if not new_function:
        return lambda: func
    return iter([fresh_copy(func) for _ in range(count)]).__next__


def time_pair(
    baseline: Side, candidate: Side, func: types.FunctionType, *, repeat: int, number: int, new_function: bool = False
) -> tuple[float, float]:
    """Median time of ``number`` dumps by each side, interleaved run by run.

    By default every dumps pickles ``func`` itself, as the seed's benchmark
    does; with ``new_function`` each pickles a new function object sharing
    ``func``'s code (made before the clock starts). One untimed call per side
    fills every cache, a warm-up run settles the allocator, and :mod:`timeit`
    turns the garbage collector off while it times, as it always does.
    """
    sides = (baseline, candidate)

    def run(side: Side, count: int) -> float:
        dumps, supply = side.module.dumps, _supplier(func, count, new_function)
        elapsed = timeit.Timer(lambda: dumps(supply())).timeit(count)
        side.forget_observed()  # one list per raw dumps would otherwise pile up
        return elapsed

    for side in sides:
        side.module.dumps(func)
        run(side, max(1, number // 10))
    runs: list[list[float]] = [[], []]
    for _ in range(repeat):
        for index, side in enumerate(sides):
            runs[index].append(run(side, number))
    gc.collect()
    return statistics.median(runs[0]), statistics.median(runs[1])


def _seed_rows(
    baseline: Side, candidate: Side, functions: dict[str, types.FunctionType], repeat: int, number: int
) -> Iterator[BenchRow]:
    labels = {
        "func1": "func1 (3 non-packages: math, os, sys)",
        "func2": "func2 (3 packages: collections, re, asyncio)",
        "large": "100-line function using one package (json)",
    }
    for target in (0, SEED_BIG_SIZE):
        with grown_sys_modules(target) as size:
            for key, label in labels.items():
                b, c = time_pair(baseline, candidate, functions[key], repeat=repeat, number=number)
                yield BenchRow(f"{label}, sys.modules={size}", "seed", size, b, c)


def _new_function_rows(
    baseline: Side, candidate: Side, functions: dict[str, types.FunctionType], repeat: int, number: int
) -> Iterator[BenchRow]:
    """The seed's package-using functions, but a new function object per dumps (same code).

    What a closure factory, a decorator or a loop that rebuilds its tasks
    hands to ``dumps``: cloudpickle's per-code caches stay warm, a
    per-function cache (the proposal's) is cold every time.
    """
    labels = {"func2": "func2, new function object per dumps", "large": "100-line, new function object per dumps"}
    for target in (0, SEED_BIG_SIZE):
        with grown_sys_modules(target) as size:
            for key, label in labels.items():
                b, c = time_pair(baseline, candidate, functions[key], repeat=repeat, number=number, new_function=True)
                yield BenchRow(f"{label}, sys.modules={size}", "new-function", size, b, c)


def scaling_sizes(sizes: Sequence[int], floor: int) -> list[int]:
    """The sizes that can be measured: below ``floor`` means unloading modules, which is not done."""
    return sorted({max(size, floor) for size in sizes})


def _scaling_rows(
    baseline: Side, candidate: Side, func2: types.FunctionType, sizes: Sequence[int], repeat: int, number: int
) -> Iterator[BenchRow]:
    for target in sizes:
        with grown_sys_modules(target) as size:
            b, c = time_pair(baseline, candidate, func2, repeat=repeat, number=number)
            yield BenchRow(f"func2 with sys.modules={size}", "scaling", size, b, c)


def bench_all(
    baseline: Side,
    candidate: Side,
    *,
    repeat: int = 5,
    number: int = 1000,
    sizes: Sequence[int] = DEFAULT_SIZES,
    progress: Callable[[BenchRow], None] | None = None,
) -> BenchReport:
    """Time the seed's table and the scaling series; ``progress(row)`` is called per row."""
    functions = benchmark_functions()  # imports asyncio & co. first: they count in the floor
    floor = len(sys.modules)
    report = BenchReport(
        baseline=baseline.spec,
        candidate=candidate.spec,
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        repeat=repeat,
        number=number,
        floor_modules=floor,
    )
    rows = itertools.chain(
        _seed_rows(baseline, candidate, functions, repeat, number),
        _new_function_rows(baseline, candidate, functions, repeat, number),
        _scaling_rows(baseline, candidate, functions["func2"], scaling_sizes(sizes, floor), repeat, number),
    )
    for row in rows:
        report.rows.append(row)
        if progress is not None:
            progress(row)
    return report


def format_row(row: BenchRow) -> str:
    return f"{row.name:62} {row.baseline_s:11.4f} {row.candidate_s:11.4f} {row.ratio:8.2f}x"


def header(baseline: str, candidate: str, repeat: int, number: int) -> str:
    return (
        f"python {platform.python_version()} ({platform.python_implementation()}) | baseline {baseline} | "
        f"candidate {candidate}\n"
        f"seconds for {number} dumps (median of {repeat} runs, warm-up excluded); "
        f"ratio = baseline / candidate, above 1: the candidate is faster\n"
        f"{'row':62} {'baseline':>11} {'candidate':>11} {'ratio':>9}"
    )


def footer(report: BenchReport) -> str:
    return (
        f"this process held {report.floor_modules} modules before any were added: "
        f"smaller sizes are measured at {report.floor_modules} (modules are never unloaded)"
    )


def plot(report: BenchReport, path: str) -> None:
    """Draw the scaling series (time per dumps against ``sys.modules`` size) to PNG or SVG.

    Needs matplotlib (the ``plot`` extra); callers check :func:`plotting_available` first.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [row for row in report.rows if row.group == "scaling"]
    xs = [row.modules for row in rows]
    per_call = 1e6 / report.number
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(xs, [row.baseline_s * per_call for row in rows], "o-", label=f"baseline ({report.baseline})")
    ax.plot(xs, [row.candidate_s * per_call for row in rows], "s-", label=f"candidate ({report.candidate})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("entries in sys.modules")
    ax.set_ylabel("µs per cloudpickle.dumps(func2)")
    ax.set_title(f"func2 (collections, re, asyncio), Python {report.python}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plotting_available() -> bool:
    """Whether matplotlib can be imported, found without importing it.

    Importing matplotlib (and numpy with it) would add a few hundred modules
    to ``sys.modules`` before the smallest row is measured.
    """
    if "matplotlib" in sys.modules:
        return sys.modules["matplotlib"] is not None
    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        return False
