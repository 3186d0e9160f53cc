"""Finding a submission and copying it, safely, into the jail's staging area."""
import dataclasses
import hashlib
import os
import shutil
import stat
from pathlib import Path

ENTRY_FILES = ("value.py", "micrograd.ipynb")
MAX_FILE_BYTES = 2 << 20
MAX_NOTEBOOK_BYTES = 32 << 20  # notebooks may carry plots in their outputs
MAX_FILES = 200


class SubmissionError(Exception):
    """The submission cannot be graded at all (for example, nothing to grade)."""


@dataclasses.dataclass(frozen=True)
class Submission:
    directory: Path  # where the student's files are
    entry: str  # value.py, or the notebook's file name

    @classmethod
    def find(cls, path):
        """A directory holding value.py or a notebook, or one of those files."""
        path = Path(path)
        if path.is_file():
            if path.suffix not in (".py", ".ipynb"):
                raise SubmissionError(f"{path.name} is neither a .py file nor a notebook")
            return cls(path.parent, path.name)
        if not path.is_dir():
            raise SubmissionError(f"no submission at {path}")
        for name in ENTRY_FILES:
            if (path / name).is_file():
                return cls(path, name)
        notebooks = sorted(p.name for p in path.glob("*.ipynb"))
        if len(notebooks) == 1:
            return cls(path, notebooks[0])
        raise SubmissionError(
            f"found neither value.py nor micrograd.ipynb in {path.name}/"
            + (f" (notebooks: {', '.join(notebooks)})" if notebooks else "")
        )

    def files(self):
        """The regular files that travel into the jail: the entry and sibling .py files.

        Symbolic links are never followed: a link could point at anything the
        grader can read, the reference solution included.
        """
        entry_path = self.directory / self.entry
        limit = MAX_NOTEBOOK_BYTES if self.entry.endswith(".ipynb") else MAX_FILE_BYTES
        if not _regular_file_within(entry_path, limit):
            raise SubmissionError(f"{self.entry} must be a regular file (not a link) of at most {limit >> 20} MiB")
        siblings = sorted(
            Path(e.path) for e in os.scandir(self.directory)
            if e.name.endswith(".py") and e.name != self.entry and _regular_file_within(Path(e.path), MAX_FILE_BYTES)
        )
        return [entry_path] + siblings[: MAX_FILES - 1]

    def copy_to(self, destination):
        destination.mkdir()
        for path in self.files():
            with open(path, "rb", opener=_no_follow) as source, open(destination / path.name, "wb") as target:
                shutil.copyfileobj(source, target)

    def digest(self):
        """A hash of exactly what gets graded, to tell whether it changed."""
        h = hashlib.sha256()
        for path in self.files():
            h.update(os.fsencode(path.name) + b"\0" + path.read_bytes() + b"\0")
        return h.hexdigest()


def _regular_file_within(path, limit):
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and info.st_size <= limit


def _no_follow(path, flags):
    return os.open(path, flags | os.O_NOFOLLOW)
