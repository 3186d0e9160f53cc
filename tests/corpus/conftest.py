"""The corpus is data (submissions the grader is tested on), not tests.

Some hostile submissions bring their own conftest.py: that is their attack.
Ignoring everything below this directory keeps pytest from ever importing one
of them, or anything else here, when it collects tests/.
"""
collect_ignore_glob = ["*"]
