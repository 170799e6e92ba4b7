"""quick_init: the faster constructor of hot frozen records behaves as the generated one."""

import dataclasses
import inspect
from dataclasses import InitVar, dataclass, field

import pytest

from headwater.records import quick_init


@quick_init
@dataclass(frozen=True)
class Plain:
    name: str
    count: int = 3
    tags: dict = field(default_factory=dict)


@quick_init
@dataclass(frozen=True, slots=True)
class Slotted:
    name: str
    extra: InitVar[str | None] = None
    doubled: str = ""

    def __post_init__(self, extra):
        object.__setattr__(self, "doubled", self.name * 2 + (extra or ""))


@quick_init
@dataclass(frozen=True)
class KeywordOnly:
    first: int
    second: int = field(default=2, kw_only=True)
    derived: int = field(default=0, init=False)


def test_the_constructor_is_replaced_and_keeps_the_signature():
    @dataclass(frozen=True)
    class Generated:
        name: str
        count: int = 3
        tags: dict = field(default_factory=dict)

    # the quick constructor writes the instance's dict; the generated one calls setattr
    assert "_d" in Plain.__init__.__code__.co_varnames
    assert "_d" not in Generated.__init__.__code__.co_varnames
    assert Plain.__init__.__qualname__ == "Plain.__init__"
    assert str(inspect.signature(Plain)) == str(inspect.signature(Generated))


def test_defaults_and_factories_are_applied_per_instance():
    first, second = Plain("a"), Plain("b", 5)
    assert (first.count, second.count) == (3, 5)
    assert first.tags == {} and first.tags is not second.tags
    assert Plain("a", tags={"k": 1}).tags == {"k": 1}


def test_records_are_still_frozen_equal_and_hashable_as_before():
    record = Slotted("ab")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "other"
    assert record == Slotted("ab") and hash(record) == hash(Slotted("ab"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        Plain("a").count = 4


def test_post_init_receives_the_init_vars():
    assert Slotted("ab").doubled == "abab"
    assert Slotted("ab", "!").doubled == "abab!"


def test_keyword_only_and_non_init_fields_behave_as_generated():
    record = KeywordOnly(1, second=5)
    assert (record.first, record.second, record.derived) == (1, 5, 0)
    with pytest.raises(TypeError):
        KeywordOnly(1, 5)


def test_a_constructor_written_by_the_class_is_kept():
    @quick_init
    @dataclass(frozen=True)
    class Coerced:
        path: tuple

        def __init__(self, path):
            object.__setattr__(self, "path", tuple(path))

    assert Coerced(["a", "b"]).path == ("a", "b")


def test_a_missing_argument_is_the_usual_type_error():
    with pytest.raises(TypeError, match="name"):
        Plain()
