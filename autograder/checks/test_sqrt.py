"""sqrt: √x; derivative 1 / (2√x); x < 0 raises ValueError; sqrt(0) is 0."""
import pytest
from hypothesis import given

from autograder.checks import programs
from autograder.checks.expect import compare, succeeded
from autograder.checks.unary import UnaryOpChecks

pytestmark = pytest.mark.exercise("sqrt")


class TestSqrt(UnaryOpChecks):
    exercise = "sqrt"
    domain = programs.finite(1e-12, 1e12)  # the derivative at 0 is never asked
    smooth_domain = programs.finite(1e-2, 1e8)

    def derivative_at_input(self, x):
        return 1 / (2 * x)

    @pytest.mark.public
    @pytest.mark.points(1)
    @given(xs=programs.batches(programs.finite(-1e12, -1e-300)))
    def test_raises_value_error_for_negative_x(self, student, xs):
        """raises ValueError for x < 0"""
        self.check_value_error_outside_domain(student, [-1.0, *xs])

    @pytest.mark.public
    @pytest.mark.points(1)
    def test_sqrt_of_zero_is_zero(self, student):
        """sqrt(0) is 0"""
        (answer,) = student.run([programs.forward_only(programs.apply("sqrt", 0.0))])
        compare("sqrt forward at x = 0.0", 0.0, programs.output(succeeded("sqrt forward at x = 0.0", answer)))
