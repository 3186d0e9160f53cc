"""gradcheck(f, xs, eps, tol): does backward() agree with central differences?

The right verdict is known by construction: functions built from the given
operations are right (True); adding a term whose .data is computed outside the
graph (`Value(t.data)`) makes the graph disagree with the values (False).
"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.checks import programs
from autograder.checks.expect import fail, succeeded

pytestmark = pytest.mark.exercise("gradcheck")


@st.composite
def problems(draw):
    n = draw(st.integers(1, 3))
    return draw(programs.smooth_functions(n)), draw(st.lists(programs.finite(-2, 2), min_size=n, max_size=n))


def with_detached_term(program, index, k):
    """f + k * Value(x_index.data): the values gain k * x, the graph does not."""
    n = len(program)
    return program + [["detach", index], ["const", k], ["mul", n, n + 1], ["add", n - 1, n + 2]]


def expect_verdicts(student, cases, labels, expected):
    for label, want, answer in zip(labels, expected, student.run(cases)):
        got = succeeded(label, answer)["verdict"]
        if got is not want:
            fail(label, want, got)


@pytest.mark.public
@pytest.mark.points(2)
@given(batch=programs.batches(problems(), max_size=8))
def test_true_for_correct_functions(student, batch):
    """True for functions whose graph matches their values"""
    cases = [programs.gradcheck(program, xs) for program, xs in batch]
    labels = [f"gradcheck of a correct function at xs = {xs!r}" for _, xs in batch]
    expect_verdicts(student, cases, labels, [True] * len(cases))


@pytest.mark.public
@pytest.mark.points(2)
@given(batch=programs.batches(problems(), max_size=8), k=st.sampled_from([-2.0, -0.5, 0.5, 1.0, 3.0]))
def test_false_when_graph_disagrees_with_values(student, batch, k):
    """False when a term's .data is computed outside the graph"""
    cases = [programs.gradcheck(with_detached_term(program, 0, k), xs) for program, xs in batch]
    labels = [f"gradcheck of f(xs) + {k} * Value(xs[0].data) at xs = {xs!r}" for _, xs in batch]
    expect_verdicts(student, cases, labels, [False] * len(cases))


@pytest.mark.public
@pytest.mark.points(1)
@given(c=st.sampled_from([2000.0, -500.0, 0.1, -0.3]), ratio=st.sampled_from([0.25, 0.5, 2.0, 4.0]),
       tol=st.sampled_from([1e-3, 1e-2]), x=programs.finite(-1, 1))
def test_tolerance_is_relative_as_specified(student, c, ratio, tol, x):
    """uses the tolerance tol * max(1, abs(a), abs(n))"""
    # f(x) = c x + d Value(x.data): backward gives a = c, differences give n = c + d.
    limit = tol * max(1.0, abs(c))
    d = ratio * limit
    program = with_detached_term([["input", 0], ["const", c], ["mul", 0, 1]], 0, d)
    case = programs.gradcheck(program, [x], 1e-6, tol)
    label = f"gradcheck with tol = {tol} where backward gives {c} and differences give {c + d}"
    expect_verdicts(student, [case], [label], [abs(d) <= tol * max(1.0, abs(c), abs(c + d))])
