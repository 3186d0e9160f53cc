"""The bubblewrap command line that jails a submission, and what it achieves.

Inside the jail the submission sees: the operating system read-only (/usr and
the Python it runs on), its own files read-only at /submission, a small private
tmpfs at /scratch (its working directory) and /tmp, no network, no environment
but a few harmless variables, and its own pid namespace, so every process it
starts dies with the jail. It does not see the kit, the solutions, the hidden
checks, other submissions or the grader's environment, because none of them is
mounted. Started as root, the jail runs under an unprivileged uid of its own.
"""
import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

CHILD = Path(__file__).with_name("child.py")
KIT_ROOT = Path(__file__).resolve().parents[2]
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# One uid per grader process, so that jails graded side by side never share a
# process count (RLIMIT_NPROC is counted per uid).
JAIL_UID_BASE = 200_000

FULL = "bubblewrap"
WEAK = "weak (plain child process with resource limits, no bubblewrap)"


@dataclasses.dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 120
    memory_bytes: int = 1 << 30
    processes: int = 32
    file_bytes: int = 16 << 20
    open_files: int = 256
    scratch_bytes: int = 64 << 20

    def rlimits(self, uid_switched):
        """The rlimits the child sets on itself before loading the submission."""
        processes = self.processes if uid_switched else _processes_of_this_user() + self.processes
        return {
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_AS": self.memory_bytes,
            "RLIMIT_NPROC": processes,
            "RLIMIT_FSIZE": self.file_bytes,
            "RLIMIT_CORE": 0,
            "RLIMIT_NOFILE": self.open_files,
        }


def _processes_of_this_user():
    uid = os.getuid()
    return sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == uid)


def _owner(path):
    try:
        return path.stat().st_uid
    except OSError:
        return None


def jail_uid():
    """The unprivileged uid jails run under when the grader is root, else None."""
    return JAIL_UID_BASE + os.getpid() if os.getuid() == 0 else None


def jail_python(uid):
    """An interpreter the jail's user can reach: ours, else the system's."""
    own = Path(sys.executable).resolve()
    if uid is None or _reachable_by_others(own):
        return own
    return Path("/usr/bin/python3").resolve()


def _reachable_by_others(path):
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


def _python_prefix(python):
    """The install holding this interpreter's standard library."""
    return python.parent.parent


def bubblewrap_command(python, stage, limits):
    """argv that runs child.py from `stage` on `stage/submission` inside the jail."""
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            cmd += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            cmd += ["--ro-bind", d, d]
    prefix = str(_python_prefix(python))
    if not any(prefix == d or prefix.startswith(d + "/") for d in SYSTEM_DIRS):
        cmd += ["--ro-bind", prefix, prefix]
    # If the kit itself lies inside a mounted directory (installed into the
    # system's site-packages), cover it so that it stays out of sight.
    for secret in (KIT_ROOT, Path(__file__).resolve().parents[1]):
        if str(secret).startswith(("/usr/", prefix + "/")):
            cmd += ["--tmpfs", str(secret)]
    cmd += [
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(limits.scratch_bytes), "--tmpfs", "/tmp",
        "--size", str(limits.scratch_bytes), "--tmpfs", "/scratch",
        "--ro-bind", str(stage / "submission"), "/submission",
        "--ro-bind", str(stage / "child.py"), "/grader/child.py",
        "--chdir", "/scratch",
        "--setenv", "HOME", "/scratch",
        "--setenv", "PATH", "/usr/bin:/bin",
        "--setenv", "LANG", "C.UTF-8",
    ]
    return cmd + [str(python), "-I", "-S", "-B", "-u", "-X", "utf8", "/grader/child.py"]


def weak_command(python, stage):
    """argv for a plain child process, for machines without bubblewrap."""
    return [str(python), "-I", "-S", "-B", "-u", "-X", "utf8", str(stage / "child.py")]


def probe():
    """Can bubblewrap start a jail here? Returns None if so, else the reason."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    uid = jail_uid()
    try:
        done = subprocess.run(
            ["bwrap", "--unshare-all", "--ro-bind", "/", "/", "--proc", "/proc", "true"],
            capture_output=True, text=True, timeout=20, env={},
            user=uid, group=uid, extra_groups=[] if uid is not None else None,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if done.returncode != 0:
        return f"bubblewrap cannot create a sandbox here: {done.stderr.strip() or done.returncode}"
    return None
