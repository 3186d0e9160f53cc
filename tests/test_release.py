"""`python -m autograder release`: reproducible, leak-free, and its public tests
pass on the reference and fail, exercise by exercise, on the stubs."""
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from conftest import EXERCISES, RELEASED, ROOT, SOLUTIONS

# Lines of a solution body too generic to count as a leak: the same line is the
# skeleton of every exercise, and a student writes it from the given `exp`.
# Lines shorter than 12 characters and lines that also occur outside the
# solution regions (given code, hints, test cells) are not counted either.
GENERIC = {"return out", "out._backward = _backward", "def _backward():"}


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    """Release from a scratch copy of the repository; return (output folder, stdout)."""
    root = tmp_path_factory.mktemp("repo")
    for folder in ("solutions", "autograder"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "release"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return root / "assignments" / "micrograd", run.stdout


def split_solutions(source):
    """(lines inside solution regions, lines outside), stripped and non-blank."""
    inside, outside, in_solution = [], [], False
    for line in source.splitlines():
        line = line.strip()
        if line == "### BEGIN SOLUTION":
            in_solution = True
        elif line == "### END SOLUTION":
            in_solution = False
        elif line:
            (inside if in_solution else outside).append(line)
    return inside, outside


def strings(node):
    """Every string in a JSON value: a notebook's text, unescaped, outputs included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def run_public_tests(folder):
    """Run folder/test_public.py in a fresh pytest; return {test name: failure message or None}."""
    report = folder / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", "test_public.py"],
        cwd=folder, capture_output=True, timeout=120,
    )
    results = {}
    for case in ET.parse(report).iter("testcase"):
        problems = [child for child in case if child.tag in ("failure", "error", "skipped")]
        results[case.get("name")] = problems[0].get("message", problems[0].tag) if problems else None
    return results


def exercise_of(test_name):
    return next((e for e in EXERCISES if test_name == f"test_{e}" or test_name.startswith(f"test_{e}_")), None)


def test_release_reproduces_the_committed_assignment_byte_for_byte(fresh_release):
    out, stdout = fresh_release
    fresh = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(fresh) == ["README.md", "micrograd.ipynb", "test_public.py", "value.py"]
    changed = [name for name in fresh if fresh[name] != (RELEASED / name).read_bytes()]
    assert changed == [], f"re-running the release changes {changed}"
    assert len(stdout.splitlines()) == len(fresh), stdout


def test_released_files_contain_no_line_of_any_solution():
    notebook = nbformat.read(SOLUTIONS / "micrograd.ipynb", as_version=4)
    sources = [(SOLUTIONS / "value.py").read_text()] + [c.source for c in notebook.cells if c.cell_type == "code"]
    inside, outside = [], set()
    for source in sources:
        solution, given = split_solutions(source)
        inside += solution
        outside.update(given)
    secret = {line for line in inside if len(line) >= 12 and line not in GENERIC and line not in outside}
    assert len(secret) > 50, "the filter left too few solution lines for this test to mean anything"

    for path in filter(Path.is_file, RELEASED.iterdir()):
        text = path.read_text()
        if path.suffix == ".ipynb":
            text = "\n".join(strings(json.loads(text)))
        leaked = sorted(line for line in secret if line in text)
        assert leaked == [], f"{path.name} leaks solution lines: {leaked}"


def test_public_tests_pass_on_the_reference(tmp_path):
    shutil.copy(SOLUTIONS / "value.py", tmp_path)
    shutil.copy(SOLUTIONS / "test_public.py", tmp_path)
    results = run_public_tests(tmp_path)
    failed = {name: message for name, message in results.items() if message is not None}
    assert results and failed == {}


def test_public_tests_on_the_release_fail_only_as_not_implemented(tmp_path):
    for name in ("value.py", "test_public.py"):
        shutil.copy(RELEASED / name, tmp_path)
    results = run_public_tests(tmp_path)

    given = {name: message for name, message in results.items() if name.startswith("test_given_")}
    assert given and all(message is None for message in given.values()), given

    exercises = {name: message for name, message in results.items() if name not in given}
    assert {exercise_of(name) for name in exercises} == set(EXERCISES)
    wrong = {
        name: message for name, message in exercises.items()
        if f"{exercise_of(name)}: not implemented yet" not in (message or "")
    }
    assert wrong == {}
