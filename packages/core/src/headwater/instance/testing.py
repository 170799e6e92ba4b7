"""An instance for a test: its own temporary ``$HEADWATER_HOME``, removed afterwards."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

from headwater.instance.instance import Instance
from headwater.instance.settings import HOME_ENV_VAR, settings_path


@contextlib.contextmanager
def instance_for_test(overrides: Mapping[str, Any] | None = None,
                      temp_dir: str | None = None) -> Iterator[Instance]:
    """A persistent instance in a temporary folder, set as ``$HEADWATER_HOME`` meanwhile.

    Processes started inside the block (multiprocess executors, the CLI) open the same
    instance. The folder is removed at the end unless it was given.

    Args:
        overrides: Settings written to the folder's ``headwater.yaml``.
        temp_dir: The folder to use instead of a new temporary one.

    Example:
        >>> with instance_for_test() as instance:
        ...     result = execute_pipeline(my_pipeline, instance=instance)
        ...     assert instance.get_run_by_id(result.run_id).is_finished
    """
    import tempfile  # slow to import; only tests need it

    with contextlib.ExitStack() as stack:
        home = temp_dir or stack.enter_context(
            tempfile.TemporaryDirectory(prefix="headwater-test-"))
        if overrides:
            import yaml

            with open(settings_path(home), "w", encoding="utf-8") as file:
                yaml.safe_dump(dict(overrides), file)
        stack.enter_context(_environ(HOME_ENV_VAR, home))
        yield stack.enter_context(Instance.get())


@contextlib.contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous
