"""Runs inside the jail: loads a submission and answers the grader's requests.

Standard library only, and nothing secret: this file is copied into the jail.
The grader sends one JSON line per request on stdin and reads one JSON line per
answer on stdout. Everything the submission prints goes to stderr instead, so it
can never be mistaken for an answer. Answers hold plain numbers and strings.

The same program interpreter (`run_case`) runs in the grader's own process on
the reference solution, so the student and the reference see identical inputs.

A program is a list of nodes; each node refers to earlier nodes by index:
    ["input", i]          the i-th input (a Value leaf, or a float)
    ["const", c]          the plain number c
    ["add"|"sub"|"mul"|"div", a, b], ["neg", a], ["pow", a, k]
    ["call", name, a]     a method of Value: exp, tanh or an exercise
    ["detach", a]         Value(a.data): same number, cut out of the graph
    ["cross_entropy", [a, ...], target]
The last node is the output.
"""
import json
import math
import operator
import os
import resource
import sys
import traceback

EXERCISE_FUNCTIONS = ("cross_entropy", "numerical_grad", "gradcheck")
REQUIRED_NAMES = ("Value",) + EXERCISE_FUNCTIONS
BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
FLOAT_METHODS = {"exp": math.exp, "tanh": math.tanh}
MESSAGE_LIMIT = 500


class NotANumber(Exception):
    """A result that should be a number is something else."""


# ----------------------------------------------------------------- numbers out

def number(x, what):
    """The plain float of an int or float, whatever subclass tricks it plays."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise NotANumber(f"{what} is {type(x).__name__} {_short_repr(x)}, not a number")
    try:
        return float.__float__(x) if isinstance(x, float) else float(int.__int__(x))
    except OverflowError:
        raise NotANumber(f"{what} is an int too large for a float") from None


def _short_repr(x):
    try:
        text = object.__repr__(x)
    except Exception:
        text = "?"
    return text[:80]


# ------------------------------------------------------------------- programs

def evaluate(program, inputs, api):
    """Evaluate a program on `inputs`; api is None for plain floats."""
    nodes = []
    for node in program:
        kind = node[0]
        if kind == "input":
            nodes.append(inputs[node[1]])
        elif kind == "const":
            nodes.append(node[1])
        elif kind in BINARY:
            nodes.append(BINARY[kind](nodes[node[1]], nodes[node[2]]))
        elif kind == "neg":
            nodes.append(-nodes[node[1]])
        elif kind == "pow":
            nodes.append(nodes[node[1]] ** node[2])
        elif kind == "call":
            arg = nodes[node[2]]
            nodes.append(FLOAT_METHODS[node[1]](arg) if api is None else getattr(arg, node[1])())
        elif kind == "detach":
            arg = nodes[node[1]]
            nodes.append(arg if api is None else api.Value(arg.data))
        elif kind == "cross_entropy":
            nodes.append(api.cross_entropy([nodes[i] for i in node[1]], node[2]))
        else:
            raise ValueError(f"unknown program node {kind!r}")
    return nodes


def run_graph(api, case):
    """Build the graph on Value leaves, optionally backpropagate, report numbers."""
    leaves = [api.Value(x) for x in case["inputs"]]
    nodes = evaluate(case["program"], leaves, api)
    if case.get("backward", True):
        nodes[-1].backward()
    data, grad, fresh = [], [], []
    for i, (step, node) in enumerate(zip(case["program"], nodes)):
        if isinstance(node, api.Value):
            data.append(number(node.data, "a Value's .data"))
            grad.append(number(node.grad, "a Value's .grad"))
        elif step[0] == "const":
            data.append(number(node, "a constant"))
            grad.append(None)
        else:
            raise NotANumber(f"an operation returned {type(node).__name__} {_short_repr(node)}, not a Value")
        # Each operation must return a new Value, not one of its inputs.
        fresh.append(all(node is not earlier for earlier in nodes[:i]))
    return {"data": data, "grad": grad, "fresh": fresh}


def run_numerical_grad(api, case):
    xs = list(case["inputs"])
    calls = []

    def f(ys):
        calls.append(list(ys))
        return evaluate(case["program"], ys, None)[-1]

    args = (f, xs) if case.get("eps") is None else (f, xs, case["eps"])
    grads = api.numerical_grad(*args)
    if not isinstance(grads, (list, tuple)):
        raise NotANumber(f"numerical_grad returned {type(grads).__name__}, not a list")
    return {
        "grads": [number(g, "an entry of numerical_grad's result") for g in grads],
        "xs_after": [number(x, "xs after the call") for x in xs],
        "calls": len(calls),
    }


def run_gradcheck(api, case):
    def f(values):
        return evaluate(case["program"], values, api)[-1]

    verdict = api.gradcheck(f, list(case["inputs"]), case["eps"], case["tol"])
    if type(verdict) is not bool:
        raise NotANumber(f"gradcheck returned {type(verdict).__name__} {_short_repr(verdict)}, not True or False")
    return {"verdict": verdict}


RUNNERS = {"graph": run_graph, "numerical_grad": run_numerical_grad, "gradcheck": run_gradcheck}


def run_case(api, case):
    """One case; an exception becomes a description instead of an answer."""
    try:
        return RUNNERS[case.get("kind", "graph")](api, case)
    except BaseException as exc:  # the submission may raise anything, SystemExit included
        return {"error": describe(exc)}


# -------------------------------------------------------------------- errors

def describe(exc):
    """What went wrong, in the student's own terms: their frames only."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_student_file(f.filename)]
    where = [f"{os.path.basename(f.filename)}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}"[:300]
             for f in frames[-3:]]
    try:
        message = str(exc)
    except BaseException:
        message = "(the exception's message could not be printed)"
    return {
        "type": type(exc).__name__[:100],
        "value_error": isinstance(exc, ValueError),
        "overflow": isinstance(exc, OverflowError),
        "not_implemented": isinstance(exc, NotImplementedError),
        "message": message[:MESSAGE_LIMIT],
        "where": where,
        "line": frames[-1].lineno if frames else None,
        "file": os.path.basename(frames[-1].filename) if frames else None,
    }


SUBMISSION_DIR = "/submission"  # where the jail mounts the submission; main() may say otherwise


def _is_student_file(filename):
    return filename.startswith(SUBMISSION_DIR) or filename.startswith("<cell")


# -------------------------------------------------------------------- loading

def load_submission(directory, entry):
    """Import value.py, or run a notebook's code cells in order as nbgrader does."""
    sys.path.insert(0, directory)
    if entry.endswith(".ipynb"):
        return load_notebook(os.path.join(directory, entry))
    import importlib

    try:
        return importlib.import_module(entry[: -len(".py")]), []
    except BaseException as exc:
        return None, [describe(exc)]


def load_notebook(path):
    import types

    module = types.ModuleType("micrograd")
    module.__file__ = path
    sys.modules["micrograd"] = module
    try:
        with open(path, encoding="utf-8") as f:
            cells = json.load(f)["cells"]
        assert isinstance(cells, list)
    except Exception:
        return None, [describe(ValueError(f"{os.path.basename(path)} is not a readable notebook (.ipynb JSON)"))]
    errors = []
    for number_, cell in enumerate(cells, 1):
        try:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            exec(compile(strip_magics(source), f"<cell {number_}>", "exec"), module.__dict__)
        except BaseException as exc:  # one broken cell must not stop the others
            errors.append(dict(describe(exc), cell=number_))
    return module, errors[:100]


def strip_magics(source):
    """IPython magics and shell escapes are skipped, keeping line numbers."""
    if source.lstrip().startswith("%%"):
        return ""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        lines.append(indent + "pass" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


# ----------------------------------------------------------------------- main

def limit_resources(limits):
    """Hard limits the submission can never raise again."""
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def main():
    global SUBMISSION_DIR
    directory, entry, limits = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    SUBMISSION_DIR = directory
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)  # the submission's prints go to the output pipe, never to answers
    limit_resources(limits)

    def answer(message):
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    module, errors = load_submission(directory, entry)
    defined = {name: module is not None and hasattr(module, name) for name in REQUIRED_NAMES}
    answer({"id": 0, "loaded": module is not None, "defined": defined, "errors": errors})
    for line in requests:
        request = json.loads(line)
        results = [run_case(module, case) for case in request["cases"]]
        answer({"id": request["id"], "results": results})


if __name__ == "__main__":
    try:
        main()
    except BaseException:  # the grader has gone or killed us: leave quietly, no traceback
        os._exit(1)
