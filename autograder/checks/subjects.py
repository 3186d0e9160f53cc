"""The submission as the checks see it: a jailed process with time budgets."""
import collections
import time

from autograder.checks import programs
from autograder.checks.expect import CheckFailure
from autograder.sandbox.student import StudentFault

REQUEST_DEADLINE = 3.0  # seconds for one request to the jail
EXERCISE_BUDGET = 10.0  # seconds of jail time for all checks of one exercise
NEEDS = {
    "numerical_grad": ("numerical_grad",),
    "cross_entropy": ("Value", "cross_entropy"),
    "gradcheck": ("Value", "gradcheck"),
}


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
