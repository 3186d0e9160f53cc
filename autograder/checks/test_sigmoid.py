"""sigmoid: s(x) = 1 / (1 + e^-x); derivative s(1 - s); finite for abs(x) <= 1e4."""
import math

import pytest

from autograder.checks import programs
from autograder.checks.expect import fail, succeeded
from autograder.checks.unary import UnaryOpChecks

pytestmark = pytest.mark.exercise("sigmoid")
EXTREMES = (1e4, -1e4, 800.0, -800.0, 710.0, -710.0, 40.0, -40.0)


class TestSigmoid(UnaryOpChecks):
    exercise = "sigmoid"
    domain = programs.finite(-1e4, 1e4)

    def derivative_at_input(self, x):
        return x * (1 - x)

    @pytest.mark.public
    @pytest.mark.points(1)
    def test_finite_at_extremes(self, student):
        """stays finite and within [0, 1] for abs(x) up to 1e4"""
        for x, answer in zip(EXTREMES, student.run([programs.apply("sigmoid", x) for x in EXTREMES])):
            result = succeeded(f"sigmoid at x = {x!r}", answer)
            s, grad = programs.output(result), result["grad"][0]
            if not 0.0 <= s <= 1.0:
                fail(f"sigmoid forward at x = {x!r}", "a number in [0, 1]", s, "overflow" if not math.isfinite(s) else None)
            if not math.isfinite(grad):
                fail(f"sigmoid backward at x = {x!r}", "a finite number", grad, "overflow")
