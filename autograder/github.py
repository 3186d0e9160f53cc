"""`python -m autograder.github results.json`: a results.json in GitHub's reporting formats.

    python -m autograder.github results.json [--submission DIR] [--comment FILE]
                                             [--policy fail-on-failure|never-fail]

- a Markdown table (exercise, points, first failing case) into $GITHUB_STEP_SUMMARY;
- one `::error file=value.py,line=N,...::` annotation per failing exercise, on
  the line of its `def` in the student's value.py (line 1 when not found);
- the pull-request comment body (with a hidden marker) into --comment FILE;
- `score`, `max_score` and `failed` into $GITHUB_OUTPUT;
- exit status per policy (--policy, else $FEEDBACK_POLICY, else fail-on-failure):
  fail-on-failure exits 1 when a check failed or there is no grade; never-fail exits 0.

Everything the student controls (check outputs quote their numbers, and what
their code printed) is escaped, so no line this prints starts a workflow command
the reporter did not mean to write.
"""
import argparse
import ast
import html
import json
import os
import sys
from pathlib import Path

from autograder.results import PRINTED_LIMIT, per_exercise

MARKER = "<!-- micrograd-feedback -->"
POLICIES = ("fail-on-failure", "never-fail")
DEFAULT_POLICY = "fail-on-failure"
WEAK_NOTE = ("Grading ran with **weak isolation** (bubblewrap could not run on this runner): "
             "your code ran as a plain child process with resource limits.")
PUBLIC_NOTE = "These are the public checks only: the official grade also includes hidden checks."
CELL_LIMIT = 400


# ------------------------------------------------------------ escaping


def escape_data(text):
    """A workflow command's message (after `::`), per GitHub's rules."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text):
    """A workflow command's property value (file=, title=, ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(kind, message, **properties):
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def plain(text):
    """A line of plain output that can never be read as a workflow command."""
    text = escape_data(text)
    return " " + text if text.lstrip().startswith("::") else text


def cell(text, limit=CELL_LIMIT):
    """Text safe inside a Markdown table cell."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit] + " [...]"
    text = html.escape(text, quote=False).replace("|", "\\|").replace(MARKER, "")
    return "<br>".join(line.strip() for line in text.splitlines()) or " "


# ------------------------------------------------------------ results


def failed(test):
    return test["score"] < test["max_score"] or (test["max_score"] == 0 and test["output"] != "passed")


def first_failures(tests):
    """{exercise: its first failing test}, in the order of the checks."""
    firsts = {}
    for t in tests:
        if failed(t):
            firsts.setdefault(t["tags"][0], t)
    return firsts


def definition_lines(path):
    """{name: line} of module-level functions and methods of class Value in a value.py."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return {}
    lines = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.setdefault(node.name, node.lineno)
        elif isinstance(node, ast.ClassDef) and node.name == "Value":
            lines.setdefault("core", node.lineno)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines[item.name] = item.lineno
    return lines


def submission_file(directory):
    """The file annotations point at, relative to the repository root."""
    directory = Path(directory)
    if (directory / "value.py").is_file() or not (directory / "micrograd.ipynb").is_file():
        return directory / "value.py"
    return directory / "micrograd.ipynb"


def relative(path):
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def markdown(results, run_url=None):
    """The summary / comment body for a results.json dict (None: no grade)."""
    lines = ["## micrograd: feedback from the public checks", ""]
    if results is None:
        lines += ["The grader could not run, so there is no feedback for this commit. "
                  "Look at the log of the step *Grade with the public checks*."]
        return "\n".join(lines) + "\n"
    tests = results.get("tests", [])
    most = sum(t["max_score"] for t in tests)
    extra = results.get("extra_data", {})
    lines += [f"**Score: {results.get('score', 0):g} / {most:g}**", ""]
    if extra.get("public_only", True):
        lines += [PUBLIC_NOTE, ""]
    isolation = str(extra.get("isolation", "unknown"))
    if isolation.startswith("weak"):
        lines += [WEAK_NOTE, ""]
    else:
        lines += [f"Isolation: {cell(isolation)}.", ""]
    firsts = first_failures(tests)
    lines += ["| exercise | points | first failing case |", "|---|---|---|"]
    for exercise, (score, total) in per_exercise(tests).items():
        t = firsts.get(exercise)
        case = "passed" if t is None else f"**{cell(t['name'])}**: {cell(t['output'])}"
        lines.append(f"| `{exercise}` | {score:g} / {total:g} | {case} |")
    output = str(results.get("output", ""))
    printed = output.split("Your code printed:\n", 1)
    problems = [l for l in printed[0].splitlines() if l.startswith(("Notebook cell", "Nothing to grade"))]
    if not tests and output:
        problems.append(printed[0].strip())
    if problems:
        lines += [""] + [f"> {cell(p)}" for p in problems]
    if len(printed) == 2:
        text = printed[1][:PRINTED_LIMIT]
        lines += ["", "<details><summary>Your code printed</summary>", "",
                  "<pre>" + html.escape(text).replace(MARKER, "") + "</pre>", "", "</details>"]
    if run_url:
        lines += ["", f"[Full log of this run]({run_url})"]
    return "\n".join(lines) + "\n"


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) and isinstance(data.get("tests"), list) else None
    except (OSError, ValueError):
        return None


def _append(env_name, text):
    target = os.environ.get(env_name)
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(text)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m autograder.github", description=__doc__.splitlines()[0])
    p.add_argument("results", help="the results.json written by `python -m autograder grade`")
    p.add_argument("--submission", default=".", help="the graded folder (default: the current one)")
    p.add_argument("--comment", type=Path, help="write the pull-request comment body here")
    p.add_argument("--policy", choices=POLICIES, help="exit status (default: $FEEDBACK_POLICY, else %s)"
                   % DEFAULT_POLICY)
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    policy = args.policy or os.environ.get("FEEDBACK_POLICY") or DEFAULT_POLICY
    if policy not in POLICIES:
        print(f"error: FEEDBACK_POLICY must be one of {', '.join(POLICIES)}, not {policy!r}", file=sys.stderr)
        return 2

    results = load(args.results)
    run_url = None
    if all(os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")):
        run_url = "{}/{}/actions/runs/{}".format(*(os.environ[k] for k in
                                                   ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")))
    body = markdown(results, run_url)
    _append("GITHUB_STEP_SUMMARY", body)
    if args.comment:
        args.comment.parent.mkdir(parents=True, exist_ok=True)
        args.comment.write_text(MARKER + "\n" + body, encoding="utf-8")

    if results is None:
        print(annotation("error", f"no grade: {args.results} is missing or unreadable; the grader could not run",
                         title="micrograd feedback"))
        _append("GITHUB_OUTPUT", "score=0\nmax_score=0\nfailed=-1\n")
        return 1 if policy == "fail-on-failure" else 0

    tests = results["tests"]
    most = sum(t["max_score"] for t in tests)
    firsts = first_failures(tests)
    target = submission_file(args.submission)
    lines = definition_lines(target) if target.suffix == ".py" else {}
    for exercise in per_exercise(tests):
        if exercise not in firsts:
            continue
        t = firsts[exercise]
        print(annotation("error", t["output"], file=relative(target),
                         line=lines.get(exercise, 1) if target.suffix == ".py" else None,
                         title=t["name"]))
    if not tests:
        print(annotation("error", results.get("output", "no checks ran"), title="micrograd feedback"))
    n_failed = sum(1 for t in tests if failed(t))
    print(plain(f"micrograd public checks: {results.get('score', 0):g} / {most:g}, "
                f"{n_failed} failing check(s) (policy: {policy})"))
    _append("GITHUB_OUTPUT", f"score={results.get('score', 0):g}\nmax_score={most:g}\nfailed={n_failed}\n")
    if policy == "fail-on-failure" and (n_failed or not tests):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
