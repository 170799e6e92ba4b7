"""Files Headwater writes for itself (the instance's database and logs, stored outputs):
private to the user who runs it, since they may hold what steps printed or computed.

Folders are made 0700 and files 0600, whatever the process's umask; a folder that already
exists keeps its mode.
"""

from __future__ import annotations

import os
from typing import IO, Any

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
_FLAGS = {"w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
          "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
          "a+": os.O_RDWR | os.O_CREAT | os.O_APPEND}


def make_private_dirs(path: str) -> None:
    """Make ``path`` and every missing folder above it, each 0700."""
    missing = []
    folder = os.path.abspath(path)
    while not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_FOLDER)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise
        else:
            os.chmod(folder, PRIVATE_FOLDER)  # the umask may have taken bits away, not added


def open_private(path: str, mode: str, **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for writing, creating the file 0600 if it is new.

    Args:
        mode: ``w``, ``a`` or ``a+``, with ``b`` for bytes.
    """
    flags = _FLAGS[mode.replace("b", "")]
    descriptor = os.open(path, flags, PRIVATE_FILE)
    return os.fdopen(descriptor, mode, **kwargs)
