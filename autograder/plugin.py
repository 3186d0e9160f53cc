"""The pytest plugin that turns the hidden checks into grades.

It registers the checks' markers, keeps only the public checks in public mode,
and runs every check once per submission in one pytest session (collection and
imports are paid once per worker, not once per student). For each submission
it records one `Outcome` per check: points earned, and the student-facing
sentence of why not. Tracebacks of the grader never reach the student.

Speed without changing a single verdict: generating inputs is the slow part of
hypothesis, and in a derandomized run a passing check always sees the same
inputs. So the session first runs every check once on the reference solution
(in-process), recording what hypothesis drew. Each submission is then checked
on exactly those inputs; only if one of them fails does hypothesis run for real,
to search and shrink for the smallest failing input.
"""
import dataclasses
import functools
import gc
import pickle
import sys
import time
import traceback
from typing import Callable, Iterable, Optional

import pytest
from _pytest.runner import runtestprotocol

from autograder.checks.expect import CheckFailure
from autograder.checks.subjects import InProcess, Ledger, Student
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
        self.reference = InProcess(reference) if reference else None  # None in public mode
        # During calibration the reference also stands in for the student: a
        # second instance, so that the requests made of each are logged apart.
        self.stand_in = InProcess(reference) if reference else None
        self.public = public
        self.ledger = None  # the submission being graded now
        self.outcomes = []
        self.internal_errors = []
        self.calibrating = False
        self.recorded = {}  # check id -> the examples hypothesis drew for the reference

    def subject(self, exercise, check):
        """What the `student` fixture gives a check."""
        if self.calibrating:
            return self.stand_in
        return Student(self.ledger, exercise, check)

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
        self.exercise_of = {item.nodeid: item.get_closest_marker("exercise").args[0] for item in items}
        if self.reference is not None:
            self._calibrate(items)
        # What exists now lives as long as the session: keep the garbage
        # collector from scanning it again for every submission.
        gc.collect()
        gc.freeze()
        for job in self.jobs:
            started = time.monotonic()
            self.outcomes = []
            process = None
            if job.submission is not None:
                process = StudentProcess(job.submission, self.limits, self.isolation)
            self.ledger = Ledger(process, job.problem)
            try:
                for i, item in enumerate(items):
                    runtestprotocol(item, nextitem=items[(i + 1) % len(items)], log=False)
            finally:
                if process is not None:
                    process.close()
            self.on_graded(Graded(job, self.outcomes, process and process.load_report,
                                  process.printed() if process else "", time.monotonic() - started))
        return True

    def _calibrate(self, items):
        """Run every check on the reference, recording hypothesis's examples."""
        self.calibrating = True
        try:
            for i, item in enumerate(items):
                self.outcomes = []
                hypothesis = getattr(item.function, "hypothesis", None)
                if hypothesis is None:
                    runtestprotocol(item, nextitem=items[(i + 1) % len(items)], log=False)
                else:
                    self.recorded[item.nodeid] = examples = []
                    original = hypothesis.inner_test
                    hypothesis.inner_test = _recording(original, examples, item, self.stand_in, self.reference)
                    try:
                        runtestprotocol(item, nextitem=items[(i + 1) % len(items)], log=False)
                    finally:
                        hypothesis.inner_test = original
                if not self.outcomes[-1].passed:
                    raise pytest.UsageError(f"the reference solution fails {item.nodeid}: {self.outcomes[-1].message}")
        finally:
            self.calibrating = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        """Check a submission on the recorded inputs first; hypothesis only on failure."""
        recorded = self.recorded.get(pyfuncitem.nodeid)
        if self.calibrating or recorded is None:
            return None
        fixtures = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        inner = pyfuncitem.function.hypothesis.inner_test
        instance = () if pyfuncitem.instance is None else (pyfuncitem.instance,)
        self.reference.known.clear()
        self.reference.known.extend(pair for drawn in recorded for pair in drawn.reference_answers)
        try:
            self._prefetch_exercise(fixtures["student"])
            for drawn in recorded:
                inner(*instance, **fixtures, **drawn.arguments())
        except CheckFailure as failure:
            pyfuncitem.obj(**fixtures)  # hypothesis searches and shrinks from scratch
            raise failure  # hypothesis found nothing smaller: report the recorded input
        return True

    def _prefetch_exercise(self, student):
        """At an exercise's first check, send every recorded request of its checks at once."""
        if student.exercise in self.ledger.prefetched_exercises:
            return
        self.ledger.prefetched_exercises.add(student.exercise)
        student.prefetch({
            check: [cases for drawn in self.recorded[check] for cases, _ in drawn.requests]
            for check, exercise in self.exercise_of.items()
            if exercise == student.exercise and check in self.recorded
        })

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
            return exc.message, exc.kind
        if isinstance(exc, pytest.fail.Exception) and "Timeout" in str(exc):
            return f"{exercise}: this check ran out of time; {explain('timed-out')}", "timed-out"
        # Anything else is a bug in the grader: tell the instructor, not the student.
        self.internal_errors.append(item.nodeid)
        print(f"grader error in {item.nodeid}:", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        return f"{exercise}: the grader could not run this check (not your fault; your instructor has been told)", None


class Drawn:
    """One example hypothesis drew: its arguments, and its interactive draws."""

    def __init__(self, arguments):
        # Pickled, so that every replay gets fresh objects (pickle is the fast deep copy).
        self.given = pickle.dumps({k: v for k, v in arguments.items() if k != "data"})
        self.draws = [] if "data" in arguments else None
        self.requests = []  # (cases, answers) the check asked of the student
        self.reference_answers = []  # (cases, answers) it asked of the reference

    def arguments(self):
        arguments = pickle.loads(self.given)
        if self.draws is not None:
            arguments["data"] = _Replay([pickle.loads(d) for d in self.draws])
        return arguments


class _Recorder:
    """Stands in for hypothesis's `data` object, noting every draw."""

    def __init__(self, data, draws):
        self.data, self.draws = data, draws

    def draw(self, strategy, label=None):
        value = self.data.draw(strategy, label=label)
        self.draws.append(pickle.dumps(value))
        return value


class _Replay:
    """Gives back recorded draws in order."""

    def __init__(self, draws):
        self.draws = iter(draws)

    def draw(self, strategy, label=None):
        return next(self.draws)


def _recording(test, examples, item, stand_in, reference):
    fixtures = {"self", *item._fixtureinfo.argnames}

    # functools.wraps keeps hypothesis's derandomized seed, which it derives from
    # the test's source: the recorded inputs are those a real run would draw.
    @functools.wraps(test)
    def recording(*args, **kwargs):
        drawn = Drawn({k: v for k, v in kwargs.items() if k not in fixtures})
        if drawn.draws is not None:
            kwargs["data"] = _Recorder(kwargs["data"], drawn.draws)
        stand_in.log, reference.log = drawn.requests, drawn.reference_answers
        try:
            result = test(*args, **kwargs)
        finally:
            stand_in.log = reference.log = None
        examples.append(drawn)  # only examples that ran to the end (hypothesis may abort one mid-draw)
        return result

    return recording


def _first_relevant(exc):
    """Hypothesis may wrap the real failure in an exception group."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _first_relevant(inner)
            if isinstance(found, (CheckFailure, StudentFault)):
                return found
    return exc
