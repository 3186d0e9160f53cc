"""`python -m autograder COMMAND ...`: each command lives in its own module."""
import importlib
import sys

# command -> module whose main(argv) runs it; imported only when asked for.
COMMANDS = {
    "grade": "autograder.grade",
    "grade-all": "autograder.grade_all",
    "merge": "autograder.merge",
    "release": "autograder.release",
    "student-repo": "autograder.student_repo",
    "gradescope": "autograder.gradescope",
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        names = ", ".join(COMMANDS)
        print(f"usage: python -m autograder {{{names}}} ...", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[argv[0]])
    return module.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
