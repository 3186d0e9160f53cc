"""The hidden checks: one pytest module per exercise (test_<exercise>.py).

Each check carries markers: `exercise(name)` (module-wide), `points(n)` and,
when it needs no reference solution, `public`. Shared pieces:
- conftest.py  the fixtures `student` (the jailed submission) and `reference`
- programs.py  building requests and drawing inputs with hypothesis
- expect.py    comparing numbers and turning a difference into feedback
- unary.py     the checks every one-input operation (relu, sin, ...) shares
"""
