"""Fan-in and ordering: several upstream outputs into one input, Nothing dependencies, and
step priority."""

from headwater import (
    InputDefinition,
    IOManager,
    IOManagerDefinition,
    List,
    ModeDefinition,
    Nothing,
    Output,
    OutputDefinition,
    execute_pipeline,
    pipeline,
    solid,
)


@solid
def number(context) -> int:
    return int(context.solid_handle.rpartition("_")[2])


@solid
def gather(values: List[int]) -> list:
    return values


def test_list_input_receives_the_fanned_in_values_in_order():
    @pipeline
    def fan_in():
        gather([number.alias("n_3")(), number.alias("n_1")(), number.alias("n_2")()])

    assert execute_pipeline(fan_in).result_for_solid("gather").output_value() == [3, 1, 2]


def test_fan_in_leaves_out_optional_outputs_that_were_not_produced():
    @solid(output_defs=[OutputDefinition(int, is_required=False)])
    def nothing_produced():
        yield from ()

    @pipeline
    def partial():
        gather([number.alias("n_1")(), nothing_produced(), number.alias("n_2")()])

    assert execute_pipeline(partial).result_for_solid("gather").output_value() == [1, 2]


def test_fan_in_is_skipped_when_no_upstream_produced_a_value():
    @solid(output_defs=[OutputDefinition(int, is_required=False)])
    def nothing_produced():
        yield from ()

    @pipeline
    def empty():
        gather([nothing_produced.alias("a")(), nothing_produced.alias("b")()])

    assert execute_pipeline(empty).result_for_solid("gather").skipped


def test_nothing_input_orders_a_step_after_all_its_dependencies():
    order = []

    @solid
    def work(context):
        order.append(context.solid_handle)

    @solid(input_defs=[InputDefinition("after", Nothing)])
    def report(context):
        order.append("report")

    @pipeline
    def ordered():
        report(after=[work.alias("a")(), work.alias("b")()])

    execute_pipeline(ordered)

    assert order[-1] == "report"
    assert sorted(order[:-1]) == ["a", "b"]


def test_nothing_output_feeds_a_nothing_input_without_storing_a_value():
    @solid(output_defs=[OutputDefinition(Nothing)])
    def prepare():
        pass

    @solid(input_defs=[InputDefinition("after", Nothing)])
    def use():
        return "used"

    @pipeline
    def ordered():
        use(prepare())

    result = execute_pipeline(ordered)

    assert result.result_for_solid("use").output_value() == "used"
    assert not any(e.is_handled_output for e in result.result_for_solid("prepare").step_events)


def test_higher_priority_tag_runs_first_among_ready_steps():
    order = []

    @solid
    def record(context):
        order.append(context.solid_handle)

    @pipeline
    def prioritized():
        record.alias("low").tag({"headwater/priority": "-1"})()
        record.alias("default")()
        record.alias("high").tag({"headwater/priority": "5"})()

    execute_pipeline(prioritized)

    assert order == ["high", "default", "low"]


def test_multi_output_solid_feeds_several_downstream_inputs():
    @solid(output_defs=[OutputDefinition(int, "low"), OutputDefinition(int, "high")])
    def bounds():
        yield Output(1, "low")
        yield Output(9, "high")

    @pipeline
    def both():
        low, high = bounds()
        gather([low, high])

    assert execute_pipeline(both).result_for_solid("gather").output_value() == [1, 9]


def test_nothing_input_does_not_load_the_upstream_value():
    class WriteOnly(IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            raise AssertionError("a Nothing input must not load its upstream value")

    @solid(output_defs=[OutputDefinition(int, io_manager_key="sink")])
    def write():
        return 1

    @solid(input_defs=[InputDefinition("after", Nothing)])
    def report():
        return "done"

    sink = IOManagerDefinition.hardcoded_io_manager(WriteOnly())

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"sink": sink})])
    def ordered():
        report(write())

    assert execute_pipeline(ordered).result_for_solid("report").output_value() == "done"
