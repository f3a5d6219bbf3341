"""The crossover chart's exports: PNG and SVG images (with the numbered markers' key drawn
below the plot) and the CSV of its curves, plus the one workaround pyqtgraph's SVG exporter
needs.  The chart (gui.charts.crossover_chart) supplies its plot, its export look (light
colours on white) and its data; this module writes the files.
"""

from __future__ import annotations

import csv
import importlib
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import numpy as np
import pyqtgraph.exporters
from numpy.typing import NDArray
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

if TYPE_CHECKING:
    from gui.charts.crossover_chart import CrossoverChart

KEY_COLUMNS = 3
KEY_COLUMN_WIDTH = 330  # pixels a key line takes, about (for how many columns fit)


def export_png(chart: CrossoverChart, path: str | Path, width: int = 2400) -> None:
    """The chart as a PNG, ``width`` pixels wide, on white, antialiased."""
    item = chart.plot_item()
    with chart.export_look(scale=width / max(item.sceneBoundingRect().width(), 1.0)):
        exporter = pyqtgraph.exporters.ImageExporter(item)
        params = exporter.parameters()
        params["width"] = int(width)
        params["antialias"] = True
        params["background"] = QColor("white")
        image = exporter.export(toBytes=True)
    if image is not None and not image.isNull() and chart.key_text():
        scale = width / max(item.sceneBoundingRect().width(), 1.0)  # as laid out for export
        image = png_with_key(image, scale, chart.font(), chart.key_lines())
    if image is None or image.isNull() or not image.save(str(path), "PNG"):
        raise OSError(f"could not write the chart image to {path}")


def export_svg(chart: CrossoverChart, path: str | Path) -> None:
    """The chart as an SVG (vector), on white."""
    with chart.export_look(), closed_paths_tolerated():
        exporter = pyqtgraph.exporters.SVGExporter(chart.plot_item())
        exporter.parameters()["background"] = QColor("white")
        data = exporter.export(toBytes=True)
    if not isinstance(data, bytes | bytearray):
        data = str(data).encode("utf-8")
    if chart.key_text():
        data = svg_with_key(bytes(data), chart.font(), chart.key_lines())
    Path(path).write_bytes(bytes(data))


def export_csv(path: str | Path, header: list[str], columns: Sequence[NDArray[np.float64]]) -> None:
    """A header row, then C-locale numbers that read back exactly (Python's repr of a
    float); NaN (no value) as an empty cell."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in zip(*columns, strict=True):
            writer.writerow(["" if math.isnan(value) else repr(float(value)) for value in row])


def key_grid(lines: list[str], width: float) -> tuple[list[list[str]], int]:
    """The key's lines in columns for an export ``width`` scene pixels wide."""
    columns = max(1, min(KEY_COLUMNS, int(width // KEY_COLUMN_WIDTH), len(lines)))
    rows = math.ceil(len(lines) / columns)
    return [lines[i * rows : (i + 1) * rows] for i in range(columns)], rows


def png_with_key(image: Any, scale: float, base_font: QFont, lines: list[str]) -> Any:
    """The exported chart with the numbered markers' key below it (the key is a widget
    under the plot on screen, not part of the plot's scene)."""
    font = QFont(base_font)
    font.setPointSizeF(font.pointSizeF() * scale)
    metrics = QFontMetrics(font)
    grid, rows = key_grid(lines, image.width() / scale)
    height = metrics.height() * rows + int(12 * scale)
    out = QImage(image.width(), image.height() + height, QImage.Format.Format_ARGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    try:
        painter.drawImage(0, 0, image)
        painter.setFont(font)
        painter.setPen(QColor("#202020"))
        column_width = (image.width() - 12 * scale) / len(grid)
        for column, column_lines in enumerate(grid):
            for row, line in enumerate(column_lines):
                painter.drawText(
                    QPointF(
                        6 * scale + column * column_width,
                        image.height() + 4 * scale + metrics.ascent() + row * metrics.height(),
                    ),
                    line,
                )
    finally:
        painter.end()
    return out


def svg_with_key(data: bytes, font: QFont, lines: list[str]) -> bytes:
    """The SVG with the key below the plot: the view box grows by the key's height."""
    text = data.decode("utf-8")
    match = re.search(r'viewBox\s*=\s*"0 0 ([\d.]+) ([\d.]+)"', text)
    if match is None:
        return data
    width, height = float(match.group(1)), float(match.group(2))
    line_height = QFontMetrics(font).height()
    grid, rows = key_grid(lines, width)
    grown = height + line_height * rows + 12
    text = text[: match.start()] + f'viewBox="0 0 {match.group(1)} {grown:g}"' + text[match.end() :]
    column_width = (width - 12) / len(grid)
    size = font.pointSizeF() * 96 / 72
    parts = []
    for column, column_lines in enumerate(grid):
        for row, line in enumerate(column_lines):
            y = height + 4 + line_height * (row + 0.8)
            parts.append(
                f'<text x="{6 + column * column_width:g}" y="{y:g}" fill="#202020" '
                f'font-family="sans-serif" font-size="{size:g}">{escape(line)}</text>'
            )
    closing = text.rindex("</svg>")
    return (text[:closing] + "\n".join(parts) + "\n" + text[closing:]).encode("utf-8")


@contextmanager
def closed_paths_tolerated() -> Iterator[None]:
    """Work around pyqtgraph issue #3495 while exporting SVG.

    pyqtgraph 0.14.0's SVG exporter re-maps every path coordinate by splitting ``d`` on spaces
    and expects "x,y" pairs; Qt ≥ 6.10 closes paths with a bare "Z", so every export raised
    ValueError.  For the duration of one export, the "Z" tokens are taken out before pyqtgraph
    transforms the coordinates (one output token per input token) and put back in place after.
    """
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = getattr(module, "correctCoordinates")  # noqa: B009 - untyped module

    def correct(node: Any, defs: Any, item: Any, options: Any) -> Any:
        closed: list[tuple[Any, list[int]]] = []
        for element in node.getElementsByTagName("path"):
            tokens = element.getAttribute("d").split()
            at = [i for i, token in enumerate(tokens) if token in ("Z", "z")]
            if at:
                kept = [token for token in tokens if token not in ("Z", "z")]
                element.setAttribute("d", " ".join(kept))
                closed.append((element, at))
        result = original(node, defs, item, options)
        for element, at in closed:
            tokens = element.getAttribute("d").split()
            for index in at:
                tokens.insert(index, "Z")
            element.setAttribute("d", " ".join(tokens))
        return result

    setattr(module, "correctCoordinates", correct)  # noqa: B010
    try:
        yield
    finally:
        setattr(module, "correctCoordinates", original)  # noqa: B010
