"""Loggers and the event log: what context.log writes, and where it goes."""

import json
import logging

from headwater import (
    ModeDefinition,
    execute_pipeline,
    execute_pipeline_iterator,
    json_console_logger,
    pipeline,
    solid,
)
from headwater.execution.recorder import InMemoryRunRecorder


@solid
def talk(context):
    context.log.info("hello from talk")
    context.log.debug("details from talk")


@pipeline(mode_defs=[ModeDefinition(logger_defs={"json": json_console_logger})])
def chatty():
    talk()


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_json_console_logger_configured_in_run_config_writes_json_lines(capfd):
    result = execute_pipeline(chatty, run_config={
        "loggers": {"json": {"config": {"log_level": "INFO", "name": "jsonlog"}}}})

    records = json_lines(capfd.readouterr().err)
    (line,) = [r for r in records if r["message"].endswith("hello from talk")]
    assert line["level"] == "INFO"
    assert line["name"] == "jsonlog"
    assert (line["run_id"], line["pipeline_name"], line["step_key"]) == (
        result.run_id, "chatty", "talk")


def test_logger_level_filters_what_reaches_it(capfd):
    execute_pipeline(chatty, run_config={"loggers": {"json": {"config": {"log_level": "INFO"}}}})

    messages = [r["message"] for r in json_lines(capfd.readouterr().err)]
    assert not any(m.endswith("details from talk") for m in messages)


def test_debug_level_logger_also_receives_events(capfd):
    execute_pipeline(chatty, run_config={
        "loggers": {"json": {"config": {"log_level": "DEBUG"}}}})

    records = json_lines(capfd.readouterr().err)
    assert "STEP_SUCCESS" in {r["event_type"] for r in records}
    assert any(r["message"].endswith("details from talk") for r in records)


def test_log_lines_are_recorded_in_the_event_log_whatever_the_logger_level():
    recorder = InMemoryRunRecorder()

    result = execute_pipeline(chatty, instance=recorder, run_config={
        "loggers": {"json": {"config": {"log_level": "CRITICAL"}}}})

    lines = [(entry.level, entry.user_message, entry.step_key)
             for entry in recorder.all_logs(result.run_id) if not entry.is_headwater_event]
    assert lines == [(logging.INFO, "hello from talk", "talk"),
                     (logging.DEBUG, "details from talk", "talk")]


def test_every_event_of_the_run_is_recorded_as_an_event_log_entry():
    recorder = InMemoryRunRecorder()

    result = execute_pipeline(chatty, instance=recorder)

    recorded = [entry.headwater_event for entry in recorder.all_logs(result.run_id)
                if entry.is_headwater_event]
    assert recorded == result.event_list


def test_run_status_follows_the_pipeline_events():
    recorder = InMemoryRunRecorder()

    result = execute_pipeline(chatty, instance=recorder)

    assert recorder.get_run_by_id(result.run_id).status.value == "SUCCESS"


def test_execute_pipeline_iterator_yields_the_events_as_they_happen():
    events = execute_pipeline_iterator(chatty)

    first = next(events)
    assert first.event_type_value == "PIPELINE_START"
    rest = list(events)
    assert rest[-1].event_type_value == "PIPELINE_SUCCESS"
    assert next(e.event_type_value for e in rest if e.step_key == "talk") == "STEP_START"
