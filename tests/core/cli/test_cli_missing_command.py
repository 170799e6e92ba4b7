"""A command that a package of this repository adds says what to install when missing."""


def test_a_missing_package_command_names_the_package_to_install(invoke, monkeypatch):
    # Switched off, in case the package is installed in this environment.
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGINS", "ui")
    result = invoke("ui")
    assert result.exit_code == 2
    assert "pip install 'headwater[ui]'" in result.stderr


def test_an_unknown_command_is_a_usage_error_as_before(invoke):
    result = invoke("nosuch")
    assert result.exit_code == 2
    assert "No such command 'nosuch'" in result.stderr
