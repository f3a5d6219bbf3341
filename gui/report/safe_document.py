"""Rich text that can load nothing it was not given.

QTextDocument resolves ``<img src=…>``, style sheets and other resources by itself, from disk
(and via a parent's ``loadResource``) — a project file from a client must never make the report
read a file.  The report lays out every string from a project as plain text (it never reaches
an HTML parser); rich text is only used for the app's own methodology page, and that goes
through :class:`SafeTextDocument`, which serves only the resources the renderer registered and
records every other request (tests assert there are none).
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QTextDocument

_log = logging.getLogger(__name__)


def esc(text: object) -> str:
    """A string from a project, made inert for HTML (quotes included)."""
    return html.escape(str(text), quote=True)


class SafeTextDocument(QTextDocument):
    """A QTextDocument whose ``loadResource`` serves only registered resources."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._allowed: dict[str, Any] = {}
        self.refused: list[str] = []

    def register(self, kind: QTextDocument.ResourceType, name: str, resource: Any) -> None:
        """Make ``resource`` available under ``name`` (e.g. ``chart:cost``)."""
        url = QUrl(name)
        self._allowed[url.toString()] = resource
        self.addResource(kind, url, resource)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        key = name.toString() if isinstance(name, QUrl) else QUrl(name).toString()
        if key in self._allowed:
            return self._allowed[key]
        self.refused.append(key)
        _log.info("report: refused to load resource %r", key)
        return None
