# make demo: create the virtual environment, install modelmath, run it on the seed example.
# make test: install the test dependencies (Keras, PyTorch 2.13.0, JAX, ...) and run the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Keras 3 runs its oracle tests on PyTorch (no TensorFlow); NASNetMobile needs JAX.
export KERAS_BACKEND ?= torch

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install is not byte-compiled the way `pip install` compiles a wheel; with
# PYTHONDONTWRITEBYTECODE set, every run would compile modelmath again (~70 ms).
$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py
	MODELMATH_PURE_PYTHON=1 $(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src/modelmath
	touch $@

# setup.py compiles the PyTorch path's hot modules in place (when Cython and a C compiler
# are at hand), here rather than in pip's editable build, which starts afresh each time (a
# minute): build/ keeps the compiled objects, and after an edit only what changed is built
# again (a stale module would shadow its source: conftest.py stops a test run using one).
SOURCES := $(shell find src/modelmath -name '*.py')
$(VENV)/.built: $(VENV)/.installed $(SOURCES) setup.py
	$(BIN)/python -m pip install --quiet 'setuptools>=77' 'cython>=3.1'
	@# Cython's own check compares a module's C file with its source only: new compiler
	@# directives in setup.py need every C file written again.
	if [ setup.py -nt $@ ]; then find src -name '*.c' -delete; fi
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	MODELMATH_PURE_PYTHON=1 $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The browser tests drive Debian's Chromium (no download from a browser CDN).
$(VENV)/.chromium:
	command -v chromium >/dev/null 2>&1 || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
	touch $@

demo: $(VENV)/.built
	$(BIN)/modelmath examples/seed.keras
	$(BIN)/modelmath examples/seed.keras --explain conv2d

test: $(VENV)/.test-installed $(VENV)/.chromium $(VENV)/.built
	$(BIN)/ruff check src tests bench setup.py conftest.py
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto --doctest-modules src tests; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 1; fi; exit $$rc

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests bench setup.py conftest.py
	$(BIN)/mypy

bench: $(VENV)/.test-installed $(VENV)/.built
	$(BIN)/python bench/run.py
	$(BIN)/python -m bench.torch_vs_torchinfo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
	find src -name '*.so' -delete -o -name '*.c' -delete

# make fuzz: a long differential campaign against Keras (FUZZ_EXAMPLES models, a fresh
# seed unless FUZZ_SEED is given); a failing model is saved to
# tests/differential/regressions/ and replayed by `make test` from then on.
.PHONY: fuzz
fuzz: $(VENV)/.test-installed
	MODELMATH_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-20000} \
	MODELMATH_FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} MODELMATH_FUZZ_SAVE=1 \
	  $(BIN)/python -m pytest -q -n auto -p no:cacheprovider tests/differential/test_differential.py
