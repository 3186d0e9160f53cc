"""relu: max(0, x); derivative 1 if x > 0 else 0, and exactly 0 at x = 0."""
import pytest

from autograder.checks import programs
from autograder.checks.expect import compare, succeeded
from autograder.checks.unary import UnaryOpChecks

pytestmark = pytest.mark.exercise("relu")


class TestRelu(UnaryOpChecks):
    exercise = "relu"
    domain = programs.finite(-1e3, 1e3)
    smooth_domain = programs.finite(-1e3, -1e-2) | programs.finite(1e-2, 1e3)

    @pytest.mark.public
    @pytest.mark.points(1)
    def test_derivative_at_zero_is_zero(self, student):
        """the derivative at exactly 0 is 0"""
        for x, answer in zip((0.0, 0), student.run([programs.apply("relu", 0.0), programs.apply("relu", 0)])):
            result = succeeded(f"relu at x = {x!r}", answer)
            compare(f"relu forward at x = {x!r}", 0.0, programs.output(result))
            compare(f"relu backward at x = {x!r}", 0.0, result["grad"][0])
