"""micrograd, keeping integers as integers.

Value(3) stays the int 3, relu of a negative number is the int 0, sqrt of a
perfect square int is an int, and gradients start as the int 0.

backward() does not sort the graph with a DFS: every Value gets a serial
number when it is created, and a node is always created after the nodes it
was computed from, so sorting the reachable nodes by serial number (newest
first) is a valid order for the chain rule.
"""
import itertools
import math

_serial = itertools.count()


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self._serial = next(_serial)

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

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
        reachable = {id(self): self}
        todo = [self]
        while todo:
            for child in todo.pop()._prev:
                if id(child) not in reachable:
                    reachable[id(child)] = child
                    todo.append(child)
        self.grad = 1
        for node in sorted(reachable.values(), key=lambda v: v._serial, reverse=True):
            node._backward()

    # exercises

    def relu(self):
        out = Value(self.data if self.data > 0 else 0, (self,), "relu")

        def _backward():
            self.grad += out.grad if self.data > 0 else 0

        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        if x < 0:
            ex = math.exp(x)
            s = ex / (1 + ex)
        else:
            s = 1 / (1 + math.exp(-x))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s)

        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError("log is undefined for %s" % self.data)
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def sin(self):
        out = Value(math.sin(self.data), (self,), "sin")

        def _backward():
            self.grad += out.grad * math.cos(self.data)

        out._backward = _backward
        return out

    def cos(self):
        out = Value(math.cos(self.data), (self,), "cos")

        def _backward():
            self.grad += out.grad * -math.sin(self.data)

        out._backward = _backward
        return out

    def sqrt(self):
        x = self.data
        if x < 0:
            raise ValueError("sqrt is undefined for %s" % x)
        if isinstance(x, int) and math.isqrt(x) ** 2 == x:
            r = math.isqrt(x)  # exact, and still an int
        else:
            r = math.sqrt(x)
        out = Value(r, (self,), "sqrt")

        def _backward():
            self.grad += out.grad / (2 * r)

        out._backward = _backward
        return out


def cross_entropy(logits, target):
    values = [v.data if isinstance(v, Value) else v for v in logits]
    m = max(values)
    exps = [math.exp(v - m) for v in values]
    s = sum(exps)
    out = Value(m - values[target] + math.log(s), [v for v in logits if isinstance(v, Value)], "ce")

    def _backward():
        for i, v in enumerate(logits):
            if isinstance(v, Value):
                onehot = 1 if i == target else 0
                v.grad += (exps[i] / s - onehot) * out.grad

    out._backward = _backward
    return out


def numerical_grad(f, xs, eps=1e-6):
    grads = []
    for i in range(len(xs)):
        plus = list(xs)
        minus = list(xs)
        plus[i] += eps
        minus[i] -= eps
        grads.append(float((f(plus) - f(minus)) / (2 * eps)))
    return grads


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    vals = [Value(x) for x in xs]
    f(vals).backward()
    numeric = numerical_grad(lambda ys: f([Value(y) for y in ys]).data, xs, eps)
    return all(abs(v.grad - n) <= tol * max(1, abs(v.grad), abs(n)) for v, n in zip(vals, numeric))
