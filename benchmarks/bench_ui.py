"""The two UI budgets, against a real ``headwater ui`` server on 127.0.0.1 over an SQLite
instance filled for the purpose:

- a page of the runs list with 10,000 runs stored: the first page (HTML and JSON), a page
  deep in the list (a cursor 5,000 runs back), and a filtered page (one status);
- opening a run of 10,000 events: what the browser fetches (the page, the run with its
  step stats, every event), and, when Debian's Chromium and Playwright are installed, the
  time from navigation until the log shows all 10,000 entries in headless Chromium.

The instance is filled directly through its storage (10,000 run records, one run with
10,000 events of 100 steps); filling takes about half a minute and is not measured.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from _harness import Figure, emit, median_ms, note, parser

RUNS = 10_000
EVENTS = 10_000
STEPS = 100
REPEAT = 15
BUDGET_RUNS_PAGE_MS = 200.0
BUDGET_OPEN_RUN_MS = 1000.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


def fill(home: str) -> tuple[str, str]:
    """10,000 runs (a tenth of them failed) and one run of 10,000 events; returns the big
    run's id and the id of the run 5,000 back from the newest."""
    from headwater.execution.events import EventLogEntry, HeadwaterEvent
    from headwater.execution.run import PipelineRun, PipelineRunStatus
    from headwater.instance import Instance

    os.environ["HEADWATER_HOME"] = home
    with Instance.get() as instance:
        ids = []
        for index in range(RUNS):
            status = PipelineRunStatus.FAILURE if index % 10 == 0 else PipelineRunStatus.SUCCESS
            if index == RUNS - 1:
                # The big run is still running while its steps are recorded: the instance
                # refuses a step that starts in a run that has already ended.
                status = PipelineRunStatus.STARTED
            run = PipelineRun(str(uuid.uuid4()), f"pipeline_{index % 7}", status=status,
                              tags={"team": f"team_{index % 3}"})
            instance.create_run(run)
            ids.append(run.run_id)
        big = ids[-1]
        per_step = EVENTS // STEPS
        now = time.time()
        for step in range(STEPS):
            key = f"step_{step}"
            for line in range(per_step):
                event_type = ("STEP_START" if line == 0 else
                              "STEP_SUCCESS" if line == per_step - 1 else None)
                stamp = now + step * 0.01 + line * 0.0001
                if event_type is None:
                    entry = EventLogEntry(big, stamp, logging.INFO, f"line {line} of {key}", key,
                                          "pipeline_0")
                else:
                    event = HeadwaterEvent(event_type, "pipeline_0", key, key, event_type)
                    entry = EventLogEntry(big, stamp, logging.DEBUG, event_type, key,
                                          "pipeline_0", None, event)
                instance.handle_new_event(entry)
        instance.flush()
        instance.update_run_status(big, PipelineRunStatus.SUCCESS)
    return big, ids[RUNS - 5000]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "HEADWATER_HOME": home}
    process = subprocess.Popen([sys.executable, "-m", "headwater", "ui", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(port, "/api/instance")
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("headwater ui did not start within 60 s")


def get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        return body
    finally:
        connection.close()


def browser_open_ms(port: int, run_id: str) -> tuple[float | None, str]:
    """Median time for headless Chromium to open the run page until the log shows every
    entry, or None with the reason."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "Playwright's Python package is not installed"
    if not os.path.exists(CHROMIUM):
        return None, f"{CHROMIUM} is missing (apt-get install -y chromium)"
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        page = browser.new_page()
        expected = f"{EVENTS} of {EVENTS} entries"
        for _ in range(5):
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/runs/{run_id}")
            page.wait_for_function(
                f"document.getElementById('log-count').textContent === '{expected}'",
                timeout=60_000)
            times.append((time.perf_counter() - started) * 1000.0)
        browser.close()
    times.sort()
    return times[len(times) // 2], "navigation until every entry is in the virtualised log"


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    try:
        import headwater_ui  # noqa: F401
    except ImportError:
        emit([Figure("web UI", None, "", note="skipped: headwater-ui is not installed")],
             args.json)
        return
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        big, middle = fill(home)
        note(f"filled the instance in {time.perf_counter() - started:.1f} s")
        process, port = start_server(home)
        try:
            get(port, "/runs")  # warm: the first request imports what pages need
            figures = [
                Figure("UI runs list, first page (HTML), 10,000 runs",
                       median_ms(lambda: get(port, "/runs"), REPEAT), "ms",
                       BUDGET_RUNS_PAGE_MS),
                Figure("UI runs list, first page (JSON API)",
                       median_ms(lambda: get(port, "/api/runs?limit=50"), REPEAT), "ms",
                       BUDGET_RUNS_PAGE_MS),
                Figure("UI runs list, page 5,000 runs back (HTML)",
                       median_ms(lambda: get(port, f"/runs?cursor={middle}"), REPEAT), "ms",
                       BUDGET_RUNS_PAGE_MS),
                Figure("UI runs list, filtered by status (HTML)",
                       median_ms(lambda: get(port, "/runs?status=FAILURE"), REPEAT), "ms",
                       BUDGET_RUNS_PAGE_MS),
            ]

            def open_run() -> None:
                get(port, f"/runs/{big}")
                get(port, f"/api/runs/{big}")
                get(port, f"/api/runs/{big}/events")

            figures.append(Figure("UI open a 10,000-event run, server (page+run+events)",
                                  median_ms(open_run, 7), "ms", BUDGET_OPEN_RUN_MS))
            value, why = browser_open_ms(port, big)
            figures.append(Figure("UI open a 10,000-event run, in Chromium", value, "ms",
                                  BUDGET_OPEN_RUN_MS, why))
        finally:
            process.terminate()
            process.wait(timeout=15)
    emit(figures, args.json)


if __name__ == "__main__":
    main()
