"""A DeferredQuantity is a Quantity whose formula is written when read: it must behave as
the Quantity it stands for, and its value must be the one its formula computes."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import random

import pytest

from modelmath.expr import DeferredQuantity, Num, Quantity, Sym, total, total_value


def _terms(values: list[int | float]) -> list[Sym]:
    return [Sym(f"t{i}", v, "a term") for i, v in enumerate(values)]


@pytest.mark.parametrize("seed", range(40))
def test_total_value_is_the_value_total_computes(seed: int) -> None:
    rng = random.Random(seed)
    pool = [0, 1, -1, 7, 2**40, 0.5, -0.0, 1e300, float("inf")]
    values = [rng.choice(pool) for _ in range(rng.randrange(0, 6))]
    expected = total(_terms(values)).value
    got = total_value(values)
    assert repr(got) == repr(expected)  # the same number of the same type, -0.0 included


def test_the_formula_is_written_once_when_first_read() -> None:
    written: list[int] = []

    def write() -> Sym:
        written.append(1)
        return Sym("n", 12, "twelve")

    q = DeferredQuantity(12, "why", write)
    assert q.value == 12 and q.why == "why" and not written
    assert q.expr is q.expr and q.expr.value == 12 and written == [1]
    assert isinstance(q, Quantity) and q.is_trivial  # a bare symbol


def test_it_stays_frozen_and_copies_as_a_plain_quantity() -> None:
    q = DeferredQuantity(5, "two parts", lambda: total([Num(2), Num(3)]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.why = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        q.missing  # noqa: B018
    for other in (pickle.loads(pickle.dumps(q)), copy.deepcopy(q), copy.copy(q)):
        assert type(other) is Quantity
        assert (other.value, other.why, other.expr.value) == (5, "two parts", 5)
    assert dataclasses.asdict(q)["why"] == "two parts"
