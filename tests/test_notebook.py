"""The notebook edition: same code as value.py, runs top to bottom, and its
release leaves every exercise a stub that its test cells catch."""
import textwrap

import nbformat
from nbclient import NotebookClient

from conftest import EXERCISES, RELEASED, SOLUTIONS


def execute(path, workdir, allow_errors=False):
    """Run the notebook at path in a fresh python3 kernel; return it with outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    return nb


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def errors(cell):
    return [o.ename for o in cell.get("outputs", []) if o.output_type == "error"]


def test_notebook_code_is_the_code_of_value_py():
    value_py = (SOLUTIONS / "value.py").read_text()
    cells = {grade_id(c): c.source for c in nbformat.read(SOLUTIONS / "micrograd.ipynb", as_version=4).cells}
    assert cells["engine"] in value_py
    for exercise in EXERCISES:
        # a method is attached to Value after its definition; its body in value.py is indented
        definition, _, attach = cells[exercise].partition(f"\n\n\nValue.{exercise} = ")
        assert (textwrap.indent(definition, "    ") if attach else definition) in value_py, exercise


def test_solutions_notebook_runs_top_to_bottom(tmp_path):
    nb = execute(SOLUTIONS / "micrograd.ipynb", tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [grade_id(c) for c in code if errors(c)] == []
    assert all(c.execution_count for c in code)


def test_released_notebook_leaves_every_exercise_a_stub(tmp_path):
    nb = execute(RELEASED / "micrograd.ipynb", tmp_path, allow_errors=True)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    # test cells are named <exercise>_<what>; the given engine's is engine_test
    by_exercise = {grade_id(c): grade_id(c).rsplit("_", 1)[0] for c in tests}
    assert set(by_exercise.values()) == set(EXERCISES) | {"engine"}
    for cell in tests:
        expected = [] if by_exercise[grade_id(cell)] == "engine" else ["NotImplementedError"]
        assert errors(cell) == expected, grade_id(cell)
