"""Benchmark harness: modelmath against Keras on the same models, as ratios, with peak memory.

Run it from the repository root with ``.venv/bin/python bench/run.py`` (see ``run.py``).
Nothing here is a test: timings belong in benchmarks, never in pass/fail tests.
"""
