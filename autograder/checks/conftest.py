"""Fixtures of the hidden checks: the jailed submission and the reference.

`student` talks to the submission's jailed process; `reference` runs the same
cases on the reference solution in the grader's own process. The reference is
never sent to the jail: only inputs go there, and only numbers come back.
"""
import collections
import importlib.util
import time

import pytest
from hypothesis import HealthCheck, Phase, settings

from autograder.checks import programs
from autograder.checks.expect import CheckFailure
from autograder.plugin import GRADING
from autograder.sandbox.child import run_case
from autograder.sandbox.student import StudentFault, StudentProcess

REQUEST_DEADLINE = 3.0  # seconds for one request to the jail
EXERCISE_BUDGET = 15.0  # seconds of jail time for all checks of one exercise
NEEDS = {"numerical_grad": ("numerical_grad",), "cross_entropy": ("Value", "cross_entropy"), "gradcheck": ("Value", "gradcheck")}

# Grading is derandomized: the same submission draws the same inputs, and so
# gets the same score, on every run and every machine.
settings.register_profile(
    "grading",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=12,
    report_multiple_bugs=False,
    print_blob=False,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("grading")


class Ledger:
    """The jailed process, plus what each exercise has spent and suffered."""

    def __init__(self, process, problem=None):
        self.process = process  # None when there is nothing to grade
        self.problem = problem  # why there is nothing to grade
        self.spent = collections.Counter()
        self.faults = {}


class Student:
    """The submission as one check sees it, within its exercise's time budget."""

    def __init__(self, ledger, exercise):
        self.ledger = ledger
        self.exercise = exercise

    def run(self, cases):
        ledger, exercise = self.ledger, self.exercise
        if ledger.problem:
            raise CheckFailure(ledger.problem, "load-error")
        if exercise in ledger.faults:
            earlier = ledger.faults[exercise]
            raise StudentFault(earlier.kind, f"{earlier.message} in an earlier check of {exercise}; not tried again")
        left = EXERCISE_BUDGET - ledger.spent[exercise]
        started = time.monotonic()
        try:
            if ledger.process.proc is None:
                ledger.process.start()
            self._require_names()
            results = ledger.process.request(cases, min(REQUEST_DEADLINE, max(left, 0.1)))
        except StudentFault as fault:
            ledger.faults[exercise] = fault
            raise
        except BaseException:
            ledger.process.kill()  # interrupted mid-request: its answer would arrive late
            raise
        finally:
            ledger.spent[exercise] += time.monotonic() - started
        if not all(programs.well_formed(c, r) for c, r in zip(cases, results)):
            ledger.process.kill()
            raise StudentFault("crashed", "your code's process sent a malformed answer")
        return results

    def _require_names(self):
        report = self.ledger.process.load_report
        if not report["loaded"]:
            error = report["errors"][0] if report["errors"] else {"type": "Error", "message": "", "where": []}
            where = f" ({'; '.join(error['where'])})" if error["where"] else ""
            raise CheckFailure(f"your code could not be loaded: {error['type']}: {error['message']}{where}", "load-error")
        missing = [n for n in NEEDS.get(self.exercise, ("Value",)) if not report["defined"].get(n)]
        if missing:
            raise CheckFailure(f"{self.exercise}: your code does not define {', '.join(missing)}", "not-implemented")


class Reference:
    """The reference solution, loaded in the grader's process only."""

    def __init__(self, path):
        spec = importlib.util.spec_from_file_location("micrograd_reference", path)
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)

    def run(self, cases):
        results = [run_case(self.module, case) for case in cases]
        for case, result in zip(cases, results):
            if "error" in result:
                raise RuntimeError(f"the reference failed on {case}: {result['error']}")
        return results


@pytest.fixture(scope="session")
def ledger(request):
    grading = request.config.stash[GRADING]
    if grading.submission is None:
        ledger = Ledger(None, grading.problem)
    else:
        ledger = Ledger(StudentProcess(grading.submission, grading.limits, grading.isolation))
    grading.ledger = ledger
    yield ledger
    if ledger.process is not None:
        ledger.process.close()


@pytest.fixture
def student(request, ledger):
    return Student(ledger, request.node.get_closest_marker("exercise").args[0])


@pytest.fixture(scope="session")
def reference(request):
    grading = request.config.stash[GRADING]
    if grading.reference is None:
        raise RuntimeError("public grading has no reference solution")
    return Reference(grading.reference)
