"""Requests for the jailed submission, and the inputs hypothesis draws for them.

A case is what one evaluation needs (see sandbox/child.py for the program
language); checks send many cases in one request, so hypothesis examples are
batches: one round trip evaluates a whole list of inputs.
"""
from hypothesis import strategies as st

from autograder.sandbox.child import evaluate
from autograder.sandbox.student import well_formed_error

BATCH = 20


def batches(strategy, max_size=BATCH):
    return st.lists(strategy, min_size=1, max_size=max_size)


def finite(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


# ------------------------------------------------------------------ graph cases

def apply(op, x, upstream=None):
    """op(x), optionally times a constant: the constant is the upstream gradient."""
    program = [["input", 0], ["call", op, 0]]
    if upstream is not None:
        program += [["const", upstream], ["mul", 1, 2]]
    return {"program": program, "inputs": [x]}


def forward_only(case):
    return dict(case, backward=False)


def moved(xs, index, h):
    """xs with entry `index` moved by h."""
    return [x + h if i == index else x for i, x in enumerate(xs)]


def shifted(case, index, h):
    """The same case with input `index` moved by h (for finite differences)."""
    return dict(case, inputs=moved(case["inputs"], index, h))


def twice(op, x):
    """op(x) + op(x): two uses of x, whose gradients must add up."""
    return {"program": [["input", 0], ["call", op, 0], ["call", op, 0], ["add", 1, 2]], "inputs": [x]}


def cross_entropy(logits, target, upstream=None):
    """Logits are ("value", index of input) or ("number", x); inputs are the Values."""
    program = [["input", i] for i in range(len(logits.inputs))]
    refs = []
    for kind, x in logits.items:
        if kind == "number":
            program.append(["const", x])
            refs.append(len(program) - 1)
        else:
            refs.append(x)
    program.append(["cross_entropy", refs, target])
    if upstream is not None:
        program += [["const", upstream], ["mul", len(program) - 1, len(program)]]
    return {"program": program, "inputs": list(logits.inputs)}


def numerical_grad(program, xs, eps):
    return {"kind": "numerical_grad", "program": program, "inputs": xs, "eps": eps}


def gradcheck(program, xs, eps=1e-6, tol=1e-4):
    return {"kind": "gradcheck", "program": program, "inputs": xs, "eps": eps, "tol": tol}


def output(result):
    return result["data"][-1]


def grads_of_inputs(case, result):
    return result["grad"][: len(case["inputs"])]


# ------------------------------------------------------------- float functions

def value_at(program, xs):
    """f(xs) for a program of given operations, on plain floats, in the grader."""
    return evaluate(program, list(xs), None)[-1]


def central_difference(program, xs, eps):
    return [
        (value_at(program, moved(xs, i, eps)) - value_at(program, moved(xs, i, -eps))) / (2 * eps)
        for i in range(len(xs))
    ]


def forward_difference(program, xs, eps):
    return [(value_at(program, moved(xs, i, eps)) - value_at(program, xs)) / eps for i in range(len(xs))]


@st.composite
def smooth_functions(draw, n_inputs):
    """A random smooth function of n inputs built from the given operations.

    Values stay moderate (inputs in [-2, 2], tanh and small powers), so that
    central differences are accurate to far better than gradcheck's tolerance.
    """
    program = [["input", i] for i in range(n_inputs)]
    values = list(range(n_inputs))  # nodes that are Values (not constants)
    for _ in range(draw(st.integers(1, 5))):
        a, b = draw(st.sampled_from(values)), draw(st.sampled_from(values))
        kind = draw(st.sampled_from(["add", "mul", "tanh", "square", "scale", "sub"]))
        if kind in ("add", "mul", "sub"):
            program.append([kind, a, b])
        elif kind == "tanh":
            program.append(["call", "tanh", a])
        elif kind == "square":
            program.append(["pow", a, 2])
        else:
            program.append(["const", draw(finite(-2, 2))])
            program.append(["mul", a, len(program) - 1])
        values.append(len(program) - 1)
    # Squash the output, so that no function grows large.
    program.append(["call", "tanh", len(program) - 1])
    # Every input must matter, or its gradient is trivially 0.
    for i in range(n_inputs):
        program.append(["add", len(program) - 1, i])
    return program


def well_formed(case, result):
    """Is this answer shaped like an answer to this case? (Answers are untrusted.)

    The jail's runner sends every number as a float, so anything else is forged.
    """
    if type(result) is not dict:
        return False
    if "error" in result:
        return well_formed_error(result["error"])
    kind = case.get("kind", "graph")
    if kind == "graph":
        program = case["program"]
        grads, fresh = result.get("grad"), result.get("fresh")
        return (
            _floats(result.get("data"), len(program))
            and type(grads) is list
            and len(grads) == len(program)
            # plain numbers have no gradient; every Value has a float one
            and all(g is None if node[0] == "const" else type(g) is float for node, g in zip(program, grads))
            and type(fresh) is list
            and len(fresh) == len(program)
            and all(type(f) is bool for f in fresh)
        )
    if kind == "numerical_grad":
        grads = result.get("grads")
        return type(grads) is list and _floats(grads, len(grads)) and _floats(result.get("xs_after"), len(case["inputs"]))
    return type(result.get("verdict")) is bool


def _floats(xs, n):
    return type(xs) is list and len(xs) == n and all(type(x) is float for x in xs)


def fd_step(x):
    """A step for central differences that scales with x."""
    return 1e-5 * max(1.0, abs(x))


def difference_cases(case):
    """Forward-only copies of a case at each input moved by +h and -h."""
    cases = []
    for i, x in enumerate(case["inputs"]):
        h = fd_step(x)
        cases += [forward_only(shifted(case, i, h)), forward_only(shifted(case, i, -h))]
    return cases


def slopes(case, answers):
    """Central-difference gradient from the answers to difference_cases(case)."""
    return [
        (output(answers[2 * i]) - output(answers[2 * i + 1])) / (2 * fd_step(x))
        for i, x in enumerate(case["inputs"])
    ]
