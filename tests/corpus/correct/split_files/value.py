"""micrograd homework. The float math lives in ops.py next to this file."""
import math

from ops import agree, central_difference, log_softmax_parts, stable_sigmoid


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

    def _unary(self, value, derivative, op):
        """A new node whose local derivative is the number `derivative`."""
        out = Value(value, (self,), op)

        def _backward():
            self.grad += derivative * out.grad

        out._backward = _backward
        return out

    def relu(self):
        return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0, "relu")

    def sigmoid(self):
        s = stable_sigmoid(self.data)
        return self._unary(s, s * (1.0 - s), "sigmoid")

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log of a non-positive number ({self.data})")
        return self._unary(math.log(self.data), 1.0 / self.data, "log")

    def sin(self):
        return self._unary(math.sin(self.data), math.cos(self.data), "sin")

    def cos(self):
        return self._unary(math.cos(self.data), -math.sin(self.data), "cos")

    def sqrt(self):
        if self.data < 0:
            raise ValueError(f"sqrt of a negative number ({self.data})")
        r = math.sqrt(self.data)
        return self._unary(r, 0.5 / r if r else math.inf, "sqrt")


def cross_entropy(logits, target):
    zs = [z.data if isinstance(z, Value) else z for z in logits]
    lse, probs = log_softmax_parts(zs)
    out = Value(lse - zs[target], [z for z in logits if isinstance(z, Value)], "cross_entropy")

    def _backward():
        for i, z in enumerate(logits):
            if isinstance(z, Value):
                z.grad += (probs[i] - (i == target)) * out.grad

    out._backward = _backward
    return out


def numerical_grad(f, xs, eps=1e-6):
    return central_difference(f, xs, eps)


def gradcheck(f, xs, eps=1e-6, tol=1e-4):
    leaves = [Value(x) for x in xs]
    f(leaves).backward()
    numeric = numerical_grad(lambda ys: f([Value(y) for y in ys]).data, xs, eps)
    return all(agree(leaf.grad, n, tol) for leaf, n in zip(leaves, numeric))
