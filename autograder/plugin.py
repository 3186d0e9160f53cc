"""The pytest plugin that turns the hidden checks into a grade.

It registers the checks' markers, keeps only the public checks in public mode,
and records one `Outcome` per check: points earned, and the student-facing
sentence of why not. Tracebacks of the grader never reach the student.
"""
import dataclasses
import sys
import traceback
from typing import Optional

import pytest

from autograder.checks.expect import CheckFailure
from autograder.mistakes import explain
from autograder.sandbox.student import StudentFault

GRADING = pytest.StashKey["GradingPlugin"]()
MARKERS = (
    "exercise(name): the exercise a check grades (its tag in results.json)",
    "points(n): what the check is worth",
    "public: the check needs no reference solution (runs in public mode too)",
)


@dataclasses.dataclass
class Outcome:
    check: str  # the pytest node id, for the instructor
    exercise: str
    title: str
    points: float
    public: bool
    passed: bool
    message: str = ""
    mistake: Optional[str] = None


class GradingPlugin:
    def __init__(self, submission, problem, isolation, limits, reference, public):
        self.submission = submission  # None when `problem` says why there is nothing to grade
        self.problem = problem
        self.isolation = isolation
        self.limits = limits
        self.reference = reference
        self.public = public
        self.ledger = None  # set by the `ledger` fixture
        self.outcomes = []
        self.internal_errors = []

    def pytest_configure(self, config):
        for line in MARKERS:
            config.addinivalue_line("markers", line)
        config.stash[GRADING] = self

    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            if item.get_closest_marker("exercise") is None or item.get_closest_marker("points") is None:
                raise pytest.UsageError(f"check {item.nodeid} needs exercise and points markers")
        if self.public:
            dropped = [i for i in items if i.get_closest_marker("public") is None]
            items[:] = [i for i in items if i.get_closest_marker("public") is not None]
            config.hook.pytest_deselected(items=dropped)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if report.when == "call" or (report.when == "setup" and report.failed):
            self.outcomes.append(self._outcome(item, call))
        return report

    def _outcome(self, item, call):
        exercise = item.get_closest_marker("exercise").args[0]
        doc = (item.function.__doc__ or item.name.removeprefix("test_").replace("_", " ")).strip()
        outcome = Outcome(
            check=item.nodeid,
            exercise=exercise,
            title=f"{exercise}: {doc.splitlines()[0]}",
            points=item.get_closest_marker("points").args[0],
            public=item.get_closest_marker("public") is not None,
            passed=call.excinfo is None,
        )
        if call.excinfo is not None:
            outcome.message, outcome.mistake = self._explain(exercise, call.excinfo.value, item)
        return outcome

    def _explain(self, exercise, exc, item):
        """The student-facing sentence and mistake id for a failed check."""
        exc = _first_relevant(exc)
        if isinstance(exc, CheckFailure):
            return exc.message, exc.mistake
        if isinstance(exc, StudentFault):
            return f"{exercise}: {exc.message}; {explain(exc.kind)}", exc.kind
        if isinstance(exc, pytest.fail.Exception) and "Timeout" in str(exc):
            return f"{exercise}: this check ran out of time; {explain('timed-out')}", "timed-out"
        # Anything else is a bug in the grader: tell the instructor, not the student.
        self.internal_errors.append(item.nodeid)
        print(f"grader error in {item.nodeid}:", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        return f"{exercise}: the grader could not run this check (not your fault; your instructor has been told)", None


def _first_relevant(exc):
    """Hypothesis may wrap the real failure in an exception group."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _first_relevant(inner)
            if isinstance(found, (CheckFailure, StudentFault)):
                return found
    return exc
