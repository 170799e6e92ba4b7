"""Helpers the test suites of several packages share (importable as ``support`` because the
root conftest puts ``tests/`` on ``sys.path``)."""
