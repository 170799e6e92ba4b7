"""Where the instance keeps files: outputs of file-based IO managers, compute logs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from headwater.config import Field, StringSource
from headwater.instance.components import ComponentContext


class LocalArtifactStorage:
    """A folder on local disk (by default ``$HEADWATER_HOME``).

    Args:
        base_dir: The folder.
    """

    def __init__(self, base_dir: str) -> None:
        self.base_dir = os.path.abspath(os.path.expanduser(base_dir))

    @property
    def storage_dir(self) -> str:
        """Where file-based IO managers keep outputs by default: ``<base_dir>/storage``."""
        return os.path.join(self.base_dir, "storage")

    @classmethod
    def config_schema(cls) -> Any:
        return {"base_dir": Field(StringSource, is_required=False,
                                  description="The folder (default: $HEADWATER_HOME).")}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> LocalArtifactStorage:
        return cls(config.get("base_dir") or context.home)
