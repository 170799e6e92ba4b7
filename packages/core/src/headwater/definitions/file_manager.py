"""File handles and the local file manager: the legacy way solids pass files around.

A solid writes bytes through the ``file_manager`` resource and passes on the returned
:class:`FileHandle`; a downstream solid reads the file through the same resource. Only the
local file system is provided here.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from headwater.config import Field, StringSource
from headwater.definitions.io_manager import default_storage_dir
from headwater.definitions.resource import resource
from headwater.errors import HeadwaterInvalidInvocationError


class FileHandle:
    """A reference to a file that a file manager can read; ``path_desc`` says where it is."""

    @property
    def path_desc(self) -> str:
        """A human-readable description of where the file is."""
        raise NotImplementedError


@dataclass(frozen=True)
class LocalFileHandle(FileHandle):
    """A file on the local file system.

    Args:
        path: The file's path.
    """

    path: str

    @property
    def path_desc(self) -> str:
        return self.path


class LocalFileManager:
    """Writes files under ``base_dir`` and reads :class:`LocalFileHandle` files.

    Args:
        base_dir: Where written files go (created on the first write).
    """

    def __init__(self, base_dir: str) -> None:
        self.base_dir = base_dir
        self._temp_dirs: list[str] = []

    def _local_path(self, file_handle: FileHandle) -> str:
        if not isinstance(file_handle, LocalFileHandle):
            raise HeadwaterInvalidInvocationError(
                f"The local file manager reads LocalFileHandle values, received "
                f"{file_handle!r}; use the file manager of the storage that wrote it.")
        return file_handle.path

    def copy_handle_to_local_temp(self, file_handle: FileHandle) -> str:
        """A local temporary copy of the file (removed by :meth:`delete_local_temp`)."""
        import shutil  # shutil, tempfile and uuid load here: import headwater stays light
        import tempfile

        temp_dir = tempfile.mkdtemp(prefix="headwater-file-manager-")
        self._temp_dirs.append(temp_dir)
        target = os.path.join(temp_dir, os.path.basename(self._local_path(file_handle)))
        shutil.copyfile(self._local_path(file_handle), target)
        return target

    def delete_local_temp(self) -> None:
        """Remove every temporary copy made so far."""
        import shutil

        for temp_dir in self._temp_dirs:
            shutil.rmtree(temp_dir, ignore_errors=True)
        self._temp_dirs.clear()

    @contextlib.contextmanager
    def read(self, file_handle: FileHandle, mode: str = "rb") -> Iterator[IO[Any]]:
        """Open the file for reading."""
        with open(self._local_path(file_handle), mode) as file:
            yield file

    def read_data(self, file_handle: FileHandle) -> bytes:
        """The file's bytes."""
        with self.read(file_handle, "rb") as file:
            data: bytes = file.read()
        return data

    def write(self, file_obj: IO[Any], mode: str = "wb", ext: str | None = None) -> LocalFileHandle:
        """Copy a file object into a new file under ``base_dir``; its handle."""
        import shutil
        import uuid

        os.makedirs(self.base_dir, exist_ok=True)
        name = uuid.uuid4().hex + (f".{ext}" if ext else "")
        path = os.path.join(self.base_dir, name)
        with open(path, mode) as target:
            shutil.copyfileobj(file_obj, target)
        return LocalFileHandle(path)

    def write_data(self, data: bytes, ext: str | None = None) -> LocalFileHandle:
        """Write bytes into a new file under ``base_dir``; its handle."""
        return self.write(io.BytesIO(data), "wb", ext)


@resource(config_schema={"base_dir": Field(
    StringSource, is_required=False,
    description="Where files are written (default: the instance's storage directory).")})
def local_file_manager(init_context: Any) -> Iterator[LocalFileManager]:
    """A :class:`LocalFileManager` writing under ``base_dir``; its temporary copies are
    removed when the run ends."""
    manager = LocalFileManager(init_context.resource_config.get("base_dir")
                               or os.path.join(default_storage_dir(init_context), "files"))
    try:
        yield manager
    finally:
        manager.delete_local_temp()
