"""modelmath's build: pure Python, and where Cython and a C compiler are at hand, the
modules on the PyTorch summary's hot path compiled as well, from the same unchanged
source (about 12 % less time per PyTorch summary; bench/results_torch.md). Set
MODELMATH_PURE_PYTHON=1 to build without them; a module that fails to compile is left
as Python (the extensions are optional), so an install never fails for want of a compiler.

The metadata lives in pyproject.toml; this file only lists the extensions.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import Extension, setup

# The modules a PyTorch summary spends its time in (copy, trace, rules, rows, text). Not
# symbolic.py nor shape_rules/factories.py: they read their callers' frames (the type
# tests a traced tensor answers by who asks), and compiled callers have none.
COMPILED = (
    "modelmath/expr.py",
    "modelmath/module_summary.py",
    "modelmath/torch_analysis.py",
    "modelmath/torch_macs.py",
    "modelmath/torch_layer_macs.py",
    "modelmath/renderers/module_table.py",
    "modelmath/renderers/printer.py",
    "modelmath/rules/base.py",
    "modelmath/rules/conv.py",
    "modelmath/rules/registry.py",
    "modelmath/rules/spatial.py",
    "modelmath/rules/torch_nn.py",
    "modelmath/frontends/torch_module/configs.py",
    "modelmath/frontends/torch_module/direct_leaves.py",
    "modelmath/frontends/torch_module/fast_trace.py",
    "modelmath/frontends/torch_module/records.py",
    "modelmath/frontends/torch_module/tracer.py",
    "modelmath/frontends/torch_module/shape_rules/base.py",
    "modelmath/frontends/torch_module/shape_rules/conv.py",
    "modelmath/frontends/torch_module/shape_rules/elementwise.py",
    "modelmath/frontends/torch_module/shape_rules/norm.py",
    "modelmath/frontends/torch_module/shape_rules/pooling.py",
    "modelmath/frontends/torch_module/shape_rules/views.py",
)

# Python's semantics, unchanged: annotations are not C types (a rule's `int` may be a
# bool, a `dict` an OrderedDict); types inferred only where Cython's default deems it
# safe (a variable that only ever holds a list is a list, never an int that could
# overflow); functions that introspect as Python's do; doctests collected once (no
# __test__ dictionary of copies).
DIRECTIVES = {
    "language_level": 3,
    "annotation_typing": False,
    "infer_types": None,
    "binding": True,
    "autotestdict": False,
}


def extensions() -> list[Extension]:
    if os.environ.get("MODELMATH_PURE_PYTHON"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:  # a build without Cython: pure Python
        return []
    modules = [
        Extension(
            path.removesuffix(".py").replace("/", "."),
            [f"src/{path}"],
            optional=True,
            # -O1: a third of -O3's compile time, and the same speed (the code is calls
            # into Python's C API, which optimization levels do not change)
            extra_compile_args=["-O1", "-g0"],
        )
        for path in COMPILED
        if Path("src", path).is_file()
    ]
    try:
        return list(cythonize(modules, compiler_directives=DIRECTIVES, quiet=True))
    except Exception as err:  # Cython refused a module: build pure Python instead
        print(f"modelmath: building without compiled modules ({err})")
        return []


setup(ext_modules=extensions(), options={"build_ext": {"parallel": os.cpu_count() or 1}})
