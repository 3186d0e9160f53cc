"""Outcomes of the checks -> Gradescope's results.json."""
import json

from autograder import __version__
from autograder.files import write_atomically

EXERCISES = ("relu", "sigmoid", "log", "sin", "cos", "sqrt", "cross_entropy", "numerical_grad", "gradcheck")
PRINTED_LIMIT = 2000
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's


def build(outcomes, *, isolation, public, hidden_visibility, seconds, load_report=None, printed="", digest=None,
          problem=None):
    tests = [
        {
            "name": o.title,
            "score": o.points if o.passed else 0,
            "max_score": o.points,
            "output": "passed" if o.passed else o.message,
            "visibility": "visible" if o.public else hidden_visibility,
            "tags": [o.exercise],
            "extra_data": {"check": o.check, "mistake": o.mistake},
        }
        for o in outcomes
    ]
    return {
        "score": sum(t["score"] for t in tests),
        "execution_time": round(seconds, 2),
        "output": summary(tests, isolation, public, load_report, printed, problem),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            "isolation": isolation,
            "public_only": public,
            "grader_version": __version__,
            "submission_sha256": digest,
        },
        "tests": tests,
    }


def per_exercise(tests):
    """{exercise: (score, max_score)} in the contract's order, core last."""
    totals = {}
    for t in tests:
        score, most = totals.get(t["tags"][0], (0, 0))
        totals[t["tags"][0]] = (score + t["score"], most + t["max_score"])
    order = [e for e in EXERCISES if e in totals] + sorted(set(totals) - set(EXERCISES))
    return {e: totals[e] for e in order}


def summary(tests, isolation, public, load_report, printed, problem=None):
    lines = [problem.capitalize()] if problem else []
    lines += [f"Score: {sum(t['score'] for t in tests):g} / {sum(t['max_score'] for t in tests):g}"]
    for exercise, (score, most) in per_exercise(tests).items():
        if most:
            lines.append(f"  {exercise:<15} {score:g} / {most:g}")
    if public:
        lines.append("These are the public checks only: the official grade also includes hidden checks.")
    lines.append(f"Isolation: {isolation}")
    for error in (load_report or {}).get("errors", []):
        if "cell" in error:
            lines.append(one_line(f"Notebook cell {error['cell']} raised {error['type']}: {error['message']}"))
    if printed:
        # Each printed line is marked, so that none can pass for a line of the grader's.
        text = printed[:PRINTED_LIMIT] + ("\n[... cut]" if len(printed) > PRINTED_LIMIT else "")
        lines.append("Your code printed:\n" + "\n".join(f"| {line}" for line in text.splitlines()))
    return "\n".join(lines)


def one_line(text):
    """Student text inside a line of the grader's: it may not start lines of its own."""
    return " ".join(text.split())


def write_json(path, data):
    write_atomically(path, json.dumps(data, indent=2) + "\n")
