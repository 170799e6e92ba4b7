"""What every test gets: an instance folder of its own, and no secrets of other tests.

The command line and ``Instance.get()`` record runs in ``$HEADWATER_HOME``; no test may
write to the user's ``~/.headwater``, nor see another test's runs.
"""

import pytest


@pytest.fixture(autouse=True)
def headwater_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> str:
    """The test's ``$HEADWATER_HOME`` (a new, empty folder)."""
    home = str(tmp_path_factory.mktemp("headwater-home"))
    monkeypatch.setenv("HEADWATER_HOME", home)
    return home


@pytest.fixture(autouse=True)
def forgotten_secrets():
    """Values a test's config read from the environment are masked for that test only."""
    from headwater.config.secrets import forget_secrets

    yield
    forget_secrets()
