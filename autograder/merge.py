"""`python -m autograder merge OUT1 OUT2 ... --out MERGED`: combine sharded grade-all runs.

Copies every OUT*/<student>/ folder into MERGED, then rebuilds one grades.csv
and one report.html from all the results.json files.
"""
import argparse
import shutil
import sys
from pathlib import Path

from autograder.grade_all import write_class_outputs


def main(argv):
    p = argparse.ArgumentParser(prog="python -m autograder merge", description=__doc__.splitlines()[0])
    p.add_argument("outs", nargs="+", type=Path, help="the OUT folders of grade-all runs (shards)")
    p.add_argument("--out", required=True, type=Path, help="the merged folder")
    args = p.parse_args(argv)
    merged = args.out.resolve()
    owner = {}
    for out in args.outs:
        if not out.is_dir():
            raise SystemExit(f"error: {out} is not a directory")
        for results in sorted(out.glob("*/results.json")):
            student = results.parent
            if student.name in owner and owner[student.name] != out:
                raise SystemExit(f"error: {student.name} is in both {owner[student.name]} and {out}; "
                                 "were the shards graded with the same N?")
            owner[student.name] = out
            if student.resolve() != merged / student.name:
                target = merged / student.name
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(student, target)
    merged.mkdir(parents=True, exist_ok=True)
    all_results = write_class_outputs(merged)
    print(f"merged {len(owner)} students from {len(args.outs)} folders -> {merged / 'grades.csv'}", file=sys.stderr)
    return 0 if all_results or not owner else 1
