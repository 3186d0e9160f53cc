"""`python -m autograder student-repo --out DIR`: the student repository template.

Writes a ready-to-push repository (for GitHub Classroom) holding:
- the release of assignments/micrograd/ at the root (value.py, micrograd.ipynb,
  test_public.py, README.md with a section on the feedback students get);
- the PUBLIC part of the grader: the modules `python -m autograder grade
  --public` and `python -m autograder.github` need, and autograder/checks/ with
  every check that is not marked `public` cut out (with `ast`), together with
  the `reference` fixture; nothing from solutions/;
- requirements.txt, .gitignore and .github/workflows/feedback.yml, which grades
  every push and pull request with the public checks and reports on GitHub.
"""
import argparse
import ast
import shutil
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
KIT_ROOT = PACKAGE.parent
ASSIGNMENT = KIT_ROOT / "assignments" / "micrograd"
TEMPLATES = PACKAGE / "student_repo_files"
RELEASE_FILES = ("value.py", "micrograd.ipynb", "test_public.py", "README.md")
# Entry points of the public grader; everything they import from the package
# comes along. sandbox/child.py runs as a script in the jail, so sandbox/ is whole.
ENTRY_MODULES = ("autograder/__init__.py", "autograder/__main__.py", "autograder/grade.py",
                 "autograder/github.py")
WHOLE_DIRS = ("autograder/sandbox",)
CHECKS = "autograder/checks"
# What only the reference solution needs, cut out of the checks' conftest.
REFERENCE_ONLY = {"reference", "Reference"}
REQUIREMENTS = "pytest>=8\npytest-timeout>=2.3\nhypothesis>=6.100\n"
GITIGNORE = "__pycache__/\n.hypothesis/\n.pytest_cache/\n.ipynb_checkpoints/\nresults.json\nfeedback/\n"


# ------------------------------------------------------------ filtering checks


def _marks(node):
    """Names of the pytest marks on a function: {'points', 'public', ...}."""
    names = set()
    for deco in node.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute)
                and target.value.attr == "mark"):
            names.add(target.attr)
    return names


def is_check(node):
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "points" in _marks(node)


def is_hidden_check(node):
    return is_check(node) and "public" not in _marks(node)


def _span(node):
    """The 1-based line range of a definition, decorators included."""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno


def _removals(body, drop):
    spans = []
    for node in body:
        if drop(node):
            spans.append(_span(node))
        elif isinstance(node, ast.ClassDef):
            spans += _removals(node.body, drop)
    return spans


def public_only(source, *, conftest=False):
    """The source of a checks module with every hidden check removed.

    Returns None when nothing worth shipping is left (a test module whose checks
    are all hidden). Only whole definitions are cut, so comments and layout of
    what stays are untouched.
    """
    tree = ast.parse(source)

    def drop(node):
        if is_hidden_check(node):
            return True
        return conftest and isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in REFERENCE_ONLY

    lines = source.splitlines(keepends=True)
    for first, last in sorted(_removals(tree.body, drop), reverse=True):
        del lines[first - 1:last]
    text = _fix_empty_classes("".join(lines))
    tree = ast.parse(text)
    checks_left = any(is_check(n) for n in ast.walk(tree)) or any(
        isinstance(n, ast.ClassDef) and n.name.startswith("Test") for n in tree.body)
    if not conftest and not checks_left and _is_test_module(tree):
        return None
    return text


def _is_test_module(tree):
    """A module that held checks (a `pytestmark`), as opposed to a helper."""
    return any(isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "pytestmark" for n in tree.body)


def _fix_empty_classes(text):
    """Give a class whose whole body was cut a `pass`, so the module still parses."""
    try:
        ast.parse(text)
        return text
    except SyntaxError:
        pass
    lines = text.splitlines(keepends=True)
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        stripped = line.strip()
        if stripped.startswith("class ") and stripped.endswith(":"):
            indent = len(line) - len(line.lstrip())
            rest = [l for l in lines[i + 1:] if l.strip()]
            if not rest or len(rest[0]) - len(rest[0].lstrip()) <= indent:
                out.append(" " * (indent + 4) + "pass\n")
    return "".join(out)


def hidden_check_names(checks_dir):
    """Names of the checks that are not public, over every module of checks_dir."""
    hidden, public = set(), set()
    for path in sorted(Path(checks_dir).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if is_check(node):
                (hidden if is_hidden_check(node) else public).add(node.name)
    return hidden - public


# ------------------------------------------------------------ picking modules


def _imports(path):
    """Package-relative paths of the autograder modules that path imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] != "autograder":
                continue
            parts = name.split(".")
            module = KIT_ROOT.joinpath(*parts).with_suffix(".py")
            package = KIT_ROOT.joinpath(*parts, "__init__.py")
            for candidate in (module, package):
                if candidate.is_file():
                    found.add(candidate.relative_to(KIT_ROOT).as_posix())
            # importing a.b.c imports a/__init__ and a/b/__init__ too
            for k in range(1, len(parts)):
                init = KIT_ROOT.joinpath(*parts[:k], "__init__.py")
                if init.is_file():
                    found.add(init.relative_to(KIT_ROOT).as_posix())
    return found


def grader_files():
    """Package-relative paths of every grader file the student repository holds."""
    todo = set(ENTRY_MODULES)
    for d in WHOLE_DIRS + (CHECKS,):
        todo |= {p.relative_to(KIT_ROOT).as_posix() for p in (KIT_ROOT / d).glob("*.py")}
    chosen = set()
    while todo:
        rel = todo.pop()
        if rel in chosen or not (KIT_ROOT / rel).is_file():
            continue
        chosen.add(rel)
        todo |= _imports(KIT_ROOT / rel) - chosen
    return sorted(chosen) + [f"{CHECKS}/pytest.ini"]


def trimmed_main(source, shipped):
    """__main__.py with only the commands whose module ships."""
    tree = ast.parse(source)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "COMMANDS"):
            commands = ast.literal_eval(node.value)
            kept = {k: v for k, v in commands.items() if v.replace(".", "/") + ".py" in shipped}
            lines = source.splitlines(keepends=True)
            body = "COMMANDS = {\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in kept.items()) + "}\n"
            lines[node.lineno - 1:node.end_lineno] = [body.replace("'", '"')]
            return "".join(lines)
    return source


# ------------------------------------------------------------ the repository


def build(out):
    """Write the student repository into `out` (new, empty, or a previous build, replaced)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / ".github" / "workflows" / "feedback.yml").is_file() or (out / ".git").exists():
            raise SystemExit(f"error: {out} exists, is not empty and is not a previous build")
        shutil.rmtree(out)  # a previous build: rebuild from scratch
    out.mkdir(parents=True, exist_ok=True)
    for name in RELEASE_FILES:
        if not (ASSIGNMENT / name).is_file():
            raise SystemExit(f"error: {ASSIGNMENT / name} is missing; run `make release` first")
    for name in RELEASE_FILES[:-1]:
        shutil.copyfile(ASSIGNMENT / name, out / name)
    readme = (ASSIGNMENT / "README.md").read_text(encoding="utf-8").rstrip("\n")
    feedback = (TEMPLATES / "README.feedback.md").read_text(encoding="utf-8")
    (out / "README.md").write_text(readme + "\n\n" + feedback, encoding="utf-8")

    files = grader_files()
    shipped = set(files)
    for rel in files:
        source = (KIT_ROOT / rel).read_text(encoding="utf-8")
        if rel.startswith(CHECKS + "/") and rel.endswith(".py"):
            source = public_only(source, conftest=rel.endswith("/conftest.py"))
            if source is None:
                continue
        elif rel == "autograder/__main__.py":
            source = trimmed_main(source, shipped)
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")

    (out / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    (out / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    workflow = out / ".github" / "workflows" / "feedback.yml"
    workflow.parent.mkdir(parents=True)
    shutil.copyfile(TEMPLATES / "feedback.yml", workflow)
    return out


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m autograder student-repo",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("dist/student-repo"),
                        help="an empty or new folder (default: %(default)s)")
    args = parser.parse_args(argv)
    out = build(args.out)
    print(f"wrote the student repository to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
