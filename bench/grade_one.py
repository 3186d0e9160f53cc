"""Time `python -m autograder grade` on one correct and one hostile submission.

Prints figures; asserts nothing. The hostile submissions hang: once at import,
and once in every exercise (the release with each stub an infinite loop), the
worst case for the deadlines.

    python bench/grade_one.py [--repeat 3]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = 'raise NotImplementedError("not implemented yet")'


def seconds_to_grade(path, out):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(path), "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        at_import, everywhere = Path(tmp) / "at_import", Path(tmp) / "everywhere"
        at_import.mkdir()
        everywhere.mkdir()
        (at_import / "value.py").write_text("while True:\n    pass\n")
        release = (ROOT / "assignments" / "micrograd" / "value.py").read_text()
        (everywhere / "value.py").write_text(release.replace(STUB, "while True: pass"))
        for name, path in [("correct (solutions/micrograd)", ROOT / "solutions" / "micrograd"),
                           ("hostile (hangs at import)", at_import),
                           ("hostile (hangs in every exercise)", everywhere)]:
            times = [seconds_to_grade(path, Path(tmp) / "results.json") for _ in range(args.repeat)]
            print(f"{name:34} median {statistics.median(times):6.2f} s  "
                  f"(min {min(times):.2f}, max {max(times):.2f}, {args.repeat} runs, one process each)")


if __name__ == "__main__":
    main()
