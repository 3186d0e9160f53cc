"""Grading corpus submissions with the real command line, once per test session.

test_corpus.py and test_hostile.py load this file by path. `grade()` runs
`python -m autograder grade FOLDER --out FILE` in a subprocess and keeps what
it produced in a cache directory shared by every pytest-xdist worker of the
session, under a file lock, so each folder is graded exactly once however many
tests (and workers) look at its results.
"""
import fcntl
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXERCISES as CONTRACT_EXERCISES

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parents[1]
EXERCISES = tuple(CONTRACT_EXERCISES)
TAGS = EXERCISES + ("core",)
MISTAKES = (
    "sign-flipped", "missing-chain-factor", "overwrites-grad", "derivative-at-input", "overflow",
    "input-mutated", "not-a-new-value", "one-sided-difference", "not-implemented",
)


def folders(kind):
    """The submission folders of tests/corpus/<kind>/, sorted by name."""
    base = CORPUS / kind
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def expectation(folder):
    return json.loads((folder / "expect.json").read_text())


def shared_dir(tmp_path_factory):
    """A directory every xdist worker of this session sees (the session's own without xdist)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cache = root / "graded-corpus"
    cache.mkdir(exist_ok=True)
    return cache


def grade(folder, cache, timeout, env=None, wrapper=(), prepare=None, observe=None):
    """Grade `folder` once per session; returns a dict (the cached record).

    record: rc (None on timeout), stdout, stderr, seconds, out (path of the
    --out file), results (the parsed file, or None), results_error,
    observed (whatever `observe(folder, record)` returned right after the
    grader exited, while still holding the lock).
    """
    key = f"{folder.parent.name}--{folder.name}"
    record_path = cache / f"{key}.json"
    with open(cache / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record_path.exists():
            return json.loads(record_path.read_text())
        out_dir = cache / key
        out_dir.mkdir(exist_ok=True)
        out = out_dir / "results.json"
        if prepare is not None:
            prepare(folder)
        argv = [*wrapper, sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out)]
        record = run(argv, timeout, env)
        record["out"] = str(out)
        record["results"], record["results_error"] = read_results(out)
        record["observed"] = observe(folder, record) if observe is not None else None
        record_path.write_text(json.dumps(record))
        return record


def run(argv, timeout, env=None):
    """Run argv from the repository root in its own session; kill the whole group on timeout."""
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the grader we started, and its group
        except ProcessLookupError:
            pass
        stdout, stderr = proc.communicate()
        rc = None
    return {
        "argv": argv,
        "rc": rc,
        "timeout": timeout,
        "seconds": round(time.monotonic() - started, 1),
        # the ends are what matter; a flood must not blow up the cache
        "stdout": clip(stdout.decode("utf-8", "replace")),
        "stderr": clip(stderr.decode("utf-8", "replace")),
        "stdout_bytes": len(stdout),
        "stderr_bytes": len(stderr),
    }


def clip(text, limit=200_000):
    return text if len(text) <= limit else text[: limit // 2] + "\n[...clipped...]\n" + text[-limit // 2:]


def read_results(out):
    if not out.exists():
        return None, f"no results file at {out}"
    try:
        return json.loads(out.read_text(encoding="utf-8")), None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"results file is not JSON: {exc}"


def describe_run(record):
    """What to show when an assertion about a grading fails."""
    return (
        f"grader {record['argv']}\nexit status {record['rc']} after {record['seconds']} s"
        f" (timeout {record['timeout']} s)\n{record.get('results_error') or ''}\n"
        f"--- stderr (end) ---\n{record['stderr'][-3000:]}\n--- stdout (end) ---\n{record['stdout'][-1500:]}"
    )


def require_results(record):
    """The parsed results of a grading that ended well, or an assertion error saying why not."""
    assert record["rc"] == 0, "the grader did not exit 0\n" + describe_run(record)
    results = record["results"]
    assert isinstance(results, dict), "no usable results file\n" + describe_run(record)
    assert isinstance(results.get("tests"), list), "results.json has no list of tests\n" + describe_run(record)
    return results


def exercise_of(test):
    tags = test.get("tags")
    return tags[0] if isinstance(tags, list) and len(tags) == 1 else None


def per_exercise(results):
    """{exercise: (score, max_score)} summed over the tests tagged with it."""
    sums = {name: [0.0, 0.0] for name in EXERCISES}
    for test in results["tests"]:
        name = exercise_of(test)
        if name in sums:
            sums[name][0] += float(test.get("score") or 0)
            sums[name][1] += float(test.get("max_score") or 0)
    return {name: tuple(v) for name, v in sums.items()}


def full(score, max_score):
    return max_score > 0 and math.isclose(score, max_score, rel_tol=1e-9, abs_tol=1e-9)


def failing_tests(results, exercise):
    return [
        t for t in results["tests"]
        if exercise_of(t) == exercise and float(t.get("score") or 0) < float(t.get("max_score") or 0) - 1e-9
    ]


def summary(results, exercises=EXERCISES):
    """One line per exercise with its score and the first lines of its failing tests."""
    sums = per_exercise(results)
    lines = []
    for name in exercises:
        score, max_score = sums[name]
        lines.append(f"{name}: {score:g}/{max_score:g}")
        for test in failing_tests(results, name)[:3]:
            output = str(test.get("output", ""))[:300].replace("\n", " | ")
            mistake = (test.get("extra_data") or {}).get("mistake")
            lines.append(f"    - {test.get('name')}: {output} [mistake={mistake}]")
    return "\n".join(lines)


def contract_shape_problems(results):
    """Where results.json departs from CONTRACT.md section 2 (an empty list if nowhere)."""
    problems = []
    if not isinstance(results.get("score"), (int, float)) or isinstance(results.get("score"), bool):
        problems.append(f"top-level score is {results.get('score')!r}")
    for i, test in enumerate(results["tests"]):
        where = f"test {i} ({test.get('name')!r})"
        for key, kinds in (("name", str), ("output", str), ("visibility", str), ("tags", list)):
            if not isinstance(test.get(key), kinds):
                problems.append(f"{where}: {key} is {test.get(key)!r}")
        for key in ("score", "max_score"):
            if not isinstance(test.get(key), (int, float)) or isinstance(test.get(key), bool):
                problems.append(f"{where}: {key} is {test.get(key)!r}")
        tags = test.get("tags")
        if not (isinstance(tags, list) and len(tags) == 1 and tags[0] in TAGS):
            problems.append(f"{where}: tags {tags!r} is not exactly one of {TAGS}")
        elif tags[0] == "core" and test.get("max_score") not in (0, 0.0):
            problems.append(f"{where}: a core check is worth {test.get('max_score')!r}, not 0")
        output = test.get("output")
        if isinstance(output, str):
            for leak in ("autograder/", "/grader/child.py"):
                if leak in output:
                    problems.append(f"{where}: output shows the grader's own code ({leak!r}): {output[:500]!r}")
    for name, (_, max_score) in per_exercise(results).items():
        if not max_score > 0:
            problems.append(f"exercise {name} has no test with max_score > 0")
    return problems
