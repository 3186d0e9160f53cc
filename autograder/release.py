"""`python -m autograder release`: regenerate what students get from the solutions.

    python -m autograder release [--solutions DIR] [--out DIR]

Both paths default to the assignment's folders, relative to the repository
root (the current directory): solutions/micrograd -> assignments/micrograd.

Solutions are cleared by nbgrader's own ClearSolutions preprocessor, the one
`nbgrader generate_assignment` runs, so the kit and an nbgrader course agree on
what a solution region is. `value.py` goes through it as the single cell of a
throwaway notebook. The output is byte-for-byte reproducible, so a re-release
that changes nothing shows no diff.
"""
import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import ClearOutput, ClearSolutions
from traitlets.config import Config

from autograder.files import write_atomically

STUB = 'raise NotImplementedError("not implemented yet")'

# released name -> file in the solutions folder copied as is
COPIED = {"test_public.py": "test_public.py", "README.md": "README.student.md"}


def clear_solutions(nb):
    """Replace every solution region by STUB and drop outputs, as nbgrader does."""
    config = Config()
    # nbgrader indents every stub line like the BEGIN marker, so a one-line stub
    # lands exactly where the removed body was.
    config.ClearSolutions.code_stub = {"python": STUB}
    nb, _ = ClearSolutions(config=config).preprocess(nb, {})
    nb, _ = ClearOutput(config=config).preprocess(nb, {})
    return nb


def release_notebook(text):
    nb = clear_solutions(nbformat.reads(text, as_version=4))
    # exactly what nbformat.write produces: sorted keys, indent 1, final newline
    return nbformat.writes(nb) + "\n"


def release_module(text):
    # ClearSolutions only clears regions inside cells marked as solution cells.
    cell = new_code_cell(text, metadata={"nbgrader": {
        "solution": True, "grade": False, "locked": False,
        "grade_id": "module", "schema_version": 3,
    }})
    # without a kernelspec, ClearSolutions takes the language to be python
    nb = new_notebook(cells=[cell])
    return clear_solutions(nb).cells[0].source



def release(solutions, out):
    """Write the student edition of the assignment in `solutions` into `out`."""
    out.mkdir(parents=True, exist_ok=True)

    def read(name):
        return (solutions / name).read_text(encoding="utf-8")

    files = {
        "value.py": release_module(read("value.py")),
        "micrograd.ipynb": release_notebook(read("micrograd.ipynb")),
    }
    files.update({dst: read(src) for dst, src in COPIED.items()})
    for name, text in files.items():
        write_atomically(out / name, text)
        print(f"wrote {out / name}")


def main(argv):
    parser = argparse.ArgumentParser(
        prog="python -m autograder release",
        description="Regenerate assignments/ (what students get) from solutions/.",
    )
    parser.add_argument("--solutions", type=Path, default=Path("solutions/micrograd"),
                        help="folder with the solutions (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=Path("assignments/micrograd"),
                        help="folder to write the student edition to (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.solutions / "value.py").is_file():
        print(f"release: no {args.solutions / 'value.py'}; run from the repository root", file=sys.stderr)
        return 2
    release(args.solutions, args.out)
    return 0
