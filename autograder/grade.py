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
import time
from pathlib import Path

import pytest

from autograder import results
from autograder.plugin import GradingPlugin
from autograder.sandbox import jail
from autograder.submission import Submission, SubmissionError

CHECKS = Path(__file__).with_name("checks")
REFERENCE = jail.KIT_ROOT / "solutions" / "micrograd" / "value.py"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def parser():
    p = argparse.ArgumentParser(prog="python -m autograder grade", description=__doc__.splitlines()[0])
    p.add_argument("path", help="a submission directory, or its value.py / .ipynb")
    p.add_argument("--out", required=True, help="where to write results.json")
    p.add_argument("--public", action="store_true", help="only the checks that need no reference solution")
    p.add_argument(
        "--allow-weak-isolation", action="store_true",
        help="run hidden checks even where bubblewrap cannot (a plain child process with resource limits)",
    )
    p.add_argument("--hidden-visibility", choices=VISIBILITIES, default="visible",
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


def grade(path, *, public=False, isolation=jail.FULL, reference=REFERENCE, hidden_visibility="visible",
          limits=jail.Limits()):
    """Grade one submission; returns the results.json dict."""
    started = time.monotonic()
    try:
        submission, problem = Submission.find(path), None
        digest = submission.digest()
    except (SubmissionError, OSError) as exc:
        submission, problem, digest = None, f"nothing to grade: {exc}", None
    if not public and not Path(reference).is_file():
        raise SystemExit(f"error: the reference solution {reference} is missing; is this a full kit?")
    plugin = GradingPlugin(submission, problem, isolation, limits, None if public else reference, public)
    args = [str(CHECKS), "-c", str(CHECKS / "pytest.ini"), "--rootdir", str(CHECKS), "-q", "-s",
            "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly"]
    with contextlib.redirect_stdout(io.StringIO()) as pytest_output:
        status = pytest.main(args, plugins=[plugin])
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or plugin.internal_errors:
        sys.stderr.write(pytest_output.getvalue()[-5000:])
        raise SystemExit(f"error: the checks could not run (pytest exit status {int(status)})")
    ledger = plugin.ledger
    process = ledger.process if ledger else None
    return results.build(
        plugin.outcomes,
        isolation=isolation,
        public=public,
        hidden_visibility=hidden_visibility,
        seconds=time.monotonic() - started,
        load_report=process.load_report if process else None,
        printed=process.printed() if process else "",
        digest=digest,
    )


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
