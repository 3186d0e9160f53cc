"""The reference solution keeps every rule of the contract's exercise table."""
import math

import pytest


def test_backward_through_a_100000_deep_chain(reference):
    x = reference.Value(1.0)
    y = x
    for _ in range(100_000):
        y = y + x  # y = 100001 x, one node deeper each time
    y.backward()
    assert y.data == 100_001
    assert x.grad == 100_001


def test_gradients_accumulate_over_a_reused_node(reference):
    x = reference.Value(3.0)
    (x * x + x).backward()
    assert x.grad == 7.0  # 2x + 1


def test_gradients_accumulate_over_two_identical_subgraphs(reference):
    x = reference.Value(0.5)
    a, b = x.sin(), x.sin()
    (a + b).backward()
    assert math.isclose(x.grad, 2 * math.cos(0.5))


@pytest.mark.parametrize("op, x", [("log", 0), ("log", 0.0), ("log", -2.5), ("sqrt", -1e-9), ("sqrt", -4)])
def test_domain_errors_name_the_op_and_the_value(reference, op, x):
    with pytest.raises(ValueError) as error:
        getattr(reference.Value(x), op)()
    assert op in str(error.value) and repr(x) in str(error.value)


@pytest.mark.parametrize("x, s", [(1e4, 1.0), (-1e4, 0.0)])
def test_sigmoid_is_finite_at_the_extremes(reference, x, s):
    v = reference.Value(x)
    y = v.sigmoid()
    y.backward()
    assert y.data == s
    assert v.grad == 0.0


def test_cross_entropy_is_finite_and_correct_at_large_logits(reference):
    a, b = reference.Value(1e3), reference.Value(-1e3)
    loss = reference.cross_entropy([a, b], 1)
    loss.backward()
    assert loss.data == 2e3
    assert (a.grad, b.grad) == (1.0, -1.0)


def test_cross_entropy_accepts_plain_numbers_among_the_logits(reference):
    a, c = reference.Value(1.0), reference.Value(0.5)
    loss = reference.cross_entropy([a, 2.0, c], 1)
    loss.backward()
    e = [math.exp(1.0), math.exp(2.0), math.exp(0.5)]
    assert math.isclose(loss.data, math.log(sum(e)) - 2.0)
    assert math.isclose(a.grad, e[0] / sum(e))
    assert math.isclose(c.grad, e[2] / sum(e))


def test_numerical_grad_leaves_xs_unchanged(reference):
    xs = [1.0, -2.0, 3.0]
    reference.numerical_grad(lambda v: v[0] * v[1] * v[2], xs)
    assert xs == [1.0, -2.0, 3.0]


def test_numerical_grad_is_central(reference):
    # (f(x + e) - f(x - e)) / 2e = 3x^2 + e^2 for f = x**3, so a large eps shows
    # which difference was taken: central 12.25, forward 15.25, backward 9.25.
    (g,) = reference.numerical_grad(lambda v: v[0] ** 3, [2.0], eps=0.5)
    assert g == 12.25


def test_gradcheck_accepts_a_correct_graph(reference):
    f = lambda v: reference.cross_entropy([v[0].sigmoid(), v[1].log(), v[0] * v[1]], 2)  # noqa: E731
    assert reference.gradcheck(f, [0.3, 1.7]) is True


def test_gradcheck_rejects_a_graph_that_forgets_its_input(reference):
    f = lambda v: reference.Value(v[0].data ** 2)  # noqa: E731
    assert reference.gradcheck(f, [1.5]) is False


def test_gradcheck_tolerance_is_relative_for_large_gradients(reference):
    # the numerical gradient of x**2 at 1e4 is off by ~0.01 from rounding alone
    assert reference.gradcheck(lambda v: v[0] ** 2, [1e4]) is True
    assert reference.gradcheck(lambda v: v[0] ** 2, [1e4], tol=1e-9) is False
