"""The Gradescope bundle: what the zip holds, and run_autograder in a mock /autograder."""
import json
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder import gradescope
from conftest import EXERCISES, ROOT, SOLUTIONS

VISIBILITIES = {"visible", "hidden", "after_due_date", "after_published"}
SCRIPTS = {"setup.sh", "run_autograder"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist") / "autograder.zip"
    gradescope.build(out, kit_root=ROOT)
    return out


def test_the_zip_holds_exactly_the_kit_s_grading_files(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as z:
        infos = z.infolist()
        config = json.loads(z.read("gradescope.json"))
    names = [i.filename for i in infos]
    assert names == sorted(names)
    package = {n for n in names if n.startswith("autograder/")}
    assert set(names) == package | SCRIPTS | {"gradescope.json", "pyproject.toml", "solutions/micrograd/value.py"}
    for needed in ("__main__.py", "grade.py", "checks/pytest.ini", "checks/conftest.py", "sandbox/child.py",
                   "sandbox/jail.py", "gradescope.py"):
        assert f"autograder/{needed}" in package
    for name in names:
        parts = name.split("/")
        assert not {"tests", "corpus", ".git", "__pycache__", "assignments", "examples"} & set(parts), name
        assert not name.endswith((".pyc", ".ipynb")), name
    # every package file the grader may need is there
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "autograder").rglob("*.py")
               if "__pycache__" not in p.parts and (p.parent / "__init__.py").is_file()}
    assert on_disk <= package
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        mode = info.external_attr >> 16
        assert stat.S_ISREG(mode)
        assert stat.S_IMODE(mode) == (0o755 if info.filename in SCRIPTS else 0o644), info.filename
    assert config == {"hidden_visibility": "after_due_date", "allow_weak_isolation": False}
    # deterministic: building again gives the same bytes
    again = tmp_path / "again.zip"
    gradescope.build(again, kit_root=ROOT)
    assert again.read_bytes() == bundle.read_bytes()


def test_setup_sh_installs_python_bubblewrap_and_the_kit(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as z:
        setup = z.read("setup.sh").decode()
        run = z.read("run_autograder").decode()
    for name, text in (("setup.sh", setup), ("run_autograder", run)):
        (tmp_path / name).write_text(text)
        done = subprocess.run(["bash", "-n", str(tmp_path / name)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert text.startswith("#!/usr/bin/env bash\n")
    assert "apt-get install" in setup and "bubblewrap" in setup and "python3" in setup
    assert "pip install" in setup and "-e /autograder/source" in setup and "venv" in setup
    assert "AUTOGRADER_ROOT" in run


def test_find_submission_prefers_value_py_and_skips_macosx(tmp_path):
    (tmp_path / "__MACOSX" / "hw").mkdir(parents=True)
    (tmp_path / "__MACOSX" / "value.py").write_text("junk")
    (tmp_path / "hw" / "deep").mkdir(parents=True)
    (tmp_path / "hw" / "notes.ipynb").write_text("{}")
    assert gradescope.find_submission(tmp_path) == tmp_path / "hw" / "notes.ipynb"
    (tmp_path / "hw" / "micrograd.ipynb").write_text("{}")
    assert gradescope.find_submission(tmp_path) == tmp_path / "hw" / "micrograd.ipynb"
    (tmp_path / "hw" / "deep" / "value.py").write_text("")
    assert gradescope.find_submission(tmp_path) == tmp_path / "hw" / "deep" / "value.py"
    (tmp_path / "hw" / "value.py").write_text("")
    assert gradescope.find_submission(tmp_path) == tmp_path / "hw" / "value.py"
    (tmp_path / "value.py").write_text("")
    assert gradescope.find_submission(tmp_path) == tmp_path / "value.py"
    assert gradescope.find_submission(tmp_path / "missing") is None


# ---------------------------------------------------------- run_autograder

def autograder_root(bundle, tmp_path):
    """Gradescope's layout: the zip in source/, run_autograder copied next to it."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
        for info in z.infolist():
            os.chmod(root / "source" / info.filename, stat.S_IMODE(info.external_attr >> 16))
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def run_autograder(root):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["AUTOGRADER_ROOT"] = str(root)
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    return results


def validate(results):
    """Gradescope's results.json specification, plus the kit's contract."""
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["execution_time"], (int, float))
    assert isinstance(results["output"], str)
    assert isinstance(results["tests"], list)
    for test in results["tests"]:
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test["visibility"] in VISIBILITIES
        assert isinstance(test["output"], str)
        assert isinstance(test["tags"], list) and len(test["tags"]) == 1
        assert test["tags"][0] in EXERCISES + ["core"]


def graded(results):
    """The grader's own results (not a fallback, not a forgery), checked per exercise."""
    assert results["extra_data"]["isolation"] == "bubblewrap"
    assert results["extra_data"]["grader_version"]
    tests = results["tests"]
    assert {t["tags"][0] for t in tests} >= set(EXERCISES)
    assert {t["visibility"] for t in tests} == {"visible", "after_due_date"}
    assert results["score"] == sum(t["score"] for t in tests)
    totals = {}
    for t in tests:
        score, most = totals.get(t["tags"][0], (0, 0))
        totals[t["tags"][0]] = (score + t["score"], most + t["max_score"])
    return totals


def test_correct_submission_gets_full_marks(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path)
    shutil.copy(SOLUTIONS / "value.py", root / "submission" / "value.py")
    results = run_autograder(root)
    totals = graded(results)
    assert results["score"] == sum(most for _, most in totals.values()) > 0
    assert all(score == most for score, most in totals.values())


def test_buggy_sigmoid_loses_points_only_in_sigmoid(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path)
    source = (SOLUTIONS / "value.py").read_text()
    assert source.count("s * (1 - s)") == 1
    (root / "submission" / "value.py").write_text(source.replace("s * (1 - s)", "-s * (1 - s)"))
    results = run_autograder(root)
    totals = graded(results)
    assert totals["sigmoid"][0] < totals["sigmoid"][1]
    assert all(score == most for exercise, (score, most) in totals.items() if exercise != "sigmoid")
    assert results["score"] < sum(most for _, most in totals.values())


def test_notebook_nested_in_a_folder_is_found(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path)
    (root / "submission" / "hw").mkdir()
    (root / "submission" / "__MACOSX").mkdir()
    (root / "submission" / "__MACOSX" / "._micrograd.ipynb").write_bytes(b"\0\5junk")
    shutil.copy(SOLUTIONS / "micrograd.ipynb", root / "submission" / "hw" / "micrograd.ipynb")
    results = run_autograder(root)
    totals = graded(results)
    assert all(score == most for score, most in totals.values())


def test_empty_submission_gets_zero_with_a_clear_message(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path)
    (root / "submission" / "notes.txt").write_text("forgot the file")
    results = run_autograder(root)
    assert results["score"] == 0 and results["tests"] == []
    assert "No submission found" in results["output"] and "value.py" in results["output"]


def test_a_broken_grader_still_leaves_valid_results(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path)
    shutil.copy(SOLUTIONS / "value.py", root / "submission" / "value.py")
    (root / "source" / "solutions" / "micrograd" / "value.py").unlink()  # a kit missing its reference
    results = run_autograder(root)
    assert results["score"] == 0 and results["tests"] == []
    assert "could not grade" in results["output"] and "reference solution" in results["output"]


HOSTILE = '''
import os

SOLUTION_MARK = "BEGIN " + "SOLUTION"   # spelled apart, so this file does not match itself
SOURCE_MARK = "autograder/" + "source"
found = []
scanned = 0
for top, dirs, files in os.walk("/"):
    if top in ("/proc", "/sys", "/dev"):
        dirs[:] = []
        continue
    for name in files:
        path = os.path.join(top, name)
        scanned += 1
        if SOURCE_MARK in path or {source!r} in path:
            found.append("FOUND-SOURCE:" + path)
        if name == "value.py":
            try:
                with open(path, errors="replace") as f:
                    if SOLUTION_MARK in f.read():
                        found.append("FOUND-SOLUTION:" + path)
            except OSError:
                pass
for target in ({results!r}, "/autograder/results/results.json"):
    try:
        with open(target, "w") as f:
            f.write('{{"score": 1000, "tests": [], "output": "FORGED"}}')
        found.append("WROTE:" + target)
    except OSError as exc:
        pass
REPORT = "HOSTILE scanned %d files; found: %s" % (scanned, "; ".join(found[:20]) or "nothing")


def _raise(*args, **kwargs):
    raise RuntimeError(REPORT)


for _name in ("relu", "sigmoid", "log", "sin", "cos", "sqrt"):
    setattr(Value, _name, _raise)
cross_entropy = numerical_grad = gradcheck = _raise
'''


def test_hostile_submission_sees_neither_the_kit_nor_the_results(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path)
    reference = (SOLUTIONS / "value.py").read_text()
    given = "\n".join(line for line in reference.splitlines() if "SOLUTION" not in line)
    results_path = root / "results" / "results.json"
    hostile = given + HOSTILE.format(source=str(root / "source"), results=str(results_path))
    (root / "submission" / "value.py").write_text(hostile)
    outside = Path("/autograder/results/results.json")
    existed = outside.exists()

    results = run_autograder(root)
    totals = graded(results)  # the grader's own results.json, not the forged one
    assert results["score"] == 0
    assert all(score == 0 for exercise, (score, _) in totals.items() if exercise != "core")
    text = json.dumps(results)
    assert "HOSTILE scanned" in text  # its code ran and its report reached the feedback...
    for secret in ("FOUND-", "WROTE:", "BEGIN SOLUTION", "FORGED", str(root / "source"), str(ROOT)):
        assert secret not in text  # ...but it found and wrote nothing
    assert outside.exists() == existed


def test_visibility_is_configured_in_gradescope_json(tmp_path):
    out = tmp_path / "autograder.zip"
    assert gradescope.main(["--out", str(out), "--hidden-visibility", "hidden", "--allow-weak-isolation"]) == 0
    with zipfile.ZipFile(out) as z:
        z.extract("gradescope.json", tmp_path / "source")
    assert gradescope.read_config(tmp_path / "source") == {"hidden_visibility": "hidden", "allow_weak_isolation": True}
    (tmp_path / "source" / "gradescope.json").write_text('{"hidden_visibility": "never"}')
    assert gradescope.read_config(tmp_path / "source")["hidden_visibility"] == "after_due_date"
    assert gradescope.read_config(tmp_path / "nowhere")["hidden_visibility"] == "after_due_date"
