"""sin: sin x; derivative cos x."""
import pytest

from autograder.checks import programs
from autograder.checks.unary import UnaryOpChecks

pytestmark = pytest.mark.exercise("sin")


class TestSin(UnaryOpChecks):
    exercise = "sin"
    domain = programs.finite(-1e3, 1e3)
