"""Starting the app puts the window and its first live result up before anything that is not
needed for them is imported: no report code, no uncertainty worker, no exporters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Started as gui.app starts a window (MainWindow, the saved layout, the default template),
# shown, one turn of the event loop: the first frame with the recommendation on it.
START = """
import json, sys
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QStandardPaths
app = QApplication(sys.argv[:1])
QStandardPaths.setTestModeEnabled(True)
from gui.mainwindow import MainWindow
window = MainWindow()
window.restore_layout()
window.open_template()
window.resize(1366, 768)
window.show()
app.processEvents()
assert window.document.evaluation is not None
assert window.scorecard.isVisible()
print(json.dumps(sorted(sys.modules)))
"""

NOT_AT_START = (
    "gui.report",
    "gui.exports",
    "gui.uncertainty.worker",
    "gui.uncertainty.controller",
    "gui.decision_map.worker",
    "docx",
    "openpyxl",
    "engine.spreadsheet",
    # hidden at start: built after the first frame, or when first shown
    "gui.views.breakdown",
    "gui.views.comparison",
    "gui.forms.catalog_view",
    "pyqtgraph",
)


def _modules_after_first_result() -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYQTGRAPH_QT_LIB": "PySide6"}
    done = subprocess.run(
        [sys.executable, "-c", START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


def test_the_first_result_imports_no_report_worker_or_exporter() -> None:
    modules = _modules_after_first_result()
    assert "gui.mainwindow" in modules and "engine.evaluate" in modules  # it did start
    loaded = [
        name
        for name in modules
        if any(name == banned or name.startswith(banned + ".") for banned in NOT_AT_START)
    ]
    assert loaded == []
