"""UploadingComputeLogManager: capture locally, keep each stream in a store when the step
ends, read local first and else from the store.

The store here is a folder on disk (``FolderStore``), a complete implementation of the
three storage methods; the object-store subclasses are tested against their stand-ins in
their own packages. Captures run in a child process, so that pytest's own capture of this
process's output is not in the way.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from headwater.errors import HeadwaterError
from headwater.integration import UploadingComputeLogManager


class FolderStore(UploadingComputeLogManager):
    """Keeps the logs under a folder; a store folder that is a file refuses every upload."""

    def __init__(self, store: str, local_dir: str, **settings) -> None:
        super().__init__(local_dir, **settings)
        self.store = Path(store)

    def describe(self, key: str) -> str:
        return f"folder {self.store / key}"

    def upload(self, key: str, data: bytes, doing: str) -> None:
        path = self.store / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as error:
            raise HeadwaterError(f"{doing} failed: {error.strerror}.") from error

    def download(self, key: str, doing: str) -> bytes | None:
        path = self.store / key
        return path.read_bytes() if path.exists() else None


def _run_step(store, local_dir, body, **settings):
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, {here!r})
        from test_instance_uploading_compute_logs import FolderStore
        manager = FolderStore({store!r}, {local_dir!r}, **{settings!r})
        with manager.capture("run1", "load"):
    """).format(here=os.path.dirname(__file__), store=str(store), local_dir=str(local_dir),
                settings=settings) + textwrap.indent(textwrap.dedent(body), "    ")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)


def test_each_stream_is_uploaded_under_the_run_and_step_when_the_step_ends(tmp_path):
    _run_step(tmp_path / "store", tmp_path / "local", """
        print("loading rows")
        print("careful", file=sys.stderr)
    """)
    folder = tmp_path / "store" / "headwater" / "storage" / "run1" / "compute_logs"
    assert ((folder / "load.out").read_text(), (folder / "load.err").read_text()) == (
        "loading rows\n", "careful\n")


def test_an_empty_prefix_puts_the_logs_at_the_stores_root(tmp_path):
    _run_step(tmp_path / "store", tmp_path / "local", 'print("x")', prefix="/")
    assert (tmp_path / "store" / "storage" / "run1" / "compute_logs" / "load.out").exists()


def test_empty_streams_are_not_uploaded_when_asked_to_skip_them(tmp_path):
    _run_step(tmp_path / "store", tmp_path / "local", 'print("x")', skip_empty_files=True)
    folder = tmp_path / "store" / "headwater" / "storage" / "run1" / "compute_logs"
    assert sorted(p.name for p in folder.iterdir()) == ["load.out"]


def test_a_failed_upload_keeps_the_logs_local_and_warns_naming_the_store(tmp_path):
    (tmp_path / "store").write_text("a file, not a folder")
    completed = _run_step(tmp_path / "store", tmp_path / "local", 'print("kept")')
    assert 'uploading the compute logs of step "load" to folder' in completed.stderr
    assert f"The logs are kept under {tmp_path / 'local'}." in completed.stderr
    local = FolderStore(str(tmp_path / "elsewhere"), str(tmp_path / "local"))
    assert local.read_logs("run1", "load").stdout == "kept\n"


def test_logs_not_on_local_disk_are_read_from_the_store(tmp_path):
    _run_step(tmp_path / "store", tmp_path / "worker", 'print("from the worker")')
    reader = FolderStore(str(tmp_path / "store"), str(tmp_path / "ui"))
    assert reader.read_logs("run1", "load").stdout == "from the worker\n"


def test_a_step_missing_from_the_store_reads_as_empty(tmp_path):
    reader = FolderStore(str(tmp_path / "store"), str(tmp_path / "ui"))
    logs = reader.read_logs("run1", "load")
    assert (logs.stdout, logs.stderr) == ("", "")
