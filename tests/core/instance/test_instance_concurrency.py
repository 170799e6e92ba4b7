"""Many processes write runs and events to one SQLite instance at once: nothing is lost."""

import multiprocessing

from headwater.execution.run import PipelineRunStatus
from headwater.instance import InstanceRef, RunsFilter, instance_for_test
from headwater.instance.storage.conformance import event_entry, log_entry, make_run

PROCESSES = 8
RUNS_PER_PROCESS = 3
STEPS_PER_RUN = 10
LINES_PER_STEP = 8
EVENTS_PER_RUN = 2 + STEPS_PER_RUN * (2 + LINES_PER_STEP)


def write_runs(ref: InstanceRef, worker: int, start: multiprocessing.Barrier) -> None:
    """What a process running pipelines writes: runs, step events, log lines."""
    start.wait()
    with ref.open() as instance:
        for number in range(RUNS_PER_PROCESS):
            run = instance.create_run(make_run(f"w{worker}-r{number}",
                                               tags={"worker": str(worker)}))
            instance.handle_new_event(event_entry(run.run_id, "PIPELINE_START"))
            for step in range(STEPS_PER_RUN):
                key = f"step_{step}"
                instance.handle_new_event(event_entry(run.run_id, "STEP_START", key))
                for line in range(LINES_PER_STEP):
                    instance.handle_new_event(log_entry(run.run_id, f"line {line}", key))
                instance.handle_new_event(event_entry(run.run_id, "STEP_SUCCESS", key))
            instance.handle_new_event(event_entry(run.run_id, "PIPELINE_SUCCESS"))


def test_eight_processes_writing_to_a_new_instance_lose_no_event():
    context = multiprocessing.get_context("spawn")
    with instance_for_test() as instance:
        start = context.Barrier(PROCESSES)
        processes = [context.Process(target=write_runs, args=(instance.get_ref(), worker, start))
                     for worker in range(PROCESSES)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(120)
        assert [process.exitcode for process in processes] == [0] * PROCESSES

        runs = instance.get_runs()
        assert len(runs) == PROCESSES * RUNS_PER_PROCESS
        assert {run.status for run in runs} == {PipelineRunStatus.SUCCESS}
        assert instance.get_runs_count(RunsFilter(tags={"worker": "3"})) == RUNS_PER_PROCESS
        for run in runs:
            entries = instance.all_logs(run.run_id)
            assert len(entries) == EVENTS_PER_RUN
            assert entries[0].event_type.value == "PIPELINE_START"
            assert entries[-1].event_type.value == "PIPELINE_SUCCESS"
        assert len(instance.get_event_records()) == PROCESSES * RUNS_PER_PROCESS * EVENTS_PER_RUN
