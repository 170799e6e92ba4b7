"""Files of one ADLS Gen2 file system (a Blob container): write, read, test, delete, list.

The IO manager, the file manager and the file cache all store through an
:class:`ADLS2ObjectStore`. It speaks to the Data Lake client by default, as an account with
a hierarchical namespace expects: writing, listing and deleting go through the ADLS Gen2
path API (reading and testing for a file the client itself sends to the Blob endpoint).
With ``use_blob_api`` every operation goes through the Blob client instead, which every
Gen2 account also accepts, as do accounts without a hierarchical namespace and a Blob-only
emulator (Azurite). A file written one way is read the other way: the paths are the blob
names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from headwater_azure.errors import ConfigPlace, azure_errors


@dataclass(frozen=True)
class StoredFile:
    """One listed file.

    Attributes:
        name: Its path in the file system (the blob name).
        last_modified: When it was last written (to the second).
    """

    name: str
    last_modified: datetime


class ADLS2ObjectStore:
    """The files of one file system, through an :class:`~headwater_azure.ADLS2Resource`.

    Args:
        adls2: The resource (its Data Lake and Blob clients, and whether to write through
            the Blob API).
        file_system: The file system (container).
        place: Whose settings made the clients, for error messages.
        file_system_setting: The setting that named the file system, for error messages.
    """

    def __init__(self, adls2: Any, file_system: str, place: ConfigPlace,
                 file_system_setting: str = "the file system setting") -> None:
        self.adls2 = adls2
        self.file_system = file_system
        self.place = place
        self.file_system_setting = file_system_setting

    def uri(self, path: str) -> str:
        """Where ``path`` is: ``abfss://<file_system>@<account>.dfs.core.windows.net/<path>``
        on Azure's public cloud, else the file's URL on the configured endpoint."""
        return self.adls2.uri(self.file_system, path)

    def _errors(self, action: str, path: str, missing_blob_hint: str = "") -> Any:
        return azure_errors(f"{action} {self.uri(path)}", self.place, self.file_system, path,
                            container_setting=self.file_system_setting,
                            missing_blob_hint=missing_blob_hint, endpoint=self.adls2.endpoint)

    def write(self, path: str, data: bytes | IO[bytes], *, action: str = "writing") -> None:
        """Store ``data`` (bytes or a binary file object) at ``path``, replacing what is
        there."""
        with self._errors(action, path):
            if self.adls2.use_blob_api:
                self.adls2.blob_client.get_blob_client(self.file_system, path).upload_blob(
                    data, overwrite=True)
            else:
                self.adls2.adls2_client.get_file_client(self.file_system, path).upload_data(
                    data, overwrite=True)

    def read(self, path: str, *, action: str = "reading", missing_blob_hint: str = "") -> bytes:
        """The bytes at ``path``.

        Raises:
            AzureBlobNotFoundError: There is nothing there (the message ends with
                ``missing_blob_hint``).
        """
        with self._errors(action, path, missing_blob_hint):
            if self.adls2.use_blob_api:
                blob = self.adls2.blob_client.get_blob_client(self.file_system, path)
                return blob.download_blob().readall()
            file = self.adls2.adls2_client.get_file_client(self.file_system, path)
            return file.download_file().readall()

    def exists(self, path: str) -> bool:
        """Whether a file is stored at ``path``."""
        with self._errors("looking for", path):
            if self.adls2.use_blob_api:
                return self.adls2.blob_client.get_blob_client(self.file_system, path).exists()
            return self.adls2.adls2_client.get_file_client(self.file_system, path).exists()

    def delete(self, path: str) -> None:
        """Delete the file at ``path`` (a file that is already gone is not an error)."""
        from azure.core.exceptions import ResourceNotFoundError

        with self._errors("deleting", path):
            try:
                if self.adls2.use_blob_api:
                    self.adls2.blob_client.get_blob_client(self.file_system, path) \
                        .delete_blob()
                else:
                    self.adls2.adls2_client.get_file_client(self.file_system, path) \
                        .delete_file()
            except ResourceNotFoundError as error:
                if getattr(error, "error_code", None) not in ("BlobNotFound", "PathNotFound"):
                    raise

    def list(self, prefix: str = "") -> list[StoredFile]:
        """The files whose path starts with ``prefix`` (directories left out)."""
        with self._errors("listing", prefix):
            if self.adls2.use_blob_api:
                container = self.adls2.blob_client.get_container_client(self.file_system)
                return [StoredFile(blob.name, blob.last_modified)
                        for blob in container.list_blobs(name_starts_with=prefix or None)]
            # The path API lists a directory, not a name prefix: list the directory the
            # prefix is in, then keep the names that start with it.
            folder = prefix.rsplit("/", 1)[0] if "/" in prefix else None
            file_system = self.adls2.adls2_client.get_file_system_client(self.file_system)
            return [StoredFile(path.name, path.last_modified)
                    for path in file_system.get_paths(path=folder, recursive=True)
                    if not path.is_directory and path.name.startswith(prefix)]
