"""Benchmark `python -m autograder grade-all` on a synthetic class, against nbgrader's autograde.

    python bench/grade_class.py --students 200 [--workers N] [--skip-nbgrader] [--keep DIR]

Builds N students in a temporary folder (nbgrader layout): mostly copies of the
reference, about 20% with the typical bugs of examples/submitted, one in five a
notebook, and one hostile student whose sin() never returns. Prints figures;
asserts nothing.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "submitted"
REFERENCE = ROOT / "solutions" / "micrograd" / "value.py"
NOTEBOOK = ROOT / "solutions" / "micrograd" / "micrograd.ipynb"
BUGGY = ("carol", "dave", "erin", "frank")


def build_class(folder, n):
    """[(student, is_notebook)] written under folder/<student>/micrograd/."""
    made = []
    for i in range(n):
        student = f"s{i:04d}"
        target = folder / student / "micrograd"
        target.mkdir(parents=True)
        if i == n // 2:  # the hostile one
            source = REFERENCE.read_text().replace(
                '        """EXERCISE sin: sin x; derivative cos x."""\n',
                '        """EXERCISE sin: sin x; derivative cos x."""\n        while True:\n            pass\n', 1)
            (target / "value.py").write_text(source)
            made.append((student, False))
        elif i % 5 == 4:
            shutil.copy(NOTEBOOK, target / "micrograd.ipynb")
            made.append((student, True))
        elif i % 5 == 1:
            shutil.copy(SAMPLE / BUGGY[(i // 5) % len(BUGGY)] / "micrograd" / "value.py", target / "value.py")
            made.append((student, False))
        else:
            shutil.copy(REFERENCE, target / "value.py")
            made.append((student, False))
    return made


def descendants(pid):
    children, found = {}, []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                pass
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def sample_rss(pid, peaks, stop):
    """Peak resident memory (VmHWM, MiB) of every grading worker, sampled until stop is set."""
    while not stop.is_set():
        for child in descendants(pid):
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                if b"multiprocessing" not in cmdline:
                    continue  # jailed student processes, bwrap
                for line in Path(f"/proc/{child}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[child] = max(peaks.get(child, 0), int(line.split()[1]) / 1024)
            except OSError:
                pass
        stop.wait(0.2)


def bench_grade_all(folder, out, workers):
    cmd = [sys.executable, "-m", "autograder", "grade-all", str(folder), "--out", str(out), "--force"]
    if workers:
        cmd += ["--workers", str(workers)]
    peaks, stop = {}, threading.Event()
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=sample_rss, args=(proc.pid, peaks, stop), daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.monotonic() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        print(err[-3000:], file=sys.stderr)
    times = []
    for path in out.glob("*/results.json"):
        data = json.loads(path.read_text())
        if "execution_time" in data:
            times.append(data["execution_time"])
    return wall, times, peaks


def bench_nbgrader(workdir, notebooks):
    """Per-notebook seconds of nbgrader's own autograde (NbGraderAPI) on the same notebooks."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    course = workdir / "course"
    (course / "source" / "micrograd").mkdir(parents=True)
    shutil.copy(NOTEBOOK, course / "source" / "micrograd" / "micrograd.ipynb")
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = "bench"
    config.Exchange.root = str(workdir / "exchange")
    cwd = os.getcwd()
    os.chdir(course)
    try:
        api = NbGraderAPI(config=config)
        made = api.generate_assignment("micrograd")
        if not made.get("success"):
            raise RuntimeError(made.get("error") or made.get("log"))
        for student, path in notebooks:
            target = course / "submitted" / student / "micrograd"
            target.mkdir(parents=True)
            shutil.copy(path, target / "micrograd.ipynb")
        seconds = []
        for student, _ in notebooks:
            started = time.monotonic()
            result = api.autograde("micrograd", student)
            seconds.append(time.monotonic() - started)
            if not result.get("success"):
                print(f"nbgrader autograde {student} failed: {(result.get('error') or '')[-500:]}", file=sys.stderr)
        return seconds
    finally:
        os.chdir(cwd)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=40)
    p.add_argument("--workers", type=int, default=0, help="grade-all --workers (default: its own default)")
    p.add_argument("--skip-nbgrader", action="store_true")
    p.add_argument("--keep", type=Path, help="build the class and results here, and keep them")
    args = p.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-grade-class-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        made = build_class(workdir / "submitted", args.students)
        wall, times, peaks = bench_grade_all(workdir / "submitted", workdir / "graded", args.workers)
        n = len(made)
        print(f"grade-all: {n} students in {wall:.1f} s wall ({os.cpu_count()} CPUs, "
              f"workers {args.workers or os.cpu_count()})")
        if times:
            print(f"  seconds per submission (median execution_time): {statistics.median(times):.2f}")
            print(f"  seconds per submission (wall / N):              {wall / n:.2f}")
        print(f"  submissions per minute:                         {60 * n / wall:.1f}")
        if peaks:
            values = sorted(peaks.values())
            print(f"  peak RSS per worker process (VmHWM): max {values[-1]:.0f} MiB, "
                  f"median {statistics.median(values):.0f} MiB over {len(values)} processes")
        if not args.skip_nbgrader:
            notebooks = [(s, workdir / "submitted" / s / "micrograd" / "micrograd.ipynb") for s, nb in made if nb]
            if notebooks:
                ours = [json.loads((workdir / "graded" / s / "results.json").read_text()).get("execution_time", 0)
                        for s, _ in notebooks]
                theirs = bench_nbgrader(workdir / "nbgrader", notebooks)
                print(f"nbgrader autograde: {len(theirs)} notebooks, median {statistics.median(theirs):.2f} s "
                      f"per notebook (kit: median {statistics.median(ours):.2f} s per notebook)")
                print(f"  ratio nbgrader / kit per notebook: {statistics.median(theirs) / statistics.median(ours):.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
