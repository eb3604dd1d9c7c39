"""Helpers the test files share (tests/python is on pytest's pythonpath): data makers,
reference computations and checks used by more than one test file. Nothing here is
collected: no name starts with test_."""
