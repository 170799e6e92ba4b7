"""What a sensor needs to notice new files in S3: the keys added since the last one seen.

A sensor keeps the last key it handled as its cursor and asks for the keys after it::

    new_keys = get_s3_keys("landing", prefix="orders/", since_key=cursor)
    for key in new_keys:
        ...  # one run request per file
    cursor = new_keys[-1] if new_keys else cursor
"""

from __future__ import annotations

from typing import Any

from headwater_aws.errors import ConfigPlace, aws_errors

_PLACE = ConfigPlace("get_s3_keys", "the s3_session given to it (or the environment)")


def get_s3_keys(bucket: str, prefix: str = "", since_key: str | None = None,
                s3_session: Any = None) -> list[str]:
    """The keys under ``prefix``, oldest first; only those after ``since_key`` when given.

    Keys are ordered by their last-modified time, then by name (S3 keeps the time to the
    second, so keys written in the same second come in name order).

    Args:
        bucket: The bucket.
        prefix: Only keys starting with this.
        since_key: The last key already handled. When it is no longer listed (deleted, or
            outside ``prefix``), every key is returned, as nothing tells which are newer.
        s3_session: A boto3 S3 client (e.g. ``context.resources.s3``); by default one made
            from the environment's settings.

    Returns:
        The keys, oldest first.
    """
    if s3_session is None:
        from headwater_aws.clients import make_client

        s3_session = make_client("s3", _PLACE)
    objects: list[dict[str, Any]] = []
    with aws_errors(f"listing s3://{bucket}/{prefix}", _PLACE, bucket, prefix,
                    bucket_setting="the bucket given to get_s3_keys"):
        for page in s3_session.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                           Prefix=prefix):
            objects.extend(page.get("Contents", []))
    keys = [obj["Key"] for obj in sorted(objects, key=lambda o: (o["LastModified"], o["Key"]))]
    if since_key is None or since_key not in keys:
        return keys
    return keys[keys.index(since_key) + 1:]
