"""Many processes write runs and events to one SQLite instance at once: nothing is lost."""

from headwater.instance import instance_for_test
from headwater.instance.storage.conformance import check_concurrent_writers


def test_eight_processes_writing_to_a_new_instance_lose_no_event():
    with instance_for_test() as instance:
        check_concurrent_writers(instance, processes=8)
