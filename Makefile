# FTRAG Advisor — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM_TEST := offscreen

.PHONY: run test lint typecheck pytest engine-without-qt bench sysdeps clean screenshots

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory sysdeps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Qt's xcb/offscreen plugins need a few system libraries that a bare Debian image lacks.
# Installed only when missing, and only where we are allowed to (root, apt available).
SYSLIBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
sysdeps:
	@missing=""; for p in $(SYSLIBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system libraries:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing system libraries:$$missing (install them with your package manager)"; fi; \
	fi

run: $(STAMP)
	$(VENV)/bin/ftrag

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy engine

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The engine must run without Qt: the same engine tests with PySide6 and pyqtgraph made unimportable.
engine-without-qt: $(STAMP)
	FTRAG_BLOCK_QT=1 $(PY) -m pytest -q tests/engine -p no:pytestqt -m "not gui"

test: lint typecheck pytest engine-without-qt

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
