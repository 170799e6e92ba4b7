"""headwater.integration, the published interface: every name it lists loads, the names
integrations were written against stay, and importing it costs nothing until a name is
used."""

from __future__ import annotations

import subprocess
import sys

import pytest

import headwater.integration as integration

# The names published first: integration packages are written against them, so they stay.
FIRST_PUBLISHED = [
    "ActiveExecution", "CapturedLogs", "ComponentContext", "ComputeLogManager",
    "DEFAULT_IO_MANAGER_KEY", "ExecutionStep", "FromMultipleSources", "FromStepOutput",
    "HeadwaterCliError", "HeadwaterInstanceError", "InMemoryRunRecorder",
    "LocalComputeLogManager", "LogManager", "ResourceScope", "RetryMode", "RetryState",
    "RunContext", "RunRecorder", "SerializableErrorInfo", "SqlDatabase",
    "SqlEventLogStorage", "SqlRunStorage", "SqlScheduleStorage", "StepExecution", "Worker",
    "build_loggers", "deserialize", "fail_lost_step", "hookimpl", "prepare_run",
    "record_remote_entry", "report_decisions", "retries_config", "serialize",
]


@pytest.mark.parametrize("name", integration.__all__)
def test_every_published_name_loads(name):
    assert getattr(integration, name) is not None


def test_the_first_published_names_are_all_still_published():
    assert sorted(set(FIRST_PUBLISHED) - set(integration.__all__)) == []


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_name"):
        integration.no_such_name  # noqa: B018


def test_importing_the_interface_loads_no_plugin_machinery():
    code = ("import sys, headwater.integration\n"
            "print(sorted(m for m in ('pluggy', 'multiprocessing', 'headwater.plugins') "
            "if m in sys.modules))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)
    assert completed.stdout.strip() == "[]"


def test_the_executor_base_is_what_core_and_the_remote_protocol_build_on():
    from headwater.execution.executors.multiprocess import MultiprocessExecutor

    assert issubclass(MultiprocessExecutor, integration.RemoteExecutor)
    assert integration.RemoteSteps.__abstractmethods__ == {"running", "submit", "wait"}
