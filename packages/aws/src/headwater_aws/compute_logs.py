"""Compute logs in S3: what each step prints, uploaded when the step ends.

Capture is the local compute log manager's (the process's file descriptors 1 and 2, into
files under ``local_dir``); when the step ends, successful or not, what it printed is
uploaded to ``s3://<bucket>/<prefix>/storage/<run_id>/compute_logs/<step_key>.out|.err``.
Reading prefers the local files and falls back to S3, so another machine (the UI's) reads
what a worker printed.

Choose it in ``headwater.yaml``::

    compute_logs:
      module: headwater_aws
      class: S3ComputeLogManager
      config:
        bucket: my-run-logs
        prefix: headwater          # the default
        region_name: eu-west-1
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any

from headwater import Field, StringSource
from headwater.integration import (
    CapturedLogs,
    ComponentContext,
    ComputeLogManager,
    LocalComputeLogManager,
)
from headwater_aws.clients import CLIENT_FIELDS, client_settings, make_client
from headwater_aws.errors import (
    ConfigPlace,
    HeadwaterAwsError,
    S3ObjectNotFoundError,
    aws_errors,
)

_STREAMS = ("out", "err")
_log = logging.getLogger(__name__)


class S3ComputeLogManager(ComputeLogManager):
    """Captures each step's output on local disk and keeps it in S3.

    Args:
        bucket: The bucket the logs go to.
        local_dir: Where logs are written while a step runs.
        prefix: The key prefix ("" for the bucket's root).
        skip_empty_files: Upload nothing for a stream the step printed nothing to.
        tee: Also let the output through to the terminal while capturing.
        client_options: Settings for the S3 client (the keys of ``CLIENT_FIELDS``, plus
            ``verify`` and ``use_ssl``).
        place: Where these settings were given, for error messages.
    """

    def __init__(self, bucket: str, local_dir: str, prefix: str = "headwater",
                 skip_empty_files: bool = False, tee: bool = True,
                 client_options: Mapping[str, Any] | None = None,
                 place: ConfigPlace | None = None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.skip_empty_files = skip_empty_files
        self.local = LocalComputeLogManager(local_dir, tee=tee)
        self.place = place or ConfigPlace("S3ComputeLogManager", "its constructor arguments")
        self._client_options = dict(client_options or {})
        self._client: Any = None

    @property
    def s3(self) -> Any:
        """The S3 client, made on first use (in the process that uploads)."""
        if self._client is None:
            self._client = make_client("s3", self.place, **self._client_options)
        return self._client

    def s3_key(self, run_id: str, step_key: str, stream: str) -> str:
        """The key of one stream (``"out"`` or ``"err"``) of a step."""
        parts = [self.prefix, "storage", run_id, "compute_logs", f"{step_key}.{stream}"]
        return "/".join(part for part in parts if part)

    @contextlib.contextmanager
    def capture(self, run_id: str, step_key: str) -> Iterator[None]:
        try:
            with self.local.capture(run_id, step_key):
                yield
        finally:
            self._upload(run_id, step_key)

    def _upload(self, run_id: str, step_key: str) -> None:
        logs = self.local.read_logs(run_id, step_key)
        for stream, text in zip(_STREAMS, (logs.stdout, logs.stderr), strict=True):
            if self.skip_empty_files and not text:
                continue
            key = self.s3_key(run_id, step_key, stream)
            try:
                with aws_errors(f'uploading the compute logs of step "{step_key}" to '
                                f"s3://{self.bucket}/{key}", self.place, self.bucket, key,
                                bucket_setting=f"bucket in {self.place.path}"):
                    self.s3.put_object(Bucket=self.bucket, Key=key, Body=text.encode("utf-8"))
            except HeadwaterAwsError as error:
                # The step's outcome stands: its logs stay on local disk, and the reason
                # they are not in S3 is reported where the process reports trouble.
                _log.warning("%s The logs are kept under %s.", error, self.local.base_dir)

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        local = self.local.read_logs(run_id, step_key)
        if local.stdout or local.stderr:
            return local
        # Nothing here: the step ran on another machine (or printed nothing).
        return CapturedLogs(*(self._download(self.s3_key(run_id, step_key, stream))
                              for stream in _STREAMS))

    def _download(self, key: str) -> str:
        try:
            with aws_errors(f"reading compute logs from s3://{self.bucket}/{key}", self.place,
                            self.bucket, key, bucket_setting=f"bucket in {self.place.path}"):
                body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except S3ObjectNotFoundError:
            return ""  # the step printed nothing to this stream, or has not ended yet
        return body.decode("utf-8", errors="replace")

    def dispose(self) -> None:
        self.local.dispose()

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "bucket": Field(StringSource, description="The bucket the logs go to."),
            "prefix": Field(StringSource, default_value="headwater",
                            description="Logs go under <prefix>/storage/<run_id>/"
                                        "compute_logs/."),
            "local_dir": Field(StringSource, is_required=False,
                               description="Where logs are written while a step runs "
                                           "(default: $HEADWATER_HOME/storage)."),
            "skip_empty_files": Field(bool, default_value=False,
                                      description="Upload nothing for an empty stream."),
            "tee": Field(bool, default_value=True,
                         description="Also let the output through to the terminal."),
            "use_ssl": Field(bool, default_value=True, description="Use HTTPS."),
            "verify": Field(bool, default_value=True,
                            description="Verify the endpoint's TLS certificate."),
            "verify_cert_path": Field(StringSource, is_required=False,
                                      description="A CA bundle to verify it with."),
            **CLIENT_FIELDS,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> S3ComputeLogManager:
        options = client_settings(config)
        options["use_ssl"] = config["use_ssl"]
        options["verify"] = config.get("verify_cert_path") or config["verify"]
        return cls(config["bucket"],
                   config.get("local_dir") or os.path.join(context.home, "storage"),
                   prefix=config["prefix"], skip_empty_files=config["skip_empty_files"],
                   tee=config["tee"], client_options=options,
                   place=ConfigPlace("S3ComputeLogManager",
                                     f"compute_logs.config in {context.where}"))
