"""Compute logs in Azure Blob Storage: what each step prints, uploaded when the step ends.

Capture is the local compute log manager's (the process's file descriptors 1 and 2, into
files under ``local_dir``); when the step ends, successful or not, what it printed is
uploaded to ``<container>/<prefix>/storage/<run_id>/compute_logs/<step_key>.out|.err``.
Reading prefers the local files and falls back to the container, so another machine (the
UI's, or ``headwater run logs`` elsewhere) reads what a worker printed.

Choose it in ``headwater.yaml``::

    compute_logs:
      module: headwater_azure
      class: AzureBlobComputeLogManager
      config:
        storage_account: mystorageaccount
        container: run-logs
        credential:
          key: {env: AZURE_STORAGE_KEY}
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
from headwater_azure.clients import CLIENT_FIELDS, client_settings, make_blob_service_client
from headwater_azure.errors import (
    AzureBlobNotFoundError,
    ConfigPlace,
    HeadwaterAzureError,
    azure_errors,
)

_STREAMS = ("out", "err")
_log = logging.getLogger(__name__)


class AzureBlobComputeLogManager(ComputeLogManager):
    """Captures each step's output on local disk and keeps it in a Blob container.

    Args:
        container: The container the logs go to.
        local_dir: Where logs are written while a step runs.
        client_settings: The client keys (those of ``CLIENT_FIELDS``: ``storage_account``,
            ``credential``, ``endpoint``...).
        prefix: The blob name prefix ("" for the container's root).
        skip_empty_files: Upload nothing for a stream the step printed nothing to.
        tee: Also let the output through to the terminal while capturing.
        place: Where these settings were given, for error messages.
    """

    def __init__(self, container: str, local_dir: str, client_settings: Mapping[str, Any],
                 prefix: str = "headwater", skip_empty_files: bool = False, tee: bool = True,
                 place: ConfigPlace | None = None) -> None:
        self.container = container
        self.prefix = prefix.strip("/")
        self.skip_empty_files = skip_empty_files
        self.local = LocalComputeLogManager(local_dir, tee=tee)
        self.place = place or ConfigPlace("AzureBlobComputeLogManager",
                                          "its constructor arguments")
        self._client_settings = dict(client_settings)
        self._client: Any = None

    @property
    def blob_client(self) -> Any:
        """The ``BlobServiceClient``, made on first use (in the process that uploads)."""
        if self._client is None:
            self._client = make_blob_service_client(self.place, **self._client_settings)
        return self._client

    def blob_name(self, run_id: str, step_key: str, stream: str) -> str:
        """The blob of one stream (``"out"`` or ``"err"``) of a step."""
        parts = [self.prefix, "storage", run_id, "compute_logs", f"{step_key}.{stream}"]
        return "/".join(part for part in parts if part)

    def _errors(self, action: str, name: str) -> Any:
        return azure_errors(f'{action} blob "{name}" of container "{self.container}"',
                            self.place, self.container, name,
                            container_setting=f"container in {self.place.path}",
                            endpoint=self.blob_client.url.rstrip("/"))

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
            name = self.blob_name(run_id, step_key, stream)
            try:
                with self._errors(f'uploading the compute logs of step "{step_key}" to', name):
                    self.blob_client.get_blob_client(self.container, name).upload_blob(
                        text.encode("utf-8"), overwrite=True)
            except HeadwaterAzureError as error:
                # The step's outcome stands: its logs stay on local disk, and the reason
                # they are not in the container is reported where the process reports
                # trouble.
                _log.warning("%s The logs are kept under %s.", error, self.local.base_dir)

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        local = self.local.read_logs(run_id, step_key)
        if local.stdout or local.stderr:
            return local
        # Nothing here: the step ran on another machine (or printed nothing).
        return CapturedLogs(*(self._download(self.blob_name(run_id, step_key, stream))
                              for stream in _STREAMS))

    def _download(self, name: str) -> str:
        try:
            with self._errors("reading compute logs from", name):
                body = self.blob_client.get_blob_client(self.container, name) \
                    .download_blob().readall()
        except AzureBlobNotFoundError:
            return ""  # the step printed nothing to this stream, or has not ended yet
        return body.decode("utf-8", errors="replace")

    def dispose(self) -> None:
        self.local.dispose()

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "container": Field(StringSource, description="The container the logs go to."),
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
            **CLIENT_FIELDS,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> AzureBlobComputeLogManager:
        return cls(config["container"],
                   config.get("local_dir") or os.path.join(context.home, "storage"),
                   client_settings(config), prefix=config["prefix"],
                   skip_empty_files=config["skip_empty_files"], tee=config["tee"],
                   place=ConfigPlace("AzureBlobComputeLogManager",
                                     f"compute_logs.config in {context.where}"))
