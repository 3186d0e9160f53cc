"""numerical_grad(f, xs, eps): central differences of a function of plain floats.

The expected answer is computed here, in the grader, with the same f: these
checks need no reference solution, and never touch Value.
"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.checks import programs
from autograder.checks.expect import compare, fail, succeeded

pytestmark = pytest.mark.exercise("numerical_grad")
DEFAULT_EPS = 1e-6


@st.composite
def problems(draw):
    n = draw(st.integers(1, 3))
    return draw(programs.smooth_functions(n)), draw(st.lists(programs.finite(-2, 2), min_size=n, max_size=n))


def what(xs, eps):
    return f"numerical_grad at xs = {xs!r}" + (f", eps = {eps!r}" if eps is not None else "")


def check(student, batch, eps):
    """Each answer must equal central differences, entry by entry."""
    cases = [programs.numerical_grad(program, xs, eps) for program, xs in batch]
    for (program, xs), answer in zip(batch, student.run(cases)):
        where = what(xs, eps)
        grads = succeeded(where, answer)["grads"]
        step = DEFAULT_EPS if eps is None else eps
        expected = programs.central_difference(program, xs, step)
        if len(grads) != len(xs):
            fail(f"{where}: length of the result", len(xs), len(grads))
        one_sided = programs.forward_difference(program, xs, step)
        for i, (e, g, o) in enumerate(zip(expected, grads, one_sided)):
            compare(f"{where}, entry {i}", e, g, [("one-sided-difference", o)])


@pytest.mark.public
@pytest.mark.points(3)
@given(batch=programs.batches(problems(), max_size=8), eps=st.sampled_from([None, 1e-3, 1e-4]))
def test_matches_central_differences(student, batch, eps):
    """returns the central differences of f, one per input"""
    check(student, batch, eps)


@pytest.mark.public
@pytest.mark.points(1)
@given(xs=programs.batches(programs.finite(-3, 3), max_size=8), eps=st.sampled_from([0.05, 0.1, 0.5]))
def test_central_not_one_sided_with_large_eps(student, xs, eps):
    """uses central, not one-sided, differences (visible with a large eps)"""
    cube = [["input", 0], ["pow", 0, 3]]
    check(student, [(cube, [x]) for x in xs], eps)


@pytest.mark.public
@pytest.mark.points(1)
@given(batch=programs.batches(problems(), max_size=8))
def test_leaves_xs_unchanged(student, batch):
    """leaves xs unchanged"""
    cases = [programs.numerical_grad(program, xs, 1e-3) for program, xs in batch]
    for (_, xs), answer in zip(batch, student.run(cases)):
        after = succeeded(what(xs, 1e-3), answer)["xs_after"]
        if after != xs:
            fail(f"{what(xs, 1e-3)}: xs after the call", xs, after, "input-mutated")
