"""micrograd with __slots__ (a lot less memory per node) and an explicit-stack
topological sort."""
import math

__all__ = ["Value", "cross_entropy", "numerical_grad", "gradcheck"]


def _noop():
    pass


class Value:
    __slots__ = ("data", "grad", "_backward", "_prev", "_op")

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = _noop
        self._prev = _children
        self._op = _op

    def __repr__(self):
        return "Value(data=%r, grad=%r)" % (self.data, self.grad)

    def __add__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only constant int/float powers"
        out = Value(self.data**k, (self,), "**%s" % k)

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
        order = []
        done = set()
        stack = [self]
        expanded = set()
        while stack:
            node = stack[-1]
            if node in done:
                stack.pop()
            elif node in expanded:
                stack.pop()
                done.add(node)
                order.append(node)
            else:
                expanded.add(node)
                stack.extend(c for c in node._prev if c not in done)
        self.grad = 1
        for node in reversed(order):
            node._backward()

    # ------------------------------------------------------------ exercises

    def relu(self):
        positive = self.data > 0
        out = Value(self.data if positive else 0.0, (self,), "relu")

        def _backward():
            self.grad = (1.0 if positive else 0.0) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        z = math.exp(-abs(x))  # always <= 1
        s = 1 / (1 + z) if x >= 0 else z / (1 + z)
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1 - out.data) * out.grad

        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError("math domain error: log(%r)" % (self.data,))
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += (1 / self.data) * out.grad

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
            raise ValueError("cannot take sqrt of %r" % (self.data,))
        out = Value(math.sqrt(self.data), (self,), "sqrt")

        def _backward():
            self.grad += 0.5 / out.data * out.grad

        out._backward = _backward
        return out


def cross_entropy(logits, target):
    raw = [l.data if isinstance(l, Value) else float(l) for l in logits]
    top = max(raw)
    e = [math.exp(r - top) for r in raw]
    z = sum(e)
    out = Value(top + math.log(z) - raw[target], tuple(l for l in logits if isinstance(l, Value)), "ce")

    def _backward():
        for i, l in enumerate(logits):
            if isinstance(l, Value):
                l.grad += (e[i] / z - (i == target)) * out.grad

    out._backward = _backward
    return out


def numerical_grad(f, xs, eps=1e-6):
    ys = list(xs)
    out = []
    for i, xi in enumerate(xs):
        ys[i] = xi + eps
        hi = f(list(ys))
        ys[i] = xi - eps
        lo = f(list(ys))
        ys[i] = xi
        out.append((hi - lo) / (2 * eps))
    return out


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    inputs = [Value(x) for x in xs]
    f(inputs).backward()
    numeric = numerical_grad(lambda ys: f([Value(y) for y in ys]).data, xs, eps)
    ok = True
    for v, n in zip(inputs, numeric):
        a = v.grad
        ok = ok and abs(a - n) <= tol * max(1, abs(a), abs(n))
    return ok
