"""Writing files so that a reader (or a killed run) never sees half a file."""
import os
import tempfile
from pathlib import Path


def write_atomically(path, content):
    """Write text or bytes to path: readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        if isinstance(content, str):
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(content)
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
