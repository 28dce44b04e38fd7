"""The one error type users see, with structured fields.

Inner code raises facts (what was expected, what was received); the public entry point
adds which model and file once, with :meth:`ModelMathError.with_context`.

>>> e = LayerError("needs a 4-D input", layer="conv2d", received="(None, 3)")
>>> str(e)
"Layer 'conv2d': needs a 4-D input. Received: (None, 3)."
"""

from __future__ import annotations


class ModelMathError(Exception):
    """Base class of every error modelmath raises on bad input."""

    def __init__(
        self,
        message: str,
        *,
        received: str | None = None,
        fix: str | None = None,
        where: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.received = received
        self.fix = fix
        self.where = where

    def with_context(self, where: str) -> ModelMathError:
        """Record where the problem is (a file, a model), unless already known."""
        if not self.where:
            self.where = where
        return self

    def _prefix(self) -> str:
        return ""

    def __str__(self) -> str:
        text = self._prefix() + self.message.rstrip(".") + "."
        if self.received is not None:
            text += f" Received: {self.received}."
        if self.where:
            text += f" In {self.where}."
        if self.fix:
            text += f" {self.fix.rstrip('.')}."
        return text


class InputFileError(ModelMathError):
    """A file that is missing, unreadable, too large or not a model modelmath reads."""


class ConfigError(ModelMathError):
    """A model config that does not have the structure its format requires."""


class LayerError(ModelMathError):
    """A layer whose configuration and input shapes do not fit together."""

    def __init__(self, message: str, *, layer: str = "", **kwargs: str | None) -> None:
        super().__init__(message, **kwargs)
        self.layer = layer

    def _prefix(self) -> str:
        return f"Layer '{self.layer}': " if self.layer else ""


class UsageError(ModelMathError):
    """A call of the API or CLI with arguments that do not fit."""
