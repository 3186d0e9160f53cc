"""The grader on the corpus: correct submissions get full marks, buggy ones lose
marks on exactly their bug, with the bug named.

tests/corpus/correct/<name>/: right in a different style each (closures,
per-node local derivatives, __slots__, dataclass, notebooks, ...).
tests/corpus/buggy/<name>/: one exercise wrong, described by expect.json
{"breaks": exercise, "mistake": diagnosis id or null}.

Every folder is graded once per session by `python -m autograder grade`, as an
instructor would run it (see tests/corpus/harness.py).
"""
import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "micrograd_corpus_harness", Path(__file__).resolve().parent / "corpus" / "harness.py"
)
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

CORRECT = harness.folders("correct")
BUGGY = harness.folders("buggy")
DIAGNOSABLE = [f for f in BUGGY if harness.expectation(f)["mistake"] is not None]
GRADE_TIMEOUT = 300


def ids(folders):
    return [f.name for f in folders]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    cache = harness.shared_dir(tmp_path_factory)
    return lambda folder: harness.grade(folder, cache, GRADE_TIMEOUT)


# ----------------------------------------------------- the corpus itself


def test_the_corpus_is_big_and_varied_enough():
    assert len(CORRECT) >= 8 and len(BUGGY) >= 22
    notebooks = [f for f in CORRECT if (f / "micrograd.ipynb").is_file() and not (f / "value.py").exists()]
    assert len(notebooks) >= 2
    broken = [harness.expectation(f)["breaks"] for f in BUGGY]
    for exercise in harness.EXERCISES:
        assert broken.count(exercise) >= 2, f"only {broken.count(exercise)} buggy submissions break {exercise}"


@pytest.mark.parametrize("folder", CORRECT + BUGGY, ids=ids(CORRECT + BUGGY))
def test_every_corpus_folder_is_a_submission(folder):
    assert (folder / "value.py").is_file() or (folder / "micrograd.ipynb").is_file()
    if folder in BUGGY:
        expect = harness.expectation(folder)
        assert set(expect) == {"breaks", "mistake"}
        assert expect["breaks"] in harness.EXERCISES
        assert expect["mistake"] is None or expect["mistake"] in harness.MISTAKES


# ------------------------------------------------------------- grading


@pytest.mark.parametrize("folder", CORRECT + BUGGY, ids=ids(CORRECT + BUGGY))
def test_results_keep_the_contract_shape(graded, folder):
    results = harness.require_results(graded(folder))
    assert harness.contract_shape_problems(results) == []


@pytest.mark.parametrize("folder", CORRECT, ids=ids(CORRECT))
def test_correct_submission_gets_full_marks(graded, folder):
    results = harness.require_results(graded(folder))
    sums = harness.per_exercise(results)
    short = [name for name, (score, max_score) in sums.items() if not harness.full(score, max_score)]
    assert short == [], f"{folder.name} is correct but lost marks:\n" + harness.summary(results, short)


@pytest.mark.parametrize("folder", BUGGY, ids=ids(BUGGY))
def test_buggy_submission_loses_marks_only_on_its_bug(graded, folder):
    breaks = harness.expectation(folder)["breaks"]
    results = harness.require_results(graded(folder))
    sums = harness.per_exercise(results)
    score, max_score = sums[breaks]
    assert max_score > 0 and score < max_score - 1e-9, (
        f"{folder.name} breaks {breaks}, which still got full marks:\n" + harness.summary(results, [breaks])
    )
    collateral = [
        name for name, (s, m) in sums.items() if name != breaks and not harness.full(s, m)
    ]
    assert collateral == [], (
        f"{folder.name} breaks only {breaks}, yet lost marks elsewhere:\n" + harness.summary(results, collateral)
    )


@pytest.mark.parametrize("folder", DIAGNOSABLE, ids=ids(DIAGNOSABLE))
def test_buggy_submission_is_diagnosed(graded, folder):
    expect = harness.expectation(folder)
    results = harness.require_results(graded(folder))
    failing = harness.failing_tests(results, expect["breaks"])
    found = [(t.get("extra_data") or {}).get("mistake") for t in failing]
    assert expect["mistake"] in found, (
        f"{folder.name}: no failing {expect['breaks']} test carries extra_data.mistake = "
        f"{expect['mistake']!r}; found {found}\n" + harness.summary(results, [expect["breaks"]])
    )
