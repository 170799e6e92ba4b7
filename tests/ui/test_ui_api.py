"""The JSON API and the server-rendered pages, through Starlette's test client over a real
SQLite instance."""

from __future__ import annotations

import json
import time

from conftest import execute
from headwater.instance.jobs import JobType, job_origin_id

PIPELINE = "/api/pipelines/ui_repository.py/ui_repo"
WAIT_SECONDS = 120


def wait_until_finished(instance, run_id):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run = instance.get_run_by_id(run_id)
        if run.is_finished:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {run.status.value} after {WAIT_SECONDS}s")


GOOD = "solids:\n  get_name:\n    config:\n      name: Ada\n"


def test_runs_list_pages_newest_first_with_a_cursor(client, ui_context):
    ids = [execute(ui_context, "greetings", {"solids": {"get_name": {"config": {"name": str(i)}}}}
                   ).run_id for i in range(5)]
    first = client.get("/api/runs?limit=2").json()
    second = client.get(f"/api/runs?limit=2&cursor={first['next_cursor']}").json()
    assert [r["run_id"] for r in first["runs"] + second["runs"]] == ids[::-1][:4]
    assert first["total"] == 5


def test_runs_list_filters_by_status_and_pipeline(client, ui_context, marker):
    execute(ui_context, "greetings", {"solids": {"get_name": {"config": {"name": "x"}}}})
    failed = execute(ui_context, "flaky")
    found = client.get("/api/runs?status=FAILURE&pipeline=flaky").json()
    assert [r["run_id"] for r in found["runs"]] == [failed.run_id]


def test_runs_list_names_an_unknown_status(client):
    response = client.get("/api/runs?status=DONE")
    assert response.status_code == 400
    assert 'status "DONE" is not a run status' in response.json()["error"]


def test_events_come_after_the_cursor(client, ui_context):
    run = execute(ui_context, "greetings", {"solids": {"get_name": {"config": {"name": "A"}}}})
    every = client.get(f"/api/runs/{run.run_id}/events").json()
    later = client.get(f"/api/runs/{run.run_id}/events?after={every['events'][2][0]}").json()
    assert later["events"] == every["events"][3:]
    assert every["events"][-1][every["fields"].index("event_type")] == "PIPELINE_SUCCESS"


def test_event_stream_of_a_finished_run_sends_every_event_then_ends(client, ui_context):
    run = execute(ui_context, "greetings", {"solids": {"get_name": {"config": {"name": "A"}}}})
    total = len(client.get(f"/api/runs/{run.run_id}/events").json()["events"])
    with client.stream("GET", f"/api/runs/{run.run_id}/events/stream") as response:
        text = "".join(response.iter_text())
    messages = [block for block in text.split("\n\n") if block.startswith("event:")]
    sent = sum(len(json.loads(m.split("data: ", 1)[1])["events"])
               for m in messages if m.startswith("event: events"))
    assert sent == total
    assert messages[-1].startswith("event: end")


def test_step_output_is_what_the_step_printed(client, ui_context):
    # Launched: the run's own process captures what its steps print.
    launched = client.post(f"{PIPELINE}/greetings/launch",
                           json={"config_yaml": GOOD.replace("Ada", "Bo")}).json()
    wait_until_finished(ui_context.instance, launched["run_id"])
    logs = client.get(f"/api/runs/{launched['run_id']}/logs/greet").json()
    assert "printed greeting for Bo" in logs["stdout"]


def test_check_puts_each_config_error_at_its_line(client):
    text = "solids:\n  get_name:\n    config:\n      nam: Ada\n"
    result = client.post(f"{PIPELINE}/greetings/check", json={"config_yaml": text}).json()
    by_message = {e["message"]: e["line"] for e in result["errors"]}
    assert not result["ok"]
    assert any('"nam"' in m and line == 4 for m, line in by_message.items())
    assert any("name" in m and line == 3 for m, line in by_message.items())


def test_check_reports_a_yaml_syntax_error_at_its_line(client):
    result = client.post(f"{PIPELINE}/greetings/check",
                         json={"config_yaml": "solids:\n  get_name: [\n"}).json()
    assert result["errors"][0]["line"] == 3
    assert "not valid YAML" in result["errors"][0]["message"]


def test_launch_records_the_run_and_hands_it_to_the_coordinator(client, ui_context):
    response = client.post(f"{PIPELINE}/greetings/launch",
                           json={"config_yaml": GOOD, "tags": '{"team": "data"}'})
    run = ui_context.instance.get_run_by_id(response.json()["run_id"])
    assert run.tags["team"] == "data"
    assert run.pipeline_origin["pipeline_name"] == "greetings"


def test_launch_refuses_an_invalid_config_and_records_nothing(client, ui_context):
    response = client.post(f"{PIPELINE}/greetings/launch", json={"config_yaml": "{}"})
    assert response.status_code == 400
    assert ui_context.instance.get_runs_count() == 0


def test_selection_preview_names_the_solids_picked(client):
    result = client.get(f"{PIPELINE}/shapes/selection?q=plus_two*").json()
    assert result == {"solids": ["gather", "plus_two"], "error": None}


def test_graph_marks_composites_and_dynamic_edges(client):
    graph = client.get(f"{PIPELINE}/shapes/graph").json()
    nodes = {n["name"]: n for n in graph["nodes"]}
    assert nodes["plus_two"]["is_composite"] and nodes["fan_out"]["has_dynamic_output"]
    assert {(e["source"], e["kind"]) for e in graph["edges"]} == {
        ("fan_out", "mapped"), ("plus_two", "collected")}


def test_composite_graph_shows_its_children(client):
    graph = client.get(f"{PIPELINE}/shapes/graph?path=plus_two").json()
    assert [n["name"] for n in graph["nodes"]] == ["add_one", "again"]


def test_reexecute_from_failure_runs_only_what_did_not_succeed(client, ui_context, marker):
    failed = execute(ui_context, "flaky")
    open(marker, "w").close()
    response = client.post(f"/api/runs/{failed.run_id}/reexecute", json={"from_failure": True})
    child = ui_context.instance.get_run_by_id(response.json()["run_id"])
    assert child.parent_run_id == failed.run_id
    assert child.step_keys_to_execute == ["transform"]


def test_cancel_of_a_finished_run_is_refused(client, ui_context):
    run = execute(ui_context, "greetings", {"solids": {"get_name": {"config": {"name": "A"}}}})
    response = client.post(f"/api/runs/{run.run_id}/cancel")
    assert response.status_code == 409


def test_stop_and_start_a_schedule(client, ui_context):
    url = "/api/jobs/schedule/ui_repo/hourly_greetings"
    client.post(url + "/start")
    started = client.get(url).json()["job"]
    client.post(url + "/stop")
    state = ui_context.instance.get_job_state(
        job_origin_id(JobType.SCHEDULE, "ui_repo", "hourly_greetings"))
    assert started["status"] == "RUNNING" and len(started["next_ticks"]) == 5
    assert not state.is_running


def test_a_post_without_the_csrf_header_is_refused(client, ui_context):
    del client.headers["X-Headwater-CSRF"]
    response = client.post("/api/jobs/schedule/ui_repo/hourly_greetings/start")
    assert response.status_code == 403
    assert ui_context.instance.get_job_state(
        job_origin_id(JobType.SCHEDULE, "ui_repo", "hourly_greetings")) is None


def test_a_post_from_another_origin_is_refused(client):
    response = client.post("/api/workspace/reload", headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


def test_a_request_for_another_host_name_is_refused(client):
    response = client.get("/runs", headers={"Host": "rebound.example:3000"})
    assert response.status_code == 403


def test_with_a_token_requests_without_it_are_refused(ui_context):
    from starlette.testclient import TestClient

    from headwater_ui import create_app

    ui_context.auth_token = "s3cret"
    with TestClient(create_app(ui_context, loopback_only=False),
                    base_url="http://ui.example") as test_client:
        assert test_client.get("/api/runs").status_code == 401
        assert test_client.get("/api/runs", headers={
            "Authorization": "Bearer s3cret"}).status_code == 200


def test_opening_a_page_with_the_token_sets_a_cookie_and_drops_it_from_the_address(ui_context):
    from starlette.testclient import TestClient

    from headwater_ui import create_app

    ui_context.auth_token = "s3cret"
    with TestClient(create_app(ui_context, loopback_only=False),
                    base_url="http://ui.example") as test_client:
        first = test_client.get("/runs?token=s3cret&status=SUCCESS", follow_redirects=False)
        assert first.headers["location"] == "/runs?status=SUCCESS"
        assert test_client.get("/runs").status_code == 200  # the cookie now carries it


def test_pages_escape_what_users_wrote(client):
    page = client.get("/pipelines/ui_repository.py/ui_repo/greetings").text
    assert "Read the name &lt;b&gt;to greet&lt;/b&gt; from config." in page


def test_every_page_renders(client, ui_context, marker):
    run = execute(ui_context, "flaky")
    for path in ("/runs", f"/runs/{run.run_id}", "/workspace", "/schedules", "/instance",
                 "/pipelines/ui_repository.py/ui_repo/shapes?path=plus_two",
                 "/pipelines/ui_repository.py/ui_repo/greetings/launchpad",
                 "/jobs/schedule/ui_repo/hourly_greetings"):
        assert client.get(path).status_code == 200, path


def test_unknown_pipeline_is_not_found(client):
    assert client.get("/pipelines/ui_repository.py/ui_repo/nope").status_code == 404
    assert client.get(f"{PIPELINE}/nope/graph").status_code == 404


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/runs", "/api/runs/{run_id}/events/stream",
            "/api/pipelines/{location}/{repository}/{pipeline}/launch"} <= set(paths)


def test_partition_sets_show_the_latest_run_of_each_partition(client, ui_context):
    from headwater.definitions.partition import PARTITION_SET_TAG, PARTITION_TAG
    from headwater.execution.run import PipelineRun, PipelineRunStatus

    ui_context.instance.create_run(PipelineRun(
        "run-eu", "greetings", status=PipelineRunStatus.FAILURE,
        tags={PARTITION_SET_TAG: "regions", PARTITION_TAG: "eu"}))
    [regions] = client.get("/api/partition_sets").json()["partition_sets"]
    assert regions["partitions"] == [{"name": "eu", "run_status": "FAILURE"},
                                     {"name": "us", "run_status": None},
                                     {"name": "apac", "run_status": None}]


def test_cancel_stops_a_run_in_progress(client, ui_context):
    slow = GOOD + "      pause: 20\n"
    launched = client.post(f"{PIPELINE}/greetings/launch", json={"config_yaml": slow}).json()
    deadline = time.monotonic() + WAIT_SECONDS
    while ui_context.instance.get_run_by_id(launched["run_id"]).status.value != "STARTED":
        assert time.monotonic() < deadline, "the run never started"
        time.sleep(0.2)
    response = client.post(f"/api/runs/{launched['run_id']}/cancel")
    assert response.status_code == 200
    assert wait_until_finished(ui_context.instance, launched["run_id"]).status.value == \
        "CANCELED"


def test_step_output_of_a_step_the_run_does_not_have_is_not_found(client, ui_context):
    run = execute(ui_context, "greetings", {"solids": {"get_name": {"config": {"name": "A"}}}})
    assert client.get(f"/api/runs/{run.run_id}/logs/nope").status_code == 404


def test_reload_picks_up_changed_code(tmp_path, headwater_home):
    from starlette.testclient import TestClient

    from headwater.instance import Instance
    from headwater.workspace import LocationSpec, Workspace
    from headwater_ui import UIContext, create_app

    code = tmp_path / "changing.py"
    source = "from headwater import pipeline, solid\n\n@solid\ndef one(context):\n    pass\n\n"
    code.write_text(source + "@pipeline\ndef first():\n    one()\n")
    with Instance.get() as instance:
        context = UIContext(instance, lambda: Workspace.from_specs(
            [LocationSpec("changing.py", python_file=str(code))]))
        with TestClient(create_app(context), base_url="http://127.0.0.1") as test_client:
            test_client.headers["X-Headwater-CSRF"] = context.csrf_token
            assert "first" in test_client.get("/workspace").text
            code.write_text(source + "@pipeline\ndef second():\n    one()\n")
            test_client.post("/api/workspace/reload")
            names = [p["name"] for r in test_client.get("/api/workspace").json()[
                "locations"][0]["repositories"] for p in r["pipelines"]]
    assert names == ["second"]
