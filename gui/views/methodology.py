"""Help → Methodology: every formula the engine uses and where it comes from.

The text is a resource (resources/methodology.html, read by gui.methodology_text) written from
the engine's docstrings, so the printed report reuses it.  It is our own static HTML (no project
strings), shown in a QTextBrowser that loads nothing: no remote resources, no files, links
inside the page only.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from gui.methodology_text import methodology_html

METHODOLOGY_TITLE = "Methodology: how FTRAG Advisor computes its answer"

METHODOLOGY_HTML = methodology_html()

_STYLE = """
h1 { font-size: 150%; margin-bottom: 6px; }
h2 { font-size: 120%; margin-top: 18px; margin-bottom: 4px; }
p, li { line-height: 130%; }
p.formula { margin-left: 18px; }
th { text-align: left; }
"""


class _OfflineBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing: no images, no files, no network."""

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None


class MethodologyDialog(QDialog):
    """Help → Methodology: the formulas and their references (non-modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Methodology")
        self.setObjectName("methodologyDialog")
        self.resize(820, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self._browser = _OfflineBrowser()
        self._browser.setAccessibleName("Methodology")
        self._browser.setOpenExternalLinks(False)
        self._browser.setOpenLinks(False)  # only in-page anchors, handled below
        self._browser.anchorClicked.connect(self._follow)
        self._browser.document().setDefaultStyleSheet(_STYLE)
        self._browser.setHtml(METHODOLOGY_HTML)
        layout.addWidget(self._browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def browser(self) -> QTextBrowser:
        return self._browser

    def _follow(self, url: QUrl) -> None:
        if url.hasFragment() and not url.scheme() and not url.path():
            self._browser.scrollToAnchor(url.fragment())
