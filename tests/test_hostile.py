"""The grader against hostile submissions (CONTRACT.md, section 3).

tests/corpus/hostile/<name>/ is an otherwise honest submission with one attack;
its expect.json says which exercises must still get full marks ("honest") and
which must get nothing ("zero"). Whatever the attack, the grader exits 0 and
writes a results file. Small dedicated tests then look on the host for what an
attack would leave behind: stray processes, files written outside the jail,
a command run by unpickling, leaked secrets, forged results.

Every folder is graded once per session (tests/corpus/harness.py); what must be
observed right after the grader exits (processes still alive, files on disk) is
recorded then, while the folder's lock is held.
"""
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "micrograd_corpus_harness", Path(__file__).resolve().parent / "corpus" / "harness.py"
)
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

HOSTILE = harness.folders("hostile")
BY_NAME = {f.name: f for f in HOSTILE}
GRADE_TIMEOUT = 180

SECRETS = {
    "MICROGRAD_TEST_SECRET": "s3cr3t-7f3a-micrograd-kit-do-not-leak",
    "GITHUB_TOKEN": "ghs_FakeTokenForMicrogradKitTests7f3aXYZ0123",
}
FORK_MARKER = "hostile-fork-marker-7f3a"
FORGED_MARKER = "forged-by-hostile-7f3a"
PWNED = Path("/tmp/pwned-marker")


# ---------------------------------------------------- what attacks leave behind


def marker_processes():
    """(pid, args) of every process whose command line carries the fork marker."""
    ps = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True)
    found = []
    for line in ps.stdout.splitlines():
        pid, _, args = line.strip().partition(" ")
        if FORK_MARKER in args and pid.isdigit():
            found.append((int(pid), args))
    return found


def kill_marker_processes():
    """Clean up after a grader that let them live: they are ours (our test started them)."""
    for pid, _ in marker_processes():
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def observe_fork_swarm(folder, record):
    deadline = time.monotonic() + 5  # the kernel reaps a dead pid namespace quickly
    left = marker_processes()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = marker_processes()
    kill_marker_processes()
    return {"left": [args for _, args in left]}


def escape_marker_paths(folder):
    """Where write_escape's markers would land on the host if the jail let them through."""
    home = Path.home()
    paths = {
        Path("/tmp/hostile-escape-marker-tmp"),
        folder / "hostile-escape-marker-owndir",
        home / "hostile-escape-marker-home",
        Path("/work/hostile-escape-marker-work"),
        Path("/work/main/hostile-escape-marker-repo"),
        harness.ROOT / "hostile-escape-marker-repo",
        Path("/root/hostile-escape-marker-root"),
        Path("/hostile-escape-marker-slash"),
        Path("/hostile-escape-marker-parent"),
    }
    for base in (Path("/tmp"), harness.ROOT, harness.ROOT.parent, folder.parent, home, Path("/")):
        for pattern in ("hostile-escape-marker-*", "*/hostile-escape-marker-*", "*/*/hostile-escape-marker-*"):
            try:
                paths.update(base.glob(pattern))
            except OSError:
                pass
    return sorted(paths)


def remove_escape_markers(folder):
    for path in escape_marker_paths(folder):
        if path.name.startswith("hostile-escape-marker-") and path.is_file():
            path.unlink()


def observe_escape(folder, record):
    found = [str(p) for p in escape_marker_paths(folder) if p.exists()]
    remove_escape_markers(folder)
    return {"found": found}


def forged_results_files(folder):
    """Files named results.json holding the forger's marker, where a leak would put them."""
    candidates = set()
    for base in (folder, folder.parent, harness.ROOT, harness.ROOT.parent, Path.home(), Path("/tmp"), Path("/")):
        for pattern in ("results.json", "*/results.json", "*/*/results.json"):
            try:
                candidates.update(base.glob(pattern))
            except OSError:
                pass
    candidates.add(Path("/autograder/results/results.json"))
    found = []
    for path in sorted(candidates):
        try:
            if path.is_file() and path.stat().st_size < (1 << 20) and FORGED_MARKER in path.read_text(errors="replace"):
                found.append(path)
        except OSError:
            pass
    return found


def remove_forged_results(folder):
    for path in forged_results_files(folder):
        path.unlink()


def observe_forged(folder, record):
    out = Path(record["out"])
    found = [str(p) for p in forged_results_files(folder) if p != out]
    remove_forged_results(folder)
    return {"found": found, "beside_out": sorted(p.name for p in out.parent.iterdir())}


def remove_pwned(folder):
    if PWNED.exists():
        PWNED.unlink()


def observe_pwned(folder, record):
    return {"pwned": PWNED.exists()}


PREPARE = {
    "fork_swarm_in_log": lambda folder: kill_marker_processes(),
    "write_escape": remove_escape_markers,
    "forged_results": remove_forged_results,
    "pickle_payload": remove_pwned,
}
OBSERVE = {
    "fork_swarm_in_log": observe_fork_swarm,
    "write_escape": observe_escape,
    "forged_results": observe_forged,
    "pickle_payload": observe_pwned,
}

# kill(-1, SIGKILL) from a grader that failed to jail its child would kill every
# process this user may signal (as root: the whole machine). Those folders are
# graded inside a pid namespace of their own, as its second process (its first,
# a plain waiting parent, is what kill(-1) spares), so a broken jail shows up
# as a killed grader here, not as a dead machine.
SAFETY_NET = {"kill_everything_in_relu"}
NET_PARENT = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"


def safety_net():
    """argv prefix that runs a command in a fresh pid namespace, or None if impossible here."""
    if shutil.which("unshare") is None:
        return None
    argv = ["unshare", "--pid", "--fork", "--kill-child", "--"]
    try:
        probe = subprocess.run(argv + ["true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if probe.returncode != 0:
        return None
    return argv + [sys.executable, "-c", NET_PARENT]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    cache = harness.shared_dir(tmp_path_factory)
    env = dict(os.environ, **SECRETS)
    net = safety_net()

    def grade(folder):
        wrapper = ()
        if folder.name in SAFETY_NET:
            assert net is not None, "unshare --pid (util-linux) is needed to try kill(-1) safely"
            wrapper = net
        return harness.grade(
            folder, cache, GRADE_TIMEOUT, env=env, wrapper=wrapper,
            prepare=PREPARE.get(folder.name), observe=OBSERVE.get(folder.name),
        )

    return grade


def all_outputs(results):
    return [str(t.get("output", "")) for t in results["tests"]] + [str(results.get("output", ""))]


# ------------------------------------------------------------------- tests


def test_the_hostile_corpus_is_complete():
    assert len(HOSTILE) >= 18
    for folder in HOSTILE:
        expect = harness.expectation(folder)
        assert set(expect) == {"attack", "honest", "zero"}
        assert set(expect["honest"]) <= set(harness.EXERCISES)
        assert set(expect["zero"]) <= set(harness.EXERCISES)
        assert not set(expect["honest"]) & set(expect["zero"])


@pytest.mark.parametrize("folder", HOSTILE, ids=[f.name for f in HOSTILE])
def test_hostile_submission_is_graded_on_its_merits(graded, folder):
    expect = harness.expectation(folder)
    record = graded(folder)
    results = harness.require_results(record)
    sums = harness.per_exercise(results)
    cheated = [e for e in expect["honest"] if not harness.full(*sums[e])]
    assert cheated == [], (
        f"{folder.name} ({expect['attack']}): honest exercises lost marks:\n" + harness.summary(results, cheated)
    )
    rewarded = [e for e in expect["zero"] if not (sums[e][1] > 0 and sums[e][0] == 0)]
    assert rewarded == [], (
        f"{folder.name} ({expect['attack']}): these should score 0:\n" + harness.summary(results, rewarded)
    )


@pytest.mark.parametrize("folder", HOSTILE, ids=[f.name for f in HOSTILE])
def test_grader_secrets_never_reach_the_results(graded, folder):
    record = graded(folder)
    text = Path(record["out"]).read_text(errors="replace") if Path(record["out"]).exists() else ""
    for name, secret in SECRETS.items():
        assert secret not in text, f"{folder.name}: ${name} of the grader leaked into results.json"
        assert secret not in record["stdout"] + record["stderr"], f"{folder.name}: ${name} leaked into the grader's output"


def test_fork_swarm_dies_with_the_jail(graded):
    record = graded(BY_NAME["fork_swarm_in_log"])
    harness.require_results(record)
    assert record["observed"]["left"] == [], "processes started by the submission outlived grading"


def test_writes_outside_the_scratch_directory_never_land(graded):
    record = graded(BY_NAME["write_escape"])
    harness.require_results(record)
    assert record["observed"]["found"] == [], "the submission wrote files on the host"


def test_unpickling_never_runs_submission_code(graded):
    record = graded(BY_NAME["pickle_payload"])
    harness.require_results(record)
    assert record["observed"]["pwned"] is False, f"{PWNED} exists: the grader unpickled the submission's objects"


def test_reference_solution_stays_out_of_reach(graded):
    record = graded(BY_NAME["reference_search"])
    results = harness.require_results(record)
    text = json.dumps(results)
    assert "BEGIN SOLUTION" not in text
    for output in all_outputs(results):
        assert "BEGIN SOLUTION" not in output and "solutions/" not in output, output[:1000]


def test_forged_results_are_ignored(graded):
    record = graded(BY_NAME["forged_results"])
    results = harness.require_results(record)
    assert results["score"] == 0
    assert record["observed"]["found"] == [], "the submission's results.json landed outside its jail"
    assert record["observed"]["beside_out"] == ["results.json"]
    for stream in ("stdout", "stderr"):
        commands = [
            line for line in record[stream].splitlines() if line.lstrip().startswith(("::", "##vso["))
        ]
        assert commands == [], f"the grader's {stream} carries CI commands the submission printed"


def test_output_flood_keeps_the_results_small(graded):
    record = graded(BY_NAME["output_flood_in_relu"])
    harness.require_results(record)
    assert Path(record["out"]).stat().st_size < 1 << 20
    assert record["stdout_bytes"] + record["stderr_bytes"] < 1 << 20, "the flood reached the grader's own output"


def test_memory_limit_stops_the_hog(graded):
    record = graded(BY_NAME["memory_hog_in_sqrt"])
    results = harness.require_results(record)
    assert "hostile-memory-hog-succeeded" not in json.dumps(results), "8 GiB were allocated in the jail"


def test_network_is_unreachable_from_the_jail(graded):
    record = graded(BY_NAME["network_at_import"])
    results = harness.require_results(record)
    assert "the network was reachable" not in json.dumps(results)


def test_env_snooping_finds_no_secret(graded):
    record = graded(BY_NAME["env_snooping"])
    results = harness.require_results(record)
    text = json.dumps(results)
    for name, secret in SECRETS.items():
        assert secret not in text and name not in text, f"${name} was visible in the jail"
