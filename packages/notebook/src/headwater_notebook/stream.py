"""The channel from a notebook's kernel back to its step: a scratch folder per step.

The kernel appends one JSON line per item to ``stream.jsonl`` (written with
:mod:`headwater.serdes`): a log line, an event (``AssetMaterialization``,
``ExpectationResult``), or the name of an output whose value it pickled to
``outputs/<name>.pickle``. The step reads the lines as they come, so log lines and events
reach the run's event log while the notebook is still running.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from typing import Any

from headwater.integration import deserialize, serialize

STREAM_FILE = "stream.jsonl"
OUTPUTS_DIR = "outputs"


def output_value_path(scratch_dir: str, output_name: str) -> str:
    """Where the kernel pickles the value of ``output_name``."""
    return os.path.join(scratch_dir, OUTPUTS_DIR, f"{output_name}.pickle")


class StreamWriter:
    """The kernel's end: appends items, each flushed at once so the step sees it."""

    def __init__(self, scratch_dir: str) -> None:
        self.scratch_dir = scratch_dir
        self._file = open(os.path.join(scratch_dir, STREAM_FILE), "a", encoding="utf-8")  # noqa: SIM115

    def _write(self, item: dict[str, Any]) -> None:
        self._file.write(serialize(item) + "\n")
        self._file.flush()

    def log(self, level: int, message: str) -> None:
        self._write({"log": [level, message]})

    def event(self, event: Any) -> None:
        self._write({"event": event})

    def output(self, output_name: str, value: Any) -> None:
        path = output_value_path(self.scratch_dir, output_name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._write({"output": output_name})

    def close(self) -> None:
        self._file.close()


class StreamReader:
    """The step's end: each call to :meth:`read_new` returns the items written since the
    last call (only whole lines: the kernel may be half-way through one)."""

    def __init__(self, scratch_dir: str) -> None:
        self.path = os.path.join(scratch_dir, STREAM_FILE)
        self._offset = 0

    def read_new(self) -> Iterator[dict[str, Any]]:
        try:
            with open(self.path, "rb") as file:
                file.seek(self._offset)
                chunk = file.read()
        except FileNotFoundError:
            return
        complete = chunk[:chunk.rfind(b"\n") + 1]
        self._offset += len(complete)
        for line in complete.decode("utf-8").splitlines():
            yield deserialize(line)


def load_output_value(scratch_dir: str, output_name: str) -> Any:
    """The value the kernel yielded for ``output_name``."""
    with open(output_value_path(scratch_dir, output_name), "rb") as file:
        return pickle.load(file)
