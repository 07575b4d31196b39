# The two commands of the README: `make demo` and `make test`. Both bootstrap everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes: one per core (pytest-xdist); whole test modules go to one process, so that the
# worlds built once per module are built once.
PYTEST_WORKERS ?= auto
# Settings for the checks that import Django without a real deployment behind them.
CHECK_ENV := DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=.

.PHONY: bootstrap demo test lint typecheck layers checks pytest a11y browser pdflibs gettext catalogues messages bench verify-sharing lock clean

# Every dependency comes from requirements.lock, pinned with hashes (pip refuses anything else); Continuum
# itself is installed on top without resolving anything more. `make lock` writes the lock anew.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

bootstrap: $(VENV)/.installed

# The demo's settings go to continuum.env (kept when it exists), which every `continuum` command
# run from this folder reads: the README's commands then work by hand after `make demo`.
continuum.env:
	printf '%s\n' '# Written by `make demo`: the demo and development settings (never production).' \
	  'CONTINUUM_DEBUG=true' 'CONTINUUM_REQUIRE_2FA=false' > $@

demo: bootstrap pdflibs catalogues continuum.env
	$(BIN)/continuum migrate --noinput
	$(BIN)/continuum seed_demo
	$(BIN)/continuum seed_cohort
	@echo "Continuum demo on http://127.0.0.1:$(PORT)/  (log in as prob.officer / continuum-demo)"
	$(BIN)/continuum runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the end-to-end tests; installed when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the end-to-end tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif [ "$$CI" = "true" ]; then \
	    echo "/usr/bin/chromium is missing and we are not root: end-to-end tests cannot run" >&2; exit 1; \
	  else \
	    echo "Warning: /usr/bin/chromium is missing; end-to-end tests will be skipped" >&2; \
	  fi; \
	fi

# Debian's Pango (and a font) for WeasyPrint's meeting-pack PDFs; installed when missing and we are root.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
pdflibs:
	@if ! dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's Pango for PDF meeting packs"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  elif [ "$$CI" = "true" ]; then \
	    echo "$(PDF_PACKAGES) missing and we are not root: PDF meeting packs cannot be made" >&2; exit 1; \
	  else \
	    echo "Warning: $(PDF_PACKAGES) missing; PDF meeting packs (and their tests) will fail" >&2; \
	  fi; \
	fi

# GNU gettext, for `make messages` and the test that the catalogues hold every text marked in the code.
gettext:
	@if ! command -v xgettext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing GNU gettext for the translation catalogues"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  elif [ "$$CI" = "true" ]; then \
	    echo "gettext is missing and we are not root: the catalogues cannot be checked" >&2; exit 1; \
	  else \
	    echo "Warning: gettext is missing; the catalogues' extraction test will be skipped" >&2; \
	  fi; \
	fi

# The translation catalogues (docs/languages.md): compiled from the .po files for every run; `make messages`
# brings them up to date with the texts marked in the code, for the translators.
catalogues: bootstrap
	$(BIN)/python -m continuum.lib.catalogues compile

messages: bootstrap gettext
	$(CHECK_ENV) $(BIN)/python -m continuum.lib.catalogues extract

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: bootstrap
	$(CHECK_ENV) $(BIN)/mypy

# The layers contract (docs/architecture.md, "Layers"): no module imports one of a higher layer.
layers: bootstrap
	$(BIN)/lint-imports --no-cache

checks: bootstrap
	$(BIN)/python -m continuum.lib.catalogues check
	$(CHECK_ENV) $(BIN)/continuum makemigrations --check --dry-run
	$(CHECK_ENV) $(BIN)/continuum check --fail-level WARNING
	$(CHECK_ENV) $(BIN)/continuum spectacular --validate --fail-on-warn --file /dev/null

# The whole suite, end-to-end tests included: among them the accessibility gate (`make a11y`).
pytest: bootstrap browser pdflibs gettext catalogues
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# The accessibility gate alone (part of `make test`): axe-core on every page of tests/page_catalogue.py in
# Chromium (serious and critical violations fail, the others are listed), the main workflow by keyboard,
# and the catalogue's own test that no page of the URLconf is left out.
A11Y_TESTS := tests/test_page_catalogue.py tests/e2e/test_accessibility.py tests/e2e/test_keyboard.py
a11y: bootstrap browser pdflibs catalogues
	$(BIN)/pytest -rA -n $(PYTEST_WORKERS) --dist loadfile $(A11Y_TESTS)

test: lint typecheck layers checks pytest

# Query counts and times of the main reads at two sizes of synthetic data (bench/README.md); not part of
# `make test`. BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS="--scale 5"`.
BENCH_ARGS ?=
bench: bootstrap
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Leak-freedom at volume (docs/sharing.md): the sharing engine against the reference model on random worlds
# holding every case record model, to at least VERIFY_SHARING_CHECKS generated visibility checks (one check:
# one user and one record); prints the number of checks and fails on any disagreement. Not part of
# `make test`, which runs the bounded version (tests/test_sharing_volume.py).
VERIFY_SHARING_CHECKS ?= 1000000
verify-sharing: bootstrap
	CONTINUUM_VERIFY_SHARING_CHECKS=$(VERIFY_SHARING_CHECKS) $(BIN)/pytest -p no:randomly -n 0 -q -s \
	  tests/test_sharing_volume.py -k test_verify_sharing_at_volume

# Re-resolve every dependency within pyproject.toml's ranges to its newest release, with hashes.
# To move one package only: `make lock LOCK_ARGS="--upgrade-package django"`.
LOCK_ARGS ?= --upgrade
lock: bootstrap
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
	  --quiet $(LOCK_ARGS) -o requirements.lock

clean:
	rm -rf $(VENV) var/continuum.sqlite3*
