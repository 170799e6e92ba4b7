"""Airflow DAGs as Headwater pipelines (filled in below)."""
