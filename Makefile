# micrograd-kit: every job an instructor or CI runs is a target here.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SUBMISSIONS ?= $(if $(wildcard submitted),submitted,examples/submitted)
OUT ?= graded

.PHONY: setup test release grade

## One command on a fresh Debian/Ubuntu machine: system packages, then Python packages.
setup:
	$(SUDO) apt-get update -qq
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap python3 >/dev/null
	$(PYTHON) -m pip install -q -e '.[dev]'

test:
	$(PYTHON) -m pytest -n 2 tests

## Regenerate assignments/ (what students get) from solutions/ with nbgrader's ClearSolutions.
release:
	$(PYTHON) -m autograder release

## Grade a whole class: make grade SUBMISSIONS=submitted/ OUT=graded/ [FORCE=1]
grade:
	$(PYTHON) -m autograder grade-all $(SUBMISSIONS) --out $(OUT) $(if $(FORCE),--force)

## The student repository template (GitHub Classroom): make student-repo [DEST=dist/student-repo]
DEST ?= dist/student-repo
.PHONY: student-repo gradescope bench
student-repo:
	$(PYTHON) -m autograder student-repo --out $(DEST)

## Gradescope's autograder.zip: dist/gradescope/autograder.zip
gradescope:
	$(PYTHON) -m autograder gradescope --out dist/gradescope/autograder.zip

## Benchmarks (figures printed, nothing asserted): make bench [N=200]
N ?= 200
bench:
	$(PYTHON) bench/grade_one.py
	$(PYTHON) bench/grade_class.py --students $(N)
