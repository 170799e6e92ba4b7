"""End to end in headless Chromium: a real ``headwater ui`` server and a real daemon on a
SQLite instance with a queued run coordinator."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PIPELINES = "/pipelines/ui_repository.py/ui_repo"
RUN_SECONDS = 120_000  # ms: a generous deadline for a run to be launched and finish


def test_pipeline_page_draws_the_graph_and_opens_a_composite(page, screenshot):
    page.goto(f"{PIPELINES}/shapes")
    for name in ("fan_out", "plus_two", "gather"):
        expect(page.locator(f'svg.graph .node[data-solid="{name}"]')).to_be_visible()
    expect(page.locator("svg.graph .edge.mapped")).to_have_count(1)
    page.locator('svg.graph .node[data-solid="gather"]').click()
    expect(page.locator('.solid.selected[data-solid="gather"]')).to_be_visible()
    screenshot(page, "pipeline")
    page.locator('svg.graph .node[data-solid="plus_two"]').click()
    expect(page).to_have_url(re.compile(r"path=plus_two"))
    expect(page.locator('svg.graph .node[data-solid="again"]')).to_be_visible()


def test_launchpad_shows_errors_at_their_lines_then_launches_and_streams_to_success(
        page, screenshot):
    page.goto(f"{PIPELINES}/greetings/launchpad")
    editor = page.locator("#config")
    editor.fill("solids:\n  get_name:\n    config:\n      nam: Ada\n")
    expect(page.locator("#errors li", has_text='"nam"')).to_contain_text("Line 4")
    expect(page.locator("#gutter .bad", has_text="4")).to_be_visible()
    expect(page.locator("#launch")).to_be_disabled()
    screenshot(page, "launchpad")
    editor.fill("solids:\n  get_name:\n    config:\n      name: Ada\n      pause: 0.3\n")
    expect(page.locator("#errors li.ok")).to_have_text("The run config is valid.")
    page.locator("#launch").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]+$"))
    # The page was opened on a run the daemon had not launched yet: what follows arrives
    # through the live stream.
    expect(page.locator("#run-status .badge")).to_have_text("SUCCESS", timeout=RUN_SECONDS)
    expect(page.locator("#log .line", has_text="PIPELINE_SUCCESS")).to_be_visible()
    expect(page.locator("#gantt .bar.SUCCESS")).to_have_count(2)
    screenshot(page, "run")


def test_a_queued_run_shows_as_queued(page, live_ui):
    page.goto(f"{PIPELINES}/greetings/launchpad")
    page.locator("#preset").select_option("ada")
    expect(page.locator("#config")).to_have_value(re.compile("Ada"))
    expect(page.locator("#errors li.ok")).to_be_visible()
    page.locator("#launch").click()
    expect(page.locator("#run-status .badge")).to_have_text(
        re.compile("QUEUED|STARTING|STARTED|SUCCESS"))
    run_id = page.url.rsplit("/", 1)[1]
    page.goto("/runs")
    row = page.locator(f'tr[data-run="{run_id}"]')
    expect(row).to_contain_text("greetings")
    # Its status in the list follows the run to its end (polled while unfinished).
    expect(row.locator(".run-status")).to_have_text("SUCCESS", timeout=RUN_SECONDS)


def test_launchpad_previews_a_selection_on_the_graph(page):
    page.goto(f"{PIPELINES}/shapes/launchpad")
    page.locator("#selection").fill("plus_two*")
    expect(page.locator('svg.graph .node.unselected[data-solid="fan_out"]')).to_be_visible()
    expect(page.locator('svg.graph .node.selected[data-solid="gather"]')).to_be_visible()
    expect(page.locator("#selection-note")).to_have_text(
        "2 solid(s) selected: gather, plus_two")


def test_event_log_filters_by_step_and_searches(page):
    page.goto(f"{PIPELINES}/greetings/launchpad")
    page.locator("#preset").select_option("ada")
    expect(page.locator("#errors li.ok")).to_be_visible()
    page.locator("#launch").click()
    expect(page.locator("#run-status .badge")).to_have_text("SUCCESS", timeout=RUN_SECONDS)
    page.locator("#filter-step").select_option("get_name")
    expect(page.locator("#log .line .st", has_text="greet")).to_have_count(0)
    page.locator("#filter-text").fill("2/3")
    expect(page.locator("#log .line")).to_have_count(1)
    expect(page.locator("#log .line")).to_contain_text("Thinking about the name (2/3)")


def test_log_lines_with_markup_render_as_text(page):
    page.goto(f"{PIPELINES}/greetings/launchpad")
    page.locator("#preset").select_option("ada")
    expect(page.locator("#errors li.ok")).to_be_visible()
    page.locator("#launch").click()
    line = page.locator("#log .line", has_text="<script>window.injected = true</script>")
    expect(line).to_be_visible(timeout=RUN_SECONDS)
    assert page.evaluate("window.injected") is None


def test_reexecute_a_failed_run_from_failure(page, live_ui, screenshot):
    failed = live_ui.cli("pipeline", "launch", "-f", live_ui_file(), "-p", "flaky")
    run_id = failed.stdout.strip()
    page.goto(f"/runs/{run_id}")
    expect(page.locator("#run-status .badge")).to_have_text("FAILURE", timeout=RUN_SECONDS)
    expect(page.locator("#log .line", has_text="the marker file is missing").first).to_be_visible()
    screenshot(page, "failed-run")
    open(live_ui.marker, "w").close()
    page.locator("#reexecute-failure").click()
    expect(page).not_to_have_url(re.compile(run_id))
    expect(page.locator(".meta")).to_contain_text(f"re-executes {run_id[:8]}")
    expect(page.locator("#run-status .badge")).to_have_text("SUCCESS", timeout=RUN_SECONDS)
    expect(page.locator("#gantt .row")).to_have_count(1)


def test_stop_a_running_schedule(page, live_ui, screenshot):
    started = live_ui.cli("schedule", "start", "hourly_greetings", "-f", live_ui_file())
    assert started.returncode == 0, started.stderr
    page.goto("/schedules")
    row = page.locator('tr[data-job="hourly_greetings"]')
    expect(row.locator(".job-status")).to_have_text("RUNNING")
    screenshot(page, "schedules")
    row.get_by_role("button", name="Stop").click()
    expect(row.locator(".job-status")).to_have_text("STOPPED")
    listed = live_ui.cli("schedule", "list", "-f", live_ui_file())
    assert "STOPPED" in listed.stdout


def test_instance_page_shows_the_daemon_duties(page, screenshot):
    page.goto("/instance")
    expect(page.locator("table.grid").last).to_contain_text("run_queue", timeout=30_000)
    screenshot(page, "instance")


def live_ui_file() -> str:
    from conftest import REPOSITORY_FILE

    return REPOSITORY_FILE
