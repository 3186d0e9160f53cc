"""grade-all on the bundled sample class: scores, CSV, feedback, restart, shards, hostile students."""
import csv
import json
import shutil
import signal
import subprocess
import sys
import time

import pytest

from autograder import results
from autograder.grade_all import CSV_COLUMNS
from conftest import ROOT

SAMPLE = ROOT / "examples" / "submitted"
EXPECTED = json.loads((ROOT / "examples" / "expected_scores.json").read_text())
STATUS = {"ivan": "no submission"}
SUBSET = ("alice", "bob", "carol", "ivan")  # the slower tests grade a few students, not the class


def subset(tmp_path):
    folder = tmp_path / "submitted"
    for student in SUBSET:
        shutil.copytree(SAMPLE / student, folder / student)
    return folder


def subset_rows(out):
    table = rows(out)
    return [table[0]] + [r for r in table[1:] if r[0] in SUBSET]


def grade_all(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "autograder", "grade-all", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, **kwargs)


def rows(out):
    with open(out / "grades.csv", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    run = grade_all(SAMPLE, "--out", out, "--workers", "2")
    assert run.returncode == 0, run.stderr
    return out


def test_sample_class_scores_match_expected(graded):
    for student, expected in EXPECTED.items():
        data = json.loads((graded / student / "results.json").read_text())
        got = {e: s for e, (s, most) in results.per_exercise(data["tests"]).items() if most}
        assert got == expected, student


def test_grades_csv_columns_and_statuses(graded):
    table = rows(graded)
    assert table[0] == CSV_COLUMNS
    assert CSV_COLUMNS[3:12] == list(results.EXERCISES)
    body = [dict(zip(table[0], r)) for r in table[1:]]
    assert [r["student_id"] for r in body] == sorted(EXPECTED)
    for r in body:
        assert r["status"] == STATUS.get(r["student_id"], "graded")
        assert float(r["score"]) == sum(EXPECTED[r["student_id"]].values())
        assert float(r["max_score"]) == sum(EXPECTED["alice"].values())
        assert r["grader_version"] and r["isolation"]
        assert bool(r["submission_sha256"]) == (r["student_id"] != "ivan")
    assert "data:image/png;base64," in (graded / "report.html").read_text()
    assert "the sign of your derivative is flipped" in (graded / "report.html").read_text()


def test_feedback_shows_no_hidden_check_code(graded):
    for student in EXPECTED:
        for name in ("feedback.md", "feedback.html"):
            text = (graded / student / name).read_text()
            for leak in ("def test_", "autograder/checks", "Traceback", "checks/test_", "assert "):
                assert leak not in text, (student, name, leak)
    carol = (graded / "carol" / "feedback.md").read_text()
    assert "sigmoid | 6 / 9" in carol and "expected 0.25, got -0.25" in carol
    assert "&lt;" in (graded / "carol" / "feedback.html").read_text() or "<pre>" in (
        graded / "carol" / "feedback.html").read_text()


def test_interrupted_run_resumes_to_the_same_csv(graded, tmp_path):
    out, sample = tmp_path / "out", subset(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade-all", str(sample), "--out", str(out),
                             "--workers", "1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/results.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    done = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/results.json")}
    assert 1 <= len(done) < len(SUBSET)
    again = grade_all(sample, "--out", out, "--workers", "2")
    assert again.returncode == 0, again.stderr
    regraded = [l for l in again.stderr.splitlines() if l.startswith("[")]
    assert len(regraded) == len(SUBSET) - len(done)
    assert {s: (out / s / "results.json").stat().st_mtime_ns for s in done} == done
    assert rows(out) == subset_rows(graded)
    # A third run has nothing to do.
    third = grade_all(sample, "--out", out)
    assert "0 to grade" in third.stderr and rows(out) == subset_rows(graded)


def test_two_shards_merged_equal_one_run(graded, tmp_path):
    sample = subset(tmp_path)
    runs = [subprocess.Popen([sys.executable, "-m", "autograder", "grade-all", str(sample), "--out",
                              str(tmp_path / f"shard{i}"), "--workers", "1", "--shard", f"{i}/2"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for i in (1, 2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    shard_students = [{p.parent.name for p in (tmp_path / f"shard{i}").glob("*/results.json")} for i in (1, 2)]
    assert shard_students[0] and shard_students[1] and not shard_students[0] & shard_students[1]
    merged = subprocess.run([sys.executable, "-m", "autograder", "merge", str(tmp_path / "shard1"),
                             str(tmp_path / "shard2"), "--out", str(tmp_path / "merged")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert merged.returncode == 0, merged.stderr
    assert rows(tmp_path / "merged") == subset_rows(graded)


def test_hanging_and_crashing_students_do_not_affect_others(graded, tmp_path):
    class_dir = tmp_path / "submitted"
    for student in ("alice",):
        shutil.copytree(SAMPLE / student, class_dir / student)
    for student, line in (("hangs", "while True:\n    pass\n"), ("crashes", "import os\nos._exit(1)\n")):
        folder = class_dir / student  # the flat layout
        folder.mkdir()
        source = (SAMPLE / "alice" / "micrograd" / "value.py").read_text()
        (folder / "value.py").write_text(line + source)
    out = tmp_path / "out"
    # A submission that hangs at import makes every check wait for its deadline; the
    # per-student time limit turns it into a grading error instead of minutes of waiting.
    run = grade_all(class_dir, "--out", out, "--workers", "2", "--student-timeout", "20")
    assert run.returncode == 0, run.stderr
    table = {r[0]: r for r in rows(out)[1:]}
    assert table["alice"] == [r for r in rows(graded)[1:] if r[0] == "alice"][0]
    for student in ("hangs", "crashes"):
        assert float(table[student][1]) == 0
        assert table[student][CSV_COLUMNS.index("status")] in ("graded", "grading error")
