"""The grader's side of the jail: one StudentProcess per submission.

Requests and answers are JSON lines over pipes. An answer is data, never code:
it is parsed with `json.loads` and checked for shape by the caller. A request
that passes its deadline or crashes the child raises `StudentFault`; the child
is then killed (with everything it started) and a fresh one is started for the
next request.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from autograder.mistakes import explain
from autograder.sandbox import jail

OUTPUT_LIMIT = 64 * 1024
ANSWER_LIMIT = 16 << 20
START_DEADLINE = 5.0


class StudentFault(BaseException):
    """The submission crashed, hung, answered garbage or is not there to test.

    A BaseException, so that hypothesis fails the check at once instead of
    shrinking: every retry would hang or crash again.
    """

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind  # a mistake id: timed-out, crashed, load-error, not-implemented
        self.message = message


class StudentProcess:
    def __init__(self, submission, limits=jail.Limits(), isolation=jail.FULL):
        self.submission = submission
        self.limits = limits
        self.isolation = isolation
        self.uid = jail.jail_uid() if isolation == jail.FULL else None
        self.python = jail.jail_python(self.uid)
        self.stage = self._stage()
        self.proc = None
        self.load_report = None
        self.output = bytearray()
        self._next_id = 1

    # ------------------------------------------------------------ lifecycle

    def _stage(self):
        """A directory the jail user can read: child.py and the submission's files."""
        stage = Path(tempfile.mkdtemp(prefix="micrograd-jail-"))
        stage.chmod(0o755)
        self.submission.copy_to(stage / "submission")
        shutil.copyfile(jail.CHILD, stage / "child.py")
        for path in stage.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        scratch = stage / "scratch"  # the weak jail's working directory
        scratch.mkdir(mode=0o777)
        scratch.chmod(0o777)
        return stage

    def start(self):
        """Start a fresh child and read its load report."""
        rlimits = json.dumps(self.limits.rlimits(uid_switched=self.uid is not None))
        if self.isolation == jail.FULL:
            argv = jail.bubblewrap_command(self.python, self.stage, self.limits)
            argv += ["/submission", self.submission.entry, rlimits]
            cwd = "/"
        else:
            argv = jail.weak_command(self.python, self.stage)
            argv += [str(self.stage / "submission"), self.submission.entry, rlimits]
            cwd = self.stage / "scratch"
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=cwd, env={"PATH": "/usr/bin:/bin"}, start_new_session=True,
            user=self.uid, group=self.uid, extra_groups=[] if self.uid is not None else None,
        )
        threading.Thread(target=self._drain_output, args=(self.proc.stderr,), daemon=True).start()
        self._buffer = b""
        self.load_report = self._read_answer(0, START_DEADLINE, "loading your code")

    def _drain_output(self, stream):
        """Keep the first OUTPUT_LIMIT bytes of what the submission prints."""
        for chunk in iter(lambda: stream.read1(65536), b""):
            room = OUTPUT_LIMIT - len(self.output)
            if room > 0:
                self.output += chunk[:room]

    def kill(self):
        """Kill the child and every process it started (they share its session)."""
        if self.proc is None:
            return
        for kill in (lambda: os.killpg(self.proc.pid, signal.SIGKILL), self.proc.kill):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            pipe.close()
        self.proc = None

    def close(self):
        self.kill()
        shutil.rmtree(self.stage, ignore_errors=True)

    # ------------------------------------------------------------- requests

    def request(self, cases, deadline):
        """Evaluate `cases` in the child; returns one raw answer dict per case."""
        if self.proc is None:
            self.start()
        request_id = self._next_id
        self._next_id += 1
        try:
            self.proc.stdin.write((json.dumps({"id": request_id, "cases": cases}) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail("crashed", "your code's process had already stopped")
        answer = self._read_answer(request_id, deadline, "running the check")
        results = answer.get("results")
        if not isinstance(results, list) or len(results) != len(cases):
            self._fail("crashed", "your code's process sent a malformed answer")
        return results

    def _read_answer(self, request_id, deadline, doing):
        end = time.monotonic() + deadline
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0:
                self._fail("timed-out", f"timed out after {deadline:g} s while {doing}")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self._fail("crashed", f"your code's process stopped while {doing} ({self._exit_reason()})")
            self._buffer += chunk
            if len(self._buffer) > ANSWER_LIMIT:
                self._fail("crashed", "your code's process sent an oversized answer")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or answer.get("id") != request_id:
            self._fail("crashed", "your code's process sent a malformed answer")
        return answer

    def _exit_reason(self):
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "no exit status"
        if code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"exit status {code}"

    def _fail(self, kind, message):
        self.kill()
        raise StudentFault(kind, f"{message}; {explain(kind)}")

    def printed(self):
        """What the submission has printed so far (capped), as text."""
        return self.output.decode("utf-8", "replace")
