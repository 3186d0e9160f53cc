"""`python -m autograder grade-all SUBMISSIONS --out OUT`: grade a whole class.

Finds every student (nbgrader's SUBMISSIONS/<student>/micrograd/ or a flat
SUBMISSIONS/<student>/), grades them in worker processes that each keep one
pytest session, and writes OUT/<student>/{results.json,feedback.md,feedback.html},
then OUT/grades.csv and OUT/report.html from every results.json in OUT.
Restartable: students whose submission and grader are unchanged are skipped.
"""
import argparse
import csv
import io
import json
import multiprocessing
import os
import queue
import signal
import sys
import time
from pathlib import Path

from autograder import __version__, feedback, results
from autograder.files import write_atomically
from autograder.submission import Submission, SubmissionError

GRADED, NO_SUBMISSION, ERROR = "graded", "no submission", "grading error"
CSV_COLUMNS = (["student_id", "score", "max_score"] + list(results.EXERCISES)
               + ["status", "isolation", "grader_version", "submission_sha256"])
PREFETCH = 2  # jobs handed to a worker ahead of time, so it never waits on the parent


def parser():
    p = argparse.ArgumentParser(prog="python -m autograder grade-all", description=__doc__.splitlines()[0])
    p.add_argument("submissions", type=Path, help="a folder of student folders")
    p.add_argument("--out", type=Path, required=True, help="where to write the results")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="grading processes (default: CPUs)")
    p.add_argument("--force", action="store_true", help="regrade students whose results are up to date")
    p.add_argument("--shard", type=shard_arg, default=(1, 1), metavar="I/N",
                   help="grade only the I-th of N deterministic slices of the class (by sorted student id)")
    p.add_argument("--public", action="store_true", help="only the checks that need no reference solution")
    p.add_argument("--allow-weak-isolation", action="store_true",
                   help="run hidden checks even where bubblewrap cannot")
    p.add_argument("--student-timeout", type=float, default=600, help=argparse.SUPPRESS)
    return p


def shard_arg(text):
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected I/N, got {text!r}")
    if not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"need 1 <= I <= N, got {text!r}")
    return i, n


# ----------------------------------------------------------------- discovery

def discover(submissions):
    """[(student_id, folder)] sorted by id; folder is the submission's directory."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise SystemExit(f"error: {submissions} is not a directory")
    students = []
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        nested = entry / "micrograd"
        students.append((entry.name, nested if nested.is_dir() else entry))
    return students


def shard(students, i, n):
    return [s for k, s in enumerate(students) if k % n == i - 1]


def digest_of(folder):
    try:
        return Submission.find(folder).digest()
    except (SubmissionError, OSError):
        return None


def up_to_date(out, student, digest):
    try:
        data = json.loads((out / student / "results.json").read_text())
        extra = data["extra_data"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (extra.get("status") != ERROR and extra.get("submission_sha256") == digest
            and extra.get("grader_version") == __version__)


# ----------------------------------------------------------------- writing

def write_student(out, student, data):
    """feedback first, results.json last: a results.json on disk means the student is done."""
    folder = Path(out) / student
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "feedback.md", feedback.markdown(student, data))
    write_atomically(folder / "feedback.html", feedback.html_page(student, data))
    results.write_json(folder / "results.json", data)



def error_results(reason, digest, isolation):
    return {
        "score": 0,
        "output": f"The grader could not grade this submission ({reason}). Your instructor has been told; "
                  "this is not your grade.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"status": ERROR, "reason": reason, "isolation": isolation, "grader_version": __version__,
                       "submission_sha256": digest},
        "tests": [],
    }


def load_all(out):
    """{student: results dict} for every OUT/<student>/results.json."""
    found = {}
    for path in sorted(Path(out).glob("*/results.json")):
        try:
            found[path.parent.name] = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
    return found


def csv_rows(all_results):
    maxima = {}
    for data in all_results.values():
        for exercise, (_, most) in results.per_exercise(data.get("tests", [])).items():
            maxima[exercise] = max(maxima.get(exercise, 0), most)
    rows = []
    for student in sorted(all_results):
        data = all_results[student]
        extra = data.get("extra_data") or {}
        per = results.per_exercise(data.get("tests", []))
        row = {
            "student_id": student,
            "score": f"{data.get('score', 0):g}",
            "max_score": f"{sum(per.get(e, (0, maxima.get(e, 0)))[1] for e in results.EXERCISES):g}",
            "status": extra.get("status", GRADED),
            "isolation": extra.get("isolation") or "",
            "grader_version": extra.get("grader_version") or "",
            "submission_sha256": extra.get("submission_sha256") or "",
        }
        for exercise in results.EXERCISES:
            row[exercise] = f"{per.get(exercise, (0, 0))[0]:g}"
        rows.append(row)
    return rows


def write_class_outputs(out):
    """grades.csv and report.html, rebuilt from every results.json present in OUT."""
    from autograder import report

    out = Path(out)
    all_results = load_all(out)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(all_results))
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "grades.csv", buffer.getvalue())
    write_atomically(out / "report.html", report.html_report(all_results))
    return all_results


# ----------------------------------------------------------------- workers

def _worker(inbox, outbox, out, options):
    """One pytest session for every job the parent sends, until the sentinel None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    from autograder.grade import grade_many, job_for

    pid = os.getpid()

    def jobs():
        while True:
            task = inbox.get()
            if task is None:
                return
            student, folder, _digest = task
            outbox.put(("start", student, None, pid))
            yield job_for(student, folder)

    def on_results(job, data):
        data.setdefault("extra_data", {})["status"] = GRADED if job.submission is not None else NO_SUBMISSION
        write_student(out, job.key, data)
        outbox.put(("done", job.key, {"score": data["score"],
                                      "max": sum(t["max_score"] for t in data["tests"]),
                                      "seconds": data.get("execution_time", 0)}, pid))

    try:
        grade_many(jobs(), on_results, **options)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which restarts us
        outbox.put(("crash", None, f"{type(exc).__name__}: {exc}"[:500], pid))
        outbox.close()
        outbox.join_thread()
        os._exit(1)


class _Worker:
    def __init__(self, ctx, outbox, out, options):
        self.inbox = ctx.Queue()
        self.pending = []  # tasks sent, oldest first; pending[0] is in progress once started
        self.started = None  # (student, monotonic time) of the job in progress
        self.stopped = False
        self.process = ctx.Process(target=_worker, args=(self.inbox, outbox, str(out), options), daemon=True)
        self.process.start()

    def send(self, task):
        self.pending.append(task)
        self.inbox.put(task)

    def stop(self, kill=False):
        if kill:
            self.process.kill()
        elif not self.stopped:
            self.inbox.put(None)
        self.stopped = True


class Progress:
    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.tty = stream.isatty()
        self.began = time.monotonic()

    def eta(self):
        if not self.done:
            return "?"
        left = (time.monotonic() - self.began) / self.done * (self.total - self.done)
        return f"{int(left) // 60}m{int(left) % 60:02d}s"

    def update(self, student, text):
        self.done += 1
        width = len(str(self.total))
        if self.tty:
            filled = int(30 * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done:>{width}}/{self.total} "
                              f"ETA {self.eta():>7}  {student[:20]:<20} {text[:30]:<30}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done:>{width}}/{self.total}] {student}: {text} (ETA {self.eta()})\n")
        self.stream.flush()


def run(tasks, out, options, workers, student_timeout, isolation):
    """Grade tasks [(student, folder, digest)] on `workers` processes; returns how many failed."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["autograder.grade"])  # a restarted worker skips the imports
    outbox = ctx.Queue()
    todo = list(tasks)
    digests = {student: digest for student, _, digest in tasks}
    progress = Progress(len(todo))
    pool, errors = [], 0

    def fail(worker, student, reason):
        nonlocal errors
        errors += 1
        write_student(out, student, error_results(reason, digests.get(student), isolation))
        progress.update(student, f"grading error ({reason})")
        worker.pending = [t for t in worker.pending if t[0] != student]

    def replace(worker, reason):
        """The worker died or hung: its job in progress is a grading error, the rest go back."""
        if worker.process.is_alive():
            worker.stop(kill=True)
        worker.process.join(5)
        if worker.pending and worker.started and worker.started[0] == worker.pending[0][0]:
            fail(worker, worker.pending[0][0], reason)
        todo[:0] = worker.pending
        pool.remove(worker)
        if todo and len(pool) < workers:
            pool.append(_Worker(ctx, outbox, out, options))

    def feed():
        for worker in pool:
            while todo and len(worker.pending) < PREFETCH and not worker.stopped:
                worker.send(todo.pop(0))
            if not todo and not worker.pending:
                worker.stop()

    def handle(message):
        kind, student, payload, pid = message
        worker = next((w for w in pool if w.process.pid == pid), None)
        if worker is None:
            return
        if kind == "start":
            worker.started = (student, time.monotonic())
        elif kind == "done":
            worker.pending = [t for t in worker.pending if t[0] != student]
            worker.started = None
            progress.update(student, f"{payload['score']:g} / {payload['max']:g} ({payload['seconds']:g} s)")
        elif kind == "crash":
            worker.process.join(10)
            replace(worker, f"the grader failed: {payload}")

    def check_workers():
        while True:  # first take in everything already sent, so a finished job is not taken for a lost one
            try:
                handle(outbox.get_nowait())
            except queue.Empty:
                break
        now = time.monotonic()
        for worker in list(pool):
            if not worker.process.is_alive():
                code = worker.process.exitcode
                replace(worker, f"the grading process died (exit code {code})")
            elif worker.started and now - worker.started[1] > student_timeout:
                replace(worker, f"grading took longer than {student_timeout:g} s")

    for _ in range(max(1, min(workers, len(todo)))):
        pool.append(_Worker(ctx, outbox, out, options))
    checked = time.monotonic()
    try:
        while todo or any(w.pending for w in pool):
            if not pool:
                pool.append(_Worker(ctx, outbox, out, options))
            feed()
            try:
                handle(outbox.get(timeout=0.5))
            except queue.Empty:
                pass
            if time.monotonic() - checked > 0.5:
                check_workers()
                checked = time.monotonic()
        for worker in pool:
            worker.stop()
        for worker in pool:
            worker.process.join(30)
    finally:
        for worker in pool:
            if worker.process.is_alive():
                worker.stop(kill=True)
    return errors


def main(argv):
    args = parser().parse_args(argv)
    from autograder.grade import isolation_for

    students = discover(args.submissions)
    students = shard(students, *args.shard)
    if args.workers < 1:
        raise SystemExit("error: --workers must be at least 1")
    isolation = isolation_for(args.public, args.allow_weak_isolation)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    tasks, skipped = [], 0
    for student, folder in students:
        digest = digest_of(folder)
        if not args.force and up_to_date(out, student, digest):
            skipped += 1
            continue
        tasks.append((student, str(folder), digest))
    print(f"{len(students)} students in {args.submissions}"
          + (f" (shard {args.shard[0]}/{args.shard[1]})" if args.shard != (1, 1) else "")
          + f": {len(tasks)} to grade, {skipped} up to date", file=sys.stderr)
    options = {"public": args.public, "isolation": isolation}
    started = time.monotonic()
    try:
        errors = run(tasks, out, options, args.workers, args.student_timeout, isolation) if tasks else 0
    except KeyboardInterrupt:
        print("\ninterrupted: finished students are saved; run again to carry on", file=sys.stderr)
        return 130
    all_results = write_class_outputs(out)
    print(f"graded {len(tasks)} in {time.monotonic() - started:.1f} s"
          + (f", {errors} grading errors" if errors else "")
          + f"; {len(all_results)} students -> {out / 'grades.csv'}, {out / 'report.html'}", file=sys.stderr)
    return 0
