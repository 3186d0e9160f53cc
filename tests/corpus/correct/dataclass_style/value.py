"""micrograd as a dataclass.

eq=False keeps identity hashing, so Values can go in sets and dicts while the
graph is sorted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Optional, Tuple


@dataclass(eq=False)
class Value:
    data: float
    _prev: Tuple["Value", ...] = field(default=(), repr=False)
    _op: str = field(default="", repr=False)
    grad: float = field(default=0, init=False)
    _backward: Optional[Callable[[], None]] = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self._prev = tuple(self._prev)

    @classmethod
    def lift(cls, x) -> "Value":
        return x if isinstance(x, Value) else cls(x)

    def _node(self, data, parents, op, backward):
        out = Value(data, parents, op)
        out._backward = lambda: backward(out)
        return out

    # given engine, written with _node ------------------------------------

    def __add__(self, other):
        other = Value.lift(other)

        def back(out):
            self.grad += out.grad
            other.grad += out.grad

        return self._node(self.data + other.data, (self, other), "+", back)

    def __mul__(self, other):
        other = Value.lift(other)

        def back(out):
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        return self._node(self.data * other.data, (self, other), "*", back)

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only constant int/float powers"

        def back(out):
            self.grad += k * self.data ** (k - 1) * out.grad

        return self._node(self.data**k, (self,), f"**{k}", back)

    def exp(self):
        def back(out):
            self.grad += out.data * out.grad

        return self._node(math.exp(self.data), (self,), "exp", back)

    def tanh(self):
        t = math.tanh(self.data)

        def back(out):
            self.grad += (1 - t**2) * out.grad

        return self._node(t, (self,), "tanh", back)

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
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            for parent in node._prev:
                if parent not in seen:
                    stack.append((parent, False))
        self.grad = 1
        for node in reversed(order):
            if node._backward is not None:
                node._backward()

    # exercises ------------------------------------------------------------

    def relu(self):
        def back(out):
            self.grad += (self.data > 0) * out.grad

        return self._node(self.data if self.data > 0 else 0.0, (self,), "relu", back)

    def sigmoid(self):
        x = self.data
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))

        def back(out):
            self.grad += s * (1 - s) * out.grad

        return self._node(s, (self,), "sigmoid", back)

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log: {self.data} is not positive")

        def back(out):
            self.grad += out.grad / self.data

        return self._node(math.log(self.data), (self,), "log", back)

    def sin(self):
        def back(out):
            self.grad += math.cos(self.data) * out.grad

        return self._node(math.sin(self.data), (self,), "sin", back)

    def cos(self):
        def back(out):
            self.grad += -math.sin(self.data) * out.grad

        return self._node(math.cos(self.data), (self,), "cos", back)

    def sqrt(self):
        if self.data < 0:
            raise ValueError(f"sqrt: {self.data} is negative")
        r = math.sqrt(self.data)

        def back(out):
            self.grad += out.grad / (2 * r)

        return self._node(r, (self,), "sqrt", back)


def cross_entropy(logits, target):
    zs = [z.data if isinstance(z, Value) else z for z in logits]
    shift = max(zs)
    exps = [math.exp(z - shift) for z in zs]
    denom = sum(exps)
    loss = math.log(denom) + shift - zs[target]
    out = Value(loss, tuple(z for z in logits if isinstance(z, Value)), "cross_entropy")

    def back():
        for i, z in enumerate(logits):
            if isinstance(z, Value):
                z.grad += (exps[i] / denom - (1 if i == target else 0)) * out.grad

    out._backward = back
    return out


def numerical_grad(f, xs, eps=1e-6):
    n = len(xs)
    grads = [0.0] * n
    for i in range(n):
        step = [eps if j == i else 0.0 for j in range(n)]
        f_plus = f([x + s for x, s in zip(xs, step)])
        f_minus = f([x - s for x, s in zip(xs, step)])
        grads[i] = (f_plus - f_minus) / (2 * eps)
    return grads


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    params = [Value(x) for x in xs]
    f(params).backward()
    numeric = numerical_grad(lambda ys: f([Value(y) for y in ys]).data, xs, eps)
    return all(
        abs(p.grad - n) <= tol * max(1, abs(p.grad), abs(n)) for p, n in zip(params, numeric)
    )
