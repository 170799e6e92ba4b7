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

from collections.abc import Mapping
from typing import Any

from headwater import Field, StringSource
from headwater.integration import ComponentContext, UploadingComputeLogManager
from headwater_aws.clients import CLIENT_FIELDS, client_settings, make_client
from headwater_aws.errors import ConfigPlace, S3ObjectNotFoundError, aws_errors


class S3ComputeLogManager(UploadingComputeLogManager):
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
        super().__init__(local_dir, prefix=prefix, skip_empty_files=skip_empty_files, tee=tee)
        self.bucket = bucket
        self.place = place or ConfigPlace("S3ComputeLogManager", "its constructor arguments")
        self._client_options = dict(client_options or {})
        self._client: Any = None

    @property
    def s3(self) -> Any:
        """The S3 client, made on first use (in the process that uploads)."""
        if self._client is None:
            self._client = make_client("s3", self.place, **self._client_options)
        return self._client

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def _errors(self, doing: str, key: str) -> Any:
        return aws_errors(doing, self.place, self.bucket, key,
                          bucket_setting=f"bucket in {self.place.path}")

    def upload(self, key: str, data: bytes, doing: str) -> None:
        with self._errors(doing, key):
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)

    def download(self, key: str, doing: str) -> bytes | None:
        try:
            with self._errors(doing, key):
                body: bytes = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except S3ObjectNotFoundError:
            return None
        return body

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "bucket": Field(StringSource, description="The bucket the logs go to."),
            **super().config_schema(),
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
        return cls(config["bucket"], **cls.shared_settings(config, context),
                   client_options=options,
                   place=ConfigPlace("S3ComputeLogManager",
                                     f"compute_logs.config in {context.where}"))
