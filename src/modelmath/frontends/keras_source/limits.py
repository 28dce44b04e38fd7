"""Bounds that keep reading an untrusted script cheap: size, nesting, steps, time, sizes.

A script is never executed, but the interpreter still walks its loops and calls its
functions; these limits make sure a hostile or broken file (``while True: pass``,
``[0] * 10**10``, ``2 ** 10**9``) is stopped quickly with a clear message.
"""

from __future__ import annotations

import time

from modelmath.errors import ModelMathError

MAX_NESTING = 60  # AST depth; real model code rarely passes 20
MAX_STEPS = 300_000  # AST nodes evaluated; the seed script takes about 300
MAX_SECONDS = 0.9  # wall-clock backstop for the step budget
MAX_CALL_DEPTH = 24  # nested calls of functions defined in the file
MAX_ITEMS = 100_000  # elements of a list, tuple, dict or characters of a string
MAX_INT_BITS = 4096  # integers bigger than this are not model sizes


class ScriptError(ModelMathError):
    """The script cannot be read statically: unknown value, unsupported code, limit hit."""


class Budget:
    """Counts evaluation steps and stops the walk when the budget or the time is spent.

    >>> b = Budget(steps=3)
    >>> for _ in range(3): b.step("f.py:1:1")
    >>> b.step("f.py:2:1")
    Traceback (most recent call last):
    ...
    modelmath.frontends.keras_source.limits.ScriptError: the script did not finish within \
3 evaluation steps (an endless loop?). In f.py:2:1. Only loops over values written in the \
file are followed; make the loop finite.
    """

    def __init__(self, steps: int = MAX_STEPS, seconds: float = MAX_SECONDS) -> None:
        self.left = steps
        self.total = steps
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.spent = False  # set when the limit was hit: never caught by a fallback

    def step(self, where: str) -> None:
        self.left -= 1
        # Checking the clock every 1024 steps costs nothing measurable.
        if self.left < 0 or (self.left & 1023 == 0 and time.monotonic() > self.deadline):
            what = (
                f"{self.total:,} evaluation steps"
                if self.left < 0
                else f"{self.seconds:g} s of reading"
            )
            self.spent = True
            raise ScriptError(
                f"the script did not finish within {what} (an endless loop?)",
                where=where,
                fix="Only loops over values written in the file are followed; make the loop finite",
            )
