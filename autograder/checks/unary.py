"""The checks every one-input exercise shares (relu, sigmoid, log, sin, cos, sqrt).

An exercise's module subclasses `UnaryOpChecks`, names its domain, and adds the
checks of its own edge rules. Checks compare with the reference where they must
(hidden), and otherwise with the student's own numbers (public): a derivative
against finite differences of the student's own forward pass, the chain rule
against the student's own derivative. So each mistake costs points once.
"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.checks import programs
from autograder.checks.expect import compare, fail, forward_is_right, raised, succeeded

FD_TOL = 1e-4  # central differences are accurate to about h^2 and 1e-16 / h
UPSTREAM = st.sampled_from([-3.0, -1.5, -0.5, 0.25, 2.0, 3.5])


class UnaryOpChecks:
    exercise = None  # the Value method under test
    domain = None  # hypothesis strategy: inputs across the contract's whole domain
    smooth_domain = None  # where finite differences are reliable (no kink, no pole)

    def derivative_at_input(self, x):
        """The wrong derivative one gets by putting x where the output belongs."""
        return None

    def draw(self, data, strategy=None):
        return data.draw(programs.batches(self.domain if strategy is None else strategy), label="inputs")

    def at(self, x, stage):
        return f"{self.exercise} {stage} at x = {x!r}"

    @pytest.mark.points(2)
    @given(data=st.data())
    def test_forward_matches_reference(self, student, reference, data):
        """forward value matches the reference"""
        xs = self.draw(data)
        cases = [programs.apply(self.exercise, x) for x in xs]
        for x, mine, theirs in zip(xs, student.run(cases), reference.run(cases)):
            compare(self.at(x, "forward"), programs.output(theirs), programs.output(succeeded(self.at(x, "forward"), mine)))

    @pytest.mark.points(2)
    @given(data=st.data())
    def test_gradient_matches_reference(self, student, reference, data):
        """gradient matches the reference"""
        xs = self.draw(data)
        cases = [programs.apply(self.exercise, x) for x in xs]
        for x, mine, theirs in zip(xs, student.run(cases), reference.run(cases)):
            expected = theirs["grad"][0]
            got = succeeded(self.at(x, "backward"), mine)["grad"][0]
            likely = [("sign-flipped", -expected), ("derivative-at-input", self.derivative_at_input(x))]
            compare(self.at(x, "backward"), expected, got, likely)

    @pytest.mark.public
    @pytest.mark.points(1)
    @given(data=st.data())
    def test_gradient_matches_finite_differences_of_your_forward(self, student, reference_if_hidden, data):
        """gradient matches central differences of your own forward pass"""
        xs = self.draw(data, self.smooth_domain)
        cases = [programs.apply(self.exercise, x) for x in xs]
        answers = student.run([c for case in cases for c in [case] + programs.difference_cases(case)])
        forward_is_right(reference_if_hidden, cases, answers[0::3], [self.at(x, "forward") for x in xs])
        for k, (x, case) in enumerate(zip(xs, cases)):
            what = f"{self.at(x, 'backward')} (against finite differences of your forward)"
            mine = [succeeded(what, a) for a in answers[3 * k: 3 * k + 3]]
            slope = programs.slopes(case, mine[1:])[0]
            likely = [("sign-flipped", -slope), ("derivative-at-input", self.derivative_at_input(x))]
            compare(what, slope, mine[0]["grad"][0], likely, tol=FD_TOL)

    def check_value_error_outside_domain(self, student, xs):
        """Shared by log and sqrt: these inputs must raise ValueError.

        The op must also work at x = 1, so that the ValueError is the op's own,
        not one raised by a Value that cannot even be built.
        """
        inside, *outside = student.run([programs.apply(self.exercise, x) for x in [1.0, *xs]])
        succeeded(f"{self.at(1.0, 'forward')} (inside its domain)", inside)
        for x, answer in zip(xs, outside):
            error = answer.get("error")
            if error is None:
                fail(f"{self.exercise} at x = {x!r} (outside its domain)", "ValueError", programs.output(answer))
            if error["not_implemented"]:
                succeeded(self.at(x, "forward"), answer)
            if not error["value_error"]:
                fail(f"{self.exercise} at x = {x!r} (outside its domain)", "ValueError", raised(error))

    @pytest.mark.public
    @pytest.mark.points(1)
    @given(data=st.data(), upstream=UPSTREAM)
    def test_chain_rule_factor(self, student, reference_if_hidden, data, upstream):
        """gradient is multiplied by the gradient flowing in (chain rule)"""
        xs = self.draw(data)
        cases = [c for x in xs for c in (programs.apply(self.exercise, x), programs.apply(self.exercise, x, upstream))]
        answers = student.run(cases)
        forward_is_right(reference_if_hidden, cases[0::2], answers[0::2], [self.at(x, "forward") for x in xs])
        for k, x in enumerate(xs):
            what = f"{self.at(x, 'backward')} inside c * {self.exercise}(x) with c = {upstream}"
            alone, scaled = (succeeded(what, a)["grad"][0] for a in answers[2 * k: 2 * k + 2])
            compare(what, upstream * alone, scaled, [("missing-chain-factor", alone)])

    @pytest.mark.public
    @pytest.mark.points(1)
    @given(data=st.data())
    def test_gradient_accumulates_when_input_is_used_twice(self, student, reference_if_hidden, data):
        """gradient accumulates when the input is used twice"""
        xs = self.draw(data)
        cases = [c for x in xs for c in (programs.apply(self.exercise, x), programs.twice(self.exercise, x))]
        answers = student.run(cases)
        forward_is_right(reference_if_hidden, cases[0::2], answers[0::2], [self.at(x, "forward") for x in xs])
        for k, x in enumerate(xs):
            what = f"{self.at(x, 'backward')} inside {self.exercise}(x) + {self.exercise}(x)"
            once, doubled = (succeeded(what, a)["grad"][0] for a in answers[2 * k: 2 * k + 2])
            compare(what, 2 * once, doubled, [("overwrites-grad", once)])

    @pytest.mark.public
    @pytest.mark.points(1)
    @given(data=st.data())
    def test_input_is_unchanged_and_output_is_new(self, student, data):
        """leaves its input unchanged and returns a new Value"""
        xs = self.draw(data)
        for x, answer in zip(xs, student.run([programs.apply(self.exercise, x) for x in xs])):
            result = succeeded(self.at(x, "forward"), answer)
            if result["data"][0] != x:
                fail(f"{self.exercise}(x) changed x.data", x, result["data"][0], "input-mutated")
            if not result["fresh"][1]:
                fail(f"{self.exercise}(x) returned x itself", "a new Value", "x", "not-a-new-value")
