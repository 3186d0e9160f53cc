"""The mistakes the grader recognises, and what it tells the student about each.

A failed check may carry one of these ids (results.json: extra_data.mistake);
the class report counts them per exercise.
"""

EXPLANATIONS = {
    "sign-flipped": "the sign of your derivative is flipped",
    "missing-chain-factor": (
        "right when the gradient flowing in is 1, wrong otherwise: multiply your "
        "local derivative by out.grad (the chain rule)"
    ),
    "overwrites-grad": (
        "right when the input is used once, wrong when it is used twice: add into "
        "self.grad with +=, do not assign it with ="
    ),
    "derivative-at-input": (
        "your derivative is evaluated at the input x where the formula needs the "
        "output (for example s(1 - s) with s = sigmoid(x), not x(1 - x))"
    ),
    "overflow": "a number overflowed: rearrange the formula so it stays finite (see the exercise's hint)",
    "input-mutated": "your code changed its input, which must be left unchanged",
    "not-a-new-value": "return a new Value connected to the input, not the input itself",
    "one-sided-difference": (
        "that is a one-sided difference (f(x + eps) - f(x)) / eps; use the central "
        "difference (f(x + eps) - f(x - eps)) / (2 eps)"
    ),
    "not-implemented": "not implemented yet",
    "timed-out": "your code did not finish in time (an infinite loop?)",
    "crashed": "your code's process crashed",
    "load-error": "your code could not be loaded",
}


def explain(mistake):
    return EXPLANATIONS[mistake]
