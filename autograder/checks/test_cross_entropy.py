"""cross_entropy(logits, target): -log softmax(logits)[target].

Its gradient, softmax - onehot(target), flows into every Value logit; plain
numbers among the logits are allowed; finite for logits in [-1e3, 1e3].
"""
import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.checks import programs
from autograder.checks.expect import compare, fail, forward_is_right, succeeded
from autograder.checks.unary import FD_TOL, UPSTREAM

pytestmark = pytest.mark.exercise("cross_entropy")


@dataclasses.dataclass
class Logits:
    items: list  # ("value", index into inputs) or ("number", x)
    inputs: list  # the numbers of the Value logits

    def __repr__(self):
        return "[" + ", ".join(f"Value({self.inputs[x]!r})" if k == "value" else repr(x) for k, x in self.items) + "]"


@st.composite
def logits(draw, bound, reuse=False):
    """A logit list with at least one Value, plain numbers among them, and a target."""
    size = draw(st.integers(1, 6))
    inputs, items = [], []
    for _ in range(size):
        kind = draw(st.sampled_from(["value", "value", "number"] + (["reuse"] if reuse and inputs else [])))
        if kind == "reuse":
            items.append(("value", draw(st.integers(0, len(inputs) - 1))))
        elif kind == "number":
            items.append(("number", draw(programs.finite(-bound, bound))))
        else:
            inputs.append(draw(programs.finite(-bound, bound)))
            items.append(("value", len(inputs) - 1))
    if not inputs:
        inputs.append(draw(programs.finite(-bound, bound)))
        items.append(("value", 0))
    return Logits(items, inputs), draw(st.integers(0, len(items) - 1))


def batch(bound, reuse=False):
    return programs.batches(logits(bound, reuse), max_size=8)


def what(stage, problem):
    lg, target = problem
    return f"cross_entropy {stage} at logits = {lg!r}, target = {target}"


@pytest.mark.points(2)
@given(problems=batch(1e3))
def test_forward_matches_reference(student, reference, problems):
    """loss matches the reference"""
    cases = [programs.cross_entropy(*p) for p in problems]
    for p, mine, theirs in zip(problems, student.run(cases), reference.run(cases)):
        compare(what("forward", p), programs.output(theirs), programs.output(succeeded(what("forward", p), mine)))


@pytest.mark.points(2)
@given(problems=batch(1e3, reuse=True))
def test_gradient_matches_reference(student, reference, problems):
    """gradient into every Value logit matches the reference"""
    cases = [programs.cross_entropy(*p) for p in problems]
    for p, case, mine, theirs in zip(problems, cases, student.run(cases), reference.run(cases)):
        got = programs.grads_of_inputs(case, succeeded(what("backward", p), mine))
        for i, (expected, g) in enumerate(zip(programs.grads_of_inputs(case, theirs), got)):
            compare(f"{what('backward', p)}, logit Value {i}", expected, g, [("sign-flipped", -expected)])


@pytest.mark.public
@pytest.mark.points(1)
@given(problems=batch(20, reuse=True))
def test_gradient_matches_finite_differences_of_your_forward(student, reference_if_hidden, problems):
    """gradient matches central differences of your own loss"""
    cases = [programs.cross_entropy(*p) for p in problems]
    groups = [[case] + programs.difference_cases(case) for case in cases]
    answers = student.run([c for group in groups for c in group])
    per_case = []
    for group in groups:
        per_case.append(answers[: len(group)])
        answers = answers[len(group):]
    forward_is_right(reference_if_hidden, cases, [a[0] for a in per_case], [what("forward", p) for p in problems])
    for p, case, group in zip(problems, cases, per_case):
        mine = [succeeded(what("backward", p), a) for a in group]
        for i, (slope, g) in enumerate(zip(programs.slopes(case, mine[1:]), programs.grads_of_inputs(case, mine[0]))):
            compare(f"{what('backward', p)}, logit Value {i} (against finite differences of your loss)",
                    slope, g, [("sign-flipped", -slope)], tol=FD_TOL)


@pytest.mark.public
@pytest.mark.points(1)
@given(problems=batch(20), upstream=UPSTREAM)
def test_chain_rule_factor(student, reference_if_hidden, problems, upstream):
    """gradient is multiplied by the gradient flowing in (chain rule)"""
    cases = [c for p in problems for c in (programs.cross_entropy(*p), programs.cross_entropy(*p, upstream))]
    answers = student.run(cases)
    forward_is_right(reference_if_hidden, cases[0::2], answers[0::2], [what("forward", p) for p in problems])
    for k, p in enumerate(problems):
        where = f"{what('backward', p)}, inside c * loss with c = {upstream}"
        alone, scaled = (programs.grads_of_inputs(cases[2 * k], succeeded(where, a)) for a in answers[2 * k: 2 * k + 2])
        for i, (a, s) in enumerate(zip(alone, scaled)):
            compare(f"{where}, logit Value {i}", upstream * a, s, [("missing-chain-factor", a)])


@pytest.mark.public
@pytest.mark.points(1)
@given(problems=batch(1e3))
def test_finite_and_consistent_for_large_logits(student, problems):
    """finite for logits in [-1e3, 1e3], with gradients in [-1, 1]"""
    extreme = (Logits([("value", 0), ("value", 1)], [1e3, -1e3]), 1)
    problems = [extreme, *problems]
    for p, answer in zip(problems, student.run([programs.cross_entropy(*p) for p in problems])):
        result = succeeded(what("forward", p), answer)
        loss = programs.output(result)
        if not (math.isfinite(loss) and loss >= -1e-9):
            fail(what("forward", p), "a finite loss >= 0", loss, "overflow" if not math.isfinite(loss) else None)
        for g in programs.grads_of_inputs(programs.cross_entropy(*p), result):
            if not -1 - 1e-9 <= g <= 1 + 1e-9:
                fail(what("backward", p), "gradients in [-1, 1]", g, "overflow" if not math.isfinite(g) else None)


@pytest.mark.public
@pytest.mark.points(1)
def test_accepts_plain_numbers_among_logits(student):
    """accepts plain numbers among the logits"""
    problems = [(Logits([("value", 0), ("number", 2.0), ("number", -1)], [0.5]), t) for t in range(3)]
    for p, answer in zip(problems, student.run([programs.cross_entropy(*p) for p in problems])):
        succeeded(what("forward", p), answer)


@pytest.mark.public
@pytest.mark.points(1)
@given(problems=batch(20))
def test_logits_are_unchanged(student, problems):
    """leaves the logits unchanged"""
    for p, answer in zip(problems, student.run([programs.cross_entropy(*p) for p in problems])):
        result = succeeded(what("forward", p), answer)
        lg = p[0]
        for i, x in enumerate(lg.inputs):
            if result["data"][i] != x:
                fail(f"{what('forward', p)}: logit Value {i}'s .data changed", x, result["data"][i], "input-mutated")
