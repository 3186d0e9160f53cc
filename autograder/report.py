"""The class report: score histogram, pass rate per exercise, the most common mistakes."""
import base64
import collections
import html
import io

from autograder import results as results_mod
from autograder.feedback import page
from autograder.mistakes import EXPLANATIONS

TOP_MISTAKES = 3


def _status(data):
    return (data.get("extra_data") or {}).get("status", "graded")


def summarise(all_results):
    """Figures for the report: totals, pass rates and mistake counts per exercise."""
    graded = {s: d for s, d in all_results.items() if _status(d) == "graded"}
    statuses = collections.Counter(_status(d) for d in all_results.values())
    percents, passed, mistakes = [], collections.Counter(), collections.defaultdict(collections.Counter)
    for data in graded.values():
        tests = data.get("tests", [])
        most = sum(t["max_score"] for t in tests)
        percents.append(100 * data.get("score", 0) / most if most else 0)
        for exercise, (score, top) in results_mod.per_exercise(tests).items():
            if top and score >= top:
                passed[exercise] += 1
        seen = set()
        for t in tests:
            mistake = (t.get("extra_data") or {}).get("mistake")
            if t["score"] < t["max_score"] and mistake:
                seen.add((t["tags"][0], mistake))
        for exercise, mistake in seen:
            mistakes[exercise][mistake] += 1
    rates = {e: passed[e] / len(graded) if graded else 0 for e in results_mod.EXERCISES}
    return {"students": len(all_results), "statuses": statuses, "graded": len(graded),
            "percents": percents, "pass_rates": rates, "mistakes": mistakes}


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def _plots(summary):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(summary["percents"], bins=[i * 10 for i in range(11)], color="#4c72b0", edgecolor="white")
    ax.set_xlabel("score (% of the maximum)")
    ax.set_ylabel("students")
    ax.set_title("Scores of graded students")
    histogram = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3))
    names = list(summary["pass_rates"])
    ax.barh(names[::-1], [100 * summary["pass_rates"][n] for n in names[::-1]], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full points (%)")
    ax.set_title("Pass rate per exercise")
    rates = _png(fig)
    plt.close(fig)
    return histogram, rates


def html_report(all_results):
    e = html.escape
    summary = summarise(all_results)
    body = ["<h1>micrograd: class report</h1>",
            f"<p>{summary['students']} students: "
            + ", ".join(f"{n} {e(s)}" for s, n in sorted(summary["statuses"].items())) + "</p>"]
    if summary["graded"]:
        percents = sorted(summary["percents"])
        median = percents[len(percents) // 2]
        body.append(f"<p>Median score of graded students: {median:.0f}%.</p>")
    histogram, rates = _plots(summary)
    body.append(f'<img alt="score histogram" src="data:image/png;base64,{histogram}">')
    body.append(f'<img alt="pass rate per exercise" src="data:image/png;base64,{rates}">')
    body.append("<h2>Pass rate and most common mistakes per exercise</h2>")
    body.append("<table><tr><th>exercise</th><th>full points</th><th>most common mistakes</th></tr>")
    for exercise, rate in summary["pass_rates"].items():
        common = summary["mistakes"].get(exercise, collections.Counter()).most_common(TOP_MISTAKES)
        cell = "<br>".join(f"{e(exercise)}: {n} student{'s' if n != 1 else ''} — "
                           f"{e(EXPLANATIONS.get(m, m))}" for m, n in common) or "—"
        body.append(f"<tr><td>{e(exercise)}</td><td>{100 * rate:.0f}%</td><td>{cell}</td></tr>")
    body.append("</table>")
    return page("micrograd: class report", "\n".join(body))
