"""micrograd: the exercises built out of the operations we were given.

Whenever an exercise can be written with + - * / ** and exp, I did that: the
engine then does the chain rule for me. Only log, sin and cos need their own
_backward.
"""
import math


class Value:
    """A scalar that records the operations applied to it."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    # ------------------------------------------------------------------ given

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

    def __neg__(self):  # -a
        return self * -1

    def __radd__(self, other):  # n + a
        return self + other

    def __sub__(self, other):  # a - b
        return self + (-other)

    def __rsub__(self, other):  # n - a
        return other + (-self)

    def __rmul__(self, other):  # n * a
        return self * other

    def __truediv__(self, other):  # a / b
        return self * other**-1

    def __rtruediv__(self, other):  # n / a
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

    # -------------------------------------------------------------- exercises

    def relu(self):
        # multiply by a constant 1 or 0: the * node gives the right gradient
        return self * (1.0 if self.data > 0 else 0.0)

    def sigmoid(self):
        # exp only ever sees a number <= 0, so it cannot overflow
        if self.data >= 0:
            return 1 / (1 + (-self).exp())
        e = self.exp()
        return e / (1 + e)

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log({self.data}) is undefined")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def sin(self):
        out = Value(math.sin(self.data), (self,), "sin")

        def _backward():
            self.grad += math.cos(self.data) * out.grad

        out._backward = _backward
        return out

    def cos(self):
        out = Value(math.cos(self.data), (self,), "cos")

        def _backward():
            self.grad += -math.sin(self.data) * out.grad

        out._backward = _backward
        return out

    def sqrt(self):
        if self.data < 0:
            raise ValueError(f"sqrt({self.data}) is undefined")
        return self**0.5


def cross_entropy(logits, target):
    # log-sum-exp with the max subtracted, all in Values so backward is free
    m = max(z.data if isinstance(z, Value) else z for z in logits)
    shifted = [z - m for z in logits]
    exps = [s.exp() if isinstance(s, Value) else math.exp(s) for s in shifted]
    total = Value(0.0)
    for e in exps:
        total = total + e
    return total.log() - shifted[target]


def numerical_grad(f, xs, eps=1e-6):
    result = []
    for i in range(len(xs)):
        forward = xs[:i] + [xs[i] + eps] + xs[i + 1 :]
        backward = xs[:i] + [xs[i] - eps] + xs[i + 1 :]
        result.append((f(forward) - f(backward)) / (2 * eps))
    return result


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    inputs = [Value(x) for x in xs]
    out = f(inputs)
    out.backward()
    numeric = numerical_grad(lambda ys: f([Value(y) for y in ys]).data, list(xs), eps)
    for v, n in zip(inputs, numeric):
        if abs(v.grad - n) > tol * max(1, abs(v.grad), abs(n)):
            return False
    return True
