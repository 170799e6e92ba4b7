"""Solid selection: the clause grammar and what a subset run needs.

The graph below branches and re-joins, so that a depth counted along one path would differ
from the true distance (``s -> d`` is one edge; ``s -> a -> b -> c -> d`` is four):

    s -> a -> b -> c -> d -> e
    s ------------------> d
         a -> f
"""

import pytest

from headwater import (
    HeadwaterInvalidConfigError,
    HeadwaterInvalidSubsetError,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater.execution.selection import select_solids


@solid
def source():
    return 1


@solid
def step(x):
    return x + 1


@solid
def join(x, y):
    return x + y


@pipeline
def graph():
    s = source.alias("s")()
    a = step.alias("a")(s)
    c = step.alias("c")(step.alias("b")(a))
    step.alias("e")(join.alias("d")(c, s))
    step.alias("f")(a)


@pytest.mark.parametrize(("clause", "expected"), [
    ("a", "a"),
    ("*d", "s a b c d"),
    ("a*", "a b c d e f"),
    ("*c*", "s a b c d e"),
    ("+d", "c d s"),
    ("++d", "b c d s"),
    ("++e", "c d e s"),
    ("s+", "a d s"),
    ("s++", "a b d e f s"),
    ("*d+", "s a b c d e"),
    ("+b*", "a b c d e"),
    ("a+++", "a b c d f"),
])
def test_selection_clause_selects_by_true_distance(clause, expected):
    assert select_solids(graph, [clause]) == set(expected.split())


def test_comma_separated_clauses_are_a_union():
    assert select_solids(graph, "a, e") == {"a", "e"}


def test_list_of_clauses_is_a_union():
    assert select_solids(graph, ["+b", "f"]) == {"a", "b", "f"}


@pytest.mark.parametrize("clause", ["+*a", "a*+", "**a", "a b"])
def test_malformed_clause_is_rejected(clause):
    with pytest.raises(HeadwaterInvalidSubsetError, match="not a valid solid selection clause"):
        select_solids(graph, [clause])


def test_unknown_solid_is_rejected_naming_it_and_the_known_ones():
    with pytest.raises(HeadwaterInvalidSubsetError) as error:
        select_solids(graph, ["a", "zz"])

    message = str(error.value)
    assert "No qualified solids to execute found for solid_selection=['a', 'zz']" in message
    assert "unknown solid(s) zz" in message
    assert "Known solids: a, b, c, d, e, f, s" in message


def test_subset_run_executes_only_the_selected_solids():
    result = execute_pipeline(graph, solid_selection=["*c"])

    assert [r.solid_handle for r in result.solid_result_list] == ["s", "a", "b", "c"]
    assert result.result_for_solid("c").output_value() == 4


def test_subset_run_drops_upstream_dependencies_and_needs_their_inputs_in_config():
    with pytest.raises(HeadwaterInvalidConfigError,
                       match=r"Sample config: \{solids: \{b: \{inputs"):
        execute_pipeline(graph, solid_selection=["b"])

    result = execute_pipeline(graph, solid_selection=["b"],
                              run_config={"solids": {"b": {"inputs": {"x": {"value": 10}}}}})
    assert result.result_for_solid("b").output_value() == 11


def test_subset_run_accepts_and_ignores_config_of_unselected_solids():
    result = execute_pipeline(graph, solid_selection=["s"],
                              run_config={"solids": {"b": {"inputs": {"x": {"value": 10}}}}})

    assert result.success


def test_subset_run_records_the_selection_in_its_tags():
    seen = []

    @solid
    def record(context):
        seen.append(context.get_tag("headwater/solid_selection"))

    @pipeline
    def tagged():
        record()
        source()

    execute_pipeline(tagged, solid_selection=["record"])

    assert seen == ["record"]
