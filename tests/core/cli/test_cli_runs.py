"""The commands about recorded runs: pipeline launch, run list/show/logs/cancel/delete/wipe/
reexecute, instance info/migrate."""

import re

import pytest

from headwater.execution.run import PipelineRunStatus

S = PipelineRunStatus
RUN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def config_file(write, work_config):
    """``config_file(**second)``: a run config file for ``work`` (see ``work_config``)."""
    import yaml

    def make(execution=None, **second):
        return write(f"config-{len(second)}-{execution}.yaml",
                     yaml.safe_dump(work_config(execution, **second)))

    return make


def _execute(invoke, work_file, *args):
    result = invoke("pipeline", "execute", "-f", work_file, "-p", "work", *args)
    return RUN_ID.search(result.stdout.splitlines()[-1]).group(0), result


def _launch(invoke, work_file, *args):
    result = invoke("pipeline", "launch", "-f", work_file, "-p", "work", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


# -- pipeline launch / execute ---------------------------------------------------------


def test_pipeline_launch_prints_the_run_id_and_the_run_executes_in_its_own_process(
        invoke, work_file, config_file, launch_instance, finished_run, counted):
    run_id = _launch(invoke, work_file, "-c", config_file())
    assert RUN_ID.fullmatch(run_id)
    assert finished_run(launch_instance, run_id).status is S.SUCCESS
    assert counted() == ["first", "second"]


def test_pipeline_launch_with_the_queued_coordinator_leaves_the_run_for_the_daemon(
        invoke, work_file, open_instance):
    with open_instance({"run_coordinator": "queued"}) as instance:
        result = invoke("pipeline", "launch", "-f", work_file, "-p", "other")
        assert "queued: the daemon (`headwater daemon run`) launches it" in result.stderr
        assert instance.get_run_by_id(result.stdout.strip()).status is S.QUEUED


def test_pipeline_launch_checks_the_config_before_recording_a_run(invoke, work_file, write,
                                                                 launch_instance):
    result = invoke("pipeline", "launch", "-f", work_file, "-p", "work", "-c",
                    write("bad.yaml", "solids: {second: {config: {sleep: soon}}}\n"))
    assert result.exit_code == 2
    assert "solids.second.config.sleep" in result.stderr
    assert launch_instance.get_runs() == []


def test_pipeline_execute_with_the_multiprocess_executor_shows_each_log_line_once(
        invoke, work_file, config_file, launch_instance):
    run_id, result = _execute(invoke, work_file, "-c", config_file("multiprocess"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("first ran") == 1
    assert result.stdout.count("second got 1") == 1
    assert launch_instance.get_run_by_id(run_id).status is S.SUCCESS


# -- run list ----------------------------------------------------------------------------


def test_run_list_shows_each_run_with_status_pipeline_start_and_duration(invoke, work_file,
                                                                         config_file):
    failed, _ = _execute(invoke, work_file, "-c", config_file(fail=True))
    succeeded, _ = _execute(invoke, work_file, "-c", config_file())
    lines = invoke("run", "list").stdout.splitlines()
    assert lines[0].split() == ["Run", "id", "Status", "Pipeline", "Started", "Duration"]
    assert [line.split()[:3] for line in lines[1:]] == [[succeeded, "SUCCESS", "work"],
                                                        [failed, "FAILURE", "work"]]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +[\d.]+ m?s$", lines[1])


def test_run_list_filters_by_status_and_pipeline_and_shows_at_most_the_limit(
        invoke, work_file, config_file):
    failed, _ = _execute(invoke, work_file, "-c", config_file(fail=True))
    _execute(invoke, work_file, "-c", config_file())
    invoke("pipeline", "execute", "-f", work_file, "-p", "other")

    def ids(*args):
        return [line.split()[0] for line in invoke("run", "list", *args).stdout.splitlines()
                if RUN_ID.match(line)]

    assert ids("--status", "failure") == [failed]
    assert len(ids("--pipeline", "work")) == 2
    assert len(ids("--limit", "1")) == 1
    assert "1 of 3 runs; --limit shows more." in invoke("run", "list", "--limit", "1").stdout


def test_run_list_says_when_there_is_no_run_and_names_an_unknown_status(invoke):
    assert invoke("run", "list").stdout == "No runs.\n"
    result = invoke("run", "list", "--status", "finished")
    assert result.exit_code == 2
    assert '"finished" is not a run status; one of: queued' in result.stderr


# -- run show ----------------------------------------------------------------------------


def test_run_show_shows_the_config_the_tags_and_each_step_with_status_and_duration(
        invoke, work_file, config_file, counter):
    run_id, _ = _execute(invoke, work_file, "-c", config_file(fail=True), "--tags",
                         '{"team": "data"}')
    output = invoke("run", "show", run_id).stdout
    assert output.splitlines()[0] == f"Run {run_id}  FAILURE"
    assert "  pipeline:   work" in output
    assert "  team: data" in output
    assert f"        counter: {counter}" in output
    assert "        fail: true" in output
    [first] = [line for line in output.splitlines() if line.startswith("  first ")]
    [second] = [line for line in output.splitlines() if line.startswith("  second ")]
    assert first.split()[1:3] == ["SUCCESS", "1"]
    assert second.split()[1:3] == ["FAILURE", "1"]
    assert re.search(r"[\d.]+ m?s$", first)


def test_run_show_of_an_unknown_run_says_how_to_find_the_runs(invoke):
    result = invoke("run", "show", "no-such-run")
    assert result.exit_code == 2
    assert 'No run "no-such-run"' in result.stderr
    assert "`headwater run list`" in result.stderr


# -- run logs ----------------------------------------------------------------------------


def test_run_logs_prints_the_event_log_of_a_run_or_of_one_step(invoke, work_file,
                                                               config_file):
    run_id, _ = _execute(invoke, work_file, "-c", config_file())
    lines = invoke("run", "logs", run_id).stdout.splitlines()
    assert "PIPELINE_START" in lines[0] and "PIPELINE_SUCCESS" in lines[-1]
    assert any(re.search(r"^[\d:.]+ first INFO first ran$", line) for line in lines)
    only_second = invoke("run", "logs", run_id, "--step", "second").stdout.splitlines()
    assert only_second and all(" second " in line for line in only_second)


def test_run_logs_shows_what_a_step_printed_to_stdout_or_stderr(invoke, work_file,
                                                                config_file, launch_instance,
                                                                finished_run):
    run_id = _launch(invoke, work_file, "-c", config_file())
    finished_run(launch_instance, run_id)
    assert invoke("run", "logs", run_id, "--step", "first", "--stdout").stdout == (
        "first says hello\n")
    assert invoke("run", "logs", run_id, "--step", "first", "--stderr").stdout.endswith(
        "first warns\n")


def test_run_logs_of_a_step_stream_needs_the_step(invoke):
    result = invoke("run", "logs", "some-run", "--stdout")
    assert result.exit_code == 2
    assert "--stdout shows what one step printed: give --step KEY." in result.stderr


def test_run_logs_follow_prints_the_events_of_a_live_run_until_it_ends(
        invoke, work_file, config_file, launch_instance):
    run_id = _launch(invoke, work_file, "-c", config_file(sleep=1.5))
    assert not launch_instance.get_run_by_id(run_id).is_finished
    result = invoke("run", "logs", run_id, "--follow")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "PIPELINE_STARTING" in lines[0]
    assert any("second INFO second got 1" in line for line in lines)
    assert "PIPELINE_SUCCESS" in lines[-1]


def test_run_logs_follow_exits_1_when_the_run_fails(invoke, work_file, config_file,
                                                    launch_instance):
    run_id = _launch(invoke, work_file, "-c", config_file(fail=True))
    result = invoke("run", "logs", run_id, "--follow")
    assert result.exit_code == 1
    assert "PIPELINE_FAILURE" in result.stdout.splitlines()[-1]


# -- run cancel / delete / wipe -------------------------------------------------------------


def test_run_cancel_stops_a_launched_run(invoke, work_file, config_file, launch_instance,
                                         wait_until, tmp_path):
    pid_file = tmp_path / "second.pid"
    run_id = _launch(invoke, work_file, "-c", config_file(sleep=60, pid_file=str(pid_file)))
    wait_until(pid_file.exists, what="the second step to start")
    result = invoke("run", "cancel", run_id)
    assert result.exit_code == 0
    assert result.stdout == f"Run {run_id} is CANCELED.\n"


def test_run_cancel_of_a_run_that_ended_says_there_is_nothing_to_cancel(invoke, work_file,
                                                                        config_file):
    run_id, _ = _execute(invoke, work_file, "-c", config_file())
    result = invoke("run", "cancel", run_id)
    assert result.exit_code == 2
    assert f"Run {run_id} already ended SUCCESS: there is nothing to cancel." in result.stderr


def test_run_delete_deletes_the_run_and_its_event_log(invoke, work_file, config_file):
    from headwater.instance import Instance

    run_id, _ = _execute(invoke, work_file, "-c", config_file())
    assert invoke("run", "delete", run_id).stdout == f"Deleted run {run_id}.\n"
    with Instance.get() as instance:
        assert instance.get_run_by_id(run_id) is None
        assert instance.all_logs(run_id) == []


def test_run_delete_refuses_a_run_in_progress_unless_forced(invoke, make_run, work_config,
                                                            launch_instance):
    from headwater.execution.events import HeadwaterEventType

    run = make_run(launch_instance, work_config())
    launch_instance.report_run_event(run, HeadwaterEventType.PIPELINE_START, "started")
    refused = invoke("run", "delete", run.run_id)
    assert refused.exit_code == 2
    assert "Cancel it first" in refused.stderr
    assert invoke("run", "delete", run.run_id, "--force").exit_code == 0
    assert launch_instance.get_run_by_id(run.run_id) is None


def test_run_wipe_deletes_every_run_once_confirmed(invoke, work_file, config_file):
    from click.testing import CliRunner

    from headwater.cli import cli

    _execute(invoke, work_file, "-c", config_file())
    declined = CliRunner().invoke(cli, ["run", "wipe"], input="n\n")
    assert declined.exit_code == 1
    assert "Delete all 1 runs of the instance at" in declined.stdout
    assert "No runs." not in invoke("run", "list").stdout
    assert invoke("run", "wipe", "--force").stdout == "Deleted 1 runs.\n"
    assert invoke("run", "list").stdout == "No runs.\n"


# -- run reexecute -----------------------------------------------------------------------


def test_run_reexecute_from_failure_loads_the_outputs_of_the_steps_that_succeeded(
        invoke, work_file, config_file, counted):
    from headwater.instance import Instance

    parent, _ = _execute(invoke, work_file, "-c", config_file(fail=True))
    result = invoke("run", "reexecute", parent, "--from-failure", "-c", config_file())
    assert result.exit_code == 0, result.stdout
    assert counted() == ["first", "second", "second"]
    assert "1 step: 1 succeeded" in result.stdout.splitlines()[-1]
    child = RUN_ID.search(result.stdout.splitlines()[0]).group(0)
    with Instance.get() as instance:
        run = instance.get_run_by_id(child)
    assert (run.parent_run_id, run.root_run_id) == (parent, parent)


def test_run_reexecute_runs_the_selected_steps_with_the_parents_config(invoke, work_file,
                                                                       config_file, counted):
    parent, _ = _execute(invoke, work_file, "-c", config_file())
    result = invoke("run", "reexecute", parent, "--steps", "second")
    assert result.exit_code == 0, result.stdout
    assert counted() == ["first", "second", "second"]


def test_run_reexecute_launch_runs_the_new_run_in_its_own_process(
        invoke, work_file, config_file, launch_instance, finished_run, counted):
    parent, _ = _execute(invoke, work_file, "-c", config_file(fail=True))
    result = invoke("run", "reexecute", parent, "--from-failure", "-c", config_file(),
                    "--launch")
    child = result.stdout.strip()
    assert finished_run(launch_instance, child).status is S.SUCCESS
    assert counted() == ["first", "second", "second"]


# -- instance ------------------------------------------------------------------------------


def test_instance_info_shows_the_home_and_each_part_with_its_settings(invoke, headwater_home):
    with open(f"{headwater_home}/headwater.yaml", "w") as settings:
        settings.write("run_coordinator: {name: queued, config: {max_concurrent_runs: 3}}\n")
    lines = invoke("instance", "info").stdout.splitlines()
    assert lines[0] == f"Instance {headwater_home}"
    assert lines[1] == f"  settings: {headwater_home}/headwater.yaml"
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:]}
    assert rows["run_storage"][:2] == ["sqlite",
                                       "headwater.instance.storage.sqlite.SqliteRunStorage"]
    assert rows["run_coordinator"] == [
        "queued", "headwater.instance.run_coordinator.QueuedRunCoordinator",
        "{max_concurrent_runs:", "3}"]
    assert rows["run_launcher"][0] == "default"


def test_instance_migrate_upgrades_a_database_of_an_older_schema(invoke, headwater_home):
    from headwater.instance.storage.database import SqlDatabase
    from headwater.instance.storage.migrate import upgrade_to_head
    from headwater.instance.storage.schema import HEAD_REVISION

    database = SqlDatabase.sqlite_file(f"{headwater_home}/history/headwater.db")
    with database.connection() as connection, connection.begin():
        upgrade_to_head(connection, "0002")
    database.dispose()
    refused = invoke("run", "list")
    assert refused.exit_code == 2
    assert "headwater instance migrate" in refused.stderr
    result = invoke("instance", "migrate")
    assert result.stdout == (f"The instance at {headwater_home} was at schema revision 0002; "
                             f"it is now at {HEAD_REVISION}.\n")
    assert invoke("run", "list").stdout == "No runs.\n"
