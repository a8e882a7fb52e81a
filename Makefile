# The two commands of the README: `make demo` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install install-browser demo lint test test-slow clean

install: $(STAMP)

$(STAMP): setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Headless Chromium for the browser test (tests/test_browser.py skips without it): Debian's
# chromium and chromium-driver, and selenium in the virtual environment.
install-browser: install
	command -v chromedriver >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	$(BIN)/pip install --quiet 'selenium>=4.10'

# Train DCGAN on scikit-learn's bundled digits (no download), then export it for TF Serving.
demo: install
	$(BIN)/keras-gan train dcgan-digits --out runs/dcgan-digits
	$(BIN)/keras-gan sample runs/dcgan-digits --n 64 --out runs/dcgan-digits/samples/final.png
	$(BIN)/keras-gan export runs/dcgan-digits --serving-dir runs/serving

# ruff's linter and formatter (configuration: ruff.toml); `ruff format .` fixes what the second
# command reports.
RUFF := ruff==0.17.6
lint: install
	$(BIN)/pip install --quiet '$(RUFF)'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install
	$(BIN)/python -m pytest -q -m "not slow" -n 2 --dist loadfile --durations=15 tests

test-slow: install
	$(BIN)/python -m pytest -q -m slow tests

clean:
	rm -rf runs
