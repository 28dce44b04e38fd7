"""The arguments of :func:`modelmath.summary`, checked against the kind of model given.

A PyTorch model takes torchinfo's arguments as torchinfo's users write them: the second
positional argument is ``input_size``; ``col_names``, ``batch_dim``, ``device``,
``row_settings`` and ``verbose`` mean what they mean there. A Keras model takes
``input_shape``, ``model_name``, ``batch`` and ``optimizer``. An argument meant for the
other kind of model is refused with the name of the one to use, never dropped silently.

>>> torch_display(columns=None, col_names=("num_params",), row_settings=("ascii_only",))
(('num_params',), True, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modelmath.errors import UsageError

# Arguments only a PyTorch model reads, and only a Keras model reads.
TORCH_ONLY = (
    "input_size", "input_data", "dtypes", "depth", "mode", "col_names", "batch_dim",
    "device", "row_settings", "forward_kwargs",
)  # fmt: skip
KERAS_ONLY = ("input_shape", "model_name", "batch", "optimizer")

# torchinfo's row settings: modelmath always writes the nested names and the depth.
_ROW_SETTINGS = ("ascii_only", "depth", "hide_recursive_layers", "var_names")


def refuse_foreign(given: Mapping[str, Any], torch_model: bool, model: Any = None) -> None:
    """Refuse an argument meant for the other kind of model (``given``: the arguments
    that were passed, by name)."""
    foreign = KERAS_ONLY if torch_model else TORCH_ONLY
    bad = [name for name in foreign if given.get(name) is not None]
    if not bad:
        return
    if torch_model:
        raise UsageError(
            f"{bad[0]} is for Keras models; this is a PyTorch model",
            received=", ".join(f"{n}={given[n]!r}" for n in bad),
            fix="Give a PyTorch model its inputs with input_size=(1, 3, 224, 224) (batch "
            "included) or input_data=[tensor, ...]",
        )
    raise UsageError(
        f"{bad[0]} is for PyTorch models, and the model given is not a torch.nn.Module",
        received=f"{type(model).__name__} with "
        + ", ".join(f"{n}={given[n]!r}" for n in bad),
        fix="Give a torch.nn.Module; for a Keras model (or its file) give its input shape "
        "with input_shape=(150, 150, 3) (batch left out)",
    )


def torch_display(
    *, columns: Sequence[str] | str | None, col_names: Sequence[str] | None, row_settings: Any
) -> tuple[Sequence[str] | str | None, bool, bool]:
    """(the columns asked for, by either name; whether to write ASCII only; whether to
    leave the rows of a module's later calls out of the table)."""
    if columns is not None and col_names is not None:
        raise UsageError(
            "give the columns once: columns (modelmath's name) or col_names (torchinfo's)",
            received=f"columns={columns!r}, col_names={col_names!r}",
        )
    settings = _row_settings(row_settings)
    chosen = columns if col_names is None else col_names
    return chosen, "ascii_only" in settings, "hide_recursive_layers" in settings


def _row_settings(row_settings: Any) -> tuple[str, ...]:
    if row_settings is None:
        return ()
    settings = (row_settings,) if isinstance(row_settings, str) else tuple(row_settings)
    for setting in settings:
        if setting not in _ROW_SETTINGS:
            raise UsageError(
                f"unknown row setting {setting!r}",
                received=repr(row_settings),
                fix="Use ascii_only, hide_recursive_layers, depth or var_names (modelmath "
                "always shows each module's nested name and depth)",
            )
    return settings


def check_device(device: Any) -> None:
    """``device`` is taken for torchinfo's calls and changes nothing: the trace runs on no
    device (the model's copy lives on ``meta``). Only its type is checked."""
    if device is None or isinstance(device, (str, int)):
        return
    if type(device).__name__ == "device" and type(device).__module__ == "torch":
        return
    raise UsageError(
        "device names a torch device",
        received=repr(device),
        fix='Give "cpu", "cuda" or a torch.device, or leave it out: the trace uses no device',
    )


def prints(verbose: Any) -> bool:
    """True when ``verbose`` asks for the table to be printed as well (torchinfo's 1 and
    2); 0 or None: returned only."""
    if verbose is None:
        return False
    if type(verbose) is not int or verbose not in (0, 1, 2):
        raise UsageError(
            "verbose is 0 (return the summary), 1 or 2 (print it too)",
            received=repr(verbose),
        )
    return verbose > 0
