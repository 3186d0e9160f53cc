"""Comparing the student's numbers with what they should be, and saying why not.

Every failure is a `CheckFailure`: a sentence for the student ("sigmoid backward
at x = -2.0: expected 0.104994, got -0.104994; the sign of your derivative is
flipped") and, when the pattern is recognised, a mistake id from mistakes.py.
"""
import math

from autograder.checks import programs
from autograder.mistakes import explain
from autograder.results import one_line
from autograder.sandbox.student import StudentFault

REL_TOL = 1e-6


class CheckFailure(AssertionError):
    def __init__(self, message, mistake=None):
        super().__init__(message)
        self.message = message
        self.mistake = mistake


def fmt(x):
    return f"{x:.6g}" if isinstance(x, float) else repr(x)


def close(a, b, tol=REL_TOL):
    """Equal up to a relative tolerance (absolute for numbers below 1)."""
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def fail(what, expected, got, mistake=None):
    message = f"{what}: expected {fmt(expected)}, got {fmt(got)}"
    raise CheckFailure(f"{message}; {explain(mistake)}" if mistake else message, mistake)


def compare(what, expected, got, likely=(), tol=REL_TOL):
    """Fail unless got is close to expected.

    likely: (mistake id, value that mistake would produce) pairs; the first
    that matches `got`, and does not match the right answer, is the diagnosis.
    """
    if close(expected, got, tol):
        return
    if not math.isfinite(got) and math.isfinite(expected):
        fail(what, expected, got, "overflow")
    for mistake, wrong in likely:
        if wrong is not None and close(wrong, got, tol) and not close(wrong, expected, tol):
            fail(what, expected, got, mistake)
    fail(what, expected, got)


def forward_is_right(reference, cases, answers, labels):
    """In hidden grading, a derivative earns points only where the forward is right.

    Otherwise a submission whose forward pass is garbage (a constant, say) would
    pass the checks of its derivative's mechanics, which hold vacuously for it.
    `reference` is None in public grading, where there is nothing to compare with.
    """
    if reference is None:
        return
    for label, mine, theirs in zip(labels, answers, reference.run(cases)):
        where = f"{label} (a derivative counts only where the forward value is right)"
        compare(where, programs.output(theirs), programs.output(succeeded(where, mine)))


def raised(error):
    """An error from the jail as one line: its type, message and the student's own frames."""
    where = f" ({'; '.join(error['where'])})" if error["where"] else ""
    return one_line(f"{error['type']}: {error['message']}{where}")


def succeeded(what, result):
    """The result of one case, or a CheckFailure if the student's code raised."""
    error = result.get("error")
    if error is None:
        return result
    if error["not_implemented"]:  # no use searching for a smaller input: fail at once
        raise StudentFault("not-implemented", f"{what}: not implemented yet")
    if error["type"] == "NotANumber":  # raised by the jail's runner about a result
        raise CheckFailure(f"{what}: {one_line(error['message'])}")
    mistake = "overflow" if error["overflow"] else None
    message = f"{what}: your code raised {raised(error)}"
    raise CheckFailure(f"{message}; {explain(mistake)}" if mistake else message, mistake)
