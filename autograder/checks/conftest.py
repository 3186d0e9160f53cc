"""Fixtures of the hidden checks: the jailed submission and the reference.

`student` talks to the submission's jailed process; `reference` runs the same
cases on the reference solution in the grader's own process. The reference is
never sent to the jail: only inputs go there, and only numbers come back.
"""
import importlib.util

import pytest
from hypothesis import HealthCheck, Phase, settings

from autograder.checks.jailed import Student
from autograder.plugin import GRADING
from autograder.sandbox.child import run_case

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


@pytest.fixture
def student(request):
    """The submission being graded now, within this check's exercise budget."""
    ledger = request.config.stash[GRADING].ledger
    return Student(ledger, request.node.get_closest_marker("exercise").args[0])


@pytest.fixture(scope="session")
def reference(request):
    grading = request.config.stash[GRADING]
    if grading.reference is None:
        raise RuntimeError("public grading has no reference solution")
    return Reference(grading.reference)
