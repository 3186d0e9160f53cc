"""The jail: student code runs only in a child process started here.

- jail.py    builds the bubblewrap command line and probes what isolation works
- child.py   the program that runs inside the jail (standard library only)
- student.py the grader's side: start, talk to, time out and restart the child
"""
