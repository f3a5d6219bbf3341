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
    from PySide6.QtWidgets import QApplication, QWidget

    from gui.mainwindow import MainWindow

SIZES: tuple[tuple[int, int], ...] = ((1366, 768), (1920, 1080))


# --- what every screenshot script shares --------------------------------------------------------


def screenshot_args(argv: Sequence[str] | None, usage: str, most: int = 1) -> list[str] | None:
    """The command's arguments: the output folder (created) and up to ``most`` − 1 more; None
    (after writing the usage line) when there are too few or too many."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= most:
        sys.stderr.write(f"usage: {usage}\n")
        return None
    Path(args[0]).mkdir(parents=True, exist_ok=True)
    return args


def screenshot_app(*, docs: bool = True) -> QApplication:
    """The application, off-screen, in Fusion (off-screen Qt has no native style to follow, and
    Fusion is what it falls back to anyway).  ``docs``: the light standard palette and US
    English numbers, so the pictures match the documentation's text."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    if docs:
        QLocale.setDefault(QLocale("en_US"))
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    if docs:
        app.setPalette(app.style().standardPalette())
    return app


def shown_window(
    app: QApplication, size: tuple[int, int], template: str | None = None, *, chart: bool = True
) -> MainWindow:
    """A main window on ``template`` (the default one when None), resized to ``size`` and
    shown, with the crossover chart, the hidden result tabs' views and the analysis tabs built
    when ``chart`` (the app builds them just after its first frame, which a grab straight
    after showing would miss)."""
    from gui.mainwindow import MainWindow

    window = MainWindow()  # built after the palette is set: views pick their colours
    if template is None:
        window.open_template()
    else:
        window.open_template(template)
    window.resize(*size)
    window.show()
    if chart:
        window.ensure_chart()
        window.ensure_result_views()
        window.ensure_analyses()
    app.processEvents()
    return window


def save_grab(widget: QWidget, path: Path) -> bool:
    """Save a picture of ``widget`` to ``path``; False (after saying so) when it cannot."""
    if widget.grab().save(str(path)):
        return True
    sys.stderr.write(f"could not write {path}\n")
    return False


def close_window(app: QApplication, window: MainWindow) -> None:
    window.close()
    window.deleteLater()
    app.processEvents()


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
    args = screenshot_args(argv, "python -m gui.screenshots OUTDIR")
    if args is None:
        return 2
    app = screenshot_app(docs=False)
    from gui.app import _without_offscreen_noise

    with _without_offscreen_noise():
        return _shoot(app, Path(args[0]))


def _shoot(app: QApplication, out: Path) -> int:
    app.setApplicationName("FTRAG Advisor")
    app.setOrganizationName("FTRAG Advisor")
    light = app.style().standardPalette()
    written: list[Path] = []
    for mode, palette in (("light", light), ("dark", dark_palette())):
        app.setPalette(palette)
        for width, height in SIZES:
            window = shown_window(app, (width, height))
            path = out / f"main-{mode}-{width}x{height}.png"
            if not save_grab(window, path):
                return 1
            written.append(path)
            close_window(app, window)
    for path in written:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
