"""micrograd where the one-input exercises come from a table.

Each entry of UNARY is (forward, derivative, domain): the derivative gets both
the input x and the output y, the domain check raises ValueError. The
methods relu, sigmoid, log, sin, cos and sqrt are generated from the table at
the bottom of the class.
"""
import math


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only constant int/float powers"
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)

        self.grad = 1
        for node in reversed(order):
            node._backward()

    def _apply(self, name):
        forward, derivative, domain = UNARY[name]
        x = self.data
        if domain is not None and not domain(x):
            raise ValueError(f"{name}({x}) is undefined")
        y = forward(x)
        out = Value(y, (self,), name)

        def _backward():
            self.grad += derivative(x, y) * out.grad

        out._backward = _backward
        return out


def _softplus(z):
    """log(1 + e^z), never overflowing."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


UNARY = {
    "relu": (lambda x: x if x > 0 else 0, lambda x, y: 1 if x > 0 else 0, None),
    "sigmoid": (lambda x: math.exp(-_softplus(-x)), lambda x, y: y * (1 - y), None),
    "log": (math.log, lambda x, y: 1 / x, lambda x: x > 0),
    "sin": (math.sin, lambda x, y: math.cos(x), None),
    "cos": (math.cos, lambda x, y: -math.sin(x), None),
    "sqrt": (math.sqrt, lambda x, y: 0.5 / y if y > 0 else math.inf, lambda x: x >= 0),
}


def _method(name):
    def method(self):
        return self._apply(name)

    method.__name__ = name
    return method


for _name in UNARY:
    setattr(Value, _name, _method(_name))


def cross_entropy(logits, target):
    data = [z.data if isinstance(z, Value) else z for z in logits]
    m = max(data)
    lse = m + math.log(sum(math.exp(d - m) for d in data))
    out = Value(lse - data[target], [z for z in logits if isinstance(z, Value)], "ce")

    def _backward():
        for i, z in enumerate(logits):
            if isinstance(z, Value):
                p = math.exp(data[i] - lse)
                z.grad += (p - (1 if i == target else 0)) * out.grad

    out._backward = _backward
    return out


def numerical_grad(f, xs, eps=1e-6):
    grads = []
    base = f(list(xs))
    for i, x in enumerate(xs):
        ys = list(xs)
        ys[i] = x + eps
        grads.append((f(ys) - base) / eps)
    return grads


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    leaves = [Value(x) for x in xs]
    f(leaves).backward()
    numeric = []
    for i in range(len(xs)):
        hi = [Value(x + eps if j == i else x) for j, x in enumerate(xs)]
        lo = [Value(x - eps if j == i else x) for j, x in enumerate(xs)]
        numeric.append((f(hi).data - f(lo).data) / (2 * eps))
    # isclose(a, n, rel_tol=tol, abs_tol=tol) is exactly
    # abs(a - n) <= tol * max(1, abs(a), abs(n))
    return all(math.isclose(v.grad, n, rel_tol=tol, abs_tol=tol) for v, n in zip(leaves, numeric))
