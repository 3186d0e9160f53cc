"""Public tests of the micrograd assignment: a few checks per exercise.

Run them from this folder with

    python -m pytest test_public.py

Tests named test_given_* check the engine you were given and pass from the
start; every other test is named after its exercise. The grader runs many more
checks like these, on generated inputs.
"""
import math
import os
import sys

import pytest

# Import value.py from this file's folder, wherever pytest is started from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from value import Value, cross_entropy, gradcheck, numerical_grad  # noqa: E402


# -------------------------------------------------------------------- helpers


def attempt(exercise, fn, *args, **kwargs):
    """Call fn; if the exercise is still a stub, fail with its name."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        pytest.fail(
            f"{exercise}: not implemented yet "
            "(it, or something it calls, raises NotImplementedError)",
            pytrace=False,
        )


def show(x):
    return f"{x:.6g}" if isinstance(x, (int, float)) else repr(x)


def check(what, expected, got, tol=1e-6):
    """Assert that got is a number close to expected, saying what was checked."""
    ok = isinstance(got, (int, float)) and math.isclose(got, expected, rel_tol=tol, abs_tol=tol)
    assert ok, f"{what}: expected {show(expected)}, got {show(got)}"


def check_unary(exercise, x, value, derivative):
    """y = Value(x).<exercise>(); check y and dy/dx after y.backward()."""
    v = Value(x)
    y = attempt(exercise, getattr(v, exercise))
    y.backward()
    check(f"{exercise} forward at x = {x}", value, y.data)
    check(f"{exercise} backward at x = {x}", derivative, v.grad)


def check_raises_value_error(exercise, x):
    try:
        attempt(exercise, getattr(Value(x), exercise))
    except ValueError:
        return
    pytest.fail(f"{exercise} at x = {x}: expected ValueError, got no exception", pytrace=False)


def check_cross_entropy(logits, target, loss, grads):
    """grads: the expected gradient of each logit that is a Value, in order."""
    got = attempt("cross_entropy", cross_entropy, logits, target)
    got.backward()
    at = f"at logits = {logits}, target = {target}"
    check(f"cross_entropy loss {at}", loss, got.data)
    values = [l for l in logits if isinstance(l, Value)]
    for i, (logit, grad) in enumerate(zip(values, grads)):
        check(f"cross_entropy gradient of Value logit #{i} {at}", grad, logit.grad)


# --------------------------------------------------------------- given engine


def test_given_add_and_mul():
    a, b = Value(2.0), Value(-3.0)
    y = a * b + a
    y.backward()
    check("given a * b + a at a = 2.0, b = -3.0", -4.0, y.data)
    check("given d(a * b + a)/da at a = 2.0, b = -3.0", -2.0, a.grad)
    check("given d(a * b + a)/db at a = 2.0, b = -3.0", 2.0, b.grad)


def test_given_pow_div_sub_with_numbers_on_either_side():
    x = Value(2.0)
    y = 1 / x + x**3 - 2 * x  # dy/dx = -1/x^2 + 3x^2 - 2
    y.backward()
    check("given 1/x + x**3 - 2*x at x = 2.0", 4.5, y.data)
    check("given d(1/x + x**3 - 2*x)/dx at x = 2.0", 9.75, x.grad)


def test_given_exp_and_tanh():
    x = Value(0.5)
    y = x.exp() + x.tanh()
    y.backward()
    check("given exp(x) + tanh(x) at x = 0.5", math.exp(0.5) + math.tanh(0.5), y.data)
    check("given d(exp(x) + tanh(x))/dx at x = 0.5", math.exp(0.5) + 1 - math.tanh(0.5) ** 2, x.grad)


def test_given_backward_sums_over_every_path():
    x = Value(3.0)
    y = x * x + x  # x is used three times: dy/dx = 2x + 1
    y.backward()
    check("given d(x*x + x)/dx at x = 3.0", 7.0, x.grad)


# ----------------------------------------------------------------------- relu


def test_relu_positive():
    check_unary("relu", 2.0, 2.0, 1.0)


def test_relu_negative():
    check_unary("relu", -3.0, 0.0, 0.0)


def test_relu_at_zero_has_derivative_zero():
    check_unary("relu", 0.0, 0.0, 0.0)


# -------------------------------------------------------------------- sigmoid


def test_sigmoid_at_zero():
    check_unary("sigmoid", 0.0, 0.5, 0.25)


def test_sigmoid_negative():
    s = 1 / (1 + math.exp(2.0))
    check_unary("sigmoid", -2.0, s, s * (1 - s))


def test_sigmoid_stays_finite_at_large_inputs():
    # e^-x overflows a float at x = -1e4; the result must not.
    for x, s in [(1e4, 1.0), (-1e4, 0.0)]:
        try:
            check_unary("sigmoid", x, s, 0.0)
        except OverflowError as e:
            pytest.fail(f"sigmoid forward at x = {x}: expected {s}, got OverflowError: {e}", pytrace=False)


# ------------------------------------------------------------------------ log


def test_log_at_e():
    check_unary("log", math.e, 1.0, 1 / math.e)


def test_log_below_one():
    check_unary("log", 0.25, math.log(0.25), 4.0)


def test_log_of_zero_or_negative_raises_value_error():
    check_raises_value_error("log", 0.0)
    check_raises_value_error("log", -1.0)


# ------------------------------------------------------------------------ sin


def test_sin():
    check_unary("sin", 0.5, math.sin(0.5), math.cos(0.5))


def test_sin_at_pi():
    check_unary("sin", math.pi, 0.0, -1.0)


# ------------------------------------------------------------------------ cos


def test_cos():
    check_unary("cos", 0.5, math.cos(0.5), -math.sin(0.5))


def test_cos_at_half_pi():
    check_unary("cos", math.pi / 2, 0.0, -1.0)


# ----------------------------------------------------------------------- sqrt


def test_sqrt_of_four():
    check_unary("sqrt", 4.0, 2.0, 0.25)


def test_sqrt_of_two():
    check_unary("sqrt", 2.0, math.sqrt(2), 1 / (2 * math.sqrt(2)))


def test_sqrt_of_zero_is_zero():
    check("sqrt forward at x = 0.0", 0.0, attempt("sqrt", Value(0.0).sqrt).data)


def test_sqrt_of_negative_raises_value_error():
    check_raises_value_error("sqrt", -1.0)


# -------------------------------------------------------------- cross_entropy


def test_cross_entropy_of_equal_logits():
    logits = [Value(0.0), Value(0.0), Value(0.0)]
    check_cross_entropy(logits, 1, math.log(3), [1 / 3, -2 / 3, 1 / 3])


def test_cross_entropy_matches_softmax():
    zs = [1.0, 2.0, 0.5]
    e = [math.exp(z) for z in zs]
    p = [ez / sum(e) for ez in e]
    check_cross_entropy([Value(z) for z in zs], 0, -math.log(p[0]), [p[0] - 1, p[1], p[2]])


def test_cross_entropy_with_plain_numbers_among_logits():
    # 2.0 is a constant: it shifts the loss but gets no gradient
    e = [math.exp(1.0), math.exp(2.0), math.exp(0.5)]
    p = [ez / sum(e) for ez in e]
    check_cross_entropy([Value(1.0), 2.0, Value(0.5)], 1, -math.log(p[1]), [p[0], p[2]])


def test_cross_entropy_stays_finite_at_large_logits():
    # e^1000 overflows a float; the loss is 1000 - (-1000) = 2000 all the same.
    logits = [Value(1000.0), Value(-1000.0), 0.0]
    try:
        check_cross_entropy(logits, 1, 2000.0, [1.0, -1.0])
    except OverflowError as e:
        pytest.fail(f"cross_entropy at logits = {logits}, target = 1: got OverflowError: {e}", pytrace=False)


# ------------------------------------------------------------- numerical_grad


def test_numerical_grad_of_a_product():
    g = attempt("numerical_grad", numerical_grad, lambda v: v[0] ** 2 * v[1], [2.0, 3.0])
    assert isinstance(g, list) and len(g) == 2, f"numerical_grad: expected a list of 2 floats, got {g!r}"
    check("numerical_grad of x**2 * y at x = 2.0, y = 3.0, d/dx", 12.0, g[0], tol=1e-5)
    check("numerical_grad of x**2 * y at x = 2.0, y = 3.0, d/dy", 4.0, g[1], tol=1e-5)


def test_numerical_grad_leaves_xs_unchanged():
    xs = [2.0, 3.0]
    attempt("numerical_grad", numerical_grad, lambda v: v[0] * v[1], xs)
    assert xs == [2.0, 3.0], f"numerical_grad changed xs: expected [2.0, 3.0], got {xs}"


def test_numerical_grad_is_a_central_difference():
    # ((1.5)**3 - (0.5)**3) / 1 = 3.25; one-sided differences give 4.75 or 1.75
    g = attempt("numerical_grad", numerical_grad, lambda v: v[0] ** 3, [1.0], eps=0.5)
    check("numerical_grad of x**3 at x = 1.0 with eps = 0.5 (central difference)", 3.25, g[0])


# ------------------------------------------------------------------ gradcheck
# These use only the given engine, so they do not depend on other exercises.


def test_gradcheck_accepts_correct_gradients():
    ok = attempt("gradcheck", gradcheck, lambda v: (v[0] * v[1]).tanh() + v[0].exp(), [0.3, -0.7])
    assert ok is True, f"gradcheck of tanh(x*y) + exp(x) at x = 0.3, y = -0.7: expected True, got {ok!r}"


def test_gradcheck_rejects_a_wrong_gradient():
    # Value(x.data ** 2) forgets x: backward says 0, finite differences say 2x.
    ok = attempt("gradcheck", gradcheck, lambda v: Value(v[0].data ** 2), [1.5])
    assert ok is False, f"gradcheck of a graph that forgets x, at x = 1.5: expected False, got {ok!r}"


def test_gradcheck_uses_tol():
    # the detached term adds 0.001 to the numerical gradient only: 2 vs 2.001
    f = lambda v: 2 * v[0] + Value(0.001 * v[0].data)  # noqa: E731
    strict = attempt("gradcheck", gradcheck, f, [1.0])
    loose = attempt("gradcheck", gradcheck, f, [1.0], tol=1e-2)
    assert strict is False, f"gradcheck with gradients 2 vs 2.001 and tol = 1e-4: expected False, got {strict!r}"
    assert loose is True, f"gradcheck with gradients 2 vs 2.001 and tol = 1e-2: expected True, got {loose!r}"


def test_gradcheck_tolerance_is_relative_for_large_gradients():
    # d(x**2)/dx = 20000 at x = 1e4; rounding makes the numerical one off by ~0.01
    ok = attempt("gradcheck", gradcheck, lambda v: v[0] ** 2, [1e4])
    assert ok is True, f"gradcheck of x**2 at x = 1e4: expected True (tol scales with the gradient), got {ok!r}"
