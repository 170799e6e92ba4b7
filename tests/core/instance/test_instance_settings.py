"""headwater.yaml: where the instance lives, and how each of its parts is chosen."""

import os

import pytest

from headwater.errors import HeadwaterInstanceConfigError, HeadwaterInstanceError
from headwater.instance import Instance
from headwater.instance.compute_logs import LocalComputeLogManager, NoOpComputeLogManager
from headwater.instance.storage.sqlite import SqliteRunStorage


class RecordingRunStorage(SqliteRunStorage):
    """A third-party storage, named by module and class in the tests below."""

    @classmethod
    def config_schema(cls):
        return {"label": str}

    @classmethod
    def from_config(cls, config, context):
        storage = super().from_config({}, context)
        storage.label = config["label"]
        return storage


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    return tmp_path


def _write_settings(home, text):
    (home / "headwater.yaml").write_text(text)


def test_home_defaults_to_dot_headwater_in_the_user_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with Instance.get() as instance:
        assert instance.home == str(tmp_path / ".headwater")
    assert (tmp_path / ".headwater").is_dir()


def test_home_is_created_on_first_use(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "new" / "home"))
    with Instance.get() as instance:
        assert os.path.isdir(instance.home)


def test_home_that_is_a_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "file"))
    with pytest.raises(HeadwaterInstanceError, match="exists but is not a directory"):
        Instance.get()


def test_without_settings_the_instance_is_sqlite_under_home(home):
    with Instance.get() as instance:
        assert isinstance(instance.run_storage, SqliteRunStorage)
        assert isinstance(instance.compute_log_manager, LocalComputeLogManager)
        assert instance.storage_directory() == str(home / "storage")
        instance.get_runs()
    assert (home / "history" / "headwater.db").is_file()


def test_parts_are_chosen_by_built_in_name(home):
    _write_settings(home, "compute_logs: noop\n")
    with Instance.get() as instance:
        assert isinstance(instance.compute_log_manager, NoOpComputeLogManager)


def test_a_built_in_part_takes_its_config(home, tmp_path):
    _write_settings(home, f"run_storage:\n  name: sqlite\n  config:\n"
                          f"    base_dir: {tmp_path / 'elsewhere'}\n")
    with Instance.get() as instance:
        instance.get_runs()
    assert (tmp_path / "elsewhere" / "headwater.db").is_file()


def test_a_part_can_be_a_class_of_another_package(home):
    _write_settings(home, "run_storage:\n  module: test_instance_settings\n"
                          "  class: RecordingRunStorage\n  config: {label: mine}\n")
    with Instance.get() as instance:
        assert instance.run_storage.label == "mine"


def test_unknown_top_level_key_is_an_error_with_a_suggestion(home):
    _write_settings(home, "run_storag: sqlite\n")
    with pytest.raises(HeadwaterInstanceConfigError) as raised:
        Instance.get()
    message = str(raised.value)
    assert "headwater.yaml" in message and "run_storag" in message
    assert "run_storage" in message


def test_unknown_built_in_name_is_an_error_with_a_suggestion(home):
    _write_settings(home, "run_storage: sqlit\n")
    with pytest.raises(HeadwaterInstanceError, match=r'Unknown run_storage "sqlit".*Did you '
                                                     r'mean "sqlite"'):
        Instance.get()


def test_a_storage_name_another_package_provides_names_the_package_to_install(
        home, monkeypatch):
    from headwater.plugins import reset_plugin_manager

    monkeypatch.setenv("HEADWATER_DISABLE_PLUGINS", "postgres")  # in case it is installed
    reset_plugin_manager()
    _write_settings(home, "run_storage: {name: postgres, config: {postgres_url: x}}\n")
    try:
        with pytest.raises(HeadwaterInstanceError,
                           match=r"headwater-postgres: pip install 'headwater\[postgres\]'"):
            Instance.get()
    finally:
        reset_plugin_manager()


def test_invalid_config_of_a_part_names_the_part_and_the_key(home):
    _write_settings(home, "compute_logs:\n  name: local\n  config: {tee: maybe}\n")
    with pytest.raises(HeadwaterInstanceConfigError, match=r"compute_logs local(.|\n)*tee"):
        Instance.get()


def test_a_part_with_both_a_name_and_a_class_is_an_error(home):
    _write_settings(home, "run_storage: {name: sqlite, module: x, class: Y}\n")
    with pytest.raises(HeadwaterInstanceConfigError, match=r"built-in name .* or a class"):
        Instance.get()


def test_a_module_that_cannot_be_imported_is_named(home):
    _write_settings(home, "run_storage: {module: no_such_module, class: Storage}\n")
    with pytest.raises(HeadwaterInstanceError, match='needs the module "no_such_module"'):
        Instance.get()


def test_a_class_the_module_lacks_is_named(home):
    _write_settings(home, "run_storage: {module: test_instance_settings, class: Missing}\n")
    with pytest.raises(HeadwaterInstanceError, match='class "Missing"'):
        Instance.get()


def test_a_class_that_is_not_configurable_is_refused(home):
    _write_settings(home, "run_storage: {module: os, class: DirEntry}\n")
    with pytest.raises(HeadwaterInstanceError, match="not a configurable class"):
        Instance.get()


def test_invalid_yaml_is_reported_with_its_path(home):
    _write_settings(home, "run_storage: [unclosed\n")
    with pytest.raises(HeadwaterInstanceError, match=r"headwater\.yaml is not valid YAML"):
        Instance.get()


def test_run_coordinator_and_launcher_settings_are_kept_for_their_layers(home):
    _write_settings(home, "run_coordinator:\n  name: queued\n  config: {max_concurrent_runs: 4}\n"
                          "run_launcher: {module: my_launchers, class: K8sLauncher}\n")
    with Instance.get() as instance:
        assert (instance.run_coordinator_config.name,
                dict(instance.run_coordinator_config.config)) == ("queued",
                                                                  {"max_concurrent_runs": 4})
        assert (instance.run_launcher_config.module,
                instance.run_launcher_config.class_name) == ("my_launchers", "K8sLauncher")


def test_coordinator_and_launcher_default_to_default(home):
    with Instance.get() as instance:
        assert instance.run_coordinator_config.name == "default"
        assert instance.run_launcher_config.name == "default"


def test_settings_can_read_secrets_from_the_environment(home, tmp_path, monkeypatch):
    monkeypatch.setenv("RUNS_DIR", str(tmp_path / "from_env"))
    _write_settings(home, "run_storage:\n  name: sqlite\n"
                          "  config:\n    base_dir: {env: RUNS_DIR}\n")
    with Instance.get() as instance:
        instance.get_runs()
    assert (tmp_path / "from_env" / "headwater.db").is_file()


def test_the_scheduler_catches_up_five_missed_ticks_unless_told_otherwise(home):
    with Instance.get() as instance:
        assert instance.scheduler.max_catchup_runs == 5
    _write_settings(home, "scheduler: {max_catchup_runs: 2}\n")
    with Instance.get() as instance:
        assert instance.scheduler.max_catchup_runs == 2


def test_max_catchup_runs_below_one_is_refused_with_the_reason(home):
    _write_settings(home, "scheduler: {max_catchup_runs: 0}\n")
    with pytest.raises(HeadwaterInstanceError, match=r"max_catchup_runs .* is 0.*1 or more"):
        Instance.get()
