"""Files in S3, addressed by handles: write bytes, get a handle, read them back anywhere.

A solid that produces a file writes it through the file manager and passes the handle on;
the handle is small and picklable, so it crosses processes and runs like any output::

    @solid(required_resource_keys={"file_manager"})
    def export(context) -> S3FileHandle:
        return context.resources.file_manager.write_data(b"id,total\\n1,9.5\\n", ext="csv")

    @solid(required_resource_keys={"file_manager"})
    def publish(context, report: S3FileHandle) -> int:
        return len(context.resources.file_manager.read_data(report))
"""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from headwater_aws.errors import ConfigPlace, aws_errors


@dataclass(frozen=True)
class S3FileHandle:
    """Where a file is in S3.

    Attributes:
        s3_bucket: The bucket.
        s3_key: The key.
    """

    s3_bucket: str
    s3_key: str

    @property
    def path_desc(self) -> str:
        """``s3://bucket/key``."""
        return f"s3://{self.s3_bucket}/{self.s3_key}"


class S3FileManager:
    """Writes files under ``s3://<bucket>/<prefix>/`` and reads or deletes them by handle.

    Args:
        s3: A boto3 S3 client.
        bucket: The bucket new files go to.
        prefix: The key prefix of new files ("" for the bucket's root).
        place: Whose settings these are, for error messages.
    """

    def __init__(self, s3: Any, bucket: str, prefix: str, place: ConfigPlace) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.place = place

    def write_data(self, data: bytes, ext: str | None = None) -> S3FileHandle:
        """Store ``data`` as a new file; its name is unique, ending with ``.<ext>`` if given."""
        return self.write(io.BytesIO(data), ext=ext)

    def write(self, file_obj: IO[bytes], ext: str | None = None) -> S3FileHandle:
        """Store what ``file_obj`` (opened in binary mode) holds as a new file."""
        name = uuid.uuid4().hex + (f".{ext.lstrip('.')}" if ext else "")
        key = f"{self.prefix}/{name}" if self.prefix else name
        handle = S3FileHandle(self.bucket, key)
        with aws_errors(f"writing {handle.path_desc}", self.place, self.bucket, key,
                        bucket_setting=f"s3_bucket in {self.place.path}"):
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=file_obj)
        return handle

    def read_data(self, handle: S3FileHandle) -> bytes:
        """The bytes of the file ``handle`` points at."""
        with self.read(handle) as body:
            return body.read()

    @contextlib.contextmanager
    def read(self, handle: S3FileHandle) -> Iterator[IO[bytes]]:
        """A binary stream of the file, closed when the block ends."""
        with aws_errors(f"reading {handle.path_desc}", self.place, handle.s3_bucket,
                        handle.s3_key):
            body = self.s3.get_object(Bucket=handle.s3_bucket, Key=handle.s3_key)["Body"]
        try:
            yield body
        finally:
            body.close()

    def delete(self, handle: S3FileHandle) -> None:
        """Delete the file (deleting a file that is already gone is not an error)."""
        with aws_errors(f"deleting {handle.path_desc}", self.place, handle.s3_bucket,
                        handle.s3_key):
            self.s3.delete_object(Bucket=handle.s3_bucket, Key=handle.s3_key)
