"""The sample deliverables in docs/: ``python -m gui.report.samples DOCS_DIR`` writes the client
summary of the example project (sample-report.pdf), its full report (sample-report-full.pdf) and
the summary's pages as PNG (screenshots/report-summary-page-N.png, 80 dpi), offscreen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

SCREENSHOT_DPI = 80


def write_samples(docs: Path) -> list[Path]:
    from engine.templates import DEFAULT_TEMPLATE, load_template
    from gui.report.render import render_page_images, render_report

    project = load_template(DEFAULT_TEMPLATE)
    source = f"{DEFAULT_TEMPLATE}.ftrag"
    written = []
    for mode, name in (("summary", "sample-report.pdf"), ("full", "sample-report-full.pdf")):
        path = docs / name
        render_report(project, path, mode=mode, source_name=source, paper="a4")  # type: ignore[arg-type]
        written.append(path)
    shots = docs / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("report-summary-page-*.png"):
        old.unlink()
    images = render_page_images(
        project, dpi=SCREENSHOT_DPI, mode="summary", source_name=source, paper="a4"
    )
    for number, image in enumerate(images, start=1):
        path = shots / f"report-summary-page-{number}.png"
        _indexed(image).save(str(path))  # PNG, from the suffix
        written.append(path)
    return written


def _indexed(image: QImage) -> QImage:
    """The page in 256 colours of its own (the most frequent ones), without dithering: a page of
    text and a chart, at a fraction of the size of RGB and without speckled tints."""
    from collections import Counter

    from PySide6.QtCore import Qt

    rgb = image.convertToFormat(image.Format.Format_RGB32)
    counts: Counter[int] = Counter()
    for y in range(0, rgb.height(), 2):
        for x in range(0, rgb.width(), 2):
            counts[rgb.pixel(x, y)] += 1
    table = [color for color, _ in counts.most_common(256)]
    return rgb.convertToFormat(
        image.Format.Format_Indexed8,
        table,
        Qt.ImageConversionFlag.AvoidDither | Qt.ImageConversionFlag.ThresholdDither,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m gui.report.samples DOCS_DIR", file=sys.stderr)  # noqa: T201
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["ftrag-samples"])
    for path in write_samples(Path(args[0])):
        print(path)  # noqa: T201
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
