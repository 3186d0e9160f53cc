"""The grader on one submission: the contract's command line, scores and isolation."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXERCISES, RELEASED, ROOT, SOLUTIONS


def grade(path, out, *extra, env=None):
    """Run the contract's command; returns (exit status, results or None, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(path), "--out", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    results = json.loads(out.read_text()) if out.exists() else None
    return done.returncode, results, done.stderr


def per_exercise(results):
    totals = {}
    for test in results["tests"]:
        (tag,) = test["tags"]
        score, most = totals.get(tag, (0, 0))
        totals[tag] = (score + test["score"], most + test["max_score"])
    return totals


@pytest.fixture(scope="module")
def reference_results(tmp_path_factory):
    status, results, stderr = grade(SOLUTIONS, tmp_path_factory.mktemp("ref") / "results.json")
    assert status == 0, stderr
    return results


def test_reference_gets_full_marks_in_every_exercise(reference_results):
    totals = per_exercise(reference_results)
    assert set(totals) == set(EXERCISES) | {"core"}
    for exercise in EXERCISES:
        score, most = totals[exercise]
        assert most > 0 and score == most, exercise
    assert reference_results["score"] == sum(t["max_score"] for t in reference_results["tests"])


def test_results_follow_the_contract(reference_results):
    assert "bubblewrap" in reference_results["output"]
    for test in reference_results["tests"]:
        assert {"name", "score", "max_score", "output", "visibility", "tags"} <= set(test)
        assert len(test["tags"]) == 1 and test["tags"][0] in EXERCISES + ["core"]
        assert isinstance(test["output"], str)
        if test["tags"] == ["core"]:
            assert test["max_score"] == 0


def test_regrading_gives_the_same_results_to_the_last_digit(reference_results, tmp_path):
    status, again, _ = grade(SOLUTIONS, tmp_path / "results.json")
    assert status == 0
    strip = lambda r: {k: v for k, v in r.items() if k != "execution_time"}  # noqa: E731
    assert strip(again) == strip(reference_results)


def test_release_gets_zero_and_is_told_what_is_not_implemented(tmp_path):
    status, results, _ = grade(RELEASED, tmp_path / "results.json")
    assert status == 0
    assert results["score"] == 0
    for test in results["tests"]:
        if test["max_score"] > 0:
            assert "not implemented yet" in test["output"], test
            assert test["extra_data"]["mistake"] == "not-implemented"


def test_notebook_edition_gets_full_marks(tmp_path):
    status, results, _ = grade(SOLUTIONS / "micrograd.ipynb", tmp_path / "results.json")
    assert status == 0
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0


def test_buggy_derivative_is_explained_with_input_expected_and_got(tmp_path):
    shutil.copy(SOLUTIONS / "value.py", tmp_path / "value.py")
    source = (tmp_path / "value.py").read_text()
    (tmp_path / "value.py").write_text(source.replace("self.grad += s * (1 - s) * out.grad", "self.grad -= s * (1 - s) * out.grad"))
    status, results, _ = grade(tmp_path, tmp_path / "results.json")
    assert status == 0
    totals = per_exercise(results)
    assert totals["sigmoid"][0] < totals["sigmoid"][1]
    assert all(score == most for exercise, (score, most) in totals.items() if exercise != "sigmoid")
    failed = [t for t in results["tests"] if t["score"] < t["max_score"]]
    message = next(t["output"] for t in failed if "matches the reference" in t["name"])
    assert message.startswith("sigmoid backward at x = ")
    assert "expected" in message and "got -" in message
    assert message.endswith("the sign of your derivative is flipped")


@pytest.mark.parametrize("content, expected", [
    ("def broken(:\n", "SyntaxError"),
    ("raise RuntimeError('boom at import')\n", "boom at import"),
])
def test_a_submission_that_cannot_load_gets_zero_and_a_clear_message(tmp_path, content, expected):
    (tmp_path / "value.py").write_text(content)
    status, results, stderr = grade(tmp_path, tmp_path / "results.json")
    assert status == 0, stderr
    assert results["score"] == 0
    outputs = [t["output"] for t in results["tests"] if t["max_score"] > 0]
    assert all("could not be loaded" in o and expected in o for o in outputs)
    assert not any("autograder/" in o or "Traceback" in o for o in outputs)


def test_nothing_to_grade_is_a_grade_of_zero(tmp_path):
    status, results, _ = grade(tmp_path / "missing", tmp_path / "results.json")
    assert status == 0
    assert results["score"] == 0 and "nothing to grade" in results["output"].lower()


def test_without_bubblewrap_hidden_checks_are_refused_unless_asked(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(sys.executable, bin_dir / "python3")
    env = dict(os.environ, PATH=str(bin_dir))  # no bwrap on this PATH
    status, results, stderr = grade(SOLUTIONS, tmp_path / "refused.json", env=env)
    assert status != 0 and results is None
    assert "bubblewrap" in stderr and "--allow-weak-isolation" in stderr
    status, results, _ = grade(SOLUTIONS, tmp_path / "weak.json", "--allow-weak-isolation", env=env)
    assert status == 0
    assert results["extra_data"]["isolation"].startswith("weak")
    assert "Isolation: weak" in results["output"]
    assert results["score"] == sum(t["max_score"] for t in results["tests"])


def test_bad_arguments_exit_non_zero(tmp_path):
    status, results, stderr = grade(SOLUTIONS, tmp_path / "r.json", "--no-such-flag")
    assert status != 0 and results is None and "usage" in stderr


# Attacks on the grader's side of the pipe: the submission owns its process, so
# it can write anything to the answer pipe (fd 1 is saved by the runner; the
# submission finds it as fd 3 or by writing to /proc/self/fd) and stop reading
# its requests. Each must still end in a grade, quickly, without a grader traceback.
PROTOCOL_ATTACKS = {
    "forged load report": "import os\nos.write(3, b'{\"id\": 0}\\n')\n",
    "deeply nested answer": "import os\nos.write(3, b'[' * 200000 + b'\\n')\n",
    "stops reading its requests": (
        "import fcntl, os, time\n"
        "fcntl.fcntl(4, 1031, 4096)  # F_SETPIPE_SZ on the request pipe\n"
        "os.write(3, b'{\"id\": 0, \"loaded\": true, \"defined\": {\"Value\": true}, \"errors\": []}\\n')\n"
        "time.sleep(3600)\n"
    ),
    "huge error messages": "class Value:\n    def __init__(self, x):\n        raise ValueError('x' * 10**6 + '\\nScore: 72 / 72')\n",
}


@pytest.mark.parametrize("attack", sorted(PROTOCOL_ATTACKS))
def test_attacks_on_the_pipe_end_in_a_grade(tmp_path, attack):
    (tmp_path / "value.py").write_text(PROTOCOL_ATTACKS[attack])
    status, results, stderr = grade(tmp_path, tmp_path / "results.json")
    assert status == 0, stderr
    assert results["score"] == 0
    assert (tmp_path / "results.json").stat().st_size < 1 << 20
    assert "Traceback" not in json.dumps(results)
    assert "Score: 72" not in results["output"]


def test_a_broken_notebook_cell_does_not_stop_the_others(tmp_path):
    notebook = json.loads((SOLUTIONS / "micrograd.ipynb").read_text())
    notebook["cells"].insert(1, {"cell_type": "code", "source": [1, 2], "metadata": {}, "outputs": []})
    (tmp_path / "micrograd.ipynb").write_text(json.dumps(notebook))
    status, results, _ = grade(tmp_path, tmp_path / "results.json")
    assert status == 0
    assert results["score"] == sum(t["max_score"] for t in results["tests"])
    assert "Notebook cell 2 raised" in results["output"]
    assert "child.py" not in results["output"]


def test_a_file_name_that_is_not_utf8_is_harmless(tmp_path):
    shutil.copy(SOLUTIONS / "value.py", tmp_path / "value.py")
    (tmp_path / os.fsdecode(b"\xff.py")).write_text("x = 1\n")
    status, results, stderr = grade(tmp_path, tmp_path / "results.json")
    assert status == 0, stderr
    assert results["score"] == sum(t["max_score"] for t in results["tests"])


def test_a_hang_on_some_inputs_fails_only_the_checks_that_meet_them(tmp_path):
    source = (SOLUTIONS / "value.py").read_text()
    hang = 'raise ValueError(f"sqrt: undefined for x = {self.data!r} (needs x >= 0)")'
    assert hang in source
    (tmp_path / "value.py").write_text(source.replace(hang, "while True: pass"))
    status, results, _ = grade(tmp_path, tmp_path / "results.json")
    assert status == 0
    sqrt = [t for t in results["tests"] if t["tags"] == ["sqrt"]]
    failed = [t["name"] for t in sqrt if t["score"] < t["max_score"]]
    assert "sqrt: raises ValueError for x < 0" in failed
    assert "sqrt: forward value matches the reference" not in failed
    assert "timed out" in next(t["output"] for t in sqrt if t["name"] == "sqrt: raises ValueError for x < 0")


def test_grade_and_grade_all_give_identical_results(tmp_path):
    """A class run imports more of the kit; the inputs drawn must not change."""
    student = tmp_path / "class" / "carol"
    shutil.copytree(ROOT / "examples" / "submitted" / "carol", student)
    status, alone, _ = grade(student / "micrograd", tmp_path / "alone.json")
    assert status == 0
    done = subprocess.run([sys.executable, "-m", "autograder", "grade-all", str(tmp_path / "class"),
                           "--out", str(tmp_path / "graded"), "--workers", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    in_class = json.loads((tmp_path / "graded" / "carol" / "results.json").read_text())
    assert [(t["name"], t["score"], t["output"]) for t in in_class["tests"]] == \
           [(t["name"], t["score"], t["output"]) for t in alone["tests"]]
    assert alone["score"] < sum(t["max_score"] for t in alone["tests"])
