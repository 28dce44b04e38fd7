"""modelmath: model summaries where every number shows its formula.

>>> import modelmath
>>> s = modelmath.summary("examples/seed_config.json")  # doctest: +SKIP
>>> s.row("conv2d").params.value                        # doctest: +SKIP
448
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from modelmath.errors import ModelMathError
from modelmath.gcpause import paused_gc

if TYPE_CHECKING:
    from modelmath.model_summary import Summary
    from modelmath.module_summary import ModuleSummary

__version__ = "0.1.0"
__all__ = ["ModelMathError", "Summary", "summaries", "summary"]

COLUMNS = ("shape", "params", "macs", "flops", "memory", "rf")


@paused_gc
def summaries(
    model: Any,
    *,
    input_shape: Sequence[int | None] | None = None,
    model_name: str | None = None,
    columns: Sequence[str] | None = None,
    batch: int | None = None,
    optimizer: str | None = None,
) -> list[Summary]:
    """Every model in ``model``: a Python script may build several (in the order their
    ``summary()`` is called); other inputs hold one.

    >>> import modelmath
    >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
    >>> [s.name for s in modelmath.summaries(cfg, input_shape=(4,))]
    ['s']
    """
    from modelmath.analysis import analyze
    from modelmath.frontends import load_graphs

    chosen, costs = cost_request(columns, batch, optimizer)
    shape = None if input_shape is None else tuple(input_shape)
    out = []
    for graph in load_graphs(model, input_shape=shape, model_name=model_name):
        try:
            out.append(with_columns(analyze(graph, costs=costs), chosen))
        except ModelMathError as err:
            raise err.with_context(graph.source or f"model '{graph.name}'") from None
    return out


def cost_request(
    columns: Sequence[str] | None, batch: int | None, optimizer: str | None
) -> tuple[tuple[str, ...], Any]:
    """(the columns checked, the cost options or None): costs are computed only when a
    cost column, a batch size or an optimizer is asked for."""
    from modelmath.errors import UsageError

    chosen = tuple(columns or ())
    known = ("shape", "params", "macs", "flops", "memory", "rf")
    bad = [c for c in chosen if c not in known]
    if bad:
        raise UsageError(
            f"unknown column {bad[0]!r}", received=", ".join(chosen), fix=f"Use {', '.join(known)}"
        )
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 1):
        raise UsageError("batch must be a positive integer", received=repr(batch))
    optimizers = ("sgd", "momentum", "adam")
    if optimizer is not None and optimizer not in optimizers:
        raise UsageError(
            f"unknown optimizer {optimizer!r}",
            received=repr(optimizer),
            fix="Use sgd, momentum or adam",
        )
    wanted = any(c in known[2:] for c in chosen) or batch is not None or optimizer is not None
    if not wanted:
        return chosen, None
    from modelmath.costs.data import CostOptions

    return chosen, CostOptions(batch=batch or 1, optimizer=optimizer or "adam")


def with_columns(s: Summary, columns: tuple[str, ...]) -> Summary:
    import dataclasses

    return dataclasses.replace(s, columns=columns) if columns else s


def summary(
    model: Any,
    input_size: Sequence[Any] | None = None,
    *,
    input_shape: Sequence[int | None] | None = None,
    model_name: str | None = None,
    columns: Sequence[str] | None = None,
    batch: int | None = None,
    optimizer: str | None = None,
    input_data: Any = None,
    dtypes: Sequence[Any] | None = None,
    depth: int | None = None,
    mode: str | None = None,
    forward_kwargs: dict[str, Any] | None = None,
    col_names: Sequence[str] | None = None,
    batch_dim: int | None = None,
    device: Any = None,
    row_settings: Sequence[str] | None = None,
    verbose: int | None = None,
) -> Summary | ModuleSummary:
    """The explained summary of ``model``.

    A ``torch.nn.Module`` is traced from shapes alone, on a light copy (the model is never
    altered; no weights or activations are allocated), with inputs of ``input_size`` (one
    tuple per input, batch included; ``dtypes`` such as ``[torch.long]`` for token ids) or
    shaped like ``input_data`` (a list of positional inputs, or a dict of keyword ones);
    ``forward_kwargs`` are more keyword arguments of ``forward``.
    ``depth`` (default 3) folds deeper modules into their parent and ``columns`` picks
    from ``input``, ``output`` (or ``shape``), ``params``, ``trainable`` and ``macs``, as
    torchinfo does; ``mode="train"`` traces the copy in training mode (default
    ``"eval"``, as torchinfo). torchinfo's own call is taken as it is written:
    ``summary(model, (1, 3, 224, 224))``, ``col_names`` (its column names), ``batch_dim``
    (a batch axis of 1 added to inputs given without it), ``row_settings``
    (``ascii_only``, ``hide_recursive_layers``; ``depth`` and ``var_names`` are always
    shown), ``verbose`` (1 or 2 print the table too) and ``device`` (no effect: the trace
    runs on no device). See
    :mod:`modelmath.torch_analysis`.

    ``model`` is a live Keras 3 model, a model config dict, or the path of a `.keras`
    archive, a config JSON file or a Keras script (read as text, never run; the first
    model it summarizes, or the one named ``model_name``). ``input_shape`` (without the
    batch axis) completes a Sequential model that was given none.

    ``columns`` picks the table's columns from ``shape``, ``params``, ``macs``, ``flops``,
    ``memory`` (activation bytes) and ``rf`` (receptive field). A cost column, ``batch``
    (default 1) or ``optimizer`` (``sgd``, ``momentum``, ``adam``; default ``adam``, for
    the training memory estimate) makes modelmath count MACs, FLOPs, bytes and receptive
    fields; ``summary.costs`` then holds the totals and each row's ``costs`` its figures.

    An argument meant for the other kind of model (``input_size`` for a Keras model,
    ``input_shape`` for a PyTorch one) is refused with the one to use.

    >>> import modelmath
    >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
    >>> s = modelmath.summary(cfg, input_shape=(4,), columns=["shape", "macs"], batch=3)
    >>> s.row("dense").costs.macs.value, s.costs.flops.value
    (24, 54)

    >>> import modelmath
    >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
    >>> modelmath.summary(cfg, input_shape=(4,)).totals.total.value
    10

    >>> import torch, modelmath
    >>> s = modelmath.summary(torch.nn.Linear(4, 2), (4,), batch_dim=0, col_names=["num_params"])
    >>> s.rows[0].inputs, s.columns
    (((1, 4),), ('params',))
    """
    from modelmath.frontends.torch_module import is_torch_module
    from modelmath.summary_args import prints, refuse_foreign

    torch_model = is_torch_module(model)
    refuse_foreign(
        {
            "input_size": input_size, "input_data": input_data, "dtypes": dtypes,
            "depth": depth, "mode": mode, "col_names": col_names, "batch_dim": batch_dim,
            "device": device, "row_settings": row_settings, "forward_kwargs": forward_kwargs,
            "input_shape": input_shape, "model_name": model_name, "batch": batch,
            "optimizer": optimizer,
        },
        torch_model,
        model,
    )  # fmt: skip
    show = prints(verbose)
    found: Summary | ModuleSummary
    if torch_model:
        from modelmath.summary_args import check_device, torch_display
        from modelmath.torch_analysis import summary_of_module

        check_device(device)
        chosen, ascii_only, hide_reused = torch_display(
            columns=columns, col_names=col_names, row_settings=row_settings
        )
        found = summary_of_module(
            model,
            input_size=input_size,
            input_data=input_data,
            dtypes=dtypes,
            depth=3 if depth is None else depth,
            columns=chosen,
            forward_kwargs=forward_kwargs,
            mode=mode or "eval",
            batch_dim=batch_dim,
            ascii_only=ascii_only,
            hide_reused=hide_reused,
        )
    else:
        found = summaries(
            model,
            input_shape=input_shape,
            model_name=model_name,
            columns=columns,
            batch=batch,
            optimizer=optimizer,
        )[0]
    if show:
        print(found)
    return found


def __getattr__(name: str) -> Any:
    # Summary is imported lazily so that `import modelmath` stays light.
    if name == "Summary":
        from modelmath.model_summary import Summary

        return Summary
    raise AttributeError(f"module 'modelmath' has no attribute {name!r}")
