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

from collections.abc import Mapping
from typing import Any

from headwater import Field, StringSource
from headwater.integration import ComponentContext, UploadingComputeLogManager
from headwater_azure.clients import CLIENT_FIELDS, client_settings, make_blob_service_client
from headwater_azure.errors import AzureBlobNotFoundError, ConfigPlace, azure_errors


class AzureBlobComputeLogManager(UploadingComputeLogManager):
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
        super().__init__(local_dir, prefix=prefix, skip_empty_files=skip_empty_files, tee=tee)
        self.container = container
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

    def describe(self, key: str) -> str:
        return f'blob "{key}" of container "{self.container}"'

    def _errors(self, doing: str, key: str) -> Any:
        return azure_errors(doing, self.place, self.container, key,
                            container_setting=f"container in {self.place.path}",
                            endpoint=self.blob_client.url.rstrip("/"))

    def upload(self, key: str, data: bytes, doing: str) -> None:
        with self._errors(doing, key):
            self.blob_client.get_blob_client(self.container, key).upload_blob(
                data, overwrite=True)

    def download(self, key: str, doing: str) -> bytes | None:
        try:
            with self._errors(doing, key):
                data: bytes = self.blob_client.get_blob_client(self.container, key) \
                    .download_blob().readall()
        except AzureBlobNotFoundError:
            return None
        return data

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "container": Field(StringSource, description="The container the logs go to."),
            **super().config_schema(),
            **CLIENT_FIELDS,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> AzureBlobComputeLogManager:
        return cls(config["container"], client_settings=client_settings(config),
                   **cls.shared_settings(config, context),
                   place=ConfigPlace("AzureBlobComputeLogManager",
                                     f"compute_logs.config in {context.where}"))
