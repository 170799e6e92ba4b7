"""spark_conf in config: the nested tree and the flat names give the same properties, and a
property Spark does not have is an error that suggests the one meant."""

from __future__ import annotations

import pytest

from headwater_spark import SparkConfError, flatten_spark_conf


def test_a_nested_tree_flattens_to_spark_property_names():
    conf = {"spark": {"executor": {"memory": "2g", "cores": 2},
                      "sql": {"shuffle": {"partitions": 4}}}}
    assert flatten_spark_conf(conf) == {"spark.executor.cores": "2",
                                        "spark.executor.memory": "2g",
                                        "spark.sql.shuffle.partitions": "4"}


def test_flat_names_are_kept_as_they_are():
    assert flatten_spark_conf({"spark.executor.memory": "2g"}) == {
        "spark.executor.memory": "2g"}


def test_flat_and_nested_forms_mix():
    conf = {"spark.executor": {"memory": "2g"}, "spark": {"app": {"name": "orders"}}}
    assert flatten_spark_conf(conf) == {"spark.app.name": "orders",
                                        "spark.executor.memory": "2g"}


def test_booleans_become_spark_true_and_false():
    assert flatten_spark_conf({"spark": {"ui": {"enabled": False}}}) == {
        "spark.ui.enabled": "false"}


def test_a_misspelt_namespace_suggests_the_closest_one():
    with pytest.raises(SparkConfError) as raised:
        flatten_spark_conf({"spark": {"executr": {"memory": "2g"}}},
                           "resources.pyspark.config.spark_conf")
    message = str(raised.value)
    assert '"spark.executr.memory"' in message
    assert "resources.pyspark.config.spark_conf" in message
    assert 'Did you mean "spark.executor.memory"?' in message


def test_a_property_outside_spark_is_refused_with_where_hadoop_settings_go():
    with pytest.raises(SparkConfError, match=r"spark\.hadoop\.<key>"):
        flatten_spark_conf({"fs.s3a.endpoint": "http://127.0.0.1:9000"})


def test_a_property_given_twice_with_different_values_is_refused():
    with pytest.raises(SparkConfError, match="given twice"):
        flatten_spark_conf({"spark.executor.memory": "2g",
                            "spark": {"executor": {"memory": "4g"}}})
