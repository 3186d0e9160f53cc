"""What the checks examine: the jailed submission, or a module in-process.

`Student` is the submission as one check sees it: a jailed process, with time
budgets. `InProcess` runs the same cases on a trusted module (the reference
solution) inside the grader's own process; it is never given student code.
"""
import collections
import importlib.util
import time

from autograder.checks import programs
from autograder.checks.expect import raised
from autograder.sandbox.child import run_case
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
        self.faults = {}  # exercise -> the StudentFault that ended its checks
        self.load_fault = None  # a StudentFault while loading ends all checks
        self.prefetched = {}  # check -> deque of (cases, answers) it will ask for next
        self.prefetched_exercises = set()


class Student:
    """The submission as one check sees it, within its exercise's time budget."""

    def __init__(self, ledger, exercise, check):
        self.ledger = ledger
        self.exercise = exercise
        self.check = check  # the pytest node id of the check asking

    def prefetch(self, batches_by_check):
        """Evaluate the future requests of many checks in one round trip to the jail.

        If that round trip hangs or crashes, nothing is prefetched and nothing is
        held against the exercise: each check then asks for itself, so that only
        the checks whose own inputs hang or crash fail.
        """
        flat = [case for batches in batches_by_check.values() for batch in batches for case in batch]
        try:
            answers = self.run(flat, remember_fault=False)
        except StudentFault as fault:
            if fault.kind in ("timed-out", "crashed") and self.ledger.load_fault is None:
                return
            raise
        for check, batches in batches_by_check.items():
            expected = self.ledger.prefetched.setdefault(check, collections.deque())
            for batch in batches:
                expected.append((batch, answers[: len(batch)]))
                answers = answers[len(batch):]

    def run(self, cases, remember_fault=True):
        expected = self.ledger.prefetched.get(self.check)
        if expected and expected[0][0] == cases:
            return expected.popleft()[1]
        ledger, exercise = self.ledger, self.exercise
        if ledger.problem:
            raise StudentFault("load-error", ledger.problem)
        earlier = ledger.load_fault or ledger.faults.get(exercise)
        if earlier:
            raise StudentFault(earlier.kind, f"{earlier.message} (in an earlier check; not tried again)")
        if ledger.process.proc is None:
            self._start()
        self._require_names()
        left = EXERCISE_BUDGET - ledger.spent[exercise]
        started = time.monotonic()
        try:
            results = ledger.process.request(cases, min(REQUEST_DEADLINE, max(left, 0.1)))
        except StudentFault as fault:
            fault = StudentFault(fault.kind, f"{exercise}: {fault.message}")
            if remember_fault:
                ledger.faults[exercise] = fault
            raise fault from None
        except BaseException:
            ledger.process.kill()  # interrupted mid-request: its answer would arrive late
            raise
        finally:
            ledger.spent[exercise] += time.monotonic() - started
        if not all(programs.well_formed(c, r) for c, r in zip(cases, results)):
            ledger.process.kill()
            fault = StudentFault("crashed", f"{exercise}: your code's process sent a malformed answer")
            if remember_fault:
                ledger.faults[exercise] = fault
            raise fault
        return results

    def _start(self):
        """Start the jailed process; a crash or hang while loading fails every check."""
        try:
            self.ledger.process.start()
        except StudentFault as fault:
            self.ledger.load_fault = fault
            raise

    def _require_names(self):
        report = self.ledger.process.load_report
        if not report["loaded"]:
            error = report["errors"][0] if report["errors"] else {"type": "Error", "message": "", "where": []}
            raise StudentFault("load-error", f"your code could not be loaded: {raised(error)}")
        missing = [n for n in NEEDS.get(self.exercise, ("Value",)) if not report["defined"].get(n)]
        if missing:
            raise StudentFault("not-implemented", f"{self.exercise}: your code does not define {', '.join(missing)}")


class InProcess:
    """A trusted module, run in the grader's process.

    `log`, when a list, collects every (cases, answers) asked for; answers put
    in `known` beforehand are given back without running anything again.
    """

    def __init__(self, path):
        spec = importlib.util.spec_from_file_location("micrograd_reference", path)
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)
        self.log = None
        self.known = collections.deque()  # (cases, answers) expected next

    def run(self, cases):
        if self.known and self.known[0][0] == cases:
            return self.known.popleft()[1]
        answers = [run_case(self.module, case) for case in cases]
        if self.log is not None:
            self.log.append((cases, answers))
        return answers
