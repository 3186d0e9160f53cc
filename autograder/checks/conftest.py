"""Fixtures of the hidden checks: the jailed submission and the reference.

`student` talks to the submission's jailed process; `reference` runs the same
cases on the reference solution in the grader's own process. The reference is
never sent to the jail: only inputs go there, and only numbers come back.
"""
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.internal.conjecture import providers

from autograder.plugin import GRADING

# Grading is derandomized: the same submission draws the same inputs, and so
# gets the same score, on every run and every machine.
settings.register_profile(
    "grading",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=8,
    report_multiple_bugs=False,
    print_blob=False,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("grading")

# Hypothesis also mixes in number constants it finds in "local" modules (the
# kit itself, when installed editable), so inputs would depend on how the kit
# is installed and on which modules happen to be imported. Grading must not.
_NO_CONSTANTS = providers.Constants()
providers._get_local_constants = lambda: _NO_CONSTANTS


@pytest.fixture
def student(request):
    """The submission being graded now, within this check's exercise budget."""
    exercise = request.node.get_closest_marker("exercise").args[0]
    return request.config.stash[GRADING].subject(exercise, request.node.nodeid)


@pytest.fixture
def reference_if_hidden(request):
    """The reference in hidden grading, None in public grading."""
    return request.config.stash[GRADING].reference


@pytest.fixture
def reference(request):
    """The reference solution, run in the grader's process."""
    grading = request.config.stash[GRADING]
    if grading.reference is None:
        raise RuntimeError("public grading has no reference solution")
    return grading.reference
