"""The types of the orders project, as written for the legacy API."""

from dagster import DagsterType, EventMetadataEntry, TypeCheck


def _is_order_rows(_, value):
    if not isinstance(value, list):
        return TypeCheck(False, description=f"expected a list of rows, got {type(value)}")
    return TypeCheck(
        True,
        metadata_entries=[EventMetadataEntry.int(len(value), "row count")],
    )


OrderRows = DagsterType(
    name="OrderRows",
    type_check_fn=_is_order_rows,
    description="Rows of the orders table",
)
