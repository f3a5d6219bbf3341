"""Small building blocks shared by the result views: tables whose cells are engine Figures
(click or Enter → ``figureActivated``), a score-bar delegate, section headings, plain-text
bullets and tooltips that never interpret markup from a project file."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAction,
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPalette,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.display import lowest_is_best
from engine.model.results import Figure
from gui.charts.style import is_dark, score_color

FigureSource = Figure | Callable[[], Figure]
SCORE_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # float 0–100: draw a bar
# Roles no cell paints: a change of only these repaints nothing.
_UNPAINTED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.StatusTipRole,
        Qt.ItemDataRole.WhatsThisRole,
    )
)
# ... and the score, whose bar the delegate compares with what it drew (ScoreDelegate).
_SKIPPABLE_ROLES = _UNPAINTED_ROLES | {SCORE_ROLE}
BULLET = "•"


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (tooltips auto-detect rich text) and wraps."""
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"


def bullets(lines: Iterable[str], bullet: str = BULLET) -> str:
    """Plain-text bullet list (for a QLabel in PlainText format)."""
    return "\n".join(f"{bullet}  {line}" for line in lines if line)


class CopyableLabel(QLabel):
    """Plain text whose words can be copied from its context menu.

    Not mouse-selectable on purpose: a selectable QLabel lays its text out through a
    QTextDocument on every size query, and the labels here change on every keystroke (the
    scorecard's labels cost ~3 ms an edit that way: a fifth of the edit-to-redraw budget)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy", self)
        copy.triggered.connect(self._copy)
        self.addAction(copy)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def plain_label(text: str = "", *, wrap: bool = True, selectable: bool = True) -> QLabel:
    """A QLabel that never renders markup: every string that can come from a file goes here.
    ``selectable``: its text can be copied (from the context menu)."""
    label = CopyableLabel(text) if selectable else QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def section_heading(text: str, hint: str = "") -> QWidget:
    """A bold heading with an optional muted hint on the same line."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 6, 0, 0)
    row.setSpacing(10)
    title = QLabel(text)
    title.setTextFormat(Qt.TextFormat.PlainText)
    font = QFont(title.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    title.setFont(font)
    title.setAccessibleName(text)
    row.addWidget(title)
    if hint:
        note = muted_label(hint)
        row.addWidget(note, 1)
    else:
        row.addStretch(1)
    return box


class MutedLabel(QLabel):
    """Secondary text: the window text colour at reduced opacity, following palette changes
    (light/dark) — a palette set on a widget would otherwise freeze the old colour."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._muting = False
        self._mute()

    def _mute(self, source: QPalette | None = None) -> None:
        if self._muting:
            return
        self._muting = True
        try:
            if source is None:
                parent = self.parentWidget()
                source = parent.palette() if parent is not None else QApplication.palette()
            color = QColor(source.color(QPalette.ColorRole.WindowText))
            color.setAlpha(165)
            palette = QPalette(source)
            palette.setColor(QPalette.ColorRole.WindowText, color)
            self.setPalette(palette)
        finally:
            self._muting = False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ParentChange:
            self._mute()
        super().changeEvent(event)


def follow_palette(root: QWidget) -> None:
    """After a light/dark switch (call from the view's PaletteChange): widgets that own a
    palette or a style sheet keep the old colours unless they are re-polished."""
    for table in root.findChildren(ResultTable):
        sheet = table.styleSheet()
        table.setStyleSheet("")
        table.setPalette(QPalette())
        table.setStyleSheet(sheet)
    for label in root.findChildren(MutedLabel):
        label._mute(root.palette())


def muted_label(text: str) -> QLabel:
    label = MutedLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def tinted(color: QColor, alpha: int) -> QColor:
    out = QColor(color)
    out.setAlpha(alpha)
    return out


def fit_height(table: QTableWidget) -> None:
    """Size a table to show every row: the surrounding page scrolls, not the table."""
    header = table.horizontalHeader()
    height = max(header.height(), header.sizeHint().height()) if not header.isHidden() else 0
    height += table.verticalHeader().length() + 2 * table.frameWidth()
    scroll_bar = table.horizontalScrollBar()
    if scroll_bar.isVisible():
        height += scroll_bar.sizeHint().height()
    if table.height() != height or table.minimumHeight() != height:
        table.setFixedHeight(height)


def new_item(text: str = "", *, align: Qt.AlignmentFlag | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align is not None:
        item.setTextAlignment(align)
    return item


def ensure_item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    if item is None:
        item = new_item()
        table.setItem(row, column, item)
    return item


def set_text(item: QTableWidgetItem, text: str) -> None:
    if item.text() != text:
        item.setText(text)


def bold_lowest(
    items: Iterable[QTableWidgetItem], values: list[float], excluded: list[bool]
) -> None:
    """The item(s) with the lowest value among the strategies not excluded in bold, the others
    plain; none bold when all are equal (nothing stands out)."""
    for item, is_best in zip(items, lowest_is_best(values, excluded), strict=True):
        if item.font().bold() != is_best:
            font = QFont(item.font())
            font.setBold(is_best)
            item.setFont(font)


def set_tooltip(item: QTableWidgetItem, text: str) -> None:
    tip = tooltip(text)
    if item.toolTip() != tip:
        item.setToolTip(tip)


# Flat, palette-following headers and padded cells (palette() colours follow dark mode).
HEADER_STYLE = """
QHeaderView::section {
    background-color: palette(button);
    color: palette(button-text);
    padding: 4px 8px;
    border: none;
    border-bottom: 1px solid palette(mid);
    border-right: 1px solid palette(midlight);
}
QHeaderView::section:vertical { border-right: 1px solid palette(mid); }
QTableCornerButton::section {
    background-color: palette(button);
    border: none;
    border-bottom: 1px solid palette(mid);
    border-right: 1px solid palette(mid);
}
"""
# Padded cells for one-line tables.  (Tables of wrapped text keep the style's own margins:
# item-view size hints ignore style-sheet padding, so wrapped rows would be cut.)
TABLE_STYLE = "QTableView::item { padding-left: 8px; padding-right: 8px; }" + HEADER_STYLE
ROW_HEADER_WIDTH = 210


class ResultTable(QTableWidget):
    """A read-only table for results: no editing, no grid clutter, rows sized to content."""

    def __init__(self, rows: int = 0, columns: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setShowGrid(False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setHighlightSections(False)
        self.setTabKeyNavigation(False)
        self.setStyleSheet(TABLE_STYLE)

    def dataChanged(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        """A cell is repainted when what it draws changed: not for a new tooltip (read when
        the pointer rests on it), nor for a score whose bar comes out as drawn already (a
        keystroke moves the scores a little: the cost row's tooltips and bars changed on every
        one, ~1 ms of repainting).  With assistive technology active, every change is passed
        on, as Qt does."""
        if (
            roles
            and _SKIPPABLE_ROLES.issuperset(roles)
            and top_left == bottom_right
            and not QAccessible.isActive()
        ):
            if SCORE_ROLE not in roles:
                return
            delegate = self.itemDelegateForIndex(top_left)
            if isinstance(delegate, ScoreDelegate) and delegate.draws_as_shown(top_left):
                return
        super().dataChanged(top_left, bottom_right, list(roles))

    def make_scrollable(self) -> None:
        """For a table that fills its page and scrolls itself (instead of growing)."""
        self._scrolls = True
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(0)
        self.setMaximumHeight(16_777_215)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if getattr(self, "_scrolls", False):
            super().wheelEvent(event)
        else:
            # The table shows every row; let the page around it scroll.
            event.ignore()


class FigureTable(ResultTable):
    """A result table in which some cells are engine Figures: clicking one, or pressing
    Enter/Space on it, emits ``figureActivated(figure)`` ("show your work")."""

    figureActivated = Signal(object)

    def __init__(
        self,
        rows: int = 0,
        columns: int = 0,
        parent: QWidget | None = None,
        *,
        single_click: bool = True,
    ) -> None:
        super().__init__(rows, columns, parent)
        self._figures: dict[tuple[int, int], FigureSource] = {}
        self._single_click = single_click
        if single_click:
            self.cellClicked.connect(self._activate)
        else:
            self.cellDoubleClicked.connect(self._activate)
        self.setMouseTracking(True)
        self.cellEntered.connect(self._hover)

    def set_figure(self, row: int, column: int, figure: FigureSource | None) -> None:
        """The cell's Figure, or a function that builds it when the cell is activated."""
        if figure is None:
            self._figures.pop((row, column), None)
        else:
            self._figures[(row, column)] = figure

    def figure_at(self, row: int, column: int) -> Figure | None:
        source = self._figures.get((row, column))
        if source is None or isinstance(source, Figure):
            return source
        return source()

    def clear_figures(self) -> None:
        self._figures.clear()

    def _activate(self, row: int, column: int) -> None:
        figure = self.figure_at(row, column)
        if figure is not None:
            self.figureActivated.emit(figure)

    def _hover(self, row: int, column: int) -> None:
        shape = (
            Qt.CursorShape.PointingHandCursor
            if self._single_click and (row, column) in self._figures
            else Qt.CursorShape.ArrowCursor
        )
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            index = self.currentIndex()
            if index.isValid() and (index.row(), index.column()) in self._figures:
                self._activate(index.row(), index.column())
                event.accept()
                return
        super().keyPressEvent(event)


class ScoreDelegate(QStyledItemDelegate):
    """Draws a 0–100 score as its number and a small bar (colour and length), for cells that
    carry SCORE_ROLE; other cells are drawn normally."""

    BAR_HEIGHT = 6
    NUMBER_WIDTH_CHARS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Per cell, what its last paint drew of the score: the bar's track width, whether the
        # background was dark, and the bar (filled width, colour).  A new score that draws the
        # same bar needs no repaint (ResultTable.dataChanged); the number is a text of its own.
        self._shown: dict[tuple[int, int], tuple[int, bool, tuple[int | None, int]]] = {}

    def _bar(self, track_width: int, value: float, dark: bool) -> tuple[int | None, int]:
        """The filled part's width (None: no bar) and its colour, for a score."""
        fraction = max(0.0, min(1.0, float(value) / 100.0))
        filled = max(self.BAR_HEIGHT, round(track_width * fraction)) if fraction > 0 else None
        return filled, score_color(float(value), dark).rgba()

    def draws_as_shown(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether the cell's score, as it is now, draws the bar its last paint drew."""
        shown = self._shown.get((index.row(), index.column()))
        value = index.data(SCORE_ROLE)
        if shown is None or not isinstance(value, int | float):
            return False
        track_width, dark, bar = shown
        return self._bar(track_width, value, dark) == bar

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(SCORE_ROLE)
        if not isinstance(value, int | float):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = option.rect.adjusted(8, 0, -10, 0)
        metrics = opt.fontMetrics
        number_width = metrics.horizontalAdvance("0" * self.NUMBER_WIDTH_CHARS)
        painter.save()
        painter.setFont(opt.font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        number_rect = QRect(rect.left(), rect.top(), number_width, rect.height())
        painter.drawText(
            number_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
        )
        track = QRect(
            number_rect.right() + 10,
            rect.center().y() - self.BAR_HEIGHT // 2,
            max(10, rect.right() - number_rect.right() - 10),
            self.BAR_HEIGHT,
        )
        dark = is_dark(opt.palette)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tinted(opt.palette.color(QPalette.ColorRole.Text), 38))
        painter.drawRoundedRect(track, 3, 3)
        bar = self._bar(track.width(), value, dark)
        self._shown[(index.row(), index.column())] = (track.width(), dark, bar)
        filled_width, color = bar
        if filled_width is not None:
            filled = QRect(track)
            filled.setWidth(filled_width)
            painter.setBrush(QColor.fromRgba(color))
            painter.drawRoundedRect(filled, 3, 3)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if isinstance(index.data(SCORE_ROLE), int | float):
            size.setWidth(max(size.width(), 150))
        return size


class WrapDelegate(QStyledItemDelegate):
    """Top-aligned, word-wrapped cells with padding and the icon at the top left (for
    paragraphs such as compliance reasons); row heights follow the wrapped text."""

    PAD_X = 6
    PAD_Y = 5

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.displayAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        option.decorationAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        # The panel (background, selection) over the whole cell, the content inset.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        opt.rect = opt.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        opt = QStyleOptionViewItem(option)
        opt.rect = opt.rect.adjusted(0, 0, -2 * self.PAD_X, 0)
        size = super().sizeHint(opt, index)
        return QSize(size.width() + 2 * self.PAD_X, size.height() + 2 * self.PAD_Y)


def scrolling_page(
    outer: QVBoxLayout, *, top: int = 12, stretch: int = 0
) -> tuple[QWidget, QVBoxLayout]:
    """A result view's content: a frameless, vertically scrolling page added to ``outer``.
    Returns the page and its layout (the result views' margins and spacing)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll, stretch)
    page = QWidget()
    scroll.setWidget(page)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(14, top, 14, 14)
    layout.setSpacing(8)
    return page, layout
