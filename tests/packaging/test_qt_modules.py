"""The Qt modules the app loads stay inside packaging/qt_modules.py, the list the PyInstaller
spec bundles.  A new ``from PySide6 import QtSomething`` (in gui/ or via a dependency) fails here
first, instead of silently growing the bundle or crashing only the frozen app.

Both tests run a fresh interpreter (Qt modules, once imported, stay in sys.modules).  No
PyInstaller run: the frozen app itself is checked by `make smoke-frozen`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from qt_modules import (  # noqa: E402
    QT_MODULES_ALLOWED,
    QT_MODULES_BUNDLED,
    QT_MODULES_STUBBED,
)

pytestmark = pytest.mark.gui

GUI_MODULES = ("gui", "gui.app", "gui.mainwindow", "gui.charts", "gui.report")

PRELUDE = textwrap.dedent(
    """
    import importlib, importlib.util, json, os, runpy, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

    def import_gui():
        imported = []
        for name in GUI_MODULES:
            if name != "gui" and importlib.util.find_spec(name) is None:
                continue  # not written yet (gui/report is in progress)
            importlib.import_module(name)
            imported.append(name)
        return imported

    def qt_loaded():
        return sorted(
            name.split(".")[1] for name in sys.modules
            if name.startswith("PySide6.Qt") and name.count(".") == 1
        )
    """
)

BUNDLE_SIMULATION = textwrap.dedent(
    """
    import importlib.abc

    BUNDLED = set(BUNDLED_LIST)

    class ExcludedFromBundle(importlib.abc.MetaPathFinder):
        # as in the frozen app: every Qt module the spec leaves out is missing
        def find_spec(self, fullname, path=None, target=None):
            parts = fullname.split(".")
            if parts[0] == "PySide6" and len(parts) == 2 and parts[1].startswith("Qt"):
                if parts[1] not in BUNDLED:
                    raise ModuleNotFoundError(f"{fullname} is not in the bundle")
            return None

    sys.meta_path.insert(0, ExcludedFromBundle())
    runpy.run_path(os.path.join(ROOT, "packaging", "rthook_no_opengl.py"))  # first in meta_path
    """
)


def run_child(body: str, bundle: bool = False) -> dict[str, Any]:
    script = (
        f"ROOT = {str(ROOT)!r}\nGUI_MODULES = {GUI_MODULES!r}\n"
        f"BUNDLED_LIST = {sorted(QT_MODULES_BUNDLED)!r}\n"
        + PRELUDE
        + (BUNDLE_SIMULATION if bundle else "")
        + textwrap.dedent(body)
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("FTRAG_BLOCK_QT", None)
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_gui_imports_only_allowed_qt_modules() -> None:
    result = run_child(
        """
        imported = import_gui()
        print(json.dumps({"imported": imported, "qt": qt_loaded()}))
        """
    )
    loaded = set(result["qt"])
    unexpected = loaded - QT_MODULES_ALLOWED
    assert not unexpected, (
        f"importing {result['imported']} loads Qt modules the bundle does not ship: "
        f"{sorted(unexpected)}. Add them to packaging/qt_modules.py (and check the bundle "
        "size and the smoke test) or avoid the import."
    )
    assert {"QtCore", "QtGui", "QtWidgets"} <= loaded


def test_app_runs_with_only_the_bundled_qt_modules() -> None:
    """The app's own --smoke-test, in-process, with the excluded Qt modules made unimportable
    and pyqtgraph's OpenGL imports answered by the bundle's stand-ins: what the frozen app
    does, minus PyInstaller."""
    result = run_child(
        """
        from gui.launcher import main
        status = main(["--smoke-test"])
        print()
        print(json.dumps({"status": status, "qt": qt_loaded()}))
        """,
        bundle=True,
    )
    assert result["status"] == 0
    loaded = set(result["qt"])
    assert loaded <= QT_MODULES_BUNDLED | QT_MODULES_STUBBED
