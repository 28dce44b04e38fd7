"""Run one child process and measure it alone: wall time and its own peak RSS (``os.wait4``).

``resource.getrusage(RUSAGE_CHILDREN)`` is a maximum over all children ever waited for, so
it cannot tell one child from the next; ``os.wait4`` returns the rusage of exactly the
child it reaps.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChildRun:
    """One finished child: wall seconds from spawn to exit, peak RSS, exit code, stdout."""

    seconds: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(cmd: Sequence[str], *, env: Mapping[str, str], cwd: Path) -> ChildRun:
    """Spawn ``cmd``, reap it with ``os.wait4`` and return its own measurements.

    stdout and stderr go to temporary files (not pipes) so the child never blocks on a
    full pipe and the parent does no work while the child runs.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=dict(env), cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        out.seek(0)
        err.seek(0)
        return ChildRun(
            seconds=seconds,
            maxrss_mb=usage.ru_maxrss * 1024 / 1e6,  # Linux reports KiB; MB = 10**6 bytes
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def run_checked(cmd: Sequence[str], *, env: Mapping[str, str], cwd: Path) -> ChildRun:
    """:func:`run_child`, raising with the child's stderr if it failed."""
    run = run_child(cmd, env=env, cwd=cwd)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {run.returncode}:\n{run.stderr[-2000:]}")
    return run
