"""Compute logs in GCS: what each step prints, uploaded when the step ends.

Capture is the local compute log manager's (the process's file descriptors 1 and 2, into
files under ``local_dir``); when the step ends, successful or not, what it printed is
uploaded to ``gs://<bucket>/<prefix>/storage/<run_id>/compute_logs/<step_key>.out|.err``.
Reading prefers the local files and falls back to GCS, so another machine (the UI's) reads
what a worker printed.

Choose it in ``headwater.yaml``::

    compute_logs:
      module: headwater_gcp
      class: GCSComputeLogManager
      config:
        bucket: my-run-logs
        prefix: headwater                           # the default
        json_credentials_envvar: RUN_LOGS_KEY_JSON  # optional: a key in this variable
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
from headwater_gcp import gcs
from headwater_gcp.clients import CLIENT_FIELDS, make_storage_client
from headwater_gcp.errors import ConfigPlace, GcsObjectNotFoundError, HeadwaterGcpError

_STREAMS = ("out", "err")
_log = logging.getLogger(__name__)


class GCSComputeLogManager(ComputeLogManager):
    """Captures each step's output on local disk and keeps it in GCS.

    Args:
        bucket: The bucket the logs go to.
        local_dir: Where logs are written while a step runs.
        prefix: The name prefix ("" for the bucket's root).
        skip_empty_files: Upload nothing for a stream the step printed nothing to.
        tee: Also let the output through to the terminal while capturing.
        client_options: Settings for the storage client (the keys of ``CLIENT_FIELDS``).
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
        self.place = place or ConfigPlace("GCSComputeLogManager", "its constructor arguments")
        self._client_options = dict(client_options or {})
        self._client: Any = None

    @property
    def client(self) -> Any:
        """The storage client, made on first use (in the process that uploads)."""
        if self._client is None:
            self._client = make_storage_client(self.place, **self._client_options)
        return self._client

    def gcs_key(self, run_id: str, step_key: str, stream: str) -> str:
        """The object name of one stream (``"out"`` or ``"err"``) of a step."""
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
            key = self.gcs_key(run_id, step_key, stream)
            try:
                gcs.write_bytes(self.client, self.bucket, key, text.encode("utf-8"),
                                f'uploading the compute logs of step "{step_key}" to '
                                f"gs://{self.bucket}/{key}", self.place,
                                f"bucket in {self.place.path}")
            except HeadwaterGcpError as error:
                # The step's outcome stands: its logs stay on local disk, and the reason
                # they are not in GCS is reported where the process reports trouble.
                _log.warning("%s The logs are kept under %s.", error, self.local.base_dir)

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        local = self.local.read_logs(run_id, step_key)
        if local.stdout or local.stderr:
            return local
        # Nothing here: the step ran on another machine (or printed nothing).
        return CapturedLogs(*(self._download(self.gcs_key(run_id, step_key, stream))
                              for stream in _STREAMS))

    def _download(self, key: str) -> str:
        try:
            data = gcs.read_bytes(self.client, self.bucket, key,
                                  f"reading compute logs from gs://{self.bucket}/{key}",
                                  self.place, f"bucket in {self.place.path}")
        except GcsObjectNotFoundError:
            return ""  # the step printed nothing to this stream, or has not ended yet
        return data.decode("utf-8", errors="replace")

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
            "json_credentials_envvar": Field(StringSource, is_required=False,
                                             description="The environment variable holding "
                                                         "a service-account JSON key."),
            "skip_empty_files": Field(bool, default_value=False,
                                      description="Upload nothing for an empty stream."),
            "tee": Field(bool, default_value=True,
                         description="Also let the output through to the terminal."),
            **CLIENT_FIELDS,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> GCSComputeLogManager:
        place = ConfigPlace("GCSComputeLogManager", f"compute_logs.config in {context.where}")
        options = {name: config[name] for name in CLIENT_FIELDS
                   if config.get(name) is not None}
        variable = config.get("json_credentials_envvar")
        if variable and "gcp_credentials" not in options:
            # Read when the instance opens, so that a missing variable is named at once.
            if variable not in os.environ:
                raise HeadwaterGcpError(
                    f"json_credentials_envvar in {place.path} names the environment "
                    f"variable {variable}, which is not set. Set it to a service-account "
                    "JSON key, or remove json_credentials_envvar.")
            options["gcp_credentials"] = os.environ[variable]
        return cls(config["bucket"],
                   config.get("local_dir") or os.path.join(context.home, "storage"),
                   prefix=config["prefix"], skip_empty_files=config["skip_empty_files"],
                   tee=config["tee"], client_options=options, place=place)
