"""A flowable for the app's own rich text (the methodology page): a SafeTextDocument laid out
at the frame width, split between lines where no line of any block (table cells included) is
cut in two."""

from __future__ import annotations

import re

from PySide6.QtCore import QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)

from gui.report.flow import Device, Flowable, no_ligatures
from gui.report.safe_document import SafeTextDocument

HEADING_COLOR = "#1F3A5F"
_LINK = re.compile(r"</?a\b[^>]*>", re.IGNORECASE)


def print_stylesheet(size_pt: float) -> str:
    """Font sizes in points; lengths in CSS pixels, which QTextDocument takes as 1/96 inch and
    scales to the paint device itself."""

    def px(points: float) -> str:
        return f"{points * 96.0 / 72.0:.1f}px"

    return f"""
        p {{ margin-top: 0; margin-bottom: {px(5)}; }}
        li {{ margin-bottom: {px(2)}; }}
        ul {{ margin-top: 0; margin-bottom: {px(5)}; }}
        p.formula {{ margin-left: {px(14)}; }}
        th {{ text-align: left; }}
        table {{ margin-top: {px(2)}; margin-bottom: {px(6)}; }}
    """


def printable_html(html: str) -> str:
    """The on-screen HTML for print: links become plain text (they lead nowhere on paper)."""
    return _LINK.sub("", html)


def _tune_for_print(doc: SafeTextDocument, size_pt: float) -> None:
    """Headings at the report's sizes and a little more leading.  (Qt sizes <h1>–<h6> with a
    font-size adjustment that a style sheet's font-size does not override.)"""
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        cursor.setPosition(block.position())
        cursor.setPosition(
            block.position() + max(block.length() - 1, 0), QTextCursor.MoveMode.KeepAnchor
        )
        block_format = block.blockFormat()
        block_format.setLineHeight(118.0, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        level = block_format.headingLevel()
        if level > 0:
            heading = QTextCharFormat()
            heading.setProperty(QTextFormat.Property.FontSizeAdjustment, 0)
            heading.setFontPointSize(size_pt * (1.55 if level == 1 else 1.22))
            heading.setForeground(QColor(HEADING_COLOR))
            cursor.mergeCharFormat(heading)
            block_format.setTopMargin(12.0 if level <= 2 else 8.0)
            block_format.setBottomMargin(3.0)
        cursor.setBlockFormat(block_format)
        block = block.next()


class RichText(Flowable):
    def __init__(
        self,
        html: str,
        *,
        size_pt: float = 8.5,
        space_before: float = 0.0,
        space_after: float = 6.0,
        start: float = 0.0,
        end: float | None = None,
        source: RichText | None = None,
    ) -> None:
        self.html = html
        self.size_pt = size_pt
        self.space_before = space_before
        self.space_after = space_after
        self.start = start  # the slice of the document this part shows (device pixels)
        self.end = end
        self._source = source  # a split part shares its parent's laid-out document
        self._doc: SafeTextDocument | None = None
        self._key: tuple[int, float] | None = None
        self._breaks_cache: tuple[SafeTextDocument, list[float]] | None = None

    def document(self, dev: Device, width: float) -> SafeTextDocument:
        if self._source is not None:
            return self._source.document(dev, width)
        key = (id(dev), width)
        if self._doc is None or self._key != key:
            doc = SafeTextDocument()
            doc.documentLayout().setPaintDevice(dev.device)
            doc.setUseDesignMetrics(True)
            font = QFont(dev.family)
            font.setPointSizeF(self.size_pt)
            no_ligatures(font)
            doc.setDefaultFont(font)
            doc.setDocumentMargin(0)
            doc.setDefaultStyleSheet(print_stylesheet(self.size_pt))
            doc.setHtml(printable_html(self.html))
            _tune_for_print(doc, self.size_pt)
            doc.setTextWidth(width)
            self._doc, self._key = doc, key
        return self._doc

    def _end(self, dev: Device, width: float) -> float:
        if self.end is not None:
            return self.end
        return float(self.document(dev, width).size().height())

    def wrap(self, dev: Device, width: float) -> float:
        return self._end(dev, width) - self.start

    def min_height(self, dev: Device, width: float) -> float:
        breaks = self._breaks(dev, width)
        return (breaks[1] if len(breaks) > 1 else self._end(dev, width)) - self.start

    def _breaks(self, dev: Device, width: float) -> list[float]:
        """Positions (document y) between lines where a page may break: line bottoms that no
        other line (e.g. in the next table cell) straddles."""
        parent = self._source or self
        doc = self.document(dev, width)
        if parent._breaks_cache is None or parent._breaks_cache[0] is not doc:
            layout = doc.documentLayout()
            spans: list[tuple[float, float]] = []
            after_heading: set[float] = set()  # never break between a heading and its text
            block: QTextBlock = doc.begin()
            while block.isValid():
                top = layout.blockBoundingRect(block).top()
                text_layout = block.layout()
                bottom = top
                for i in range(text_layout.lineCount()):
                    line = text_layout.lineAt(i)
                    bottom = top + line.y() + line.height()
                    spans.append((top + line.y(), bottom))
                if block.blockFormat().headingLevel() > 0:
                    after_heading.add(bottom)
                block = block.next()
            spans.sort()
            breaks: list[float] = []
            reach = float("-inf")  # the lowest bottom among lines starting above
            for index, (_, bottom) in enumerate(spans):
                reach = max(reach, bottom)
                following = spans[index + 1][0] if index + 1 < len(spans) else float("inf")
                if reach <= following + 0.5 and reach not in after_heading:
                    breaks.append(reach)
            parent._breaks_cache = (doc, breaks)
        end = self._end(dev, width)
        return [y for y in parent._breaks_cache[1] if self.start < y < end]

    def split(
        self, dev: Device, width: float, available: float
    ) -> tuple[Flowable, Flowable] | None:
        fitting = [y for y in self._breaks(dev, width) if y - self.start <= available]
        if not fitting:
            return None
        cut = fitting[-1]
        parent = self._source or self
        first = RichText(
            self.html,
            size_pt=self.size_pt,
            space_before=self.space_before,
            space_after=0.0,
            start=self.start,
            end=cut,
            source=parent,
        )
        rest = RichText(
            self.html,
            size_pt=self.size_pt,
            space_before=0.0,
            space_after=self.space_after,
            start=cut,
            end=self.end,
            source=parent,
        )
        return first, rest

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        doc = self.document(dev, width)
        height = self.wrap(dev, width)
        painter.save()
        painter.translate(x, y - self.start)
        doc.drawContents(painter, QRectF(0, self.start, width, height))
        painter.restore()

    def refused_resources(self) -> list[str]:
        doc = (self._source or self)._doc
        return list(doc.refused) if doc is not None else []
