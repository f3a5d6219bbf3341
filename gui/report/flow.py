"""A small page-layout engine: flowables poured into page frames (after ReportLab's platypus).

QTextDocument splits table rows across pages and numbers pages its own way; a consulting
deliverable needs more control: headings kept with what follows them, table rows never split
(header rows repeated on every page instead), a recommendation panel kept whole, and a header
and footer we draw ourselves.  So the report is a list of *flowables*, each of which can say how
tall it is at a given width, draw itself, and — for long ones — split at a line or row boundary.

Everything is measured on the paint device it will be drawn on (a QPdfWriter, a QPrinter, a
QImage), in that device's pixels; sizes are given in points and converted with the device's
resolution (:meth:`Device.pt`).  Text is laid out with QTextLayout as plain text, so no string
from a project ever reaches a markup parser; runs of differently styled text are applied as
format ranges.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPaintDevice,
    QPainter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

INK = "#1A1A1A"
MUTED = "#5F6670"
RULE = "#C9CED6"
KEEP_WHOLE_ROWS = 10  # tables this short are never split: they move to the next page whole

# C0/C1 control characters (except tab and newlines) print as boxes or nothing: show U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Explicit bidi embeddings, overrides and isolates: a right-to-left override in a client's name
# would otherwise reverse the figures printed after it.  Right-to-left text itself needs none
# of them (the Unicode bidi algorithm orders it), so they are dropped.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "right": Qt.AlignmentFlag.AlignRight,
    "center": Qt.AlignmentFlag.AlignHCenter,
}


@dataclass(frozen=True)
class Style:
    """How a run of text looks.  Sizes in points."""

    size: float = 9.0
    bold: bool = False
    italic: bool = False
    color: str = INK
    leading: float = 1.25  # line pitch ÷ the font's line height
    letter_spacing: float = 100.0  # percent


Run = tuple[str, Style]


def clean_text(text: str) -> str:
    """Plain text ready for QTextLayout: newlines become line separators, tabs spaces, and
    control characters a visible replacement character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _BIDI_CONTROLS.sub("", _CONTROL.sub("\ufffd", text))
    return text.replace("\n", "\u2028").replace("\u0085", "\u2028")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _py_index(text: str, utf16_index: int) -> int:
    """The Python index of the character at a QString (UTF-16) position."""
    units = 0
    for i, ch in enumerate(text):
        if units >= utf16_index:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def no_ligatures(font: QFont) -> None:
    """No "ﬁ"/"ﬀ" ligatures: text copied or searched in the PDF (a hash, "file") stays the
    letters it was."""
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)


class Device:
    """Measuring and drawing context: the paint device and the report's font family."""

    def __init__(self, device: QPaintDevice, family: str) -> None:
        self.device = device
        self.family = family
        self.dpi = float(device.logicalDpiY())
        self._fonts: dict[tuple[float, bool, bool, float], QFont] = {}
        self._formats: dict[Style, QTextCharFormat] = {}

    def pt(self, points: float) -> float:
        """Points → device pixels."""
        return points * self.dpi / 72.0

    def font(self, style: Style) -> QFont:
        key = (style.size, style.bold, style.italic, style.letter_spacing)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self.family)
            font.setPointSizeF(style.size)
            font.setBold(style.bold)
            font.setItalic(style.italic)
            font.setKerning(True)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            no_ligatures(font)
            if style.letter_spacing != 100.0:
                font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, style.letter_spacing)
            self._fonts[key] = font
        return font

    def char_format(self, style: Style) -> QTextCharFormat:
        fmt = self._formats.get(style)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setFont(self.font(style))
            fmt.setForeground(QBrush(QColor(style.color)))
            self._formats[style] = fmt
        return fmt


# --- text blocks ------------------------------------------------------------------------------


class TextBlock:
    """Styled runs laid out at a width: wrapped lines that can be drawn, measured and split."""

    def __init__(self, dev: Device, runs: Sequence[Run], width: float, align: str = "left"):
        self.dev = dev
        self.runs = [(clean_text(text), style) for text, style in runs if text]
        if not self.runs:
            self.runs = [("", runs[0][1] if runs else Style())]
        self.width = max(width, 1.0)
        self.align = align
        self.text = "".join(text for text, _ in self.runs)
        base = self.runs[0][1]
        self.layout = QTextLayout(self.text, dev.font(base), dev.device)
        option = QTextOption(_ALIGN.get(align, Qt.AlignmentFlag.AlignLeft))
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setUseDesignMetrics(True)
        self.layout.setTextOption(option)
        ranges = []
        start = 0
        for text, style in self.runs:
            length = _utf16_len(text)
            item = QTextLayout.FormatRange()
            item.start, item.length, item.format = start, length, dev.char_format(style)
            ranges.append(item)
            start += length
        self.layout.setFormats(ranges)
        # Each line gets a box of its height × leading, the text centred in it.
        self.lines: list[tuple[float, float, int]] = []  # (top, bottom, utf-16 text start)
        leading = max(style.leading for _, style in self.runs)
        y = 0.0
        self.layout.beginLayout()
        while True:
            line = self.layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(self.width)
            box = line.height() * leading
            line.setPosition(QPointF(0.0, y + (box - line.height()) / 2.0))
            self.lines.append((y, y + box, line.textStart()))
            y += box
        self.layout.endLayout()
        self.height = y

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        self.layout.draw(painter, QPointF(x, y))

    def split_at(self, available: float) -> tuple[int, list[Run]] | None:
        """How many whole lines fit in ``available`` and the runs of the rest (None if no line
        fits or everything does)."""
        count = sum(1 for _, bottom, _ in self.lines if bottom <= available + 0.01)
        if count == 0 or count >= len(self.lines):
            return None
        cut = _py_index(self.text, self.lines[count][2])
        rest: list[Run] = []
        position = 0
        for text, style in self.runs:
            end = position + len(text)
            if end > cut:
                rest.append((text[max(0, cut - position) :], style))
            position = end
        return count, rest

    def lines_height(self, count: int) -> float:
        return self.lines[count - 1][1] if count else 0.0


# --- flowables --------------------------------------------------------------------------------


class Flowable:
    """Something the page layout places: measure at a width, draw, perhaps split."""

    space_before = 0.0  # points
    space_after = 0.0
    keep_with_next = False

    def wrap(self, dev: Device, width: float) -> float:
        raise NotImplementedError

    def min_height(self, dev: Device, width: float) -> float:
        """The least of this flowable that may start a page (for keep-with-next)."""
        return self.wrap(dev, width)

    def split(
        self, dev: Device, width: float, available: float
    ) -> tuple[Flowable, Flowable] | None:
        """A first part that fits ``available`` and the rest, or None."""
        return None

    def pieces(self) -> list[Flowable] | None:
        """Smaller flowables to lay out instead when this one is taller than a whole page."""
        return None

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        raise NotImplementedError


class Spacer(Flowable):
    def __init__(self, points: float) -> None:
        self.points = points

    def wrap(self, dev: Device, width: float) -> float:
        return dev.pt(self.points)

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        return


class PageBreak(Flowable):
    """Start a new page (ignored at the top of a page)."""

    def wrap(self, dev: Device, width: float) -> float:
        return 0.0

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        return


class CondPageBreak(PageBreak):
    """Start a new page unless at least ``points`` of space are left on this one."""

    def __init__(self, points: float) -> None:
        self.points = points


class Paragraph(Flowable):
    """Wrapped text, optionally with a bullet hanging in the left indent.  Splits by lines."""

    def __init__(
        self,
        runs: Sequence[Run] | str,
        style: Style | None = None,
        *,
        align: str = "left",
        indent: float = 0.0,
        bullet: str = "",
        space_before: float = 0.0,
        space_after: float = 4.0,
        keep_with_next: bool = False,
        rule_below: str = "",
        role: str | None = None,
    ) -> None:
        self.style = style or Style()
        self.runs: list[Run] = [(runs, self.style)] if isinstance(runs, str) else list(runs)
        self.align = align
        self.indent = indent  # points
        self.bullet = bullet
        self.space_before = space_before
        self.space_after = space_after
        self.keep_with_next = keep_with_next
        self.rule_below = rule_below  # colour of a rule under the text ("" = none)
        # What the paragraph is, for formats with a document structure (the .docx export):
        # "title", "h1", "h2", "h3", or None for body text.  The page layout ignores it.
        self.role = role
        self._block: TextBlock | None = None
        self._key: tuple[int, float] | None = None

    def _text_x(self, dev: Device) -> float:
        return dev.pt(self.indent)

    def _layout(self, dev: Device, width: float) -> TextBlock:
        key = (id(dev), width)
        if self._block is None or self._key != key:
            self._block = TextBlock(dev, self.runs, width - self._text_x(dev), self.align)
            self._key = key
        return self._block

    def _rule_height(self, dev: Device) -> float:
        return dev.pt(3.0) if self.rule_below else 0.0

    def wrap(self, dev: Device, width: float) -> float:
        return self._layout(dev, width).height + self._rule_height(dev)

    def min_height(self, dev: Device, width: float) -> float:
        block = self._layout(dev, width)
        return block.lines_height(min(2, len(block.lines))) + self._rule_height(dev)

    def split(
        self, dev: Device, width: float, available: float
    ) -> tuple[Flowable, Flowable] | None:
        block = self._layout(dev, width)
        found = block.split_at(available)
        if found is None:
            return None
        count, rest = found
        # No widows or orphans: at least two lines on each side when the paragraph allows it.
        if len(block.lines) >= 4 and (count < 2 or len(block.lines) - count < 2):
            if count < 2:
                return None
            count -= 1
            found = block.split_at(block.lines_height(count))
            if found is None:
                return None
            count, rest = found
        first_runs = _head_runs(self.runs, block.text, block.lines[count][2])
        first = replace_paragraph(self, first_runs, space_after=0.0)
        second = replace_paragraph(self, rest, space_before=0.0, bullet="")
        return first, second

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        block = self._layout(dev, width)
        text_x = x + self._text_x(dev)
        if self.bullet and block.lines:
            bullet = TextBlock(dev, [(self.bullet, self.runs[0][1])], dev.pt(self.indent))
            bullet.draw(painter, x, y)
        block.draw(painter, text_x, y)
        if self.rule_below:
            rule_y = y + block.height + dev.pt(1.5)
            painter.setPen(_pen(dev, self.rule_below, 0.6))
            painter.drawLine(QPointF(x, rule_y), QPointF(x + width, rule_y))


def _head_runs(runs: Sequence[Run], text: str, utf16_cut: int) -> list[Run]:
    cut = _py_index(text, utf16_cut)
    head: list[Run] = []
    position = 0
    for run_text, style in runs:
        run_text = clean_text(run_text)
        if position >= cut:
            break
        head.append((run_text[: cut - position], style))
        position += len(run_text)
    return head


def replace_paragraph(p: Paragraph, runs: list[Run], **changes: object) -> Paragraph:
    out = Paragraph(
        runs,
        p.style,
        align=p.align,
        indent=p.indent,
        bullet=p.bullet,
        space_before=p.space_before,
        space_after=p.space_after,
        keep_with_next=p.keep_with_next,
        rule_below=p.rule_below,
        role=p.role,
    )
    for name, value in changes.items():
        setattr(out, name, value)
    return out


def _pen(
    dev: Device, color: str, width_pt: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine
) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(dev.pt(width_pt))
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


# --- tables -------------------------------------------------------------------------------------


@dataclass
class Cell:
    runs: list[Run]
    align: str = "left"
    span: int = 1
    background: str = ""


@dataclass
class Row:
    cells: list[Cell]
    kind: str = "body"  # body | header | group | total
    keep_with_next: bool = False
    background: str = ""


@dataclass
class TableStyle:
    pad_x: float = 3.5  # points
    pad_y: float = 2.4
    rule: str = RULE
    rule_width: float = 0.35
    header_rule: str = INK
    header_rule_width: float = 0.8
    total_rule_width: float = 0.6
    group_background: str = "#EEF1F5"
    zebra: str = ""  # background of every other body row ("" = none)


@dataclass
class _LaidRow:
    row: Row
    blocks: list[tuple[TextBlock, float, float]]  # (text, x, cell width)
    height: float


class Table(Flowable):
    """Rows of cells in fixed-proportion columns.  Splits between rows only — a row that would
    cross the page boundary moves whole to the next page, where the header rows repeat.  (Only a
    single row taller than an entire page is ever split, line by line, as a last resort.)"""

    def __init__(
        self,
        widths: Sequence[float],
        rows: Sequence[Row],
        *,
        header: Sequence[Row] = (),
        style: TableStyle | None = None,
        space_before: float = 2.0,
        space_after: float = 8.0,
        keep_with_next: bool = False,
    ) -> None:
        total = float(sum(widths)) or 1.0
        self.fractions = [w / total for w in widths]
        self.rows = list(rows)
        self.header = list(header)
        self.style = style or TableStyle()
        self.space_before = space_before
        self.space_after = space_after
        self.keep_with_next = keep_with_next
        self.continued = False  # a continuation after a page break
        self._cache: tuple[tuple[int, float], list[_LaidRow], list[_LaidRow]] | None = None

    # Layout ------------------------------------------------------------------------------------

    def _lay_row(self, dev: Device, row: Row, width: float) -> _LaidRow:
        pad_x, pad_y = dev.pt(self.style.pad_x), dev.pt(self.style.pad_y)
        blocks = []
        column = 0
        x = 0.0
        height = 0.0
        for cell in row.cells:
            span = max(1, min(cell.span, len(self.fractions) - column))
            cell_width = width * sum(self.fractions[column : column + span])
            block = TextBlock(dev, cell.runs, cell_width - 2 * pad_x, cell.align)
            blocks.append((block, x, cell_width))
            height = max(height, block.height)
            x += cell_width
            column += span
        return _LaidRow(row, blocks, height + 2 * pad_y)

    def _laid(self, dev: Device, width: float) -> tuple[list[_LaidRow], list[_LaidRow]]:
        key = (id(dev), width)
        if self._cache is None or self._cache[0] != key:
            header = [self._lay_row(dev, r, width) for r in self.header]
            body = [self._lay_row(dev, r, width) for r in self.rows]
            self._cache = (key, header, body)
        return self._cache[1], self._cache[2]

    def wrap(self, dev: Device, width: float) -> float:
        header, body = self._laid(dev, width)
        return sum(r.height for r in header) + sum(r.height for r in body)

    def min_height(self, dev: Device, width: float) -> float:
        header, body = self._laid(dev, width)
        if len(body) <= KEEP_WHOLE_ROWS:
            return self.wrap(dev, width)
        first = 1  # a page never starts with a single row of a table
        while first < len(body) - 1 and body[first].row.keep_with_next:
            first += 1
        return sum(r.height for r in header) + sum(r.height for r in body[: first + 1])

    def split(
        self, dev: Device, width: float, available: float, *, keep_small: bool = True
    ) -> tuple[Flowable, Flowable] | None:
        """Rows that fit, and the rest.  A short table (up to KEEP_WHOLE_ROWS rows) moves
        whole to the next page instead, and no part is left with a single row."""
        header, body = self._laid(dev, width)
        if keep_small and len(body) <= KEEP_WHOLE_ROWS:
            return None
        used = sum(r.height for r in header)
        count = 0
        for laid in body:
            if used + laid.height > available + 0.01:
                break
            used += laid.height
            count += 1
        if keep_small:
            count = min(count, len(body) - 2)  # no single row carried over
        # A group heading is never the last row on a page.
        while count > 0 and body[count - 1].row.keep_with_next:
            count -= 1
        if keep_small and count < 2:
            return None
        if count == 0 or count >= len(body):
            return None
        key = (id(dev), width)
        first = self._part(self.rows[:count], False)
        first._cache = (key, header, body[:count])
        rest = self._part(self.rows[count:], True)
        rest._cache = (key, header, body[count:])
        return first, rest

    def split_oversized_row(
        self, dev: Device, width: float, available: float
    ) -> tuple[Flowable, Flowable] | None:
        header, body = self._laid(dev, width)
        if not body:
            return None
        room = available - sum(r.height for r in header) - 2 * dev.pt(self.style.pad_y)
        first_cells: list[Cell] = []
        rest_cells: list[Cell] = []
        progress = False
        for cell, (block, _, _) in zip(body[0].row.cells, body[0].blocks, strict=True):
            found = block.split_at(room)
            if found is None:
                fits = block.height <= room + 0.01
                first_cells.append(cell if fits else replace(cell, runs=[]))
                rest_cells.append(replace(cell, runs=[]) if fits else cell)
                progress = progress or fits
                continue
            count, rest = found
            head = _head_runs(cell.runs, block.text, block.lines[count][2])
            first_cells.append(replace(cell, runs=head))
            rest_cells.append(replace(cell, runs=rest))
            progress = True
        if not progress:
            return None
        first_row = replace(body[0].row, cells=first_cells)
        rest_row = replace(body[0].row, cells=rest_cells)
        return (
            self._part([first_row], False),
            self._part([rest_row, *self.rows[1:]], True),
        )

    def _part(self, rows: list[Row], continued: bool) -> Table:
        part = Table(
            [1.0] * len(self.fractions),
            rows,
            header=self.header,
            style=self.style,
            space_before=0.0 if continued else self.space_before,
            space_after=self.space_after if continued else 0.0,
            keep_with_next=self.keep_with_next if continued else False,
        )
        part.fractions = self.fractions
        part.continued = continued
        return part

    # Drawing -------------------------------------------------------------------------------

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        header, body = self._laid(dev, width)
        st = self.style
        pad_x, pad_y = dev.pt(st.pad_x), dev.pt(st.pad_y)
        top = y
        for index, laid in enumerate([*header, *body]):
            row = laid.row
            background = row.background
            if row.kind == "group" and not background:
                background = st.group_background
            body_index = index - len(header)
            if not background and st.zebra and row.kind == "body" and body_index % 2 == 1:
                background = st.zebra
            if background:
                painter.fillRect(QRectF(x, top, width, laid.height), QColor(background))
            for cell, (_, cell_x, cell_width) in zip(row.cells, laid.blocks, strict=True):
                if cell.background:
                    painter.fillRect(
                        QRectF(x + cell_x, top, cell_width, laid.height), QColor(cell.background)
                    )
            for block, cell_x, _ in laid.blocks:
                block.draw(painter, x + cell_x + pad_x, top + pad_y)
            bottom = top + laid.height
            if row.kind == "total":  # a total is set off by a rule above it
                painter.setPen(_pen(dev, INK, st.total_rule_width))
                painter.drawLine(QPointF(x, top), QPointF(x + width, top))
            if row.kind == "header":
                if index == len(header) - 1:  # one strong rule under the header rows
                    painter.setPen(_pen(dev, st.header_rule, st.header_rule_width))
                    painter.drawLine(QPointF(x, bottom), QPointF(x + width, bottom))
            elif row.kind != "total":  # hairlines between rows
                painter.setPen(_pen(dev, st.rule, st.rule_width))
                painter.drawLine(QPointF(x, bottom), QPointF(x + width, bottom))
            top = bottom


# --- containers ---------------------------------------------------------------------------------


class KeepTogether(Flowable):
    """Flowables that go on one page together (laid out one after another)."""

    def __init__(self, items: Sequence[Flowable], *, space_after: float = 0.0) -> None:
        self.items = list(items)
        self.space_before = self.items[0].space_before if self.items else 0.0
        self.space_after = space_after or (self.items[-1].space_after if self.items else 0.0)

    def _heights(self, dev: Device, width: float) -> list[float]:
        return [item.wrap(dev, width) for item in self.items]

    def wrap(self, dev: Device, width: float) -> float:
        heights = self._heights(dev, width)
        total = sum(heights)
        for i, item in enumerate(self.items):
            if i > 0:
                total += dev.pt(item.space_before)
            if i < len(self.items) - 1:
                total += dev.pt(item.space_after)
        return total

    def pieces(self) -> list[Flowable] | None:
        return list(self.items)

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        for i, item in enumerate(self.items):
            if i > 0:
                y += dev.pt(item.space_before)
            item.draw(painter, dev, x, y, width)
            y += item.wrap(dev, width) + dev.pt(item.space_after)


class Panel(KeepTogether):
    """A shaded box with an accent bar on the left, kept on one page."""

    def __init__(
        self,
        items: Sequence[Flowable],
        *,
        background: str = "#EEF3F8",
        accent: str = "#1F3A5F",
        padding: float = 9.0,
        space_before: float = 4.0,
        space_after: float = 10.0,
    ) -> None:
        super().__init__(items)
        self.background = background
        self.accent = accent
        self.padding = padding
        self.space_before = space_before
        self.space_after = space_after

    def _inner(self, dev: Device, width: float) -> float:
        return width - 2 * dev.pt(self.padding) - dev.pt(3.0)

    def wrap(self, dev: Device, width: float) -> float:
        return super().wrap(dev, self._inner(dev, width)) + 2 * dev.pt(self.padding)

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        height = self.wrap(dev, width)
        painter.fillRect(QRectF(x, y, width, height), QColor(self.background))
        painter.fillRect(QRectF(x, y, dev.pt(3.0), height), QColor(self.accent))
        inner_x = x + dev.pt(3.0) + dev.pt(self.padding)
        super().draw(painter, dev, inner_x, y + dev.pt(self.padding), self._inner(dev, width))


class Drawing(Flowable):
    """A picture drawn by a function into a rectangle of the full width and a fixed aspect
    (what the function returns, such as where a chart put its labels, is not used)."""

    def __init__(
        self,
        paint: Callable[[QPainter, Device, QRectF], object],
        aspect: float,
        *,
        max_height: float = 0.0,
        space_before: float = 4.0,
        space_after: float = 4.0,
    ) -> None:
        self.paint = paint
        self.aspect = aspect  # height ÷ width
        self.max_height = max_height  # points (0 = none)
        self.space_before = space_before
        self.space_after = space_after

    def wrap(self, dev: Device, width: float) -> float:
        height = width * self.aspect
        if self.max_height:
            height = min(height, dev.pt(self.max_height))
        return height

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        painter.save()
        try:
            self.paint(painter, dev, QRectF(x, y, width, self.wrap(dev, width)))
        finally:
            painter.restore()


# --- pagination ---------------------------------------------------------------------------------


@dataclass
class Placed:
    flowable: Flowable
    y: float
    height: float


@dataclass
class Page:
    items: list[Placed] = field(default_factory=list)


def paginate(flowables: Iterable[Flowable], dev: Device, width: float, height: float) -> list[Page]:
    """Pour the flowables into pages of the given frame size (device pixels)."""
    pages = [Page()]
    y = 0.0
    queue: deque[Flowable] = deque(flowables)

    def new_page() -> None:
        nonlocal y
        pages.append(Page())
        y = 0.0

    while queue:
        item = queue.popleft()
        if isinstance(item, CondPageBreak):
            if y > 0 and height - y < dev.pt(item.points):
                new_page()
            continue
        if isinstance(item, PageBreak):
            if y > 0:
                new_page()
            continue
        before = dev.pt(item.space_before) if y > 0 else 0.0
        needed = item.wrap(dev, width) + _kept_with(item, queue, dev, width)
        if y + before + needed <= height + 0.01:
            _place(pages[-1], item, dev, width, y + before)
            y += before + item.wrap(dev, width) + dev.pt(item.space_after)
            continue
        if not item.keep_with_next:
            parts = item.split(dev, width, height - y - before)
            if parts is not None:
                first, rest = parts
                _place(pages[-1], first, dev, width, y + before)
                new_page()
                queue.appendleft(rest)
                continue
        if y > 0:
            new_page()
            queue.appendleft(item)
            continue
        # At the top of an empty page and still too tall: break it up as a last resort.
        if item.wrap(dev, width) > height + 0.01:
            pieces = item.pieces()
            if pieces:
                queue.extendleft(reversed(pieces))
                continue
            if isinstance(item, Table):
                parts = item.split(dev, width, height, keep_small=False)
                if parts is None:
                    parts = item.split_oversized_row(dev, width, height)
            else:
                parts = item.split(dev, width, height)
            if parts is not None:
                first, rest = parts
                _place(pages[-1], first, dev, width, 0.0)
                new_page()
                queue.appendleft(rest)
                continue
        _place(pages[-1], item, dev, width, 0.0)  # (clipped at the frame if still too tall)
        y = item.wrap(dev, width) + dev.pt(item.space_after)
    if len(pages) > 1 and not pages[-1].items:
        pages.pop()
    return pages


def _kept_with(item: Flowable, queue: deque[Flowable], dev: Device, width: float) -> float:
    """The room what follows ``item`` needs on the same page: every flowable of a
    keep-with-next chain in full, and the start of the one that ends it."""
    needed = 0.0
    current = item
    for following in queue:
        if not current.keep_with_next or isinstance(following, PageBreak):
            break
        needed += dev.pt(following.space_before)
        if following.keep_with_next:
            needed += following.wrap(dev, width) + dev.pt(following.space_after)
        else:
            needed += following.min_height(dev, width)
        current = following
    return needed


def _place(page: Page, item: Flowable, dev: Device, width: float, y: float) -> None:
    page.items.append(Placed(item, y, item.wrap(dev, width)))


def draw_page(painter: QPainter, dev: Device, page: Page, frame: QRectF) -> None:
    painter.save()
    painter.setClipRect(frame.adjusted(-dev.pt(2), -dev.pt(2), dev.pt(2), dev.pt(2)))
    for placed in page.items:
        placed.flowable.draw(painter, dev, frame.left(), frame.top() + placed.y, frame.width())
    painter.restore()
