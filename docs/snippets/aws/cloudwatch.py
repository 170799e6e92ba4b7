"""AWS: a run's log lines in CloudWatch Logs (cloudwatch_logger)."""

import boto3

from headwater import ModeDefinition, colored_console_logger, execute_pipeline, pipeline, solid


@solid
def load(context) -> int:
    context.log.info("Loaded 42 rows.")
    return 42


# [start:logger]
@pipeline(mode_defs=[ModeDefinition(logger_defs={
    "console": colored_console_logger,
    "cloudwatch": "cloudwatch_logger",
})])
def nightly():
    load()


execute_pipeline(nightly, run_config={"loggers": {"cloudwatch": {"config": {
    "log_group_name": "/headwater/nightly",   # created if missing
    "log_stream_name": "runs",                # created if missing
    "region_name": "us-east-1",
    "log_level": "INFO",
}}}})
# [end:logger]

events = boto3.client("logs").get_log_events(logGroupName="/headwater/nightly",
                                             logStreamName="runs")["events"]
assert any(event["message"].endswith("Loaded 42 rows.") for event in events)
