"""Screenshots of the main window for the README and reviews:
``python -m gui.screenshots OUTDIR`` writes main-{light,dark}-{1366x768,1920x1080}.png.

Rendered off-screen on the example project. Dark mode is the dark palette an OS in dark mode
would give Qt (the app itself never forces colours), so the shots show what a dark-mode user
sees.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

SIZES: tuple[tuple[int, int], ...] = ((1366, 768), (1920, 1080))


def dark_palette() -> QPalette:
    """A dark palette like the ones KDE/GNOME/Windows hand to Qt in dark mode."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2e",
        role.WindowText: "#e8e8ea",
        role.Base: "#1f1f22",
        role.AlternateBase: "#2a2a2e",
        role.ToolTipBase: "#3a3a3e",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#8a8a90",
        role.Text: "#e8e8ea",
        role.Button: "#333337",
        role.ButtonText: "#e8e8ea",
        role.BrightText: "#ff6b6b",
        role.Light: "#4a4a50",
        role.Midlight: "#3d3d42",
        role.Mid: "#2f2f33",
        role.Dark: "#18181a",
        role.Shadow: "#000000",
        role.Highlight: "#3d7bd9",
        role.HighlightedText: "#ffffff",
        role.Link: "#7fb2ff",
        role.LinkVisited: "#b995ff",
    }
    for colour_role, name in colours.items():
        palette.setColor(colour_role, QColor(name))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, colour_role, QColor("#7a7a80"))
    return palette


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python -m gui.screenshots OUTDIR\n")
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtWidgets import QApplication

    from gui.app import _without_offscreen_noise

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    with _without_offscreen_noise():
        return _shoot(app, out)


def _shoot(app: QApplication, out: Path) -> int:
    from gui.mainwindow import MainWindow

    app.setApplicationName("FTRAG Advisor")
    app.setOrganizationName("FTRAG Advisor")
    if app.style().name().lower() != "fusion":
        # Off-screen Qt has no native style to follow; Fusion is what it falls back to anyway.
        app.setStyle("Fusion")
    light = app.style().standardPalette()
    written: list[Path] = []
    for mode, palette in (("light", light), ("dark", dark_palette())):
        app.setPalette(palette)
        for width, height in SIZES:
            window = MainWindow()  # built after the palette is set: views pick their colours
            window.open_template()
            window.resize(width, height)
            window.show()
            window.ensure_chart()
            app.processEvents()
            path = out / f"main-{mode}-{width}x{height}.png"
            if not window.grab().save(str(path)):
                sys.stderr.write(f"could not write {path}\n")
                return 1
            written.append(path)
            window.close()
            window.deleteLater()
            app.processEvents()
    for path in written:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
