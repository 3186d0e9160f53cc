"""micrograd-kit's autograder: grades micrograd submissions in a jail."""
__version__ = "0.1.0"
