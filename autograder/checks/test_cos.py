"""cos: cos x; derivative -sin x."""
import pytest

from autograder.checks import programs
from autograder.checks.unary import UnaryOpChecks

pytestmark = pytest.mark.exercise("cos")


class TestCos(UnaryOpChecks):
    exercise = "cos"
    domain = programs.finite(-1e3, 1e3)
