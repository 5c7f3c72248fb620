# The two commands of the README: `make play` and `make test`.
# Everything they install is pinned by requirements.txt (pip constraints), so a fresh
# machine runs the tests against exactly the releases they were written for.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.txt
PIP     = $(1)/bin/python -m pip --quiet --disable-pip-version-check
PLAYED := $(VENV)/.play-installed
TESTED := $(VENV)/.test-installed
# pip's and setuptools' chatter goes to a log, shown only when an install fails.
QUIETLY = > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

.PHONY: play test lint typecheck pytest graphviz bench test-latest lock clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)

# Playing needs Zone and its three run-time libraries, nothing else.
$(PLAYED): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "Installing Zone into $(VENV) ..."
	@$(call PIP,$(VENV)) install -c $(LOCK) pip setuptools wheel $(QUIETLY)
	@$(call PIP,$(VENV)) install -c $(LOCK) --no-build-isolation -e . $(QUIETLY)
	@touch $@

$(TESTED): $(PLAYED)
	@echo "Installing the test tools into $(VENV) ..."
	@$(call PIP,$(VENV)) install -c $(LOCK) --no-build-isolation -e '.[test,dev]' $(QUIETLY)
	@touch $@

play: $(PLAYED)
	@ZONE_PROG="make play" $(BIN)/zone

test: lint typecheck pytest

lint: $(TESTED)
	$(BIN)/ruff check zone tests bench

typecheck: $(TESTED)
	$(BIN)/mypy

pytest: $(TESTED) graphviz
	$(BIN)/pytest

bench: $(TESTED)
	$(BIN)/python -m bench

# The tests against the newest releases of every dependency, in a venv of its own
# (.venv-latest). A failure here is news about an upstream release, not a broken main.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	$(call PIP,.venv-latest) install --upgrade pip setuptools wheel
	$(call PIP,.venv-latest) install --upgrade --no-build-isolation -e '.[test,dev]' >/dev/null
	.venv-latest/bin/python -m pip freeze --exclude-editable | grep -v '^#'
	.venv-latest/bin/pytest

# Refresh requirements.txt from the newest releases that pyproject.toml allows.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	$(call PIP,.venv-lock) install --upgrade pip setuptools wheel
	$(call PIP,.venv-lock) install '.[test,dev]'
	{ sed -n '/^#/p' $(LOCK); .venv-lock/bin/python -m pip freeze --all --exclude-editable \
	    | grep -v -e '^#' -e '^zone[=@ ]' | LC_ALL=C sort -f; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .venv-lock build

clean:
	rm -rf $(VENV) .venv-latest .venv-lock build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The graph tests render real SVG and PNG with Graphviz's `dot`. When it is missing and
# this is a Debian-like machine where we are root (as CI is), install it from the
# distribution's packages; its output goes to a log. Elsewhere those tests say why they skip.
graphviz: | $(BIN)/python
	@command -v dot >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || { \
	    echo "Installing Graphviz (apt-get) for the graph tests ..."; \
	    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends graphviz; } \
	        > $(VENV)/graphviz.log 2>&1 \
	    || echo "Graphviz could not be installed (see $(VENV)/graphviz.log): the tests that need it will skip"; }
