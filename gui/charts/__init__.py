"""pyqtgraph charts.  pyqtgraph picks PyQt6 over PySide6 when both are installed and neither is
imported yet; this package pins it to PySide6 before any chart module imports pyqtgraph."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
