"""headwater-azure's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
The definitions import the Azure clients only when they make one, so registering them is
cheap.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """Resources by name: ``resource_defs={"adls2": "adls2_resource"}``."""
    from headwater_azure.resources import (
        adls2_file_cache,
        adls2_file_manager,
        adls2_resource,
        azure_blob_resource,
    )

    return {"adls2_resource": adls2_resource, "azure_blob_resource": azure_blob_resource,
            "adls2_file_manager": adls2_file_manager, "adls2_file_cache": adls2_file_cache}


@hookimpl
def headwater_io_managers() -> dict[str, Any]:
    """``resource_defs={"io_manager": "adls2_pickle_io_manager", "adls2": "adls2_resource"}``."""
    from headwater_azure.io_managers import adls2_pickle_io_manager

    return {"adls2_pickle_io_manager": adls2_pickle_io_manager}


@hookimpl
def headwater_instance_components() -> dict[str, dict[str, Any]]:
    """Compute logs in Blob Storage, by the name ``azure_blob`` in headwater.yaml's
    ``compute_logs``."""
    from headwater_azure.compute_logs import AzureBlobComputeLogManager

    return {"compute_logs": {"azure_blob": AzureBlobComputeLogManager}}
