# FTRAG Advisor — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM_TEST := offscreen

.PHONY: run test lint typecheck pytest engine-without-qt bench sysdeps clean screenshots monkey

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory sysdeps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Qt's xcb/offscreen plugins need a few system libraries that a bare Debian image lacks.
# Installed only when missing, and only where we are allowed to (root, apt available).
SYSLIBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core \
           poppler-utils
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
	FTRAG_BLOCK_QT=1 $(PY) -m pytest -q tests/engine -p no:pytest-qt -m "not gui" \
	  -o addopts="--strict-markers -ra" -W "ignore::pytest.PytestConfigWarning"

test: lint typecheck pytest engine-without-qt

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m gui.screenshots docs/screenshots

# The long monkey: 500 seeds × 200 actions on the real window (make test runs 20 seeds).
monkey: $(STAMP)
	MONKEY_SEEDS=500 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/robustness/test_monkey.py

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# --- Packaging (issue 10): the PyInstaller one-folder app, its archive, the frozen smoke test.
.PHONY: package smoke-frozen install-desktop
PKG_STAMP := $(VENV)/.installed-package

$(PKG_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[package]'
	touch $(PKG_STAMP)

# dist/ftrag-advisor/ (run dist/ftrag-advisor/ftrag-advisor) and
# dist/ftrag-advisor-<version>-linux-x86_64.tar.xz; prints the sizes by component.
package: $(PKG_STAMP)
	$(PY) packaging/build.py

# Build if anything changed (no archive), then run the bundle off-screen without network:
# --smoke-test on every bundled template, the CLI, the PDF report; stderr allow-listed.
smoke-frozen: $(PKG_STAMP)
	$(PY) packaging/build.py --if-needed --no-archive
	$(PY) packaging/smoke_test.py

# Menu entry, .ftrag file type and icons for your own account (~/.local/share, ~/.local/bin).
install-desktop: $(PKG_STAMP)
	$(PY) packaging/build.py --if-needed --no-archive
	sh packaging/linux/install-desktop.sh dist/ftrag-advisor
