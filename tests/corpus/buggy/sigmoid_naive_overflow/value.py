"""Scalar autodiff where every node stores its local derivatives.

Instead of a _backward closure, each Value keeps `parents`: pairs
(parent, d self / d parent) computed during the forward pass. backward() then
only multiplies and adds. The order is Kahn's algorithm: a node is processed
once every node that uses it has passed its gradient down.
"""
import math


class Value:
    def __init__(self, data, parents=()):
        self.data = data
        self.grad = 0
        self.parents = tuple(parents)  # ((parent, local derivative), ...)

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    @staticmethod
    def _wrap(x):
        return x if isinstance(x, Value) else Value(x)

    # engine -----------------------------------------------------------------

    def __add__(self, other):
        other = Value._wrap(other)
        return Value(self.data + other.data, ((self, 1), (other, 1)))

    def __mul__(self, other):
        other = Value._wrap(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only constant int/float powers"
        try:
            local = k * self.data ** (k - 1)
        except ZeroDivisionError:
            local = math.inf
        return Value(self.data**k, ((self, local),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, ((self, e),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, ((self, 1 - t * t),))

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
        # how many edges lead into each node from the nodes above it
        waiting = {}
        seen = {self}
        stack = [self]
        while stack:
            node = stack.pop()
            for parent, _ in node.parents:
                waiting[parent] = waiting.get(parent, 0) + 1
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)

        self.grad = 1
        ready = [self]
        while ready:
            node = ready.pop()
            for parent, local in node.parents:
                parent.grad += local * node.grad
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    ready.append(parent)

    # exercises --------------------------------------------------------------

    def relu(self):
        if self.data > 0:
            return Value(self.data, ((self, 1),))
        return Value(0, ((self, 0),))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, ((self, s * (1.0 - s)),))

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs x > 0, got {self.data}")
        return Value(math.log(self.data), ((self, 1.0 / self.data),))

    def sin(self):
        return Value(math.sin(self.data), ((self, math.cos(self.data)),))

    def cos(self):
        return Value(math.cos(self.data), ((self, -math.sin(self.data)),))

    def sqrt(self):
        if self.data < 0:
            raise ValueError(f"sqrt needs x >= 0, got {self.data}")
        r = math.sqrt(self.data)
        # the derivative at 0 is infinite; store inf instead of dividing by 0
        return Value(r, ((self, 0.5 / r if r > 0 else math.inf),))


def cross_entropy(logits, target):
    zs = [z.data if isinstance(z, Value) else z for z in logits]
    m = max(zs)
    exps = [math.exp(z - m) for z in zs]
    total = sum(exps)
    softmax = [e / total for e in exps]
    loss = math.log(total) - (zs[target] - m)
    parents = [
        (z, softmax[i] - (1 if i == target else 0))
        for i, z in enumerate(logits)
        if isinstance(z, Value)
    ]
    return Value(loss, parents)


def numerical_grad(f, xs, eps=1e-6):
    def shifted(i, h):
        return [x + h if j == i else x for j, x in enumerate(xs)]

    return [(f(shifted(i, eps)) - f(shifted(i, -eps))) / (2 * eps) for i in range(len(xs))]


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    vs = [Value(x) for x in xs]
    f(vs).backward()
    num = numerical_grad(lambda ys: f([Value(y) for y in ys]).data, xs, eps)
    return all(abs(v.grad - n) <= tol * max(1, abs(v.grad), abs(n)) for v, n in zip(vs, num))
