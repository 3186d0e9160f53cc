"""Shared fixtures: the reference solution, loaded by path like any submission."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions" / "micrograd"
RELEASED = ROOT / "assignments" / "micrograd"

# the contract's exercises, in the order of its table
EXERCISES = ["relu", "sigmoid", "log", "sin", "cos", "sqrt", "cross_entropy", "numerical_grad", "gradcheck"]


def load_module(path, name):
    """Import the Python file at path as a fresh module called name.

    Not registered in sys.modules, so two files both named value.py never clash.
    """
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def reference():
    """The reference solution, solutions/micrograd/value.py."""
    return load_module(SOLUTIONS / "value.py", "reference_value")
