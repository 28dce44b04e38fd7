"""fast_frozen_init keeps everything @dataclass(frozen=True) promises but the cost."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from modelmath.expr import Num, Sym
from modelmath.fastinit import fast_frozen_init
from modelmath.graph import Layer, TensorRef
from modelmath.model_summary import Row
from modelmath.rules.base import OutputShape, Weight


@fast_frozen_init
@dataclass(frozen=True)
class _Fast:
    a: int
    b: str = "x"
    c: list[int] = field(default_factory=list)
    d: int = field(init=False, default=7)
    e: tuple[int, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        self.__dict__["e"] = (self.a, self.d)


@dataclass(frozen=True)
class _Slow:
    a: int
    b: str = "x"
    c: list[int] = field(default_factory=list)
    d: int = field(init=False, default=7)
    e: tuple[int, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "e", (self.a, self.d))


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, "y"), {}), ((2,), {"c": [3]}), ((), {"a": 4, "b": "z", "c": [5]})],
)
def test_same_fields_as_dataclass_init(args: tuple, kwargs: dict) -> None:
    fast, slow = _Fast(*args, **kwargs), _Slow(*args, **kwargs)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert repr(fast).removeprefix("_Fast") == repr(slow).removeprefix("_Slow")
    assert fast.e == slow.e


def test_still_frozen_hashable_and_replaceable() -> None:
    x = _Fast(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        x.a = 2  # type: ignore[misc]
    assert x == _Fast(1) and hash(TensorRef("a", 0, 1)) == hash(TensorRef("a", 0, 1))
    assert _Fast(1).c is not _Fast(1).c  # a fresh default each time
    y = dataclasses.replace(x, a=3)
    assert (y.a, y.e) == (3, (3, 7))
    assert pickle.loads(pickle.dumps(TensorRef("a", 0, 1))) == TensorRef("a", 0, 1)


def test_refuses_what_it_cannot_copy() -> None:
    @dataclass
    class NotFrozen:
        a: int

    with pytest.raises(TypeError):
        fast_frozen_init(NotFrozen)


def test_project_classes_compute_their_derived_fields() -> None:
    w = Weight("kernel", (Sym("K", 3, "k"), Num(4)))
    assert w.count.value == 12 and w.trainable and w.dtype is None
    assert OutputShape((None, Num(5))).values == (None, 5)
    assert (
        Layer("d", "Dense").config == {}
        and Layer("d", "Dense").config is not Layer("d", "Dense").config
    )
    row = Row("d", "Dense", (), None, None, None, (), ())
    assert row.calls == 1 and row.children == ()
