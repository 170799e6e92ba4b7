"""Files in ADLS Gen2, addressed by handles: write bytes, get a handle, read them anywhere.

A solid that produces a file writes it through the file manager and passes the handle on;
the handle is small and picklable, so it crosses processes and runs like any output::

    @solid(required_resource_keys={"file_manager"})
    def export(context) -> ADLS2FileHandle:
        return context.resources.file_manager.write_data(b"id,total\\n1,9.5\\n", ext="csv")

    @solid(required_resource_keys={"file_manager"})
    def publish(context, report: ADLS2FileHandle) -> int:
        return len(context.resources.file_manager.read_data(report))

The file cache keeps files by a key of the caller's choosing (a downloaded source, say),
so that a later run finds them instead of fetching them again.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO

from headwater_azure.errors import AzureBlobExistsError
from headwater_azure.object_store import ADLS2ObjectStore


@dataclass(frozen=True)
class ADLS2FileHandle:
    """Where a file is in ADLS Gen2.

    Attributes:
        account: The storage account.
        file_system: The file system (container).
        key: The file's path in it.
        path_desc: ``abfss://<file_system>@<account>.dfs.core.windows.net/<key>`` (the
            file's URL on an endpoint other than Azure's public cloud).
    """

    account: str
    file_system: str
    key: str
    path_desc: str


def _joined(prefix: str, name: str) -> str:
    prefix = prefix.strip("/")
    return f"{prefix}/{name}" if prefix else name


class ADLS2FileManager:
    """Writes files under ``<prefix>/`` of a file system and reads or deletes them by handle.

    Args:
        store: The file system's files.
        prefix: The path prefix of new files ("" for the file system's root).
    """

    def __init__(self, store: ADLS2ObjectStore, prefix: str) -> None:
        self.store = store
        self.prefix = prefix.strip("/")

    def _handle(self, key: str) -> ADLS2FileHandle:
        return ADLS2FileHandle(self.store.adls2.storage_account, self.store.file_system, key,
                               self.store.uri(key))

    def write_data(self, data: bytes, ext: str | None = None) -> ADLS2FileHandle:
        """Store ``data`` as a new file; its name is unique, ending with ``.<ext>`` if given."""
        return self.write(io.BytesIO(data), ext=ext)

    def write(self, file_obj: IO[bytes], ext: str | None = None) -> ADLS2FileHandle:
        """Store what ``file_obj`` (opened in binary mode) holds as a new file."""
        name = uuid.uuid4().hex + (f".{ext.lstrip('.')}" if ext else "")
        handle = self._handle(_joined(self.prefix, name))
        self.store.write(handle.key, file_obj)
        return handle

    def read_data(self, handle: ADLS2FileHandle) -> bytes:
        """The bytes of the file ``handle`` points at."""
        return self._store_of(handle).read(handle.key)

    def delete(self, handle: ADLS2FileHandle) -> None:
        """Delete the file (deleting a file that is already gone is not an error)."""
        self._store_of(handle).delete(handle.key)

    def _store_of(self, handle: ADLS2FileHandle) -> ADLS2ObjectStore:
        if handle.file_system == self.store.file_system:
            return self.store
        # A handle made by another manager of the same account, in another file system.
        return self.store.adls2.object_store(handle.file_system, self.store.place)


class ADLS2FileCache:
    """Files kept under ``<prefix>/<file_key>`` of a file system, found again by key.

    Args:
        store: The file system's files.
        prefix: The path prefix of cached files.
        overwrite: Replace a cached file written again (else that is an error).
    """

    def __init__(self, store: ADLS2ObjectStore, prefix: str, overwrite: bool = False) -> None:
        self.store = store
        self.prefix = prefix.strip("/")
        self.overwrite = overwrite

    def get_file_handle(self, file_key: str) -> ADLS2FileHandle:
        """The handle of the cached file ``file_key`` (whether it is there or not)."""
        key = _joined(self.prefix, file_key)
        return ADLS2FileHandle(self.store.adls2.storage_account, self.store.file_system, key,
                               self.store.uri(key))

    def has_file_object(self, file_key: str) -> bool:
        """Whether ``file_key`` is cached."""
        return self.store.exists(_joined(self.prefix, file_key))

    def write_binary_data(self, file_key: str, binary_data: bytes) -> ADLS2FileHandle:
        """Cache ``binary_data`` as ``file_key``."""
        return self.write_file_object(file_key, io.BytesIO(binary_data))

    def write_file_object(self, file_key: str, source_file_object: IO[bytes]) -> ADLS2FileHandle:
        """Cache what ``source_file_object`` (binary) holds as ``file_key``.

        Raises:
            AzureBlobExistsError: It is cached already and ``overwrite`` is off.
        """
        handle = self.get_file_handle(file_key)
        if not self.overwrite and self.store.exists(handle.key):
            raise AzureBlobExistsError(
                f'The file cache already holds "{file_key}" ({handle.path_desc}). Read it '
                "with get_file_handle, or set overwrite: true in the config of "
                "adls2_file_cache to replace it.")
        self.store.write(handle.key, source_file_object)
        return handle
