"""`python -m autograder gradescope --out autograder.zip`: Gradescope's autograder bundle.

The zip follows Gradescope's autograder specification. Gradescope unpacks it
into /autograder/source, runs setup.sh once to build the image, then, for every
submission, /autograder/run_autograder, which must leave
/autograder/results/results.json behind. The student's files are in
/autograder/submission.

The bundle holds the kit's grading code (the autograder package, with its
hidden checks), the reference solution and a small configuration file,
gradescope.json. Student code never sees any of them: the grader runs it in
its bubblewrap jail, which mounts neither /autograder/source nor
/autograder/results.

`python -m autograder gradescope run [--root DIR]` is what run_autograder calls
on Gradescope: it finds the submission, grades it, and always writes a valid
results.json (score 0 with the reason when nothing could be graded).
"""
import argparse
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from autograder.files import write_atomically
from autograder.results import VISIBILITIES
from autograder.sandbox import jail

KIT_ROOT = jail.KIT_ROOT
CONFIG = "gradescope.json"
# Files of the autograder package that travel in the bundle.
PACKAGE_SUFFIXES = (".py", ".ini", ".md", ".yml", ".html", ".sh")
# Outside the package: exactly these (the hidden reference and the packaging).
EXTRA_FILES = ("pyproject.toml", "solutions/micrograd/value.py")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
GRADE_TIMEOUT = 30 * 60  # seconds; Gradescope's own limit is usually lower

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu base image, to build the
# autograder image. The bundle is unpacked in /autograder/source.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv bubblewrap >/dev/null

# The kit wants Python >= 3.11 (Ubuntu 22.04 ships 3.10; 24.04 ships 3.12).
PY=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt-get install -y -qq python3.11 python3.11-venv >/dev/null
  PY=python3.11
fi

# A virtual environment outside /autograder/source: no clash with the system's
# packages, and the jail mounts neither it nor the kit. The editable install
# leaves the kit itself in /autograder/source.
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install -q --upgrade pip
/autograder/venv/bin/python -m pip install -q -e /autograder/source

# Say in the build log whether bubblewrap can jail student code here.
cd /autograder/source
/autograder/venv/bin/python -c \\
  "from autograder.sandbox import jail; print('isolation check:', jail.probe() or 'bubblewrap works')" || true
chmod +x /autograder/source/run_autograder
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. AUTOGRADER_ROOT (default
# /autograder) lets tests mimic Gradescope's layout in a temporary directory:
# $ROOT/source (this bundle), $ROOT/submission, $ROOT/results.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
cd "$ROOT/source" || exit 1
export PYTHONPATH="$ROOT/source"
export PYTHONDONTWRITEBYTECODE=1
PY="$ROOT/venv/bin/python"   # made by setup.sh; elsewhere, the python3 on PATH
[ -x "$PY" ] || PY=python3
"$PY" -m autograder gradescope run --root "$ROOT"
status=$?
if [ ! -s "$RESULTS" ]; then
  # The kit itself could not start: still leave a valid results.json.
  printf '%s\\n' '{"score": 0, "execution_time": 0, "tests": [], "output": "The autograder could not run (internal error). Please tell your instructor."}' > "$RESULTS"
fi
exit $status
"""


# --------------------------------------------------------------------- build

def bundle_files(kit_root=KIT_ROOT):
    """{path inside the zip: path on disk} for the kit's files in the bundle."""
    kit_root = Path(kit_root)
    files = {}
    package = kit_root / "autograder"
    for directory, dirnames, filenames in os.walk(package):
        # Only the package and its subpackages: no caches, no data directories
        # of other tools (such as the student repository's template files).
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith((".", "__")) and (Path(directory) / d / "__init__.py").is_file())
        for name in filenames:
            if name.startswith(".") or not name.endswith(PACKAGE_SUFFIXES):
                continue
            path = Path(directory) / name
            files[path.relative_to(kit_root).as_posix()] = path
    for name in EXTRA_FILES:
        path = kit_root / name
        if not path.is_file():
            raise SystemExit(f"error: {path} is missing; is this a full kit?")
        files[name] = path
    return files


def config_text(hidden_visibility="after_due_date", allow_weak_isolation=False):
    return json.dumps({"hidden_visibility": hidden_visibility,
                       "allow_weak_isolation": bool(allow_weak_isolation)}, indent=2) + "\n"


def build(out, *, hidden_visibility="after_due_date", allow_weak_isolation=False, kit_root=KIT_ROOT):
    """Write the deterministic autograder.zip at out; returns the names it holds."""
    entries = {name: path.read_bytes() for name, path in bundle_files(kit_root).items()}
    entries["setup.sh"] = SETUP_SH.encode()
    entries["run_autograder"] = RUN_AUTOGRADER.encode()
    entries[CONFIG] = config_text(hidden_visibility, allow_weak_isolation).encode()
    executable = {"setup.sh", "run_autograder"}

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that unzip honours the modes below
            info.external_attr = (0o100755 if name in executable else 0o100644) << 16
            bundle.writestr(info, entries[name])
    write_atomically(out, buffer.getvalue())
    return sorted(entries)


# ----------------------------------------------------------------------- run

def _ignored(name):
    return name == "__MACOSX" or name.startswith(".") or name == "__pycache__"


def find_submission(directory):
    """The file to grade in what the student uploaded, or None.

    value.py first, then micrograd.ipynb, then the only notebook; at any depth
    (students often upload a folder), the shallowest one winning.
    """
    directory = Path(directory)
    if not directory.is_dir():
        return None
    found = []
    for current, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        for name in filenames:
            path = Path(current) / name
            if not _ignored(name) and path.is_file() and not path.is_symlink():
                found.append(path)

    def shallowest(paths):
        return min(paths, key=lambda p: (len(p.relative_to(directory).parts), str(p))) if paths else None

    for name in ("value.py", "micrograd.ipynb"):
        match = shallowest([p for p in found if p.name == name])
        if match:
            return match
    notebooks = [p for p in found if p.suffix == ".ipynb"]
    return notebooks[0] if len(notebooks) == 1 else None


def read_config(source):
    try:
        config = json.loads((Path(source) / CONFIG).read_text())
    except (OSError, ValueError):
        config = {}
    visibility = config.get("hidden_visibility", "after_due_date")
    if visibility not in VISIBILITIES:
        visibility = "after_due_date"
    return {"hidden_visibility": visibility, "allow_weak_isolation": bool(config.get("allow_weak_isolation"))}


def failed_results(message, seconds=0.0):
    return {"score": 0, "execution_time": round(seconds, 2), "output": message, "visibility": "visible",
            "stdout_visibility": "hidden", "tests": []}


def _write(path, data):
    from autograder import results  # only needs the standard library
    results.write_json(path, data)


def run(root):
    """Grade $root/submission into $root/results/results.json, whatever happens."""
    root = Path(root)
    source, submission, out = root / "source", root / "submission", root / "results" / "results.json"
    started = time.monotonic()
    config = read_config(source)
    # Nothing left from before may pass for this grade.
    out.unlink(missing_ok=True)

    entry = find_submission(submission)
    if entry is None:
        _write(out, failed_results(
            "No submission found: upload value.py or micrograd.ipynb (the notebook edition). "
            "Nothing was graded, so the score is 0.", time.monotonic() - started))
        print("no submission found", file=sys.stderr)
        return 0

    cmd = [sys.executable, "-m", "autograder", "grade", str(entry), "--out", str(out),
           "--hidden-visibility", config["hidden_visibility"]]
    if config["allow_weak_isolation"]:
        cmd.append("--allow-weak-isolation")
    env = dict(os.environ, PYTHONPATH=str(source) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print("grading", entry.relative_to(submission), flush=True)
    try:
        done = subprocess.run(cmd, cwd=source, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=GRADE_TIMEOUT)
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        ok = done.returncode == 0
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr[-5000:])
    except subprocess.TimeoutExpired:
        ok, reason = False, f"grading took longer than {GRADE_TIMEOUT // 60} minutes"
    if not ok or not _valid(out):
        _write(out, failed_results(
            "The autograder could not grade this submission, so the score is 0 for now. "
            f"Please tell your instructor. Reason: {reason}", time.monotonic() - started))
    return 0


def _valid(path):
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "score" in data and isinstance(data.get("tests"), list)


# ----------------------------------------------------------------------- CLI

def parser():
    p = argparse.ArgumentParser(prog="python -m autograder gradescope", description=__doc__.splitlines()[0])
    p.add_argument("--out", default="dist/gradescope/autograder.zip", help="where to write the zip")
    p.add_argument("--hidden-visibility", choices=VISIBILITIES, default="after_due_date",
                   help="Gradescope visibility of the hidden checks (public checks are always visible)")
    p.add_argument("--allow-weak-isolation", action="store_true",
                   help="grade even where bubblewrap cannot start (only a resource-limited child process)")
    return p


def main(argv):
    argv = list(argv)
    if argv[:1] == ["run"]:
        p = argparse.ArgumentParser(prog="python -m autograder gradescope run")
        p.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
        return run(p.parse_args(argv[1:]).root)
    args = parser().parse_args(argv)
    names = build(args.out, hidden_visibility=args.hidden_visibility, allow_weak_isolation=args.allow_weak_isolation)
    print(f"{args.out}: {len(names)} files (hidden checks: {args.hidden_visibility})")
    return 0
