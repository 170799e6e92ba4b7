"""How the command line's output fits where it goes: a terminal's width and colors, or
plain lines in a pipe or a CI log."""

from __future__ import annotations

import re

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

LONG_LINES = """
from headwater import pipeline, solid

@solid
def talkative(context) -> None:
    context.log.info("a log line far longer than forty columns, to see where it goes " * 2)

@solid
def failing(context) -> None:
    raise ValueError("an error message that is also far longer than forty columns")

@pipeline
def long_lines():
    talkative()
    failing()
"""


def test_on_a_terminal_every_line_fits_its_width(invoke, write):
    result = invoke("pipeline", "execute", "-f", write("long_lines.py", LONG_LINES),
                    env={"FORCE_COLOR": "1", "COLUMNS": "40"})
    lines = ESCAPE.sub("", result.stdout).splitlines()
    assert len(lines) > 10
    assert max(len(line) for line in lines) <= 40


def test_on_a_terminal_the_output_is_colored(invoke, write):
    result = invoke("pipeline", "execute", "-f", write("long_lines.py", LONG_LINES),
                    env={"FORCE_COLOR": "1", "COLUMNS": "40"})
    assert ESCAPE.search(result.stdout)


def test_off_a_terminal_the_output_is_plain_and_lines_are_not_wrapped(invoke, write):
    result = invoke("pipeline", "execute", "-f", write("long_lines.py", LONG_LINES),
                    env={"COLUMNS": "40"})
    assert "\x1b" not in result.stdout
    [logged] = [line for line in result.stdout.splitlines() if "talkative: " in line]
    assert logged == "    talkative: " + "a log line far longer than forty columns, to see " \
                                         "where it goes " * 2


def test_off_a_terminal_a_table_keeps_each_row_on_one_line(invoke, write):
    path = write("described.py", """
        from headwater import pipeline, solid

        @solid
        def one() -> int:
            return 1

        @pipeline(description="A description much longer than the forty columns given.")
        def described():
            one()
    """)
    result = invoke("pipeline", "list", "-f", path, env={"COLUMNS": "40"})
    assert len(result.stdout.splitlines()) == 2
    assert "A description much longer than the forty columns given." in result.stdout
