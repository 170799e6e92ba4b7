"""A command that a package of this repository adds says what to install when missing."""

import os
import subprocess
import sys


def test_a_missing_package_command_names_the_package_to_install():
    # A process of its own, the ui plugin switched off in case the package is installed.
    result = subprocess.run([sys.executable, "-m", "headwater", "ui"], capture_output=True,
                            text=True, timeout=60, check=False,
                            env={**os.environ, "HEADWATER_DISABLE_PLUGINS": "ui"})
    assert result.returncode == 2
    assert "pip install 'headwater[ui]'" in result.stderr


def test_an_unknown_command_is_a_usage_error_as_before(invoke):
    result = invoke("nosuch")
    assert result.exit_code == 2
    assert "No such command 'nosuch'" in result.stderr
