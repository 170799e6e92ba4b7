"""Pipelines: how solids are wired (composition functions and explicit dependencies), and
what a pipeline rejects when it is defined."""

import pytest

from headwater import (
    DependencyDefinition,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvalidInvocationError,
    HeadwaterInvariantViolationError,
    InputDefinition,
    List,
    ModeDefinition,
    MultiDependencyDefinition,
    Nothing,
    Output,
    OutputDefinition,
    PipelineDefinition,
    ResourceDefinition,
    RetryPolicy,
    SolidInvocation,
    pipeline,
    solid,
    success_hook,
)


@solid
def emit() -> int:
    return 1


@solid
def inc(x: int) -> int:
    return x + 1


@solid
def total(xs: List[int]) -> int:
    return sum(xs)


@success_hook
def noted(context):
    pass


def upstream(pipeline_def, name):
    return {input_name: (dep.solid, dep.output) if isinstance(dep, DependencyDefinition)
            else [(d.solid, d.output) for d in dep.dependencies]
            for input_name, dep in pipeline_def.dependencies_of(name).items()}


def test_composition_function_records_solids_and_their_dependencies():
    @pipeline
    def chain():
        inc(emit())

    assert [n.name for n in chain.solids] == ["emit", "inc"]
    assert upstream(chain, "inc") == {"x": ("emit", "result")}


def test_pipeline_name_and_description_come_from_the_function():
    @pipeline
    def nightly():
        """Runs every night."""
        emit()

    assert (nightly.name, nightly.description) == ("nightly", "Runs every night.")


def test_same_solid_invoked_twice_gets_a_numbered_name():
    @pipeline
    def twice():
        inc(inc(emit()))

    assert [n.name for n in twice.solids] == ["emit", "inc", "inc_2"]
    assert upstream(twice, "inc_2") == {"x": ("inc", "result")}


def test_alias_names_the_invocation():
    @pipeline
    def aliased():
        inc.alias("first_inc")(emit())

    assert [n.name for n in aliased.solids] == ["emit", "first_inc"]


def test_invocation_modifiers_chain():
    policy = RetryPolicy(max_retries=2)

    @pipeline
    def modified():
        inc.alias("a").tag({"team": "data"}).with_hooks({noted}).with_retry_policy(policy)(
            emit())

    node = modified.solid_named("a")
    assert node.tags == {"team": "data"}
    assert node.hook_defs == frozenset({noted})
    assert node.retry_policy is policy


def test_invocation_tags_merge_over_the_definition_tags():
    @solid(tags={"kind": "sql", "team": "core"})
    def query():
        return 1

    @pipeline
    def tagged():
        query.tag({"team": "data"})()

    assert tagged.solid_named("query").tags == {"kind": "sql", "team": "data"}


def test_two_invocations_with_the_same_alias_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='alias "x" is used by two'):
        @pipeline
        def clash():
            emit.alias("x")()
            emit.alias("x")()


def test_invalid_alias_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="not a valid alias"):
        emit.alias("not-valid")


def test_passing_a_constant_to_a_solid_in_a_composition_function_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="give constant values through"):
        @pipeline
        def constant():
            inc(5)


def test_passing_an_unknown_argument_name_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='argument "y"'):
        @pipeline
        def unknown():
            inc(y=emit())


def test_unpacking_a_single_output_handle_is_rejected():
    with pytest.raises(HeadwaterInvariantViolationError, match="cannot be unpacked"):
        @pipeline
        def unpack():
            _first, _second = emit()


def test_pipeline_function_with_parameters_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="takes parameters"):
        @pipeline
        def with_args(x):
            inc(x)


def test_calling_a_pipeline_is_rejected_with_a_pointer_to_execute_pipeline():
    @pipeline
    def simple():
        emit()

    with pytest.raises(HeadwaterInvalidInvocationError, match="execute_pipeline"):
        simple()


def test_fan_in_of_a_list_of_handles_builds_a_multi_dependency():
    @pipeline
    def fan_in():
        total([emit.alias("a")(), emit.alias("b")()])

    assert upstream(fan_in, "total") == {"xs": [("a", "result"), ("b", "result")]}


def test_explicit_dependencies_wire_solids_by_name():
    chain = PipelineDefinition([emit, inc], "chain",
                               dependencies={"inc": {"x": DependencyDefinition("emit")}})

    assert upstream(chain, "inc") == {"x": ("emit", "result")}


def test_explicit_solid_invocation_aliases_tags_hooks_and_retries_a_use():
    policy = RetryPolicy(max_retries=1)
    chain = PipelineDefinition([emit, inc], "chain", dependencies={
        SolidInvocation("inc", alias="first", tags={"a": "1"}, hook_defs={noted},
                        retry_policy=policy): {"x": DependencyDefinition("emit")},
        SolidInvocation("inc", alias="second"): {"x": DependencyDefinition("first")},
    })

    assert [n.name for n in chain.solids] == ["first", "second", "emit"]
    first = chain.solid_named("first")
    assert (first.tags, first.hook_defs, first.retry_policy) == ({"a": "1"}, {noted}, policy)
    assert upstream(chain, "second") == {"x": ("first", "result")}


def test_multi_dependency_fans_in_to_a_list_input():
    fan_in = PipelineDefinition([emit, total], "fan_in", dependencies={
        SolidInvocation("emit", "a"): {},
        SolidInvocation("emit", "b"): {},
        "total": {"xs": MultiDependencyDefinition([DependencyDefinition("a"),
                                                   DependencyDefinition("b")])},
    })

    assert upstream(fan_in, "total") == {"xs": [("a", "result"), ("b", "result")]}


def test_multi_dependency_fans_in_to_a_nothing_input():
    @solid(input_defs=[InputDefinition("after", Nothing)])
    def report():
        return 1

    ordered = PipelineDefinition([emit, report], "ordered", dependencies={
        SolidInvocation("emit", "a"): {},
        SolidInvocation("emit", "b"): {},
        "report": {"after": MultiDependencyDefinition([DependencyDefinition("a"),
                                                       DependencyDefinition("b")])},
    })

    assert upstream(ordered, "report") == {"after": [("a", "result"), ("b", "result")]}


def test_multi_dependency_into_a_scalar_input_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="must be a List or Nothing"):
        PipelineDefinition([emit, inc], "bad", dependencies={
            SolidInvocation("emit", "a"): {},
            "inc": {"x": MultiDependencyDefinition([DependencyDefinition("a")])},
        })


def test_dependency_on_an_unknown_solid_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='solid "nope"'):
        PipelineDefinition([inc], "bad", dependencies={"inc": {"x": DependencyDefinition("nope")}})


def test_dependency_on_an_unknown_output_is_rejected_listing_the_outputs():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"outputs: \['result'\]"):
        PipelineDefinition([emit, inc], "bad",
                           dependencies={"inc": {"x": DependencyDefinition("emit", "total")}})


def test_dependency_of_an_unknown_input_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='has no input "y"'):
        PipelineDefinition([emit, inc], "bad",
                           dependencies={"inc": {"y": DependencyDefinition("emit")}})


def test_two_definitions_with_the_same_name_are_rejected():
    @solid(name="emit")
    def other_emit():
        return 2

    with pytest.raises(HeadwaterInvalidDefinitionError, match='two different solid definitions'):
        PipelineDefinition([emit, other_emit], "bad")


def test_cycle_is_rejected_naming_its_solids():
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r"circular dependency among solids \['inc', 'inc_b'\]"):
        PipelineDefinition([inc], "cycle", dependencies={
            "inc": {"x": DependencyDefinition("inc_b")},
            SolidInvocation("inc", "inc_b"): {"x": DependencyDefinition("inc")},
        })


class Opaque:
    pass


def test_unconnected_input_without_default_or_loader_is_rejected():
    @solid
    def use(value: Opaque):
        return value

    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match='input "value" of solid "use" is not connected'):
        PipelineDefinition([use], "bad")


def test_unconnected_input_with_a_default_is_allowed():
    @solid
    def use(value: Opaque = Opaque()):
        return value

    assert PipelineDefinition([use], "fine").solids


def test_missing_resource_in_a_mode_is_rejected_naming_solid_key_and_mode():
    @solid(required_resource_keys={"db"})
    def query(context):
        return 1

    with pytest.raises(HeadwaterInvalidDefinitionError) as error:
        PipelineDefinition([query], "bad", mode_defs=[
            ModeDefinition("prod", resource_defs={"db": ResourceDefinition.none_resource()}),
            ModeDefinition("test"),
        ])

    message = str(error.value)
    assert 'solid "query" requires resource "db"' in message
    assert 'mode "test"' in message


def test_resource_needed_by_a_hook_must_be_in_every_mode():
    @success_hook(required_resource_keys={"slack"})
    def notify(context):
        pass

    with pytest.raises(HeadwaterInvalidDefinitionError, match='hook "notify" requires resource'):
        @pipeline(hook_defs={notify})
        def hooked():
            emit()


def test_io_manager_key_of_an_output_must_be_in_every_mode():
    @solid(output_defs=[OutputDefinition(io_manager_key="warehouse")])
    def write():
        return 1

    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match='output "result" of solid "write" requires resource "warehouse"'):
        PipelineDefinition([write], "bad")


def test_two_modes_with_the_same_name_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='two modes named "test"'):
        PipelineDefinition([emit], "bad", mode_defs=[ModeDefinition("test"),
                                                     ModeDefinition("test")])


def test_mode_adds_an_in_memory_io_manager_when_none_is_given():
    assert "io_manager" in ModeDefinition().resource_defs


def test_pipeline_tags_under_the_reserved_prefix_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='reserved prefix "headwater/"'):
        PipelineDefinition([emit], "bad", tags={"headwater/owner": "me"})


def test_pipeline_with_hooks_applies_them_to_a_copy():
    @pipeline
    def plain():
        emit()

    hooked = plain.with_hooks({noted})

    assert hooked.hook_defs == frozenset({noted})
    assert plain.hook_defs == frozenset()


def test_multi_output_solid_returns_handles_by_output_name():
    @solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(int, "b")])
    def split():
        yield Output(1, "a")
        yield Output(2, "b")

    @pipeline
    def named():
        outputs = split()
        inc.alias("use_b")(outputs.b)

    assert upstream(named, "use_b") == {"x": ("split", "b")}
