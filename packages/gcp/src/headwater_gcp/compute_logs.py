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

import os
from collections.abc import Mapping
from typing import Any

from headwater import Field, StringSource
from headwater.integration import ComponentContext, UploadingComputeLogManager
from headwater_gcp import gcs
from headwater_gcp.clients import CLIENT_FIELDS, make_storage_client
from headwater_gcp.errors import ConfigPlace, GcsObjectNotFoundError, HeadwaterGcpError


class GCSComputeLogManager(UploadingComputeLogManager):
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
        super().__init__(local_dir, prefix=prefix, skip_empty_files=skip_empty_files, tee=tee)
        self.bucket = bucket
        self.place = place or ConfigPlace("GCSComputeLogManager", "its constructor arguments")
        self._client_options = dict(client_options or {})
        self._client: Any = None

    @property
    def client(self) -> Any:
        """The storage client, made on first use (in the process that uploads)."""
        if self._client is None:
            self._client = make_storage_client(self.place, **self._client_options)
        return self._client

    def describe(self, key: str) -> str:
        return f"gs://{self.bucket}/{key}"

    def upload(self, key: str, data: bytes, doing: str) -> None:
        gcs.write_bytes(self.client, self.bucket, key, data, doing, self.place,
                        f"bucket in {self.place.path}")

    def download(self, key: str, doing: str) -> bytes | None:
        try:
            data: bytes = gcs.read_bytes(self.client, self.bucket, key, doing, self.place,
                                         f"bucket in {self.place.path}")
        except GcsObjectNotFoundError:
            return None
        return data

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "bucket": Field(StringSource, description="The bucket the logs go to."),
            **super().config_schema(),
            "json_credentials_envvar": Field(StringSource, is_required=False,
                                             description="The environment variable holding "
                                                         "a service-account JSON key."),
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
        return cls(config["bucket"], **cls.shared_settings(config, context),
                   client_options=options, place=place)
