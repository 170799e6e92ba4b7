"""``headwater ui`` from the command line, the plugin, and the docs' API table."""

from __future__ import annotations

import os
import re
import subprocess
import urllib.request

from conftest import free_port, headwater_command, wait_for_http

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_ui_serves_the_hello_example(tmp_path, headwater_home):
    port = free_port()
    log_path = str(tmp_path / "ui.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*headwater_command(), "ui", "-f", "examples/hello_headwater.py", "--port",
             str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/api/instance", process, log_path)
        with urllib.request.urlopen(
                url + "/pipelines/hello_headwater.py/__repository__/hello_headwater") as page:
            html = page.read().decode()
        for solid in ("get_name", "greet", "shout"):
            assert f'data-solid="{solid}"' in html
    finally:
        process.terminate()
        process.wait(timeout=15)
    with open(log_path) as log:
        assert f"Headwater UI on http://127.0.0.1:{port}/" in log.read()


def test_ui_refuses_another_address_without_a_token(headwater_home):
    result = subprocess.run([*headwater_command(), "ui", "--host", "192.0.2.1"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "--auth-token" in result.stderr and "--insecure" in result.stderr


def test_plugins_list_shows_the_ui_plugin(headwater_home):
    result = subprocess.run([*headwater_command(), "plugins", "list"], capture_output=True,
                            text=True, timeout=60, check=True)
    assert re.search(r"\bui\s.*headwater-ui 0.1.0.*loaded.*cli_commands: ui", result.stdout), \
        result.stdout


def test_docs_list_every_api_endpoint(client):
    with open(os.path.join(ROOT, "docs", "ui.md")) as docs:
        text = docs.read()
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, methods in paths.items():
        for method in methods:
            assert f"`{method.upper()} {path}`" in text, f"{method.upper()} {path}"
