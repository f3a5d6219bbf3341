"""The editable report (.docx) read back as a reader's word processor would: python-docx for the
structure (Word headings, real tables, the picture, header and footer, core properties), the raw
parts for well-formed XML, and the PDF of the same project and date for the figures — the two
formats print every total identically because they are one story."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from lxml import etree
from PySide6.QtCore import QLocale, QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication

from engine.model.project import Project
from engine.model.scenario import STRATEGIES
from engine.templates import load_template, template_path
from gui import format as fmt
from gui.report import ReportError, render_report
from gui.report.branding import Branding
from gui.report.docx_writer import build_document, clean, export_docx
from gui.report.flow import (
    Cell,
    Device,
    Drawing,
    Flowable,
    KeepTogether,
    Panel,
    Paragraph,
    Row,
    Style,
    Table,
)
from gui.report.render import report_data
from tests.pdf import pdf_text

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 25)
CLIENT = '<b>Acme</b> & "Co"'
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """Numbers as an en_US screen shows them (both formats use the same formatter)."""
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


def flat(text: str) -> str:
    return " ".join(text.split())


def cell_texts(document: docx.document.Document) -> list[str]:
    """Every table cell's text, nested tables (the panels) included."""
    out: list[str] = []

    def walk(tables: list[docx.table.Table]) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out.append(flat(cell.text))
                    walk(cell.tables)

    walk(document.tables)
    return out


def all_text(document: docx.document.Document) -> str:
    return flat(" ".join([p.text for p in document.paragraphs] + cell_texts(document)))


def heading_paragraphs(document: docx.document.Document) -> list[tuple[str, str]]:
    return [
        (p.style.name, flat(p.text))
        for p in document.paragraphs
        if p.style is not None and p.style.name in ("Title", "Heading 1", "Heading 2", "Heading 3")
    ]


def assert_well_formed(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert "[Content_Types].xml" in names and "word/document.xml" in names
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # raises on anything malformed


@pytest.mark.parametrize("mode", ["summary", "full"])
def test_the_report_as_a_word_document_says_what_the_pdf_says(mode: str, tmp_path: Path) -> None:
    project = load_template("support-assistant")
    out = export_docx(
        project,
        tmp_path / "support.docx",
        mode=mode,  # type: ignore[arg-type]
        source_name="support-assistant.ftrag",
        report_date=DAY,
    )
    pdf = tmp_path / "support.pdf"
    render_report(
        project,
        pdf,
        mode=mode,
        source_name="support-assistant.ftrag",
        report_date=DAY,  # type: ignore[arg-type]
    )
    assert out == tmp_path / "support.docx"
    assert_well_formed(out)
    document = docx.Document(str(out))
    printed = pdf_text(pdf)

    # Headings are Word headings, in the PDF's order, with the PDF's words.
    headings = heading_paragraphs(document)
    assert headings[0] == ("Title", project.title)
    assert sum(1 for style, _ in headings if style == "Heading 1") >= 2
    assert any(style == "Heading 2" for style, _ in headings)
    position = 0
    for _, text in headings:
        found = printed.find(text, position)
        assert found >= 0, f"heading {text!r} is not in the PDF (in this order)"
        position = found

    # Every total sits in a table cell, exactly as the PDF prints it.
    cells = cell_texts(document)
    data = report_data(project, report_date=DAY, mode=mode)  # type: ignore[arg-type]
    for scenario in data.scenarios:
        evaluation = scenario.evaluation
        assert evaluation.recommendation.name in all_text(document)
        for key in STRATEGIES:
            total = fmt.money(evaluation.strategies[key].tco.value, evaluation.currency)
            assert total in printed
            assert any(total == cell or total in cell.split(" (") for cell in cells), total

    # The chart is a picture in the package.
    assert len(document.inline_shapes) >= len(data.scenarios)
    images = [p for p in document.part.package.iter_parts() if p.content_type == "image/png"]
    assert images and all(p.blob[:8] == b"\x89PNG\r\n\x1a\n" for p in images)

    # Running footer: the file, the inputs and "Page n of N" as fields Word fills in.
    section = document.sections[0]
    footer_xml = etree.tostring(section.footer._element, encoding="unicode")
    assert "support-assistant.ftrag · inputs " + data.short_digest in flat(
        " ".join(p.text for p in section.footer.paragraphs)
    )
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert project.title in section.header.paragraphs[0].text
    # The template's leftovers are gone: no stray thumbnail, not "Microsoft Macintosh Word".
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]
        assert b"FTRAG Advisor" in archive.read("docProps/app.xml")
        settings = archive.read("word/settings.xml").decode()
    # Current Word opens it as a current document (no "Compatibility Mode" in its title bar).
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)


def test_a_client_with_markup_is_literal_text_and_the_properties_name_the_consultant(
    tmp_path: Path,
) -> None:
    data = load_template("seed-small-company").model_dump(mode="json")
    data.update(
        client=CLIENT,
        consultant="Jane Q. Consultant",
        notes="Notes\x0b with\x0c control\x01 characters \ufffe and a bell\x07.",
    )
    data["scenarios"][0]["name"] = "Base <i>case</i>"  # control characters: refused on load
    project = Project.model_validate(data)
    branding = Branding(firm_name="Firm & <Partners>", footer="Confidential — prepared for Acme")
    out = export_docx(
        project,
        tmp_path / "acme.docx",
        mode="full",  # the consultant's notes open the technical appendix
        branding=branding,
        source_name="acme.ftrag",
        report_date=DAY,
    )
    assert_well_formed(out)
    document = docx.Document(str(out))
    text = all_text(document)
    assert CLIENT in text  # as typed, not bold, not an entity
    assert "Base <i>case</i>" in text
    assert "Notes with control characters and a bell." in text
    with zipfile.ZipFile(out) as archive:
        body = archive.read("word/document.xml").decode()
    assert '&lt;b&gt;Acme&lt;/b&gt; &amp; "Co"' in body

    props = document.core_properties
    assert props.author == "Jane Q. Consultant"
    assert props.last_modified_by == "Jane Q. Consultant"
    assert props.title == f"{project.title} — recommendation report"
    assert CLIENT in props.subject
    assert props.created is not None and props.created.date() == DAY

    # The branding's footer line on every page (the cover's footer too), the firm in the header.
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        assert "Confidential — prepared for Acme" in [p.text for p in footer.paragraphs]
    assert "Firm & <Partners>" in section.header.paragraphs[0].text
    assert CLIENT in section.header.paragraphs[0].text
    # The cover names the firm above the title.
    assert document.paragraphs[0].text == "Firm & <Partners>"


def test_a_logo_goes_on_the_cover(tmp_path: Path) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
        b'<rect width="200" height="60" fill="#1F3A5F"/></svg>'
    )
    branding = Branding(firm_name="Northwind", logo=svg, logo_format="svg")
    out = export_docx(load_template("seed-enterprise"), tmp_path / "logo.docx", branding=branding)
    document = docx.Document(str(out))
    # The cover (everything before the first heading) carries the logo and names the firm.
    cover = []
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            break
        cover.append(paragraph)
    assert any(p._p.xpath(".//pic:pic") for p in cover)
    assert any("Northwind" in p.text for p in cover)


class _Swatch(Flowable):
    """A flowable the writer has no mapping for: it must still appear (as a picture)."""

    def wrap(self, dev: Device, width: float) -> float:
        return dev.pt(30.0)

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        painter.fillRect(QRectF(x, y, width, dev.pt(30.0)), QColor("#A23B2A"))


def test_the_flowables_map_to_word_structures(tmp_path: Path) -> None:
    big = Style(size=11.0, bold=True)
    body = Style(size=9.0)
    header = Row([Cell([("Item", body)]), Cell([("Value", body)], align="right")], kind="header")
    rows = [
        Row([Cell([(f"row {i}", body)]), Cell([(f"{i},000", body)], align="right")])
        for i in range(30)
    ]
    rows.append(Row([Cell([("short row", body)])]))  # one cell of two
    rows.append(Row([Cell([("a wide note\twith a tab\nand a second line", body)], span=2)]))
    story: list[Flowable] = [
        Paragraph("Chosen by role", body, role="h2"),
        Paragraph("Looks like a heading", big, keep_with_next=True),
        Paragraph([("plain ", body), ("bold", Style(bold=True)), (" red", Style(color="#FF0000"))]),
        Table([30, 70], rows, header=[header]),
        Panel([Paragraph("In a panel", body), Table([1, 1], [rows[0]])]),
        Drawing(lambda p, d, r: p.fillRect(r, QColor("#336699")), aspect=0.25),
        _Swatch(),
        Paragraph("tail\x00\x1b end", body),
    ]
    data = report_data(load_template("seed-enterprise"), report_date=DAY)
    document = build_document(data, "a4", story=story)
    path = tmp_path / "flow.docx"
    document.save(str(path))
    assert_well_formed(path)
    document = docx.Document(str(path))

    styles = {flat(p.text): p.style.name for p in document.paragraphs if p.text.strip()}
    assert styles["Chosen by role"] == "Heading 2"
    assert styles["Looks like a heading"] == "Heading 2"
    assert styles["tail end"] == "Normal"
    runs = next(p for p in document.paragraphs if p.text.startswith("plain")).runs
    assert [(r.text, r.bold) for r in runs] == [("plain ", None), ("bold", True), (" red", None)]
    assert str(runs[2].font.color.rgb) == "FF0000"

    table = document.tables[0]
    assert len(table.rows) == 33
    short = table.rows[-2]._tr.findall(f"{W}tc")
    assert len(short) == 2 and table.rows[-2].cells[1].text == ""  # padded, not stretched
    header_xml = etree.tostring(table.rows[0]._tr, encoding="unicode")
    assert "tblHeader" in header_xml  # repeated on every page
    assert all("cantSplit" in etree.tostring(r._tr, encoding="unicode") for r in table.rows)
    widths = [col.width for col in table.columns]
    assert abs(widths[1] / widths[0] - 70 / 30) < 0.01
    last = table.rows[-1]._tr.findall(f"{W}tc")
    assert len(last) == 1 and last[0].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert table.rows[-1].cells[0].text == "a wide note\twith a tab\nand a second line"

    panel = document.tables[1]
    assert panel.rows[0].cells[0].paragraphs[0].text == "In a panel"
    assert len(panel.rows[0].cells[0].tables) == 1  # the nested table
    assert "w:shd" in etree.tostring(panel.rows[0].cells[0]._tc, encoding="unicode")
    assert len(document.inline_shapes) == 2  # the drawing and the unknown flowable


def test_a_cover_that_shows_the_firm_and_logo_gets_them_once_and_figures_get_alt_text() -> None:
    body = Style(size=9.0)
    logo = Drawing(lambda p, d, r: p.fillRect(r, QColor("#1F3A5F")), aspect=0.2)
    figure = Drawing(lambda p, d, r: p.fillRect(r, QColor("#336699")), aspect=0.5)
    story: list[Flowable] = [
        logo,
        Paragraph("Northwind Advisory", body),
        Paragraph("Section", Style(size=14.5, bold=True), keep_with_next=True),
        KeepTogether([figure, Paragraph("Figure 1. Total cost against volume.", body)]),
    ]
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="6">'
        b'<rect width="20" height="6"/></svg>'
    )
    branding = Branding(firm_name="Northwind Advisory", logo=svg, logo_format="svg")
    data = report_data(load_template("seed-enterprise"), report_date=DAY, branding=branding)
    document = build_document(data, "a4", story=story)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts.count("Northwind Advisory") == 1  # the story's own, not a second
    shapes = document.inline_shapes
    assert len(shapes) == 2  # the story's logo and figure; no second logo
    assert shapes[1]._inline.docPr.get("descr") == "Figure 1. Total cost against volume."

    # Without them in the story, the writer puts them on the cover itself.
    document = build_document(data, "a4", story=story[2:])
    assert document.paragraphs[0].text.strip() == "Northwind Advisory"  # under the logo
    assert len(document.inline_shapes) == 2
    assert document.inline_shapes[0]._inline.docPr.get("descr") == "Logo of Northwind Advisory"


def test_clean_removes_what_xml_cannot_carry() -> None:
    assert clean("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh") == "abcdefgh"
    assert clean("one\r\ntwo\rthree\u2028four\tfive") == "one\ntwo\nthree\nfour\tfive"
    assert clean("\u202eevil\u202c 42") == "evil 42"  # no bidi override reverses a figure


def test_unwritable_folder_is_a_report_error_and_leaves_nothing(tmp_path: Path) -> None:
    project = load_template("seed-small-company")
    with pytest.raises(ReportError, match="does not exist"):
        export_docx(project, tmp_path / "missing" / "x.docx")
    with pytest.raises(ReportError, match="is a folder"):
        export_docx(project, tmp_path)
    with pytest.raises(ReportError, match="no scenario named 'Nope'"):
        export_docx(project, tmp_path / "x.docx", scenario_names=["Nope"])
    # A name the file system refuses (longer than 255 bytes): one line, nothing written.
    with pytest.raises(ReportError, match="cannot use this name") as failure:
        export_docx(project, tmp_path / ("x" * 300 + ".docx"))
    assert "\n" not in str(failure.value)
    assert list(tmp_path.iterdir()) == []

    if os.name == "posix" and os.geteuid() != 0:  # chmod does not stop root
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(ReportError, match="cannot write"):
                export_docx(project, locked / "x.docx")
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o700)


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    export_docx(load_template("seed-small-company"), target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]  # no temporary file left


def test_a_file_held_open_elsewhere_stays_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file Word has open; the same refusal, injected (the
    document is really written, then the rename fails)."""
    target = tmp_path / "report.docx"
    target.write_bytes(b"the client's copy")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ReportError, match="open in another program") as failure:
        export_docx(load_template("seed-small-company"), target)
    assert "\n" not in str(failure.value)
    assert target.read_bytes() == b"the client's copy"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it(tmp_path: Path) -> None:  # pragma: no cover - not on CI
    out = export_docx(load_template("support-assistant"), tmp_path / "lo.docx")
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0
    assert "Customer-support assistant" in pdf_text(tmp_path / "lo.pdf")


# --- the command line -------------------------------------------------------------------------


def ftrag(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen by itself
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=ROOT,
        env=env,
    )


def test_the_command_writes_a_docx(tmp_path: Path) -> None:
    out = tmp_path / "enterprise.docx"
    done = ftrag("report", str(template_path("seed-enterprise")), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out} (")
    assert done.stderr == ""
    document = docx.Document(str(out))
    assert "seed-enterprise.ftrag" in " ".join(
        p.text for p in document.sections[0].footer.paragraphs
    )
    assert heading_paragraphs(document)[0][0] == "Title"


def test_the_command_refuses_another_suffix(tmp_path: Path) -> None:
    done = ftrag("report", str(template_path("seed-enterprise")), "-o", str(tmp_path / "out.txt"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert re.search(r"must be a \.pdf or \.docx file", lines[0])
    assert list(tmp_path.iterdir()) == []
