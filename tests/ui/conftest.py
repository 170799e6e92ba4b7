"""Fixtures of the UI tests: the app over a real SQLite instance (through Starlette's test
client), and for the browser tests a real ``headwater ui`` server and ``headwater daemon``
on free loopback ports, driven by headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY_FILE = os.path.join(HERE, "ui_repository.py")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]
READY_SECONDS = 60.0


@pytest.fixture
def marker(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The path of the file whose absence makes ``flaky``'s transform fail."""
    path = str(tmp_path / "marker")
    monkeypatch.setenv("HEADWATER_UI_TEST_MARKER", path)
    return path


@pytest.fixture
def ui_context(headwater_home: str, marker: str) -> Iterator[Any]:
    """A UI context over the test's own SQLite instance, showing ui_repository.py."""
    from headwater.instance import Instance
    from headwater.workspace import LocationSpec, Workspace
    from headwater_ui import UIContext

    instance = Instance.get()
    with instance:
        yield UIContext(instance, lambda: Workspace.from_specs(
            [LocationSpec("ui_repository.py", python_file=REPOSITORY_FILE)]))


@pytest.fixture
def client(ui_context: Any) -> Iterator[Any]:
    """A test client of the app, as a browser on this machine would reach it."""
    from starlette.testclient import TestClient

    from headwater_ui import create_app

    with TestClient(create_app(ui_context), base_url="http://127.0.0.1") as test_client:
        test_client.headers["X-Headwater-CSRF"] = ui_context.csrf_token
        yield test_client


def execute(ui_context: Any, pipeline_name: str, run_config: dict | None = None) -> Any:
    """Run a pipeline of ui_repository.py in this process, recorded in the instance with
    the pointer re-execution needs."""
    from headwater import execute_pipeline

    loaded = ui_context.find_repository("ui_repository.py", "ui_repo")
    return execute_pipeline(loaded.reconstructable_pipeline(pipeline_name), run_config,
                            instance=ui_context.instance, raise_on_error=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def headwater_command() -> list[str]:
    return [sys.executable, "-m", "headwater"]


def wait_for_http(url: str, process: subprocess.Popen, log_path: str) -> None:
    """Wait until ``url`` answers; fail loudly with the process's output if it never does."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    with open(log_path) as log:
        output = log.read()
    raise RuntimeError(f"The UI server did not answer at {url} (exit code {process.poll()}):\n"
                       f"{output}")


class LiveUI:
    """A ``headwater ui`` server and a ``headwater daemon`` sharing one SQLite instance
    (runs queue; the daemon launches them)."""

    def __init__(self, home: str, marker: str, url: str, env: dict[str, str]) -> None:
        self.home = home
        self.marker = marker
        self.url = url
        self.env = env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*headwater_command(), *args], env=self.env, text=True,
                              capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="session")
def live_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveUI]:
    """The UI server and the daemon, started once for the browser tests."""
    home = str(tmp_path_factory.mktemp("ui-home"))
    with open(os.path.join(home, "headwater.yaml"), "w") as settings:
        settings.write("run_coordinator:\n  name: queued\n  config:\n"
                       "    dequeue_interval_seconds: 1\n")
    marker = os.path.join(home, "marker")
    env = {**os.environ, "HEADWATER_HOME": home, "HEADWATER_UI_TEST_MARKER": marker}
    port = free_port()
    processes = []
    try:
        for name, args in (("ui", ["ui", "-f", REPOSITORY_FILE, "--port", str(port)]),
                           ("daemon", ["daemon", "run", "-f", REPOSITORY_FILE])):
            log_path = os.path.join(home, f"{name}.log")
            with open(log_path, "w") as log:
                processes.append(subprocess.Popen([*headwater_command(), *args], env=env,
                                                  stdout=log, stderr=subprocess.STDOUT))
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/api/instance", processes[0], os.path.join(home, "ui.log"))
        yield LiveUI(home, marker, url, env)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) for the whole test session."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium "
                           "(nox -s ui installs it on a fresh machine).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_ui: LiveUI) -> Iterator[Any]:
    """A fresh page (own cookies) on the live UI; page errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  base_url=live_ui.url)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.set_default_timeout(30_000)
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def screenshot(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Save a screenshot to $HEADWATER_UI_SCREENSHOTS (or a temp folder) for a person to
    look at; returns its path."""
    folder = os.environ.get("HEADWATER_UI_SCREENSHOTS") or str(
        tmp_path_factory.mktemp("screenshots"))
    os.makedirs(folder, exist_ok=True)

    def take(page: Any, name: str) -> str:
        path = os.path.join(folder, f"{name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take
