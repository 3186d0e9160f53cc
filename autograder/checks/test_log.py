"""log: ln x; derivative 1 / x; x <= 0 raises ValueError."""
import pytest
from hypothesis import given

from autograder.checks import programs
from autograder.checks.unary import UnaryOpChecks

pytestmark = pytest.mark.exercise("log")


class TestLog(UnaryOpChecks):
    exercise = "log"
    domain = programs.finite(1e-12, 1e12)
    smooth_domain = programs.finite(1e-2, 1e8)

    @pytest.mark.public
    @pytest.mark.points(1)
    @given(xs=programs.batches(programs.finite(-1e12, 0.0)))
    def test_raises_value_error_for_x_at_most_zero(self, student, xs):
        """raises ValueError for x <= 0"""
        self.check_value_error_outside_domain(student, [0.0, -0.0, *xs])
