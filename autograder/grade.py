"""`python -m autograder grade PATH --out FILE`: grade one submission.

Runs the hidden checks (autograder/checks) in the grader's own pytest session
against the jailed submission, and writes Gradescope's results.json.
Exit status 0 whenever a grade was written; 2 when the grader itself cannot run.
"""
import argparse
import contextlib
import io
import os
import sys
from pathlib import Path

import pytest

from autograder import results
from autograder.plugin import GradingPlugin, Job
from autograder.sandbox import jail
from autograder.submission import Submission, SubmissionError

CHECKS = Path(__file__).with_name("checks")
REFERENCE = jail.KIT_ROOT / "solutions" / "micrograd" / "value.py"


def parser():
    p = argparse.ArgumentParser(prog="python -m autograder grade", description=__doc__.splitlines()[0])
    p.add_argument("path", help="a submission directory, or its value.py / .ipynb")
    p.add_argument("--out", required=True, help="where to write results.json")
    p.add_argument("--public", action="store_true", help="only the checks that need no reference solution")
    p.add_argument(
        "--allow-weak-isolation", action="store_true",
        help="run hidden checks even where bubblewrap cannot (a plain child process with resource limits)",
    )
    p.add_argument("--hidden-visibility", choices=results.VISIBILITIES, default="visible",
                   help="Gradescope visibility of the hidden checks (public checks are always visible)")
    p.add_argument("--reference", type=Path, default=REFERENCE, help=argparse.SUPPRESS)
    return p


def isolation_for(public, allow_weak):
    """The isolation to grade with, or SystemExit when hidden checks would be unsafe."""
    reason = jail.probe()
    if reason is None:
        return jail.FULL
    if public or allow_weak:
        print(f"warning: {reason}; grading with {jail.WEAK}", file=sys.stderr)
        return jail.WEAK
    sys.exit(f"error: {reason}, so student code cannot be jailed. Refusing to run hidden checks; "
             "pass --allow-weak-isolation to grade anyway with weak isolation.")


def job_for(key, path):
    """A Job for the submission at path, or one that says why there is none."""
    try:
        submission = Submission.find(path)
        submission.files()
        return Job(key, submission)
    except (SubmissionError, OSError) as exc:
        return Job(key, None, f"nothing to grade: {exc}")


def grade_many(jobs, on_results, *, public=False, isolation=jail.FULL, reference=REFERENCE,
               hidden_visibility="visible", limits=jail.Limits()):
    """Grade submissions one after another in a single pytest session.

    on_results(job, results) is called with each results.json dict as soon as
    it is ready; `jobs` may be any iterable, even one fed by another process.
    """
    if not public and not Path(reference).is_file():
        raise SystemExit(f"error: the reference solution {reference} is missing; is this a full kit?")

    def on_graded(graded):
        submission = graded.job.submission
        on_results(graded.job, results.build(
            graded.outcomes,
            isolation=isolation,
            public=public,
            hidden_visibility=hidden_visibility,
            seconds=graded.seconds,
            load_report=graded.load_report,
            printed=graded.printed,
            digest=submission.digest() if submission else None,
            problem=graded.job.problem,
        ))

    plugin = GradingPlugin(jobs, on_graded, isolation=isolation, limits=limits,
                           reference=None if public else reference, public=public)
    args = [str(CHECKS), "-c", str(CHECKS / "pytest.ini"), "--rootdir", str(CHECKS), "-q", "-s",
            "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly", "--tb=no", "-W", "ignore::DeprecationWarning"]
    with contextlib.redirect_stdout(io.StringIO()) as pytest_output:
        status = pytest.main(args, plugins=[plugin])
    if status == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or plugin.internal_errors:
        sys.stderr.write(pytest_output.getvalue()[-5000:])
        raise SystemExit(f"error: the checks could not run (pytest exit status {int(status)})")


def grade(path, **options):
    """Grade one submission; returns its results.json dict."""
    graded = []
    grade_many([job_for(str(path), path)], lambda job, result: graded.append(result), **options)
    return graded[0]


def main(argv):
    args = parser().parse_args(argv)
    isolation = isolation_for(args.public, args.allow_weak_isolation)
    graded = grade(args.path, public=args.public, isolation=isolation, reference=args.reference,
                   hidden_visibility=args.hidden_visibility)
    results.write_json(args.out, graded)
    most = sum(t["max_score"] for t in graded["tests"])
    print(f"{os.path.basename(os.path.abspath(args.path))}: {graded['score']:g} / {most:g} "
          f"(isolation: {isolation}) -> {args.out}")
    return 0
