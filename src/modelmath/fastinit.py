"""A faster ``__init__`` for frozen dataclasses built on hot paths.

A frozen dataclass sets each field through ``object.__setattr__`` (its own ``__setattr__``
refuses), which costs about three times a plain assignment; a model of a few hundred layers
builds thousands of graph nodes, rows, shapes and weights. :func:`fast_frozen_init` gives
such a class an ``__init__`` with the same signature, defaults, default factories and
``__post_init__`` call that writes the fields straight into the instance ``__dict__``.
Everything else stays as ``@dataclass(frozen=True)`` made it: assignment still raises
``FrozenInstanceError``, and equality, hashing, ``repr`` and ``dataclasses.replace`` are
unchanged.

>>> from dataclasses import dataclass, field
>>> @fast_frozen_init
... @dataclass(frozen=True)
... class P:
...     x: int
...     tags: list[str] = field(default_factory=list)
>>> P(1), P(1) == P(1, [])
(P(x=1, tags=[]), True)
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_NOTHING = object()  # marks "argument not given" for a field with a default factory


def fast_frozen_init(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of the frozen, non-slotted dataclass ``cls`` (see above)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_frozen_init needs a frozen dataclass without slots")
    namespace: dict[str, Any] = {"_NOTHING": _NOTHING}
    args: list[str] = []
    body: list[str] = ["_d = self.__dict__"]
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: keyword-only fields are not supported")
        has_default = f.default is not dataclasses.MISSING
        has_factory = f.default_factory is not dataclasses.MISSING
        if f.init:
            if has_default:
                namespace[f"_dflt_{f.name}"] = f.default
                args.append(f"{f.name}=_dflt_{f.name}")
            elif has_factory:
                namespace[f"_fac_{f.name}"] = f.default_factory
                args.append(f"{f.name}=_NOTHING")
                body.append(f"if {f.name} is _NOTHING: {f.name} = _fac_{f.name}()")
            else:
                args.append(f.name)
            body.append(f"_d[{f.name!r}] = {f.name}")
        elif has_default:
            namespace[f"_dflt_{f.name}"] = f.default
            body.append(f"_d[{f.name!r}] = _dflt_{f.name}")
        elif has_factory:
            namespace[f"_fac_{f.name}"] = f.default_factory
            body.append(f"_d[{f.name!r}] = _fac_{f.name}()")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(args)}) -> None:\n    " + "\n    ".join(body)
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
