"""Submissions the grader is tested on (data, not tests): see conftest.py and harness.py."""
