"""The given engine (+ - * / **, exp, tanh, backward): checked, worth 0 points.

These tell a student who has broken the given code where to look; they never
cost points, so a broken engine is not blamed on an exercise twice.
"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.checks import programs
from autograder.checks.expect import compare, succeeded

pytestmark = pytest.mark.exercise("core")


@st.composite
def reflected(draw):
    """n op v for a plain number n on the left of each operator."""
    n = draw(programs.finite(0.5, 3))
    op = draw(st.sampled_from(["add", "sub", "mul", "div"]))
    return [["input", 0], ["const", n], [op, 1, 0]]


@pytest.mark.points(0)
@given(functions=programs.batches(programs.smooth_functions(2) | reflected(), max_size=8),
       xs=st.lists(programs.finite(0.5, 2), min_size=2, max_size=2))
def test_given_operations_match_reference(student, reference, functions, xs):
    """the given operations and backward() still work"""
    cases = [{"program": f, "inputs": xs} for f in functions]
    for case, mine, theirs in zip(cases, student.run(cases), reference.run(cases)):
        where = f"the given engine on the graph {case['program']} at inputs {xs}"
        mine = succeeded(where, mine)
        compare(f"{where}: output", programs.output(theirs), programs.output(mine))
        for i, (e, g) in enumerate(zip(programs.grads_of_inputs(case, theirs), programs.grads_of_inputs(case, mine))):
            compare(f"{where}: gradient of input {i}", e, g)
