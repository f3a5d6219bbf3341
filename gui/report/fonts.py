"""The report's typeface: DejaVu Sans, bundled in resources/fonts and registered before the
first page is laid out.

Off-screen and frozen builds can find no system fonts at all, and a PDF laid out without a font
silently loses its text (Qt then writes pages without glyphs, and says nothing); the bundled TTF
also makes a report look the same on every machine.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase, QGuiApplication

from engine.catalog import RESOURCES

FONT_DIR = RESOURCES / "fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
REPORT_FAMILY = "DejaVu Sans"

_log = logging.getLogger(__name__)
_family: str | None = None


def ensure_report_font() -> str:
    """Register the bundled font files (once per process) and return the family to use.

    Needs a QGuiApplication.  Falls back to the system's general font, with a warning in the
    log, if the bundled files are missing (a broken installation)."""
    global _family
    if _family is not None:
        return _family
    if QGuiApplication.instance() is None:
        raise RuntimeError("the report font needs a QGuiApplication")
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(FONT_DIR / name))
        if font_id < 0:
            _log.warning("could not register the report font %s", FONT_DIR / name)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    if REPORT_FAMILY in families:
        _family = REPORT_FAMILY
    else:
        _family = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
        _log.warning("report font missing; falling back to %s", _family)
    return _family
