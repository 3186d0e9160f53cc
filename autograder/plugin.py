"""The pytest plugin that turns the hidden checks into grades.

It registers the checks' markers, keeps only the public checks in public mode,
and runs every check once per submission in one pytest session (collection and
imports are paid once per worker, not once per student). For each submission
it records one `Outcome` per check: points earned, and the student-facing
sentence of why not. Tracebacks of the grader never reach the student.
"""
import dataclasses
import sys
import time
import traceback
from typing import Callable, Iterable, Optional

import pytest
from _pytest.runner import runtestprotocol

from autograder.checks.expect import CheckFailure
from autograder.checks.jailed import Ledger
from autograder.mistakes import explain
from autograder.sandbox.student import StudentFault, StudentProcess

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


@dataclasses.dataclass
class Job:
    """One submission to grade: `submission` is None when `problem` says why."""
    key: str
    submission: object
    problem: Optional[str] = None


@dataclasses.dataclass
class Graded:
    job: Job
    outcomes: list
    load_report: Optional[dict]
    printed: str
    seconds: float


class GradingPlugin:
    def __init__(self, jobs: Iterable[Job], on_graded: Callable[[Graded], None], *,
                 isolation, limits, reference, public):
        self.jobs = jobs
        self.on_graded = on_graded
        self.isolation = isolation
        self.limits = limits
        self.reference = reference  # None in public mode
        self.public = public
        self.ledger = None  # the submission being graded now
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

    def pytest_runtestloop(self, session):
        """Every check, for one submission after another."""
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            raise session.Interrupted("the checks could not be collected")
        items = session.items
        for job in self.jobs:
            started = time.monotonic()
            self.outcomes = []
            process = None
            if job.submission is not None:
                process = StudentProcess(job.submission, self.limits, self.isolation)
            self.ledger = Ledger(process, job.problem)
            try:
                for i, item in enumerate(items):
                    runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else items[0], log=False)
            finally:
                if process is not None:
                    process.close()
            self.on_graded(Graded(job, self.outcomes, process and process.load_report,
                                  process.printed() if process else "", time.monotonic() - started))
        return True

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
