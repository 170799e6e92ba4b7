"""Files in GCS, addressed by handles: write bytes, get a handle, read them back anywhere.

A solid that produces a file writes it through the file manager and passes the handle on;
the handle is small and picklable, so it crosses processes and runs like any output::

    @solid(required_resource_keys={"file_manager"})
    def export(context) -> GCSFileHandle:
        return context.resources.file_manager.write_data(b"id,total\\n1,9.5\\n", ext="csv")

    @solid(required_resource_keys={"file_manager"})
    def publish(context, report: GCSFileHandle) -> int:
        return len(context.resources.file_manager.read_data(report))
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO, Any

from headwater_gcp import gcs
from headwater_gcp.errors import ConfigPlace


@dataclass(frozen=True)
class GCSFileHandle:
    """Where a file is in GCS.

    Attributes:
        gcs_bucket: The bucket.
        gcs_key: The object's name.
    """

    gcs_bucket: str
    gcs_key: str

    @property
    def path_desc(self) -> str:
        """``gs://bucket/name``."""
        return f"gs://{self.gcs_bucket}/{self.gcs_key}"


class GCSFileManager:
    """Writes files under ``gs://<bucket>/<prefix>/`` and reads or deletes them by handle.

    Args:
        client: A ``google.cloud.storage.Client``.
        bucket: The bucket new files go to.
        prefix: The name prefix of new files ("" for the bucket's root).
        place: Whose settings these are, for error messages.
    """

    def __init__(self, client: Any, bucket: str, prefix: str, place: ConfigPlace) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.place = place

    def write_data(self, data: bytes, ext: str | None = None) -> GCSFileHandle:
        """Store ``data`` as a new file; its name is unique, ending with ``.<ext>`` if given."""
        name = uuid.uuid4().hex + (f".{ext.lstrip('.')}" if ext else "")
        key = f"{self.prefix}/{name}" if self.prefix else name
        handle = GCSFileHandle(self.bucket, key)
        gcs.write_bytes(self.client, self.bucket, key, data, f"writing {handle.path_desc}",
                        self.place, f"gcs_bucket in {self.place.path}")
        return handle

    def write(self, file_obj: IO[bytes], ext: str | None = None) -> GCSFileHandle:
        """Store what ``file_obj`` (opened in binary mode) holds as a new file."""
        return self.write_data(file_obj.read(), ext=ext)

    def read_data(self, handle: GCSFileHandle) -> bytes:
        """The bytes of the file ``handle`` points at."""
        return gcs.read_bytes(self.client, handle.gcs_bucket, handle.gcs_key,
                              f"reading {handle.path_desc}", self.place,
                              f"gcs_bucket in {self.place.path}")

    def delete(self, handle: GCSFileHandle) -> None:
        """Delete the file (deleting a file that is already gone is not an error)."""
        gcs.delete(self.client, handle.gcs_bucket, handle.gcs_key,
                   f"deleting {handle.path_desc}", self.place)
