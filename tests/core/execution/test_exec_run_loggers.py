"""Which loggers a run starts: those its run config names, else the console logger."""

import logging

from headwater import (
    Field,
    ModeDefinition,
    execute_pipeline,
    execute_pipeline_iterator,
    logger,
    pipeline,
    solid,
)
from headwater.execution.recorder import InMemoryRunRecorder


@solid
def greet(context):
    context.log.info("hello from greet")


@pipeline
def greeting():
    greet()


started_loggers: list[str] = []


@logger(config_schema={"name": Field(str, default_value="listed")})
def listed_logger(init_context):
    started_loggers.append(init_context.logger_config["name"])
    return logging.Logger("listed")


@pipeline(mode_defs=[ModeDefinition(logger_defs={"listed": listed_logger})])
def with_listed_logger():
    greet()


def test_a_run_naming_no_logger_prints_what_solids_log_on_stderr(capsys):
    list(execute_pipeline_iterator(greeting))
    assert "hello from greet" in capsys.readouterr().err


def test_a_mode_logger_the_run_config_does_not_name_is_not_started():
    started_loggers.clear()
    execute_pipeline(with_listed_logger)
    assert started_loggers == []


def test_a_mode_logger_the_run_config_names_is_started_with_its_config():
    started_loggers.clear()
    execute_pipeline(with_listed_logger,
                     run_config={"loggers": {"listed": {"config": {"name": "audit"}}}})
    assert started_loggers == ["audit"]


def test_without_the_default_console_logger_log_lines_only_reach_the_recorder(capsys):
    recorder = InMemoryRunRecorder()
    list(execute_pipeline_iterator(greeting, instance=recorder, default_console_logger=False))
    assert capsys.readouterr().err == ""
    [run_id] = recorder.runs
    assert "hello from greet" in [entry.user_message for entry in recorder.all_logs(run_id)]


def test_without_the_default_console_logger_a_logger_named_in_run_config_still_prints(capsys):
    run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    list(execute_pipeline_iterator(greeting, run_config=run_config,
                                   default_console_logger=False))
    assert "hello from greet" in capsys.readouterr().err
