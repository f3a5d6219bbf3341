"""The page layout engine's promises: table rows never split across pages (the header repeats
instead), headings stay with what follows, long text splits between lines, and nothing is
lost or duplicated on the way."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.report.flow import (
    Cell,
    Device,
    Flowable,
    Page,
    Paragraph,
    Row,
    Style,
    Table,
    TextBlock,
    clean_text,
    paginate,
)
from gui.report.fonts import ensure_report_font

pytestmark = pytest.mark.gui

STYLE = Style(size=9.0)


@pytest.fixture
def dev(qapp: QApplication) -> Device:
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(300 / 0.0254))
    image.setDotsPerMeterY(round(300 / 0.0254))
    device = Device(image, ensure_report_font())
    device.keepalive = image  # type: ignore[attr-defined]
    return device


def row(text: str) -> Row:
    return Row([Cell([(text.split()[0], STYLE)]), Cell([(text, STYLE)])])


def table_rows(pages: list[Page]) -> list[list[str]]:
    """The first cell of every body row, page by page."""
    out = []
    for page in pages:
        names: list[str] = []
        for placed in page.items:
            if isinstance(placed.flowable, Table):
                names += [r.cells[0].runs[0][0] for r in placed.flowable.rows]
        out.append(names)
    return out


def test_rows_move_whole_to_the_next_page_and_the_header_repeats(dev: Device) -> None:
    rows = [row(f"r{i} " + "words " * (i % 9 * 12)) for i in range(60)]
    header = Row([Cell([("Name", STYLE)]), Cell([("Text", STYLE)])], kind="header")
    table = Table([20, 80], rows, header=[header])
    width, height = dev.pt(400), dev.pt(500)
    pages = paginate([Paragraph("Intro", STYLE), table], dev, width, height)

    assert len(pages) > 3
    names = [n for page in table_rows(pages) for n in page]
    assert names == [f"r{i}" for i in range(60)]  # every row once, in order
    for page in pages:
        for placed in page.items:
            assert placed.y + placed.height <= height + 0.01  # nothing runs off the page
            if isinstance(placed.flowable, Table):
                assert placed.flowable.header == [header]  # repeated on every page
                # Each part holds whole rows of the original table: none was cut.
                assert all(r in rows for r in placed.flowable.rows)


def test_a_heading_is_never_the_last_line_of_a_page(dev: Device) -> None:
    filler = Paragraph("filler " * 40, STYLE)
    heading = Paragraph("Heading", Style(size=14, bold=True), keep_with_next=True)
    rows = [row(f"r{i} text") for i in range(5)]
    story: list[Flowable] = [filler] * 12 + [heading, Table([20, 80], rows)]
    width = dev.pt(400)
    needed = sum(f.wrap(dev, width) + dev.pt(f.space_after) for f in story[:12])
    height = needed + heading.wrap(dev, width) + dev.pt(4)  # room for the heading alone
    pages = paginate(story, dev, width, height)
    last_on_first = pages[0].items[-1].flowable
    assert last_on_first is not heading
    assert pages[1].items[0].flowable is heading


def test_long_paragraphs_split_between_lines(dev: Device) -> None:
    text = " ".join(f"w{i}" for i in range(3000))
    width, height = dev.pt(300), dev.pt(200)
    pages = paginate([Paragraph(text, STYLE)], dev, width, height)
    assert len(pages) > 2
    words: list[str] = []
    for page in pages:
        [placed] = page.items
        assert placed.height <= height + 0.01
        paragraph = placed.flowable
        assert isinstance(paragraph, Paragraph)
        words += "".join(t for t, _ in paragraph.runs).split()
    assert words == text.split()


def test_a_row_taller_than_a_page_is_split_as_a_last_resort(dev: Device) -> None:
    huge = row("big " + "word " * 3000)
    table = Table([20, 80], [row("a b"), huge, row("z end")])
    pages = paginate([table], dev, dev.pt(300), dev.pt(200))
    text = " ".join(
        "".join(t for cell in r.cells[1:] for t, _ in cell.runs)
        for page in pages
        for placed in page.items
        if isinstance(placed.flowable, Table)
        for r in placed.flowable.rows
    )
    assert text.split().count("word") == 3000
    assert "end" in text


def test_control_characters_and_newlines() -> None:
    assert clean_text("a\r\nb\tc\x00d\u202eevil") == "a\u2028b    c\ufffddevil"


def test_text_block_utf16_split_keeps_emoji_whole(dev: Device) -> None:
    text = "😀 " * 400
    block = TextBlock(dev, [(text, STYLE)], dev.pt(100))
    found = block.split_at(block.lines_height(3))
    assert found is not None
    count, rest = found
    assert count == 3
    remainder = "".join(t for t, _ in rest)
    assert remainder.count("😀") < 400 and "\ud83d" not in remainder
