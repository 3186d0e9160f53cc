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


def well_formed_error(error):
    """An error description from the jail: short strings and flags, nothing else."""
    return (
        type(error) is dict
        and all(type(error.get(k)) is str and len(error[k]) <= 1000 for k in ("type", "message"))
        and all(type(error.get(k)) is bool for k in ("value_error", "overflow", "not_implemented"))
        and type(error.get("where")) is list
        and len(error["where"]) <= 3
        and all(type(w) is str and len(w) <= 500 for w in error["where"])
        and type(error.get("cell", 0)) is int
    )


def well_formed_load_report(report):
    defined = report.get("defined")
    errors = report.get("errors")
    return (
        type(report.get("loaded")) is bool
        and type(defined) is dict
        and all(type(v) is bool for v in defined.values())
        and type(errors) is list
        and len(errors) <= 100
        and all(well_formed_error(e) for e in errors)
    )


class StudentProcess:
    def __init__(self, submission, limits=jail.Limits(), isolation=jail.FULL):
        self.submission = submission
        self.limits = limits
        self.isolation = isolation
        self.uid = jail.jail_uid()  # never run student code as root, even with weak isolation
        self.python = jail.jail_python(self.uid)
        self.stage = self._stage()
        self.proc = None
        self.load_report = None
        self.output = bytearray()
        self._next_id = 1
        self._buffer = b""  # answer bytes read but not yet parsed

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
        os.set_blocking(self.proc.stdin.fileno(), False)
        self._buffer = b""
        report = self._exchange(b"", 0, START_DEADLINE, "loading your code")
        if not well_formed_load_report(report):
            self._fail("crashed", "your code's process sent a malformed load report")
        self.load_report = report

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
        payload = (json.dumps({"id": request_id, "cases": cases}) + "\n").encode()
        answer = self._exchange(payload, request_id, deadline, "running the check")
        results = answer.get("results")
        if not isinstance(results, list) or len(results) != len(cases):
            self._fail("crashed", "your code's process sent a malformed answer")
        return results

    def _exchange(self, payload, request_id, deadline, doing):
        """Send payload and read the answer to request_id, all within the deadline.

        Both directions wait in select(): a child that stops reading its input
        cannot block the grader any more than one that never answers.
        """
        end = time.monotonic() + deadline
        stdin, stdout = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        while payload or b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0:
                self._fail("timed-out", f"timed out after {deadline:g} s while {doing}")
            readable, writable, _ = select.select([stdout], [stdin] if payload else [], [], left)
            if writable:
                try:
                    payload = payload[os.write(stdin, payload[:65536]):]
                except BlockingIOError:
                    pass
                except OSError:
                    self._fail("crashed", f"your code's process stopped while {doing} ({self._exit_reason()})")
            if readable:
                chunk = os.read(stdout, 1 << 20)
                if not chunk:
                    self._fail("crashed", f"your code's process stopped while {doing} ({self._exit_reason()})")
                self._buffer += chunk
                if len(self._buffer) > ANSWER_LIMIT:
                    self._fail("crashed", "your code's process sent an oversized answer")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except (ValueError, RecursionError):
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
