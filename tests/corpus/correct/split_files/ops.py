"""Plain-float helpers for value.py: the numerics, kept apart from the graph."""
import math


def stable_sigmoid(x):
    """1 / (1 + e^-x) without overflow for any float x."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def log_softmax_parts(zs):
    """(log-sum-exp of zs, softmax of zs), computed with the max shifted out."""
    m = max(zs)
    exps = [math.exp(z - m) for z in zs]
    total = sum(exps)
    return m + math.log(total), [e / total for e in exps]


def central_difference(f, xs, eps):
    """(f(xs + eps e_i) - f(xs - eps e_i)) / (2 eps) for every i."""
    out = []
    for i in range(len(xs)):
        hi = list(xs)
        lo = list(xs)
        hi[i] += eps
        lo[i] -= eps
        out.append((f(hi) - f(lo)) / (2.0 * eps))
    return out


def agree(a, n, tol):
    return abs(a - n) <= tol * max(1, abs(a), abs(n))
