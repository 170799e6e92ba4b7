"""Concepts: loggers."""

import logging

from headwater import (
    Field,
    ModeDefinition,
    build_init_logger_context,
    colored_console_logger,
    execute_pipeline,
    json_console_logger,
    logger,
    pipeline,
    solid,
)


# [start:log]
@solid
def load(context) -> int:
    context.log.debug("connecting")        # recorded in the event log; hidden at INFO
    context.log.info("loaded 3 rows")       # recorded and shown by the console logger
    context.log.warning("2 rows had no id")
    return 3
# [end:log]


# [start:custom]
class ListHandler(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


captured: list[str] = []


@logger(config_schema={"level": Field(str, default_value="INFO")})
def list_logger(init_context):
    log = logging.Logger(f"list-{init_context.run_id}", init_context.logger_config["level"])
    log.addHandler(ListHandler(captured))
    return log


@pipeline(mode_defs=[ModeDefinition(logger_defs={
    "console": colored_console_logger, "json": json_console_logger, "list": list_logger})])
def logged():
    load()
# [end:custom]


# [start:run-config]
execute_pipeline(logged, run_config={"loggers": {
    "console": {"config": {"log_level": "DEBUG"}},   # every event, too (they log at DEBUG)
    "list": {"config": {"level": "WARNING"}},
}})
assert len(captured) == 1 and captured[0].startswith("WARNING: ")
assert "2 rows had no id" in captured[0]
# [end:run-config]


# [start:test]
test_logger = list_logger.logger_fn(build_init_logger_context({"level": "DEBUG"}))
test_logger.debug("hello")
assert captured[-1] == "DEBUG: hello"
# [end:test]
