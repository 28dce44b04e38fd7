"""Safe operations on plain Python values: arithmetic, methods, formatting — with bounds.

Only data the script wrote (ints, floats, strings, tuples, lists, dicts, ranges) ever
reaches a real Python operation here, and only through an allow-list; sizes are checked
*before* anything large is built (``[0] * 10**10`` is refused, not allocated).
"""

from __future__ import annotations

import math
import operator
import re
import string
from collections.abc import Callable
from typing import Any

from .limits import MAX_INT_BITS, MAX_ITEMS, ScriptError

PLAIN = (bool, int, float, str, type(None), tuple, list, dict, range, set, frozenset, complex)

_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "Add": operator.add,
    "Sub": operator.sub,
    "Mult": operator.mul,
    "Div": operator.truediv,
    "FloorDiv": operator.floordiv,
    "Mod": operator.mod,
    "Pow": operator.pow,
    "LShift": operator.lshift,
    "RShift": operator.rshift,
    "BitOr": operator.or_,
    "BitAnd": operator.and_,
    "BitXor": operator.xor,
}


def is_plain(value: Any, depth: int = 0) -> bool:
    """True for data made only of Python literals (safe to hand to real operations)."""
    if isinstance(value, (bool, int, float, str, complex, type(None), range)):
        return True
    if depth > 30:
        return False
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(is_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(is_plain(k, depth + 1) and is_plain(v, depth + 1) for k, v in value.items())
    return False


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict, set)) else 1


def check_size(value: Any, where: str) -> Any:
    if isinstance(value, (str, list, tuple, dict, set)) and len(value) > MAX_ITEMS:
        raise ScriptError(
            f"a value with more than {MAX_ITEMS:,} items is not part of a model definition",
            received=f"{len(value):,} items",
            where=where,
        )
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise ScriptError(
            "an integer this large is not a model size", received="a huge integer", where=where
        )
    return value


def binop(op: str, left: Any, right: Any, where: str) -> Any:
    """``left <op> right`` on plain values, refusing results too large to build."""
    if op == "Mult":
        for seq, n in ((left, right), (right, left)):
            sized = isinstance(seq, (str, list, tuple)) and isinstance(n, int)
            if sized and n > 0 and len(seq) * n > MAX_ITEMS:
                raise ScriptError(
                    f"repeating a sequence {n:,} times builds more than {MAX_ITEMS:,} items",
                    where=where,
                )
        ints = isinstance(left, int) and isinstance(right, int)
        if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise ScriptError("an integer this large is not a model size", where=where)
    int_pow = op == "Pow" and isinstance(left, int) and isinstance(right, int) and right > 0
    if int_pow and abs(left) > 1 and right * max(left.bit_length(), 1) > MAX_INT_BITS:
        raise ScriptError("an integer this large is not a model size", where=where)
    if op == "LShift" and isinstance(right, int) and right > MAX_INT_BITS:
        raise ScriptError("an integer this large is not a model size", where=where)
    if op == "Add" and _size(left) + _size(right) > MAX_ITEMS:
        raise ScriptError(f"a value with more than {MAX_ITEMS:,} items", where=where)
    if op == "Mod" and isinstance(left, str):
        _check_format_spec(left, where)
    fn = _BINOPS.get(op)
    if fn is None:
        raise ScriptError(f"the operator {op} is not supported", where=where)
    try:
        return check_size(fn(left, right), where)
    except ScriptError:
        raise
    except Exception as err:  # TypeError, ZeroDivisionError, …: as Python says it
        raise ScriptError(f"{type(err).__name__}: {err}", where=where) from None


_WIDTH = re.compile(r"\d{4,}")


def _check_format_spec(spec: str, where: str) -> None:
    """Refuse ``f"{x:1000000000}"``-style widths that would build huge strings."""
    if _WIDTH.search(spec):
        raise ScriptError("a format width of 1000 or more is not supported", where=where)


def format_value(value: Any, spec: str, where: str) -> str:
    _check_format_spec(spec, where)
    try:
        return format(value, spec)
    except Exception as err:
        raise ScriptError(f"{type(err).__name__}: {err}", where=where) from None


def str_format(template: str, args: list[Any], kwargs: dict[str, Any], where: str) -> str:
    """``"{}_{name}".format(...)`` with plain fields only (no ``{0.__class__}``)."""
    for _, field_name, spec, _ in string.Formatter().parse(template):
        if field_name and not re.fullmatch(r"\w*", field_name):
            raise ScriptError(
                "format fields with attributes or indexes are not supported",
                received=field_name,
                where=where,
            )
        if spec:
            _check_format_spec(spec, where)
    try:
        return check_size(template.format(*args, **kwargs), where)  # type: ignore[no-any-return]
    except Exception as err:
        raise ScriptError(f"{type(err).__name__}: {err}", where=where) from None


# Methods of plain values a script may call: name → does it mutate or build (size check).
_METHODS: dict[type, set[str]] = {
    str: {
        "join", "upper", "lower", "title", "capitalize", "replace", "split", "rsplit",
        "strip", "lstrip", "rstrip", "startswith", "endswith", "isdigit", "isalpha",
        "find", "count", "index", "zfill", "center", "ljust", "rjust", "splitlines",
        "removeprefix", "removesuffix", "swapcase", "casefold", "partition", "rpartition",
    },
    list: {"append", "extend", "insert", "pop", "index", "count", "copy", "reverse",
           "remove", "clear", "sort"},
    tuple: {"index", "count"},
    dict: {"get", "keys", "values", "items", "update", "setdefault", "pop", "copy",
           "clear", "popitem"},
    set: {"add", "update", "discard", "remove", "pop", "union", "intersection",
          "difference", "copy"},
    int: {"bit_length"},
    float: {"is_integer"},
}  # fmt: skip


def call_method(obj: Any, name: str, args: list[Any], kwargs: dict[str, Any], where: str) -> Any:
    """``obj.name(*args)`` for plain ``obj``, when ``name`` is on the allow-list."""
    if isinstance(obj, str) and name == "format":
        return str_format(obj, args, kwargs, where)
    if isinstance(obj, tuple) and name == "as_list":  # TensorShape.as_list() in TF code
        return list(obj)
    allowed = next((names for t, names in _METHODS.items() if isinstance(obj, t)), set())
    if name not in allowed:
        raise ScriptError(
            f"'{type(obj).__name__}' method '{name}' is not supported when reading a script",
            where=where,
        )
    padding = isinstance(obj, str) and name in ("zfill", "center", "ljust", "rjust")
    if padding and args and isinstance(args[0], int) and args[0] > MAX_ITEMS:
        raise ScriptError(f"a string longer than {MAX_ITEMS:,} characters", where=where)
    replace = isinstance(obj, str) and name == "replace" and len(args) >= 2
    if replace and len(obj) * (len(str(args[1])) + 1) > MAX_ITEMS:
        raise ScriptError(f"a string longer than {MAX_ITEMS:,} characters", where=where)
    if name in ("append", "insert", "add", "extend", "update") and _size(obj) + 1 > MAX_ITEMS:
        raise ScriptError(f"a value with more than {MAX_ITEMS:,} items", where=where)
    if name == "sort" and kwargs.get("key") is not None:
        raise ScriptError("list.sort(key=...) is not supported", where=where)
    try:
        return check_size(getattr(obj, name)(*args, **kwargs), where)
    except ScriptError:
        raise
    except Exception as err:
        raise ScriptError(f"{type(err).__name__}: {err}", where=where) from None


# Pure functions of the math module and their numpy twins.
MATH: dict[str, Callable[..., Any]] = {
    "ceil": math.ceil,
    "floor": math.floor,
    "sqrt": math.sqrt,
    "log": math.log,
    "log2": math.log2,
    "log10": math.log10,
    "exp": math.exp,
    "gcd": math.gcd,
    "isqrt": math.isqrt,
    "prod": math.prod,
    "fabs": math.fabs,
    "trunc": math.trunc,
}
MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf}
