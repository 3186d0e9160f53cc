"""What a student sees: their results.json as Markdown and as HTML.

Only what results.json already says to the student goes in: points per
exercise, and for each failed check its `output` sentence (the smallest
failing input, expected against got, the likely mistake). Never the hidden
checks' code, never a grader traceback. Everything from results is escaped.
"""
import html

from autograder import results as results_mod

SHOWN = ("visible", "after_due_date", "after_published")


def _points(x):
    return f"{x:g}"


def _failed(data):
    """[(exercise, output, [tests])]: the failed checks the student may see, in the
    contract's order, those of one exercise with the same output said once."""
    groups = {}
    for test in data.get("tests", []):
        if test.get("visibility", "visible") in SHOWN and test["score"] < test["max_score"]:
            groups.setdefault((test["tags"][0], test.get("output", "")), []).append(test)
    order = {e: i for i, e in enumerate(results_mod.EXERCISES)}
    return [(e, out, tests) for (e, out), tests in sorted(groups.items(), key=lambda kv: order.get(kv[0][0], 99))]


def _everything_failed_alike(failed):
    """The one output when every failed check says the same (nothing to grade, a load error)."""
    outputs = {out for _, out, _ in failed}
    return outputs.pop() if len(outputs) == 1 and len(failed) > 1 else None


def _notes(data):
    """The top-level output minus its score lines (rendered as a table instead)."""
    lines = (data.get("output") or "").splitlines()
    return "\n".join(l for l in lines if not (l.startswith("Score:") or l.startswith("  "))).strip()


def _status(data):
    return (data.get("extra_data") or {}).get("status", "graded")


def totals(data):
    tests = data.get("tests", [])
    return data.get("score", 0), sum(t["max_score"] for t in tests)


def markdown(student, data):
    score, most = totals(data)
    out = [f"# Feedback for {student}: micrograd", "", f"**Score: {_points(score)} / {_points(most)}**", ""]
    if _status(data) != "graded":
        out += [f"Status: {_status(data)}", ""]
    per = {e: v for e, v in results_mod.per_exercise(data.get("tests", [])).items() if v[1]}
    if per:
        out += ["| exercise | points |", "|---|---|"]
        out += [f"| {e} | {_points(s)} / {_points(m)} |" for e, (s, m) in per.items()]
        out.append("")
    failed = _failed(data)
    common = _everything_failed_alike(failed)
    if common is not None:
        out += ["## What to fix", "", "Every check failed with:", "", "```text", _fence_safe(common), "```", ""]
    elif failed:
        out += ["## What to fix", ""]
        current = None
        for exercise, output, tests in failed:
            if exercise != current:
                out += [f"### {exercise}", ""]
                current = exercise
            out += [f"- **{_md_text(t['name'])}** ({_points(t['score'])} / {_points(t['max_score'])})" for t in tests]
            out += ["", "  ```text"] + ["  " + l for l in _fence_safe(output).splitlines()] + ["  ```", ""]
    elif per:
        out += ["Every check passed.", ""]
    notes = _notes(data)
    if notes:
        out += ["## Notes from the grader", "", "```text", _fence_safe(notes), "```", ""]
    return "\n".join(out)


def _md_text(text):
    return text.replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace("`", "'")


def _fence_safe(text):
    return text.replace("```", "'''")


def page(title, body):
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}"
        "pre{background:#f5f5f5;padding:.6rem;overflow-x:auto;white-space:pre-wrap}"
        ".full{color:#17633a}.part{color:#a4400a}"
        "</style></head><body>\n" + body + "\n</body></html>\n"
    )


def html_page(student, data):
    e = html.escape
    score, most = totals(data)
    body = [f"<h1>Feedback for {e(student)}: micrograd</h1>",
            f"<p><strong>Score: {e(_points(score))} / {e(_points(most))}</strong></p>"]
    if _status(data) != "graded":
        body.append(f"<p>Status: {e(_status(data))}</p>")
    per = {x: v for x, v in results_mod.per_exercise(data.get("tests", [])).items() if v[1]}
    if per:
        body.append("<table><tr><th>exercise</th><th>points</th></tr>")
        for x, (s, m) in per.items():
            cls = "full" if s >= m else "part"
            body.append(f"<tr><td>{e(x)}</td><td class=\"{cls}\">{e(_points(s))} / {e(_points(m))}</td></tr>")
        body.append("</table>")
    failed = _failed(data)
    common = _everything_failed_alike(failed)
    if common is not None:
        body.append(f"<h2>What to fix</h2><p>Every check failed with:</p><pre>{e(common)}</pre>")
    elif failed:
        body.append("<h2>What to fix</h2>")
        current = None
        for exercise, output, tests in failed:
            if exercise != current:
                body.append(f"<h3>{e(exercise)}</h3>")
                current = exercise
            body.append("<ul>" + "".join(
                f"<li><strong>{e(t['name'])}</strong> ({e(_points(t['score']))} / {e(_points(t['max_score']))})</li>"
                for t in tests) + "</ul>")
            body.append(f"<pre>{e(output)}</pre>")
    elif per:
        body.append("<p>Every check passed.</p>")
    notes = _notes(data)
    if notes:
        body.append(f"<h2>Notes from the grader</h2><pre>{e(notes)}</pre>")
    return page(f"Feedback for {student}", "\n".join(body))
