"""What a snippet prints, as shown on a page: the text files under ``output/``."""

import os


def expected_output(name: str) -> str:
    """The text of ``output/<name>``, without its final newline."""
    with open(os.path.join(os.path.dirname(__file__), "output", name)) as text:
        return text.read().rstrip("\n")
