"""The corpus: format round trips, content addressing, bad input, atomic and
concurrent saves, standalone reproducers, and the replay command."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import pytest

from fuzz.cli import main
from fuzz.corpus import store as corpus_store
from fuzz.corpus.format import (
    SUFFIX,
    CorpusEntry,
    CorpusFormatError,
    content_hash,
    file_name,
    from_text,
    running_version,
    short_hash,
    to_text,
)
from fuzz.corpus.known_cases import CASES
from fuzz.corpus.reproducer import literal, reproducer, shared_definitions
from fuzz.corpus.store import corpus_files, load, load_directory, merge, save
from fuzz.isolation.remote import child_runtime
from fuzz.model.case import Case

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
CORPUS_FILES = [Path(p) for p in corpus_files(str(CORPUS))] if CORPUS.is_dir() else []
HAS_STEPS = "steps" in {f.name for f in dataclasses.fields(Case)}


def entry_of(key: str, verdicts: dict | None = None, **meta: object) -> CorpusEntry:
    case, expected = CASES[key]
    fields = {"baseline": "legacy", "candidate": "proposed", "found": "2026-01-02"}
    fields.update(meta)
    return CorpusEntry(case, verdicts=verdicts if verdicts is not None else {"3.11": expected}, **fields)  # type: ignore[arg-type]


def write_entry(directory: Path, entry: CorpusEntry, text: str | None = None) -> Path:
    path = directory / file_name(entry.case)
    path.write_bytes((to_text(entry) if text is None else text).encode("utf-8"))
    return path


# -- format ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CASES))
def test_round_trip_of_every_known_case(key):
    entry = entry_of(key, {"3.11": CASES[key][1], "3.12": "match"})
    text = to_text(entry)
    assert from_text(text) == entry
    assert to_text(from_text(text)) == text
    # Readable: the case source appears verbatim, each universe file under its path.
    assert entry.case.source in text
    for path, _ in entry.case.files:
        assert f"# --- file: {path} ---" in text


AWKWARD = {
    "empty and blank files": Case((("p/__init__.py", ""), ("p/a.py", "\n"), ("p/b.py", "\n\n")), "import p\n"),
    "no final newlines": Case((("p/__init__.py", "X = 1"),), "import p\ndef f():\n    return p.X"),
    "quotes and backslashes": Case((("p.py", "S = '''a\\\\b'''\nT = 'it''s'\n"),), "s = '\\\\'"),
    "non-ascii and carriage returns": Case((("p.py", "S = 'é ☃'\r\nT = 1\r\n"),), "# ü\r\nimport p\n"),
    "needed empty, not unknown": Case((), "def f():\n    return 1\n", needed=()),
    "label with quotes and newline": Case((), "def f(): return 1\n", name='a "b"\nc', tags=("x", "y")),
    "entry and parent imports": Case((("q/__init__.py", ""),), "def g():\n    return 1\n", "g", ("q", "json")),
}
if HAS_STEPS:
    AWKWARD["steps"] = Case((), "def f():\n    return 1\n", steps=("pickled(f)", "", "def h():\n    pass\n"))  # type: ignore[call-arg]


@pytest.mark.parametrize("label", sorted(AWKWARD))
def test_round_trip_of_awkward_text(label):
    entry = CorpusEntry(AWKWARD[label], "legacy", "tree:/some where/cp", {"3.9": "fix", "3.13": "crash"}, "2025-12-31")
    assert from_text(to_text(entry)) == entry


@pytest.mark.parametrize(
    ("case", "field"),
    [
        (Case((("p.py", "x = 1\n# --- case source ---\n"),), "import p\n"), "file: p.py"),
        (Case((), "# --- file: x.py ---\ndef f():\n    return 1\n"), "case source"),
    ],
    ids=["in-a-universe-file", "in-the-source"],
)
def test_a_marker_line_inside_a_text_is_refused_on_writing(case, field):
    with pytest.raises(CorpusFormatError) as info:
        to_text(CorpusEntry(case, "legacy", "proposed", {}, "2026-01-01"))
    assert info.value.field == field


def test_the_name_hashes_the_case_and_nothing_else():
    entry = entry_of("local_alias")
    relabelled = dataclasses.replace(entry.case, name="another label", tags=("other",))
    other_meta = CorpusEntry(relabelled, "installed", "tree:x", {"3.13": "match"}, "2020-01-01")
    assert short_hash(other_meta.case) == short_hash(entry.case)
    assert file_name(entry.case) == f"local-alias-{short_hash(entry.case)}{SUFFIX}"
    reordered = dataclasses.replace(entry.case, files=tuple(reversed(entry.case.files)))
    assert content_hash(reordered) == content_hash(entry.case)
    for change in ({"source": entry.case.source + "\n"}, {"entry": "g"}, {"needed": None}, {"parent_imports": ("x",)}):
        assert content_hash(dataclasses.replace(entry.case, **change)) != content_hash(entry.case), change


# -- bad input ------------------------------------------------------------------------


def _replace_line(prefix: str, new: str):
    def edit(text: str) -> str:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
        lines[index : index + 1] = [new] if new is not None else []
        return "\n".join(lines)

    return edit


DEFECTS = {
    "header line is not JSON": (_replace_line("# verdicts:", '# verdicts: {"3.11": "match"'), "verdicts"),
    "field without a value": (_replace_line("# entry:", "# entry:"), "entry"),
    "missing field": (_replace_line("# entry:", None), "entry"),
    "missing tags": (_replace_line("# tags:", None), "tags"),
    "wrong type": (_replace_line("# tags:", '# tags: "global-dotted"'), "tags"),
    "wrong type of parent imports": (_replace_line("# parent_imports:", "# parent_imports: [1]"), "parent_imports"),
    "unknown verdict": (_replace_line("# verdicts:", '# verdicts: {"3.11": "mtch"}'), "verdicts"),
    "unknown version": (_replace_line("# verdicts:", '# verdicts: {"4.0": "match"}'), "verdicts"),
    "too old a version": (_replace_line("# verdicts:", '# verdicts: {"2.7": "match"}'), "verdicts"),
    "verdicts not an object": (_replace_line("# verdicts:", '# verdicts: ["match"]'), "verdicts"),
    "unknown field": (_replace_line("# format:", '# format: 1\n# colour: "red"'), "colour"),
    "repeated field": (_replace_line("# name:", '# name: "a"\n# name: "b"'), "name"),
    "bad date": (_replace_line("# found:", '# found: "yesterday"'), "found"),
    "other format": (_replace_line("# format:", "# format: 2"), "format"),
    "empty side": (_replace_line("# candidate:", '# candidate: ""'), "candidate"),
    "stray line in the header": (_replace_line("# format:", "# format: 1\nimport os"), "header"),
    "source given as a field": (_replace_line("# format:", '# format: 1\n# source: "x"'), "source"),
    "no case source section": (lambda text: text.split("# --- case source ---")[0], "case source"),
    "unsafe universe path": (_replace_line("# --- file: pkg/__init__", "# --- file: ../x.py ---"), "file: ../x.py"),
    "file after the source": (lambda text: text + "# --- file: pkg/late.py ---\n", "file: pkg/late.py"),
    "edited case, stale name": (lambda text: text.replace("return pkg.sub.leaf.VALUE", "return 1"), "file name"),
}


@pytest.mark.parametrize("label", sorted(DEFECTS))
def test_bad_input_names_path_and_field(label, tmp_path):
    edit, field = DEFECTS[label]
    entry = entry_of("dotted_leaf")
    path = write_entry(tmp_path, entry, edit(to_text(entry)))
    with pytest.raises(CorpusFormatError) as info:
        load(str(path))
    assert info.value.field == field
    assert str(path) in str(info.value) and repr(field) in str(info.value)


def test_load_directory_keeps_good_entries_next_to_bad_ones(tmp_path):
    good = write_entry(tmp_path, entry_of("seed_func1"))
    bad_entry = entry_of("dotted_leaf")
    bad = write_entry(tmp_path, bad_entry, to_text(bad_entry).replace('"3.11"', '"3.x"'))
    (tmp_path / "notes.txt").write_text("not a corpus file")
    loaded = load_directory(str(tmp_path))
    assert [p for p, _ in loaded.entries] == [str(good)]
    assert [(e.path, e.field) for e in loaded.errors] == [(str(bad), "verdicts")]


# -- saving -----------------------------------------------------------------------------


def test_the_same_case_twice_is_one_file_with_merged_metadata(tmp_path):
    first = entry_of("local_alias", {"3.11": "regression"}, found="2026-03-04")
    case = dataclasses.replace(first.case, name="found again", tags=("local-alias", "second-run"))
    second = CorpusEntry(case, "legacy", "proposed", {"3.12": "match"}, "2026-01-02")
    path = save(first, str(tmp_path))
    assert save(second, str(tmp_path)) == path
    assert [Path(p).name for p in corpus_files(str(tmp_path))] == [Path(path).name]
    merged = load(path)
    assert merged.verdicts == {"3.11": "regression", "3.12": "match"}
    assert merged.case.name == "local alias" and merged.case.tags == ("local-alias", "second-run")
    assert merged.found == "2026-01-02"


def test_merge_keeps_the_recorded_sides_and_their_verdicts():
    old = entry_of("walrus", {"3.11": "regression"})
    same_sides = entry_of("walrus", {"3.11": "match"}, found="2026-05-05")
    assert merge(old, same_sides).verdicts == {"3.11": "match"}  # the newer observation
    other_sides = entry_of("walrus", {"3.11": "match", "3.12": "match"}, baseline="installed")
    merged = merge(old, other_sides)
    assert (merged.baseline, merged.candidate, merged.verdicts) == ("legacy", "proposed", {"3.11": "regression"})
    with pytest.raises(ValueError):
        merge(old, entry_of("dotted_leaf"))


def test_save_creates_the_directory_and_works_from_any_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = save(entry_of("seed_func2"), "deep/er/corpus")
    assert Path(path).is_absolute() and load(path) == entry_of("seed_func2")


# A writer that announces each chunk and then dawdles, so the test can kill it mid-write.
SLOW_WRITER = """
import sys, time
from fuzz.corpus import store as corpus_store
from fuzz.corpus.format import from_text

entry = from_text(open(sys.argv[1], encoding="utf-8", newline="").read())

def dawdle(written):
    print(written, flush=True)
    time.sleep(0.2)

corpus_store._after_chunk = dawdle
corpus_store.save(entry, sys.argv[2])
print("finished", flush=True)
"""


def _big_entry(verdicts: dict) -> CorpusEntry:
    padding = "".join(f"# padding line {i:06d} to make the file span many chunks\n" for i in range(20000))
    case = Case((("big/__init__.py", padding),), "import big\ndef f():\n    return 1\n", name="big")
    return CorpusEntry(case, "legacy", "proposed", verdicts, "2026-01-02")


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "over-existing-file"])
def test_a_writer_killed_mid_write_leaves_no_torn_file(tmp_path, existing):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    before = None
    if existing:
        before = Path(save(_big_entry({"3.11": "match"}), str(corpus))).read_bytes()
    spec = tmp_path / "entry.txt"
    spec.write_bytes(to_text(_big_entry({"3.12": "regression"})).encode("utf-8"))
    assert len(spec.read_bytes()) > 8 * corpus_store.CHUNK_SIZE
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(spec), str(corpus)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        progress = [writer.stdout.readline() for _ in range(2)]  # type: ignore[union-attr]
        assert all(line.strip().isdigit() for line in progress), progress
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    leftovers = [n for n in os.listdir(corpus) if n.endswith(".tmp")]
    assert len(leftovers) == 1  # the kill really happened mid-write
    finals = corpus_files(str(corpus))
    loaded = load_directory(str(corpus))
    assert loaded.errors == []
    if existing:
        assert len(finals) == 1 and Path(finals[0]).read_bytes() == before
        assert loaded.entries[0][1].verdicts == {"3.11": "match"}
    else:
        assert finals == [] and loaded.entries == []
    # The next save cleans up after the dead writer and completes.
    path = save(_big_entry({"3.13": "match"}), str(corpus))
    assert [n for n in os.listdir(corpus) if n.endswith(".tmp")] == []
    assert load(path).verdicts == ({"3.11": "match", "3.13": "match"} if existing else {"3.13": "match"})


CONCURRENT_WRITER = """
import dataclasses, os, sys, time
from fuzz.corpus.format import CorpusEntry, from_text
from fuzz.corpus.store import save

spec, corpus, go, number = sys.argv[1:5]
entry = from_text(open(spec, encoding="utf-8").read())
case = dataclasses.replace(entry.case, name="writer " + number)
while not os.path.exists(go):
    time.sleep(0.005)
for _ in range(20):
    save(CorpusEntry(case, "legacy", "proposed", {"3." + str(9 + int(number)): "match"}, "2026-01-02"), corpus)
"""


def test_concurrent_saves_of_one_case_make_one_well_formed_file(tmp_path):
    corpus, go, spec = tmp_path / "corpus", tmp_path / "go", tmp_path / "entry.txt"
    spec.write_text(to_text(entry_of("dotted_leaf")), encoding="utf-8")
    writers = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, str(spec), str(corpus), str(go), str(n)], cwd=REPO)
        for n in range(5)
    ]
    time.sleep(0.3)
    go.touch()
    assert [w.wait(timeout=60) for w in writers] == [0] * 5
    # One file (named after whichever writer came first), no temporary left over.
    names = os.listdir(corpus)
    assert len(names) == 1 and names[0].endswith(f"-{short_hash(CASES['dotted_leaf'][0])}{SUFFIX}"), names
    saved = load(str(corpus / names[0]))
    # No lost update: every writer's verdict survived the others' merges.
    assert saved.verdicts == {f"3.{9 + n}": "match" for n in range(5)}
    assert saved.case.source == CASES["dotted_leaf"][0].source


# -- reproducers ------------------------------------------------------------------------

#: Reproducer exit status by recorded verdict: it pickles with the candidate, so it
#: fails (1) exactly when the candidate's function misbehaves.
REPRO_EXIT = {"match": 0, "benign": 0, "fix": 0, "regression": 1, "crash": 1, "shared_failure": 1}


@pytest.fixture(scope="module")
def cloudpickle_only(tmp_path_factory):
    """A directory holding cloudpickle and nothing else, to prove the scripts standalone."""
    root = tmp_path_factory.mktemp("only_cloudpickle")
    (root / "cloudpickle").symlink_to(Path(cloudpickle.__file__).resolve().parent, target_is_directory=True)
    return root


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
@pytest.mark.slow
def test_each_corpus_reproducer_runs_standalone_and_shows_its_failure(path, tmp_path, cloudpickle_only):
    entry = load(str(path))
    recorded = entry.verdict_for()
    if recorded is None:
        pytest.skip(f"{path.name} records no verdict for Python {running_version()}")
    script = reproducer(entry, origin=path.name)
    # -S: no site-packages, so neither this project nor anything but cloudpickle is importable.
    env = {**os.environ, "PYTHONPATH": str(cloudpickle_only)}
    done = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )
    output = done.stdout + done.stderr
    assert "at home:" in output, output
    if recorded == "uninformative":
        assert done.returncode in (0, 1) and "loaded already" in output, output
    else:
        assert done.returncode == REPRO_EXIT[recorded], output
        assert ("FAIL" in output) == (REPRO_EXIT[recorded] == 1), output


def test_reproducer_for_an_installed_side_needs_no_vendored_detector(tmp_path):
    entry = entry_of("local_alias", {"3.11": "regression"})
    script = reproducer(entry, side="installed")
    assert "VENDORED" not in script and "import fuzz" not in script
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    # The installed cloudpickle detects submodules the legacy way: no regression there.
    assert done.returncode == 0 and "OK:" in done.stdout, done.stdout + done.stderr


def test_reproducer_of_a_pickling_crash_exits_1(tmp_path):
    crashing = "detector:fuzz.detectors.planted:buggy_raise_on_closures"
    entry = entry_of("closure_factory", {"3.11": "crash"}, candidate=crashing)
    done = subprocess.run(
        [sys.executable, "-c", reproducer(entry)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 1 and "cloudpickle.dumps raised" in done.stdout, done.stdout + done.stderr


def test_a_reproducer_drives_an_async_generator_as_a_child_does(tmp_path):
    files = (("pkg/__init__.py", ""), ("pkg/sub.py", "VALUE = 'pkg.sub'\n"))
    source = "import pkg.sub\nasync def f():\n    yield pkg.sub.VALUE\n    yield 2\n"
    case = Case(files, source, needed=("pkg.sub",), name="async generator")
    entry = CorpusEntry(case, baseline="legacy", candidate="legacy", found="2026-01-02", verdicts={"3.11": "match"})
    done = subprocess.run(
        [sys.executable, "-c", reproducer(entry, side="installed")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "at home:        returned ['pkg.sub', 2]" in done.stdout, done.stdout


SHARED_CALLS = [
    "def f():\n    return 'x' * 3000\n",
    "def f():\n    raise SystemExit(object())\n",
    "def f():\n    yield 1\n    yield 2\n",
    "async def f():\n    return 3\n",
    "async def f():\n    yield 4\n",
    "import asyncio\nasync def f():\n    await asyncio.sleep(0)\n",
    "class Odd:\n    def __repr__(self):\n        raise ValueError('no')\ndef f():\n    return Odd()\n",
]


@pytest.mark.parametrize("source", SHARED_CALLS)
def test_the_reproducers_call_is_the_childs_with_only_re_and_types(source):
    standalone: dict = {"__builtins__": __builtins__}
    exec("from __future__ import annotations\nimport re, types\n" + shared_definitions(), standalone)
    namespace: dict = {}
    exec(source, namespace)
    assert standalone["call"](namespace["f"]) == child_runtime.call(namespace["f"])


@pytest.mark.parametrize(
    "text", ["", "one line", "a\nb\n", "x = '''q'''\n", 'y = """q"""\n', "ends in quote'\n'", "tab\tand\r\n", "\x00\n"]
)
def test_literal_gives_back_the_text(text):
    assert eval(literal(text)) == text


# -- commands ---------------------------------------------------------------------------


def test_replay_reports_a_bad_file_and_runs_the_others(tmp_path, capsys):
    good = write_entry(tmp_path, entry_of("dotted_leaf", {running_version(): "match"}))
    broken = entry_of("seed_func1", {running_version(): "match"})
    bad = write_entry(tmp_path, broken, to_text(broken).replace("# needed:", "# needed: [1] #"))
    code = main(["replay", "--corpus", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert str(bad) in err and "field 'needed'" in err
    assert out.split(good.name)[1].splitlines()[0].split() == ["match", "match", "same"]
    assert "1 bad" in out


def test_replay_reports_changed_new_and_failing(tmp_path, capsys):
    changed = write_entry(tmp_path, entry_of("local_alias", {running_version(): "match"}))
    elsewhere = "3.9" if running_version() != "3.9" else "3.10"
    unrecorded = write_entry(tmp_path, entry_of("dotted_leaf", {elsewhere: "match"}))
    other_sides = write_entry(tmp_path, entry_of("seed_func2", {running_version(): "match"}, candidate="installed"))
    code = main(["replay", "--corpus", str(tmp_path)])
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.endswith(SUFFIX, 0, line.find(" "))}
    assert code == 1  # local_alias is a regression for legacy against proposed
    assert lines[changed.name].split()[1:4] == ["match", "regression", "changed"]
    assert lines[unrecorded.name].split()[1:4] == ["-", "match", "new"]
    assert "recorded with legacy vs installed" in lines[other_sides.name]
    assert "1 changed, 1 new, 0 bad; 1 failing" in out


def test_replay_reports_a_case_that_cannot_run(tmp_path, capsys):
    case = Case((), "def f():\n    return 1\n", entry="42", name="not a function")
    path = write_entry(tmp_path, CorpusEntry(case, "legacy", "proposed", {"3.11": "match"}, "2026-01-01"))
    assert main(["replay", "--corpus", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "field 'case'" in err and "not a function" in err


def test_replay_of_a_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["replay", "--corpus", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_repro_command_prints_a_script_or_names_the_problem(tmp_path, capsys):
    good = write_entry(tmp_path, entry_of("walrus"))
    assert main(["repro", str(good)]) == 0
    compile(capsys.readouterr().out, "repro", "exec")
    broken = entry_of("seed_func3")
    bad = write_entry(tmp_path, broken, to_text(broken).replace("# found:", "# found: 3 #"))
    assert main(["repro", str(bad)]) == 2
    assert f"{bad}: field 'found'" in capsys.readouterr().err
    assert main(["repro", str(good), "--side", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err


def test_corpus_seed_writes_every_known_case_once_and_is_idempotent(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    main(["corpus-seed", "--corpus", str(corpus)])
    first = {p: Path(p).read_bytes() for p in corpus_files(str(corpus))}
    main(["corpus-seed", "--corpus", str(corpus)])
    assert {p: Path(p).read_bytes() for p in corpus_files(str(corpus))} == first
    assert sorted(Path(p).name for p in first) == sorted(file_name(case) for case, _ in CASES.values())
    assert all(load(p).verdict_for() is not None for p in first)


def test_the_repository_corpus_holds_every_known_case():
    names = {p.name for p in CORPUS_FILES}
    missing = [key for key, (case, _) in CASES.items() if file_name(case) not in names]
    assert missing == [], f"run `python -m fuzz corpus-seed` to add {missing}"
    for path in CORPUS_FILES:
        entry = load(str(path))
        assert entry.verdicts, path.name
        assert (entry.baseline, entry.candidate) == ("legacy", "proposed")


def test_a_saved_case_carries_the_stdlib_submodules_its_verdict_relied_on(
    tmp_path, side_factory, fork_isolation, cloudpickle_only
):
    import concurrent.futures  # noqa: F401  (held here, as a gate worker may hold it)

    from fuzz.oracle.judge import run_case

    source = "import concurrent\ndef f():\n    c = concurrent\n    return c.futures.__name__\n"
    case = Case((), source, needed=("concurrent.futures",))
    verdict = run_case(case, side_factory("legacy"), side_factory("proposed"), fork_isolation)
    assert verdict.kind == "regression", verdict
    assert "concurrent.futures" in verdict.held and "sys" not in verdict.held
    entry = CorpusEntry.from_verdict(case, verdict)
    assert "concurrent.futures" in entry.case.parent_imports
    # A fresh process with nothing but the entry shows the same failure.
    env = {**os.environ, "PYTHONPATH": str(cloudpickle_only)}
    script = reproducer(entry)
    done = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )
    assert done.returncode == 1 and "FAIL" in done.stdout, done.stdout + done.stderr
    # Without the held modules it would not: the reason the entry carries them.
    bare = reproducer(dataclasses.replace(entry, case=case))
    done = subprocess.run(
        [sys.executable, "-S", "-c", bare], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
