"""The CloudWatch Logs logger: a run's log lines sent to a log group and stream.

Lines are batched, not sent one request each. A batch goes out when it is full
(``max_batch_size`` lines, or CloudWatch's limit of about 1 MB), when its oldest line has
waited ``flush_interval_seconds``, and whenever a step attempt, a hook or the run ends, so
that every line of a step is in CloudWatch once the step is reported done, and every line
of the run once the run is. Lines still waiting when the process exits are sent then (by
``logging``'s shutdown, which flushes every handler).

To see where steps and runs end, the logger listens to every event of the run (events are
recorded at DEBUG); it sends only the lines at ``log_level`` or above.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from headwater import Field, StringSource, logger
from headwater_aws.clients import CLIENT_FIELDS, client_settings, make_client
from headwater_aws.errors import ConfigPlace, HeadwaterAwsError, aws_errors, error_code

# After these events no more lines come for the step attempt, hook or run: send the batch.
FLUSH_EVENTS = frozenset({
    "STEP_SUCCESS", "STEP_FAILURE", "STEP_UP_FOR_RETRY", "HOOK_COMPLETED", "HOOK_ERRORED",
    "HOOK_SKIPPED", "PIPELINE_SUCCESS", "PIPELINE_FAILURE", "PIPELINE_CANCELED",
})
# CloudWatch Logs' limits of one PutLogEvents request, and of one event.
MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD_BYTES = 26
MAX_EVENT_BYTES = 262_144 - EVENT_OVERHEAD_BYTES

_PLACE = ConfigPlace("cloudwatch_logger", "loggers.<key>.config")


class CloudWatchLogsHandler(logging.Handler):
    """A logging handler that sends records to one CloudWatch Logs stream, in batches.

    The group and the stream are created on the first send when they do not exist.

    Args:
        client_options: Settings for the CloudWatch Logs client (see ``make_client``).
        log_group_name / log_stream_name: Where the lines go.
        threshold: The lowest level of the lines sent.
        flush_interval_seconds: The longest a line waits in the batch.
        max_batch_size: The most lines in one request.
        place: Where these settings were given, for error messages.
    """

    def __init__(self, client_options: dict[str, Any], log_group_name: str,
                 log_stream_name: str, threshold: int = logging.INFO,
                 flush_interval_seconds: float = 5.0, max_batch_size: int = 1000,
                 place: ConfigPlace = _PLACE) -> None:
        super().__init__(logging.NOTSET)
        self.log_group_name = log_group_name
        self.log_stream_name = log_stream_name
        self.threshold = threshold
        self.flush_interval_seconds = flush_interval_seconds
        self.max_batch_size = min(max_batch_size, MAX_BATCH_EVENTS)
        self.place = place
        # Made now, not at the first send: that may be at interpreter exit, when boto3 can
        # no longer set itself up.
        self._client = make_client("logs", place, **client_options)
        self._destination_ready = False
        self._batch: list[dict[str, Any]] = []
        self._batch_bytes = 0
        self._timer: threading.Timer | None = None

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "headwater_meta", None) or {}
        if record.levelno >= self.threshold:
            self._add(record)
        if meta.get("event_type") in FLUSH_EVENTS or len(self._batch) >= self.max_batch_size:
            self.flush()
        elif self._batch and self._timer is None:
            self._timer = threading.Timer(self.flush_interval_seconds, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def _add(self, record: logging.LogRecord) -> None:
        message = self.format(record)
        encoded = message.encode("utf-8")
        if len(encoded) > MAX_EVENT_BYTES:
            message = encoded[:MAX_EVENT_BYTES].decode("utf-8", errors="ignore")
            encoded = message.encode("utf-8")
        size = len(encoded) + EVENT_OVERHEAD_BYTES
        if self._batch_bytes + size > MAX_BATCH_BYTES:
            self.flush()
        self._batch.append({"timestamp": int(record.created * 1000), "message": message})
        self._batch_bytes += size

    def flush(self) -> None:
        """Send the lines waiting in the batch (called by the handler itself; safe to call
        any time)."""
        with self.lock:  # type: ignore[union-attr]
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not self._batch:
                return
            # CloudWatch wants the events of a request in time order; threads may log out
            # of order by a hair.
            batch = sorted(self._batch, key=lambda event: event["timestamp"])
            self._batch, self._batch_bytes = [], 0
            try:
                self._send(batch)
            except Exception as error:
                # A logger never fails the run it logs: say what was lost, and why.
                sys.stderr.write(f"headwater-aws: {len(batch)} log lines were not sent to "
                                 f"CloudWatch Logs: {error}\n")

    def _send(self, batch: list[dict[str, Any]]) -> None:
        where = f'log stream "{self.log_stream_name}" of log group "{self.log_group_name}"'
        with aws_errors(f"sending log lines to the {where}", self.place):
            if not self._destination_ready:
                self._create_destination()
            response = self._client.put_log_events(
                logGroupName=self.log_group_name, logStreamName=self.log_stream_name,
                logEvents=batch)
        rejected = response.get("rejectedLogEventsInfo")
        if rejected:
            sys.stderr.write(f"headwater-aws: CloudWatch Logs rejected some of {len(batch)} "
                             f"log lines sent to the {where} (too old or too new): "
                             f"{rejected}\n")

    def _create_destination(self) -> None:
        for create, arguments in (
                (self._client.create_log_group, {"logGroupName": self.log_group_name}),
                (self._client.create_log_stream, {"logGroupName": self.log_group_name,
                                                  "logStreamName": self.log_stream_name})):
            try:
                create(**arguments)
            except Exception as error:
                if error_code(error) != "ResourceAlreadyExistsException":
                    raise
        self._destination_ready = True

def _level(name: str) -> int:
    level = logging.getLevelName(name.upper())
    if not isinstance(level, int):
        raise HeadwaterAwsError(
            f'Unknown log_level "{name}" in the config of cloudwatch_logger: use DEBUG, INFO, '
            "WARNING, ERROR or CRITICAL.")
    return level


@logger(
    config_schema={
        "log_group_name": Field(StringSource, description="The log group (created if "
                                                          "missing)."),
        "log_stream_name": Field(StringSource, description="The log stream (created if "
                                                           "missing)."),
        "log_level": Field(str, default_value="INFO",
                           description="DEBUG, INFO, WARNING, ERROR or CRITICAL."),
        "name": Field(str, default_value="headwater", description="The logger's name."),
        "flush_interval_seconds": Field(float, default_value=5.0,
                                        description="The longest a line waits before it is "
                                                    "sent."),
        "max_batch_size": Field(int, default_value=1000,
                                description="The most lines in one request (at most "
                                            "10000)."),
        **CLIENT_FIELDS,
    },
    description="Sends the run's log lines to a CloudWatch Logs stream, in batches.",
)
def cloudwatch_logger(init_context):
    """A logger whose handler sends lines to CloudWatch Logs."""
    config = init_context.logger_config
    handler = CloudWatchLogsHandler(
        client_settings(config), config["log_group_name"], config["log_stream_name"],
        threshold=_level(config["log_level"]),
        flush_interval_seconds=config["flush_interval_seconds"],
        max_batch_size=config["max_batch_size"])
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    # A private Logger, as core's loggers: not kept in logging's registry for ever. It
    # listens at DEBUG to see where steps and runs end; the handler filters by level.
    log = logging.Logger(config["name"], logging.DEBUG)
    log.addHandler(handler)
    return log
