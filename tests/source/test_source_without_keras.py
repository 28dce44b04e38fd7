"""The whole corpus read with Keras, TensorFlow, torch and numpy blocked from importing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

CORPUS = sorted((Path(__file__).resolve().parent / "corpus").glob("*.py"))
BLOCKER = textwrap.dedent("""
    import sys, importlib.abc
    BLOCKED = ("keras", "tensorflow", "torch", "jax", "numpy", "h5py")
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked in this test")
            return None
    sys.meta_path.insert(0, Block())
""")


def test_corpus_reads_with_frameworks_blocked() -> None:
    code = BLOCKER + textwrap.dedent(f"""
        import json
        from modelmath.frontends import load_graphs
        out = {{}}
        for path in {[str(p) for p in CORPUS]!r}:
            out[path] = [g.name for g in load_graphs(path)]
        print(json.dumps(out))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = json.loads(proc.stdout)
    assert len(names) == len(CORPUS)
    assert all(names.values())
