"""The Qt modules FTRAG Advisor may load: one list, read by the PyInstaller spec (what goes
into the bundle) and by tests/packaging/test_qt_modules.py (what the app actually imports).

A new ``from PySide6 import QtSomething`` anywhere in gui/ or its dependencies fails that
test until the module is added here, so the bundle can neither bloat silently nor ship
without a module the app needs.  This file must stay importable without Qt.
"""

from __future__ import annotations

# Bundled: the app imports these (the spec also names them as hidden imports, so a module
# whose first import is still being written — QtPrintSupport for Print/Print preview — is
# collected with its plugins all the same).
QT_MODULES_BUNDLED: frozenset[str] = frozenset(
    {
        "QtCore",
        "QtGui",  # also QPdfWriter (PDF export) and QUndoStack
        "QtWidgets",
        "QtSvg",  # pyqtgraph's SVGExporter (QSvgGenerator): "Export chart as SVG"
        "QtPrintSupport",  # Print, Print preview (QPrinter, QPrintDialog, QPrintPreviewDialog)
    }
)

# pyqtgraph imports these at import time but uses them only for OpenGL drawing, which the app
# never enables.  The bundle replaces them with stand-ins (packaging/rthook_no_opengl.py):
# allowed when running from source, ~10 MB left out of the bundle.
QT_MODULES_STUBBED: frozenset[str] = frozenset({"QtOpenGL", "QtOpenGLWidgets"})

# Imported by pyqtgraph inside ``try/except ImportError`` (it falls back to a FailedImport
# placeholder): allowed when running from source, left out of the bundle.
QT_MODULES_OPTIONAL: frozenset[str] = frozenset({"QtTest"})

# Every other PySide6 Qt* module is excluded from the bundle (the spec turns these names into
# PyInstaller ``excludes``): QtNetwork, QtDBus, QtQml, QtQuick, QtXml, QtSql, QtUiTools, …
QT_MODULES_ALLOWED: frozenset[str] = QT_MODULES_BUNDLED | QT_MODULES_STUBBED | QT_MODULES_OPTIONAL
