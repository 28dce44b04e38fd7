"""Write src/modelmath/frontends/keras_source/signatures.py from the installed Keras.

The source frontend must bind ``Conv2D(16, 3)`` to ``filters=16, kernel_size=3`` and know
each default without Keras installed, so the constructor signatures are committed as data.
Run after upgrading Keras (tests/source/test_signatures.py fails until you do):

    KERAS_BACKEND=torch .venv/bin/python tools/gen_keras_signatures.py
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from typing import Any

OUT = (
    Path(__file__).resolve().parent.parent
    / "src/modelmath/frontends/keras_source/signatures.py"
)

HEADER = '''# ruff: noqa: E501  (generated data: one signature per line reads best)
"""Keras constructor signatures, generated from Keras {version} by
tools/gen_keras_signatures.py.

Do not edit by hand. ``LAYERS`` maps every public name in ``keras.layers`` to
``(class name, parameters, accepts **kwargs)``; a parameter is ``(name, kind, default)``
where kind is ``"p"`` (positional or keyword), ``"k"`` (keyword only) or ``"*"`` (*args),
and default is ``REQUIRED`` when there is none.
"""

from __future__ import annotations

from typing import Any

REQUIRED: Any = "<required>"
KERAS_VERSION = {version!r}

Param = tuple[str, str, Any]
Signature = tuple[str, tuple[Param, ...], bool]

'''

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "p",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "p",
    inspect.Parameter.KEYWORD_ONLY: "k",
    inspect.Parameter.VAR_POSITIONAL: "*",
}


def _literal(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (tuple, list)):
        return all(_literal(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _literal(v) for k, v in value.items())
    return False


def signature_of(fn: Any, class_name: str) -> tuple[str, tuple[tuple[str, str, Any], ...], bool]:
    """(class name, parameters, accepts **kwargs) of ``fn`` (a class or a function)."""
    sig = inspect.signature(fn)
    params = []
    var_kw = False
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            var_kw = True
            continue
        if p.default is inspect.Parameter.empty:
            default: Any = "<required>"
        elif _literal(p.default):
            default = p.default
        else:  # an object default (rare): the frontend treats it as opaque
            default = f"<{type(p.default).__name__}>"
        params.append((p.name, _KINDS[p.kind], default))
    return class_name, tuple(params), var_kw


def collect() -> tuple[str, dict[str, Any], dict[str, Any]]:
    import keras
    from keras.src.models.functional import Functional
    from keras.src.models.sequential import Sequential

    layers: dict[str, Any] = {}
    for name in sorted(dir(keras.layers)):
        obj = getattr(keras.layers, name)
        if name.startswith("_") or not isinstance(obj, type):
            continue
        layers[name] = signature_of(obj, obj.__name__)
    others = {
        "Input": signature_of(keras.Input, "InputLayer"),
        "Model": signature_of(Functional.__init__, "Functional"),
        "Sequential": signature_of(Sequential.__init__, "Sequential"),
    }
    return keras.__version__, layers, others


def render(version: str, layers: dict[str, Any], others: dict[str, Any]) -> str:
    out = [HEADER.format(version=version)]
    out.append("LAYERS: dict[str, Signature] = {\n")
    for name, sig in layers.items():
        out.append(f"    {name!r}: {sig!r},\n")
    out.append("}\n\nOTHERS: dict[str, Signature] = {\n")
    for name, sig in others.items():
        out.append(f"    {name!r}: {sig!r},\n")
    out.append("}\n")
    text = "".join(out).replace("'<required>'", "REQUIRED")
    return text


def main() -> int:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    text = render(*collect())
    if "--check" in sys.argv:
        return 0 if OUT.read_text() == text else 1
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
