"""Fresh interpreters: hazards are bounded and recorded, modes agree, nothing leaks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz.corpus.known_cases import CASES
from fuzz.isolation.pool import Isolation, SideRuntime
from fuzz.model.case import Case, materialise
from fuzz.oracle.judge import run_case

REPO = Path(__file__).resolve().parent.parent
HAZARD_TIMEOUT = 1.5

BOMBS = (
    ("pkg/__init__.py", ""),
    ("pkg/sub.py", "VALUE = 'pkg.sub'\n"),
    ("pkg/hang.py", "import time\ntime.sleep(600)\n"),
    ("pkg/segv.py", "import ctypes\nctypes.string_at(0)\n"),
    ("pkg/exits.py", "import os\nos._exit(7)\n"),
)


@pytest.fixture(scope="module")
def quick_isolation():
    with Isolation("fork", timeout=HAZARD_TIMEOUT) as isolation:
        yield isolation


def run_source(isolation: Isolation, source: str):
    """Run a one-function case at home and return the child's outcome."""
    with materialise(Case(BOMBS, source)) as mat:
        return isolation.run(SideRuntime(), mat.reference_header())


@pytest.mark.parametrize(
    "source, status, value",
    [
        pytest.param(
            "def f():\n    while True:\n        pass\n",
            "timeout",
            f"killed after {HAZARD_TIMEOUT} s",
            marks=pytest.mark.slow,
        ),
        ("import ctypes\ndef f():\n    return ctypes.string_at(0)\n", "signal", "SIGSEGV"),
        ("import os\ndef f():\n    os._exit(3)\n", "exited", "exit code 3 without a result"),
        ("def f():\n    return f()\n", "raised", "RecursionError: maximum recursion depth exceeded"),
        ("def f():\n    print('noise')\n    return 1\n", "returned", "1"),
    ],
)
@pytest.mark.parametrize("mode", ["fork", "spawn"])
def test_child_hazards_are_bounded_and_recorded(mode, source, status, value):
    with Isolation(mode, timeout=HAZARD_TIMEOUT) as isolation:
        outcome = run_source(isolation, source)
        assert outcome.status == status
        assert outcome.value.startswith(value)
        # The same isolation keeps serving after a hazard.
        assert run_source(isolation, "def f():\n    return 2\n").value == "2"


def test_runaway_recursion_in_c_kills_only_the_child(quick_isolation):
    source = "import sys\nsys.setrecursionlimit(10**8)\ndef f():\n    return f()\n"
    outcome = run_source(quick_isolation, source)
    # 3.11+ keeps Python frames off the C stack, so this may also run out the clock.
    assert outcome.status in ("signal", "raised", "timeout"), outcome
    assert run_source(quick_isolation, "def f():\n    return 3\n").value == "3"


@pytest.mark.parametrize("bomb, status", [("hang", "timeout"), ("segv", "signal"), ("exits", "exited")])
def test_candidate_child_death_is_a_crash(bomb, status, side_factory, quick_isolation):
    source = f"import pkg.sub\nBOMB = 'pkg.{bomb}'\ndef f():\n    return pkg.sub.VALUE\n"
    case = Case(BOMBS, source, needed=("pkg.sub",))
    verdict = run_case(
        case, side_factory("legacy"), side_factory("detector:tests.hazard_detectors:add_bomb"), quick_isolation
    )
    assert verdict.kind == "crash", verdict
    assert verdict.candidate.load is not None and verdict.candidate.load.status == status
    assert verdict.baseline.correct


def test_pickling_exception_is_a_crash_not_a_fuzzer_error(side_factory, fork_isolation):
    case, _ = CASES["seed_func5_closure"]
    verdict = run_case(
        case,
        side_factory("legacy"),
        side_factory("detector:fuzz.detectors.planted:buggy_raise_on_closures"),
        fork_isolation,
    )
    assert verdict.kind == "crash"
    assert verdict.candidate.pickle_error == "TypeError: planted bug: closures are not supported"


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.slow
def test_fork_and_spawn_agree(name, side_factory, fork_isolation, spawn_isolation):
    case, _ = CASES[name]
    baseline, candidate = side_factory("legacy"), side_factory("proposed")
    forked = run_case(case, baseline, candidate, fork_isolation)
    spawned = run_case(case, baseline, candidate, spawn_isolation)
    assert forked.kind == spawned.kind
    for a, b in ((forked.baseline, spawned.baseline), (forked.candidate, spawned.candidate)):
        assert a.submodules == b.submodules
        assert (a.load.status, a.load.value, a.load.imported_by_load) == (
            b.load.status,
            b.load.value,
            b.load.imported_by_load,
        )


# -- nothing outlives a run ---------------------------------------------------

LOOP = """
import faulthandler, itertools, signal, sys
faulthandler.register(signal.SIGUSR1, all_threads=True)
from fuzz.corpus.known_cases import CASES
from fuzz.isolation.pool import Isolation
from fuzz.oracle.judge import run_case
from fuzz.oracle.sides import make_side
baseline, candidate = make_side("legacy"), make_side("proposed")
with Isolation(sys.argv[1], timeout=5) as isolation:
    for n, (case, _) in enumerate(itertools.cycle(CASES.values())):
        run_case(case, baseline, candidate, isolation)
        if n == 3:
            print("running", flush=True)
"""


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def ctrl_c_enabled() -> None:
    """In the child before exec: undo an inherited "ignore SIGINT" (tox and CI runners set it).

    An interpreter that starts with SIGINT ignored keeps ignoring it, and
    these tests are about what Ctrl-C does.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_loop(tmp_path: Path, mode: str) -> tuple[subprocess.Popen, str, Path]:
    marker = f"FUZZ_LEAK_MARKER_{os.getpid()}_{time.monotonic_ns()}"
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, marker: "1", "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", LOOP, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
        text=True,
        preexec_fn=ctrl_c_enabled,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "running"
    if mode == "fork":  # spawn children come and go; fork servers stay
        assert len(processes_with(marker)) >= 3, "the loop should have its fork servers by now"
    return proc, marker, tmpdir


def wait_for_no_processes(marker: str, seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("mode", ["fork", "spawn"])
def test_ctrl_c_leaves_no_process_and_no_temp_dir(tmp_path, mode):
    proc, marker, tmpdir = start_loop(tmp_path, mode)
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:  # show where it is stuck before failing
        proc.send_signal(signal.SIGUSR1)
        time.sleep(1)
        proc.kill()
        pytest.fail("the loop did not stop after Ctrl-C:\n" + proc.communicate()[1][-4000:])
    assert wait_for_no_processes(marker) == []
    assert list(tmpdir.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_fuzzer_takes_its_fork_servers_along(tmp_path):
    proc, marker, _ = start_loop(tmp_path, "fork")
    proc.kill()
    proc.wait(timeout=30)
    assert wait_for_no_processes(marker) == []


STARTS_A_HELPER = """
import sys, time
from fuzz.isolation.process_tree import start_helper
start_helper([sys.executable, "-c", "import time; time.sleep(600)"], sys.argv[1])
print("started", flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_helper_in_a_session_of_its_own_dies_with_the_process_that_started_it(tmp_path):
    marker = f"FUZZ_LEAK_MARKER_{os.getpid()}_{time.monotonic_ns()}"
    env = {**os.environ, marker: "1", "PYTHONPATH": str(REPO)}
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTS_A_HELPER, str(tmp_path / "helper.log")],
        stdout=subprocess.PIPE, env=env, cwd=REPO, text=True,
    )  # fmt: skip
    assert starter.stdout is not None and starter.stdout.readline().strip() == "started"
    assert len(processes_with(marker)) == 2
    starter.kill()  # no chance to stop its helper: only the kernel's parent-death signal can
    starter.wait(timeout=30)
    left = wait_for_no_processes(marker)
    for pid in left:  # a failure must not leave a helper behind
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_the_pipeline_gives_the_verdicts_run_case_gives(side_factory, fork_isolation):
    from fuzz.generation.seeded_draws import seeded_cases
    from fuzz.oracle.judge import run_cases

    cases = seeded_cases(25, seed=11)
    sides = side_factory("legacy"), side_factory("proposed")
    one_by_one = [(run_case(case, *sides, fork_isolation).kind) for case in cases]
    piped = list(run_cases(cases, *sides, fork_isolation))
    assert [judged.case for judged in piped] == cases
    assert [judged.verdict.kind for judged in piped] == one_by_one


def test_outcomes_come_back_to_their_tickets_whatever_order_they_finish_in(fork_isolation):
    slow, fast = SideRuntime(), SideRuntime(home=("a-second-server",))
    with materialise(Case(BOMBS, "import time\ndef f():\n    time.sleep(0.3)\n    return 'slow'\n")) as mat:
        slow_header = mat.reference_header()
    with materialise(Case(BOMBS, "def f():\n    return 'fast'\n")) as mat:
        fast_header = mat.reference_header()
    tickets = fork_isolation.submit([(slow, slow_header, b""), (fast, fast_header, b""), (slow, fast_header, b"")])
    assert [o.value for o in fork_isolation.collect(tickets[::-1])] == ["'fast'", "'fast'", "'slow'"]


def test_a_home_server_changes_nothing_a_reference_run_reports(fork_isolation):
    source = "import email\ndef f():\n    return email.utils.formataddr(('a', 'b@c')), email.__name__\n"
    with materialise(Case((), source)) as mat:
        header = mat.reference_header(["email", "email.utils"])
    home = fork_isolation.for_reference(SideRuntime(), ["email", "email.utils"])
    assert home.home
    assert "email.utils" in fork_isolation.run(home, {"kind": "probe"}).preloaded
    at_home, plain = fork_isolation.run(home, header), fork_isolation.run(SideRuntime(), header)
    assert at_home == plain and at_home.status == "returned"
    assert "email.utils" not in at_home.preloaded


def test_a_home_module_that_cannot_be_imported_is_left_to_the_child(fork_isolation):
    runtime = SideRuntime()
    fork_isolation.for_reference(runtime, ["no_such_module_anywhere"])
    assert fork_isolation.for_reference(runtime, ["no_such_module_anywhere"]) == runtime


def test_a_reference_run_sees_nothing_preimported_for_other_packages(side_factory):
    import email.utils  # noqa: F401  (held by this process, as a long campaign would)
    import json.decoder  # noqa: F401  (json's submodules import nothing of email)

    sides = side_factory("legacy"), side_factory("proposed")
    uses_email = Case((), "import email\ndef f():\n    return email.utils.__name__\n")
    # Reaches email only through an import inside: at home, email.utils is not loaded.
    source = "import json\ndef f():\n    import email\n    return json.decoder.__name__, email.utils.__name__\n"
    uses_json = Case((), source)
    with Isolation("fork", timeout=5) as isolation:
        alone = run_case(uses_json, *sides, isolation)
    with Isolation("fork", timeout=5) as isolation:
        run_case(uses_email, *sides, isolation)
        after = run_case(uses_json, *sides, isolation)
    assert alone.expected.status == "raised" and "utils" in alone.expected.value, alone.expected
    assert (after.kind, after.expected) == (alone.kind, alone.expected)


def test_a_home_server_that_dies_mid_request_fails_that_request_at_once():
    with Isolation("fork", timeout=30) as isolation:
        home = isolation.for_reference(SideRuntime(), ["email.utils"])
        with materialise(Case((), "import time\ndef f():\n    time.sleep(5)\n")) as mat:
            tickets = isolation.submit([(home, mat.reference_header(), b"")])
        server = isolation._servers[home]
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=5)
        began = time.monotonic()
        # The next case asks for the same home server while the request is in flight.
        assert isolation.for_reference(SideRuntime(), ["email.utils"]) == home
        (outcome,) = isolation.collect(tickets)
        assert time.monotonic() - began < 10, "waited on a server that could never answer"
        assert outcome.status == "lost", outcome
        assert isolation.run(home, {"kind": "probe"}).status == "returned"
