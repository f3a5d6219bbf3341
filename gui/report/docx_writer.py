"""The editable report: the same story as the PDF (gui.report.content's flowables), written as a
Word document (.docx) with python-docx, for Word, LibreOffice and Google Docs.

Where the PDF is laid out into pages here, the document keeps the story's structure and lets the
word processor paginate: headings become Word headings (Title, Heading 1–3, so the navigation
pane and a table of contents work), paragraphs keep their bold, italic and coloured runs, tables
become real tables (header rows repeated on every page, rows never split, the column widths of
the flowable), the chart becomes a picture (painted by the same code at 200 dpi), and a
recommendation panel a shaded one-cell table.  Anything the writer has no mapping for is painted
as a picture, so nothing of the story is ever dropped.

Only the flowable classes of gui.report.flow (and gui.report.richtext) are read, never the
content module's internals: whatever :func:`build_story` produces for the report's mode is what
the document says.  A paragraph's :attr:`Paragraph.role` says when it is a heading; paragraphs
without one are recognised by their style (large and bold, kept with what follows).

Text from the project is written as literal text (python-docx escapes it); characters XML cannot
carry (C0 controls other than tab and newline, U+FFFE/U+FFFF, lone surrogates) and explicit bidi
overrides are removed.  The file is written beside the target and renamed into place, so a
failed export leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any, Unpack
from xml.sax.saxutils import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QTextBlock,
    QTextCharFormat,
    QTextFrame,
    QTextTable,
)

from engine.model.project import Project
from gui.report.content import ReportData, build_story
from gui.report.flow import (
    INK,
    MUTED,
    Cell,
    CondPageBreak,
    Device,
    Drawing,
    Flowable,
    KeepTogether,
    PageBreak,
    Panel,
    Paragraph,
    Row,
    Spacer,
    Style,
    Table,
)
from gui.report.fonts import ensure_report_font
from gui.report.render import (
    MARGINS_MM,
    Paper,
    ReportError,
    ReportOptions,
    default_paper,
    report_data,
)
from gui.report.richtext import RichText

# On every Windows and Mac; LibreOffice maps it to the metric-compatible Liberation Sans.
FONT = "Arial"
IMAGE_DPI = 200
PICTURE_PAD_PT = 3.0  # white edge around a painted picture
BODY_SIZE = 9.0  # points: the PDF's body text
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
TOP_MARGIN_MM = 20.0  # the running header sits inside the top margin
BOTTOM_MARGIN_MM = 20.0
HEADER_DISTANCE_MM = 9.0
LOGO_MAX_MM = (45.0, 18.0)  # width, height on the cover
# Without a role, a bold paragraph kept with what follows is a heading by its size (points):
# the report's headings are 14.5 (sections), 11 (sub-sections) and 9.2 (its body text is 9).
H1_MIN_SIZE = 13.0
H2_MIN_SIZE = 10.5
HEADINGS = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3"}

# Characters XML 1.0 cannot carry, and explicit bidi embeddings/overrides/isolates (a
# right-to-left override in a client's name would reverse the figures after it).
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)


def clean(text: str) -> str:
    """Text safe for a .docx: line breaks normalised to ``\\n`` (python-docx writes them as
    <w:br/>), illegal characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return _NOT_XML.sub("", text.replace("\u0085", "\n").replace("\u2029", "\n"))


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def _hex(color: str) -> str:
    value = QColor(color)
    return value.name()[1:].upper() if value.isValid() else "000000"


def export_docx(
    project: Project,
    path: str | os.PathLike[str],
    *,
    paper: Paper | None = None,
    **options: Unpack[ReportOptions],
) -> Path:
    """Write the report of ``project`` as an editable Word document; returns the path.

    The content is :func:`build_story` of the report data for ``mode`` (the PDF's content);
    ``paper`` defaults to the locale's, as for the PDF.
    Raises :class:`ReportError` with a one-line message (unknown scenario, a scenario that
    cannot be evaluated, a folder that does not exist or cannot be written).
    """
    if QGuiApplication.instance() is None:
        raise ReportError("the report writer needs a QGuiApplication (or QApplication)")
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:  # (a name longer than the file system allows fails even to be looked at)
        if not folder.is_dir():
            raise ReportError(f"{target}: the folder {folder} does not exist")
        if target.is_dir():
            raise ReportError(f"{target}: is a folder")
    except OSError as exc:
        raise ReportError(f"{target}: cannot use this name ({exc.strerror or exc})") from None
    if not os.access(folder, os.W_OK):
        raise ReportError(f"{target}: cannot write in the folder {folder} (permission denied)")
    data = report_data(project, **options)
    document = build_document(data, paper)
    # A short temporary name (not derived from the target's, which may be near the file
    # system's limit), beside the target so the rename stays on one file system.
    tmp = folder / f".ftrag-{uuid.uuid4().hex[:12]}.docx.tmp"
    try:
        document.save(str(tmp))
        os.replace(tmp, target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, PermissionError) and target.exists():
            reason += "; is it open in another program?"
        raise ReportError(f"{target}: could not write the document ({reason})") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return target


def build_document(
    data: ReportData,
    paper: Paper | None = None,
    *,
    story: Sequence[Flowable] | None = None,
) -> Any:
    """The report as a python-docx Document (not yet saved): ``story`` (by default
    :func:`build_story` of ``data``) under the cover, header and footer made from ``data``."""
    import docx

    document = docx.Document()
    writer = _Writer(document, data, paper or default_paper())
    writer.set_up()
    flowables = build_story(data) if story is None else story
    writer.cover(flowables)
    writer.write(flowables)
    return document


# --- the writer ---------------------------------------------------------------------------------


class _Box:
    """Where paragraphs and tables go: the document body or a table cell (whose first, empty
    paragraph python-docx creates with it is used before any new one is added)."""

    def __init__(self, container: Any, width_pt: float, *, fresh: bool = False) -> None:
        self.container = container
        self.width_pt = width_pt
        self.fresh = fresh

    def paragraph(self) -> Any:
        if self.fresh:
            self.fresh = False
            return self.container.paragraphs[0]
        return self.container.add_paragraph()

    def insert_table(self, xml: str) -> Any:
        """Append a table given as WordprocessingML; returns python-docx's Table for it."""
        from docx.oxml import parse_xml
        from docx.table import Table as DocxTable

        if self.fresh:  # a cell's first paragraph would stand empty above the table
            first = self.container.paragraphs[0]._p
            first.getparent().remove(first)
        self.fresh = False
        tbl = parse_xml(xml)
        self.container._element._insert_tbl(tbl)
        return DocxTable(tbl, self.container)


class _Writer:
    def __init__(self, document: Any, data: ReportData, paper: Paper) -> None:
        from docx.shared import Mm

        self.doc = document
        self.data = data
        self.branding = data.branding
        page_w, page_h = PAPER_MM[paper]
        section = document.sections[0]
        section.page_width, section.page_height = Mm(page_w), Mm(page_h)
        section.left_margin = Mm(MARGINS_MM.left())
        section.right_margin = Mm(MARGINS_MM.right())
        section.top_margin = Mm(TOP_MARGIN_MM)
        section.bottom_margin = Mm(BOTTOM_MARGIN_MM)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(HEADER_DISTANCE_MM)
        self.section = section
        self.text_width_pt = (page_w - MARGINS_MM.left() - MARGINS_MM.right()) / 25.4 * 72.0
        self.body = _Box(document._body, self.text_width_pt)
        self.break_pending = False
        self.headings_styled: set[str] = set()
        self.style_ids: dict[str, str] = {}
        self.title_seen = False
        self._image_device: tuple[QImage, Device] | None = None

    # Document set-up ---------------------------------------------------------------------------

    def set_up(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_SIZE)
        normal.font.color.rgb = RGBColor.from_string(_hex(INK))
        _set_font(normal.element.get_or_add_rPr(), FONT, BODY_SIZE)
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            _set_font(rpr_default.find(qn("w:rPr")), FONT)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.12
        for name in ("Header", "Footer"):
            style = styles[name]
            style.font.size = Pt(7)
            style.font.color.rgb = RGBColor.from_string(_hex(MUTED))
        # Table text: a paragraph style, so a consultant can restyle every cell at once.
        if "Table Text" not in [s.name for s in styles]:
            cell_style = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
            cell_style.base_style = normal
            cell_style.font.size = Pt(7.8)
            cell_style.paragraph_format.space_before = Pt(0)
            cell_style.paragraph_format.space_after = Pt(0)
            cell_style.paragraph_format.line_spacing = 1.05
        self._properties()
        self._running_header_and_footer()
        self._drop_template_leftovers()

    def _properties(self) -> None:
        data, project = self.data, self.data.project
        props = self.doc.core_properties
        props.title = _limit(f"{_one_line(project.title)} — recommendation report")
        props.author = _limit(_one_line(project.consultant))
        props.last_modified_by = _limit(_one_line(project.consultant))
        client = _one_line(project.client)
        subject = "Fine-tuning, RAG or both: recommendation"
        props.subject = _limit(f"{subject} for {client}" if client else subject)
        props.keywords = "fine-tuning; RAG; recommendation"
        props.category = "Recommendation report"
        props.comments = _limit(
            f"Prepared with FTRAG Advisor {data.app_version}; prices: {data.price_data_version}; "
            f"inputs {data.digest}; project file {_one_line(data.source_name)}"
        )
        props.revision = 1
        created = datetime.combine(data.generated, time(12, 0), tzinfo=UTC)
        if data.generated == date.today():
            created = datetime.now(UTC).replace(microsecond=0)
        props.created = created
        props.modified = created
        props.language = "en"

    def _drop_template_leftovers(self) -> None:
        """python-docx's template carries a thumbnail of a blank page and names "Microsoft
        Macintosh Word" as the application: neither describes this document.  And it is
        marked as a Word 2010 file, which current Word opens in "Compatibility Mode"."""
        from docx.oxml.ns import qn

        for setting in self.doc.settings.element.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")
        package = self.doc.part.package
        thumbnail = (
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
        )
        extended = (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "extended-properties"
        )
        for rid, rel in list(package.rels.items()):
            if rel.reltype == thumbnail:
                del package.rels[rid]
            elif rel.reltype == extended and not rel.is_external:
                rel.target_part._blob = _app_xml(self.data.app_version).encode("utf-8")

    def _running_header_and_footer(self) -> None:
        """Pages after the first: title, client and firm on the left, the date on the right,
        over a rule.  Every page: the branding's footer line, then the file and inputs the report
        comes from and "Page n of N" (fields Word and LibreOffice fill in)."""
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Pt

        data, project = self.data, self.data.project
        section = self.section
        section.different_first_page_header_footer = True
        right_tab = Pt(self.text_width_pt)

        header = section.header.paragraphs[0]
        header.paragraph_format.tab_stops.add_tab_stop(right_tab, WD_TAB_ALIGNMENT.RIGHT)
        who = _one_line(project.title)
        if project.client:
            who += f" — {_one_line(project.client)}"
        header.add_run(who)
        right = f"Recommendation report · {data.generated.isoformat()}"
        if self.branding.firm_name:
            right = f"{self.branding.firm_name} · {right}"
        header.add_run("\t" + right)
        _border(header, "bottom", "C9CED6", 4)

        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            if self.branding.footer:
                paragraph.add_run(self.branding.footer)
                paragraph = footer.add_paragraph()
            paragraph.paragraph_format.tab_stops.add_tab_stop(right_tab, WD_TAB_ALIGNMENT.RIGHT)
            _border(paragraph, "top", "C9CED6", 4)
            paragraph.add_run(
                f"{_one_line(data.source_name)} · inputs {data.short_digest} · "
                f"FTRAG Advisor {data.app_version}\tPage "
            )
            _field(paragraph, "PAGE", "1")
            paragraph.add_run(" of ")
            _field(paragraph, "NUMPAGES", "1")
        # The first page is the cover: no running header (its title is right below).
        section.first_page_header.is_linked_to_previous = False

    def cover(self, story: Sequence[Flowable]) -> None:
        """The firm's logo and name above the story's title block (which names the client,
        the consultant and the date) — unless the story's own first page shows them."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        branding = self.branding
        firm_shown, picture_shown = _cover_shows(story, branding.firm_name)
        with_logo = branding.has_logo and not picture_shown
        with_firm = bool(branding.firm_name) and not firm_shown
        if not (with_logo or with_firm):
            return
        paragraph = self.body.paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.space_after = Pt(10)
        if with_logo:
            image = branding.logo_image()
            if not image.isNull():
                width_mm, height_mm = LOGO_MAX_MM
                scale = min(width_mm / image.width(), height_mm / image.height())
                run = paragraph.add_run()
                shape = run.add_picture(BytesIO(_png(image)), width=Mm(image.width() * scale))
                _alt_text(shape, f"Logo of {branding.firm_name}" if branding.firm_name else "Logo")
                if with_firm:
                    run.add_break()
        if with_firm:
            run = paragraph.add_run(branding.firm_name)
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor.from_string(_hex(branding.accent))

    # The story ---------------------------------------------------------------------------------

    def write(self, story: Sequence[Flowable], box: _Box | None = None) -> None:
        box = box or self.body
        for item in story:
            self.flowable(item, box)

    def flowable(self, item: Flowable, box: _Box, *, keep_with_next: bool = False) -> None:
        if isinstance(item, CondPageBreak):
            return  # the word processor paginates; headings are kept with what follows
        if isinstance(item, PageBreak):
            if box is self.body:
                self.break_pending = True
            return
        if isinstance(item, Spacer):
            self.spacer(item, box)
        elif isinstance(item, Paragraph):
            self.paragraph(item, box, keep_with_next=keep_with_next)
        elif isinstance(item, Table):
            self.table(item, box)
        elif isinstance(item, Panel):
            self.panel(item, box)
        elif isinstance(item, KeepTogether):
            for index, child in enumerate(item.items):
                last = index == len(item.items) - 1
                following = item.items[index + 1] if not last else None
                if isinstance(child, Drawing) and isinstance(following, Paragraph):
                    # a figure and its caption: the caption is the picture's alternative text
                    alt = _plain_text(following)
                    self.picture(child, box, keep_with_next=True, alt=alt)
                    continue
                self.flowable(child, box, keep_with_next=keep_with_next or not last)
        elif isinstance(item, Drawing):
            self.picture(item, box, keep_with_next=keep_with_next)
        elif isinstance(item, RichText):
            self.rich_text(item, box)
        else:
            pieces = item.pieces()
            if pieces:
                self.write(pieces, box)
            else:
                self.picture(item, box, keep_with_next=keep_with_next)

    def _new_paragraph(self, box: _Box) -> Any:
        paragraph = box.paragraph()
        if self.break_pending and box is self.body:
            paragraph.paragraph_format.page_break_before = True
            self.break_pending = False
        return paragraph

    def spacer(self, item: Spacer, box: _Box) -> None:
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        if item.points <= 0:
            return
        paragraph = self._new_paragraph(box)
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(item.points)

    # Paragraphs ------------------------------------------------------------------------------

    def style_id(self, name: str) -> str:
        style_id = self.style_ids.get(name)
        if style_id is None:
            style_id = self.style_ids[name] = self.doc.styles[name].style_id
        return style_id

    def set_style(self, paragraph: Any, name: str) -> None:
        """Set the paragraph's style by id (python-docx's setter looks the style up anew
        each time, which dominates the time of a long report)."""
        paragraph._p.style = self.style_id(name)

    def role(self, item: Paragraph) -> str | None:
        """ "title", "h1", "h2", "h3" or None: the paragraph's role when it has one, else read
        from its style — a heading is bold, larger than body text and kept with what follows."""
        role = getattr(item, "role", None)
        if role in HEADINGS:
            return str(role)
        if role is not None:
            return None
        style = item.style
        if not style.bold or item.bullet:
            return None
        if style.size >= 20.0 and not item.keep_with_next and not self.title_seen:
            return "title"
        if not item.keep_with_next:
            return None
        if style.size >= H1_MIN_SIZE:
            return "h1"
        if style.size >= H2_MIN_SIZE:
            return "h2"
        if style.size > BODY_SIZE + 0.1 and all(s.bold for _, s in item.runs):
            return "h3"
        return None

    def paragraph(self, item: Paragraph, box: _Box, *, keep_with_next: bool = False) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = self._new_paragraph(box)
        role = self.role(item) if box is self.body else None
        base = item.style
        if role is not None:
            self.title_seen = self.title_seen or role == "title"
            self._style_heading(role, item)
            self.set_style(paragraph, HEADINGS[role])
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(item.space_before)
        fmt.space_after = Pt(item.space_after)
        if item.keep_with_next or keep_with_next:
            fmt.keep_with_next = True
        fmt.alignment = {
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
        }.get(item.align)
        runs = list(item.runs)
        if item.bullet:
            if item.bullet == "•" and box is self.body:
                self.set_style(paragraph, "List Bullet")
                fmt.space_before = Pt(item.space_before)
                fmt.space_after = Pt(item.space_after)
            else:
                indent = Pt(item.indent or 11.0)
                fmt.left_indent = indent
                fmt.first_line_indent = -indent
                fmt.tab_stops.add_tab_stop(indent)
                runs.insert(0, (f"{item.bullet}\t", runs[0][1] if runs else base))
        elif item.indent:
            fmt.left_indent = Pt(item.indent)
        if item.rule_below:
            _border(paragraph, "bottom", _hex(item.rule_below), 4)
        plain = item.style if role is not None else self._plain_style(paragraph, box)
        for text, style in runs:
            self._run(paragraph, text, style, plain)

    def _plain_style(self, paragraph: Any, box: _Box) -> Style | None:
        """The run style the paragraph's Word style already gives (no direct formatting
        needed), or None."""
        if paragraph._p.style in (None, self.style_id("Normal"), self.style_id("List Bullet")):
            return Style(size=BODY_SIZE)
        return None

    def _run(self, paragraph: Any, text: str, style: Style, plain: Style | None) -> None:
        from docx.shared import Pt, RGBColor

        text = clean(text)
        if not text:
            return
        run = paragraph.add_run(text)
        if plain is not None and _same_look(style, plain):
            return
        font = run.font
        if plain is None or style.size != plain.size:
            font.size = Pt(style.size)
        if plain is None or style.bold != plain.bold:
            font.bold = style.bold
        if style.italic:
            font.italic = True
        if plain is None or _hex(style.color) != _hex(plain.color):
            font.color.rgb = RGBColor.from_string(_hex(style.color))

    def _style_heading(self, role: str, item: Paragraph) -> None:
        """The Word heading style takes the look of the story's first heading of its level,
        so a consultant restyles all of them by editing the style."""
        from docx.shared import Pt, RGBColor

        name = HEADINGS[role]
        if name in self.headings_styled:
            return
        self.headings_styled.add(name)
        style = self.doc.styles[name]
        look = item.style
        style.font.name = FONT
        style.font.size = Pt(look.size)
        _set_font(style.element.get_or_add_rPr(), FONT, look.size)
        style.font.bold = look.bold
        style.font.italic = look.italic
        style.font.color.rgb = RGBColor.from_string(_hex(look.color))
        style.paragraph_format.space_before = Pt(item.space_before)
        style.paragraph_format.space_after = Pt(item.space_after)
        style.paragraph_format.line_spacing = 1.0
        if role == "title":
            _border_style_none(style)

    # Tables ----------------------------------------------------------------------------------

    def table(self, item: Table, box: _Box) -> None:
        """A real table: fixed column widths from the flowable's, header rows repeated on
        every page, rows never split, the PDF's rules and shading.  Written as
        WordprocessingML in one piece (python-docx's cell-by-cell API is ~10× slower)."""
        columns = len(item.fractions)
        if columns == 0 or not (item.header or item.rows):
            return
        if self.break_pending and box is self.body:
            self._gap(box, 0.0)
        st = item.style
        widths = [round(box.width_pt * f * 20) for f in item.fractions]  # twentieths of a point
        rule = _hex(st.rule)
        parts = [
            _tbl_pr(sum(widths), st.pad_x, st.pad_y, rule, st.rule_width),
            "<w:tblGrid>",
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        header_count = len(item.header)
        body_index = 0
        for index, row in enumerate([*item.header, *item.rows]):
            is_header = index < header_count
            background = row.background
            if row.kind == "group" and not background:
                background = st.group_background
            if not is_header:
                if not background and st.zebra and row.kind == "body" and body_index % 2 == 1:
                    background = st.zebra
                body_index += 1
            edges: dict[str, tuple[str, float]] = {}
            if is_header and index == header_count - 1:
                edges["bottom"] = (_hex(st.header_rule), st.header_rule_width)
            if row.kind == "total":
                edges["top"] = (_hex(INK), st.total_rule_width)
            parts.append(self._row_xml(row, widths, background, is_header, edges))
        box.insert_table(f"<w:tbl {_NSDECL}>{''.join(parts)}</w:tbl>")
        if box is self.body:  # Word needs a paragraph between two tables
            self._gap(box, item.space_after)

    def _gap(self, box: _Box, points: float) -> None:
        """An empty paragraph ``points`` high (at least 1 pt)."""
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        fmt = self._new_paragraph(box).paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(points, 1.0))

    def _row_xml(
        self,
        row: Row,
        widths: list[int],
        background: str,
        is_header: bool,
        edges: dict[str, tuple[str, float]],
    ) -> str:
        table_text = self.style_id("Table Text")
        parts = ["<w:tr><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if is_header else "", "</w:trPr>"]
        column = 0
        cells = list(row.cells)
        covered = sum(max(1, c.span) for c in cells)
        if covered < len(widths):  # a short row: empty cells, as the page leaves them
            cells += [Cell([])] * (len(widths) - covered)
        for cell in cells:
            if column >= len(widths):
                break
            span = max(1, min(cell.span, len(widths) - column))
            pr = [f'<w:tcW w:w="{sum(widths[column : column + span])}" w:type="dxa"/>']
            if span > 1:
                pr.append(f'<w:gridSpan w:val="{span}"/>')
            if edges:
                pr.append("<w:tcBorders>")
                for side in ("top", "bottom"):
                    if side in edges:
                        color, width = edges[side]
                        pr.append(
                            f'<w:{side} w:val="single" w:sz="{_eighths(width)}" w:space="0" '
                            f'w:color="{color}"/>'
                        )
                pr.append("</w:tcBorders>")
            shade = cell.background or background
            if shade:
                pr.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(shade)}"/>')
            ppr = f'<w:pStyle w:val="{table_text}"/>'
            if row.keep_with_next:
                ppr += "<w:keepNext/>"
            if cell.align in ("right", "center"):
                ppr += f'<w:jc w:val="{cell.align}"/>'
            runs = "".join(_run_xml(text, style, TABLE_PLAIN) for text, style in cell.runs)
            parts.append(
                f"<w:tc><w:tcPr>{''.join(pr)}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p></w:tc>"
            )
            column += span
        parts.append("</w:tr>")
        return "".join(parts)

    # Panels, pictures, rich text -------------------------------------------------------------

    def panel(self, item: Panel, box: _Box) -> None:
        """A shaded one-cell table with the accent bar as its left border."""
        if self.break_pending and box is self.body:
            self._gap(box, 0.0)
        width = round(box.width_pt * 20)
        bar = _eighths(3.0)
        table = box.insert_table(
            f"<w:tbl {_NSDECL}>{_tbl_pr(width, item.padding, item.padding, '', 0.0)}"
            f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>'
            "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr>"
            f'<w:tcW w:w="{width}" w:type="dxa"/><w:tcBorders><w:left w:val="single" '
            f'w:sz="{bar}" w:space="0" w:color="{_hex(item.accent)}"/></w:tcBorders>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(item.background)}"/>'
            "</w:tcPr><w:p/></w:tc></w:tr></w:tbl>"
        )
        cell = table.rows[0].cells[0]
        inner = _Box(cell, box.width_pt - 2 * item.padding - 3.0, fresh=True)
        for index, child in enumerate(item.items):
            self.flowable(child, inner, keep_with_next=index < len(item.items) - 1)
        _end_cell_with_paragraph(cell)
        if box is self.body:
            self._gap(box, item.space_after)

    def picture(
        self, item: Flowable, box: _Box, *, keep_with_next: bool = False, alt: str = ""
    ) -> None:
        """The flowable painted at IMAGE_DPI (the chart: the same code as the PDF's)."""
        from docx.shared import Pt

        png, _height_pt = self.paint(item, box.width_pt)
        if png is None:
            return
        paragraph = self._new_paragraph(box)
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(item.space_before)
        fmt.space_after = Pt(item.space_after)
        fmt.line_spacing = 1.0
        if keep_with_next:
            fmt.keep_with_next = True
        shape = paragraph.add_run().add_picture(BytesIO(png), width=Pt(box.width_pt))
        _alt_text(shape, alt or ("Chart" if isinstance(item, Drawing) else "Figure"))

    def paint(self, item: Flowable, width_pt: float) -> tuple[bytes | None, float]:
        """The flowable as a PNG ``width_pt`` wide (and its height in points), drawn a little
        inside the picture's edge: the page lets a drawing's outermost labels overhang its
        frame by a hair (the PDF clips 2 pt outside it), a picture would cut them off."""
        scale = IMAGE_DPI / 72.0
        probe = self._probe_device()
        pad = PICTURE_PAD_PT * scale
        width_px = round(width_pt * scale)
        inner = width_px - 2 * pad
        height_px = round(item.wrap(probe, inner) + 2 * pad)
        if height_px <= 2 * pad:
            return None, 0.0
        image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
        dots = round(IMAGE_DPI / 0.0254)
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
        image.fill(QColor("white"))
        dev = Device(image, probe.family)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            item.draw(painter, dev, pad, pad, inner)
        finally:
            painter.end()
        return _png(image), height_px / scale

    def _probe_device(self) -> Device:
        if self._image_device is None:
            image = QImage(8, 8, QImage.Format.Format_RGB32)
            dots = round(IMAGE_DPI / 0.0254)
            image.setDotsPerMeterX(dots)
            image.setDotsPerMeterY(dots)
            self._image_device = (image, Device(image, ensure_report_font()))
        return self._image_device[1]

    def rich_text(self, item: RichText, box: _Box) -> None:
        """The app's own rich text (the methodology): its blocks, lists and tables, from the
        laid-out QTextDocument — the same document the PDF prints."""
        if item.start > 0 or item.end is not None:
            return  # a split part: the whole text was written with the first part
        document = item.document(self._probe_device(), box.width_pt * IMAGE_DPI / 72.0)
        self._frame(document.rootFrame(), box, item.size_pt)

    def _frame(self, frame: QTextFrame, box: _Box, size_pt: float) -> None:
        it = frame.begin()
        while not it.atEnd():
            child = it.currentFrame()
            block = it.currentBlock()
            if isinstance(child, QTextTable):
                self._text_table(child, box, size_pt)
            elif child is not None:
                self._frame(child, box, size_pt)
            elif block.isValid():
                self._text_block(block, box, size_pt)
            it += 1

    def _text_block(self, block: QTextBlock, box: _Box, size_pt: float) -> None:
        from docx.shared import Pt

        runs = _block_runs(block)
        text = "".join(text for text, _ in runs).strip()
        if not text:
            return
        paragraph = self._new_paragraph(box)
        level = block.blockFormat().headingLevel()
        in_body = box is self.body
        fmt = paragraph.paragraph_format
        if level and in_body:
            name = f"Heading {min(max(level, 2), 3)}"
            if name not in self.headings_styled:
                size = 11.0 if level <= 2 else 9.2
                self._style_heading(
                    "h2" if level <= 2 else "h3",
                    Paragraph(
                        text,
                        Style(size=size, bold=True, color="#1F3A5F"),
                        space_before=10.0,
                        space_after=3.0,
                    ),
                )
            self.set_style(paragraph, name)
        elif block.textList() is not None:
            self.set_style(paragraph, "List Bullet")
            fmt.space_after = Pt(2)
        else:
            indent = block.blockFormat().leftMargin() + block.blockFormat().textIndent()
            if indent > 0:
                fmt.left_indent = Pt(indent * 72.0 / 96.0)
            fmt.space_after = Pt(4)
        plain = None if level else Style(size=BODY_SIZE)
        for text, (bold, italic, color, vertical) in runs:
            text = clean(text)
            if not text:
                continue
            run = paragraph.add_run(text)
            if level:
                continue
            if size_pt != BODY_SIZE or plain is None:
                run.font.size = Pt(size_pt)
            if bold:
                run.font.bold = True
            if italic:
                run.font.italic = True
            if vertical == "sub":
                run.font.subscript = True
            elif vertical == "super":
                run.font.superscript = True
            if color and color != "000000":
                from docx.shared import RGBColor

                run.font.color.rgb = RGBColor.from_string(color)

    def _text_table(self, table: QTextTable, box: _Box, size_pt: float) -> None:
        """A table of the rich text, as a flow Table (first row bold: its header)."""
        rows, columns = table.rows(), table.columns()
        if not rows or not columns:
            return
        size = round(size_pt * 0.93, 1)
        out: list[Row] = []
        for r in range(rows):
            cells: list[Cell] = []
            for c in range(columns):
                source = table.cellAt(r, c)
                if source.row() != r or source.column() != c:
                    continue  # covered by a span
                runs: list[tuple[str, Style]] = []
                block = source.firstCursorPosition().block()
                while block.isValid() and block.position() <= source.lastPosition():
                    if runs:
                        runs.append(("\n", Style(size=size)))
                    for text, (bold, italic, color, _vertical) in _block_runs(block):
                        look = Style(
                            size=size, bold=bold, italic=italic, color=f"#{color or '1A1A1A'}"
                        )
                        runs.append((text, look))
                    block = block.next()
                cells.append(Cell(runs or [("", Style(size=size))], span=source.columnSpan()))
            bold = all(style.bold for cell in cells for text, style in cell.runs if text.strip())
            out.append(Row(cells, kind="header" if r == 0 and bold else "body"))
        header = [row for row in out if row.kind == "header"]
        body = [row for row in out if row.kind != "header"]
        self.table(Table([1.0] * columns, body, header=header, space_after=4.0), box)


# --- helpers ------------------------------------------------------------------------------------

_NSDECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TABLE_PLAIN = Style(size=7.8)  # the "Table Text" style's look: runs like it need no formatting


def _run_xml(text: str, style: Style, plain: Style | None) -> str:
    """One run as WordprocessingML: formatting only where it differs from ``plain``; tabs and
    line breaks as <w:tab/> and <w:br/>; the text escaped."""
    text = clean(text)
    if not text:
        return ""
    pr = ""
    if plain is None or not _same_look(style, plain):
        if style.bold and (plain is None or not plain.bold):
            pr += "<w:b/><w:bCs/>"
        elif not style.bold and plain is not None and plain.bold:
            pr += '<w:b w:val="0"/><w:bCs w:val="0"/>'
        if style.italic:
            pr += "<w:i/><w:iCs/>"
        if plain is None or _hex(style.color) != _hex(plain.color):
            pr += f'<w:color w:val="{_hex(style.color)}"/>'
        if plain is None or style.size != plain.size:
            half_points = round(style.size * 2)
            pr += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    content: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            content.append("<w:br/>")
        for number, piece in enumerate(line.split("\t")):
            if number:
                content.append("<w:tab/>")
            if piece:
                content.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{f'<w:rPr>{pr}</w:rPr>' if pr else ''}{''.join(content)}</w:r>"


def _tbl_pr(width: int, pad_x: float, pad_y: float, rule: str, rule_width: float) -> str:
    """Table properties: fixed layout at ``width`` twentieths of a point, cell padding, and
    (with a ``rule`` colour) hairlines between rows and under the last."""
    edges = []
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if rule and side in ("bottom", "insideH"):
            edges.append(
                f'<w:{side} w:val="single" w:sz="{_eighths(rule_width)}" w:space="0" '
                f'w:color="{rule}"/>'
            )
        else:
            edges.append(f'<w:{side} w:val="nil"/>')
    x, y = round(pad_x * 20), round(pad_y * 20)
    return (
        f'<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:tblBorders>{"".join(edges)}'
        '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
        f'<w:top w:w="{y}" w:type="dxa"/><w:left w:w="{x}" w:type="dxa"/>'
        f'<w:bottom w:w="{y}" w:type="dxa"/><w:right w:w="{x}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
    )


def _end_cell_with_paragraph(cell: Any) -> None:
    """A table cell must end with a paragraph (Word refuses the file otherwise)."""
    from docx.oxml.ns import qn

    tc = cell._tc
    if len(tc) and tc[-1].tag != qn("w:p"):
        tc.append(_element("w:p"))


def _plain_text(paragraph: Paragraph) -> str:
    return _one_line("".join(text for text, _ in paragraph.runs))


def _alt_text(shape: Any, text: str) -> None:
    """The picture's description (what a screen reader says; Word's accessibility check)."""
    shape._inline.docPr.set("descr", _limit(text, 1000))


def _cover_shows(story: Sequence[Flowable], firm_name: str) -> tuple[bool, bool]:
    """Whether the story's cover (what comes before its first page break or first section
    heading) already names the firm, and whether it has a picture there (a logo): then the
    writer adds neither again."""
    firm_shown = picture_shown = False
    pending: list[Flowable] = list(story)
    while pending:
        item = pending.pop(0)
        if isinstance(item, PageBreak) and not isinstance(item, CondPageBreak):
            break
        if isinstance(item, Paragraph):
            role = getattr(item, "role", None)
            if role == "h1" or (
                role is None
                and item.style.bold
                and item.style.size >= H1_MIN_SIZE
                and item.keep_with_next
            ):
                break
            if firm_name and firm_name in _plain_text(item):
                firm_shown = True
        elif isinstance(item, KeepTogether):
            pending[:0] = item.items
        elif not isinstance(item, (Table, Spacer, RichText, CondPageBreak)):
            picture_shown = True
    return firm_shown, picture_shown


def _limit(text: str, limit: int = 255) -> str:
    """Core properties are at most 255 characters (python-docx enforces it)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same_look(style: Style, plain: Style) -> bool:
    return (
        style.size == plain.size
        and style.bold == plain.bold
        and style.italic == plain.italic
        and _hex(style.color) == _hex(plain.color)
    )


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 50)  # zlib level ~5: as small as the default, 30% faster
    buffer.close()
    return bytes(data.data())


def _block_runs(block: QTextBlock) -> list[tuple[str, tuple[bool, bool, str, str]]]:
    """A QTextBlock's fragments as (text, (bold, italic, colour, vertical alignment))."""
    out: list[tuple[str, tuple[bool, bool, str, str]]] = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        if fragment.isValid():
            fmt: QTextCharFormat = fragment.charFormat()
            text = fragment.text().replace("\ufffc", "")  # object replacement (images): none
            vertical = fmt.verticalAlignment()
            where = (
                "sub"
                if vertical == QTextCharFormat.VerticalAlignment.AlignSubScript
                else "super"
                if vertical == QTextCharFormat.VerticalAlignment.AlignSuperScript
                else ""
            )
            brush = fmt.foreground()
            color = (
                brush.color().name()[1:].upper() if brush.style() != Qt.BrushStyle.NoBrush else ""
            )
            bold = fmt.fontWeight() >= QFont.Weight.DemiBold.value
            out.append((text, (bold, fmt.fontItalic(), color, where)))
        it += 1
    return out


def _app_xml(version: str) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">'
        f"<Application>{escape(f'FTRAG Advisor {version}')}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )


# --- OOXML details python-docx has no API for ------------------------------------------------


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _eighths(points: float) -> str:
    return str(max(2, round(points * 8)))


def _set_font(rpr: Any, name: str, size: float | None = None) -> None:
    """The font for every script, replacing the template's theme fonts (a theme font
    attribute wins over a named one in Word); and the complex-script size with the size."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), name)
    if size is not None:
        half_points = str(round(size * 2))
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = _element(tag)
                rpr.append(element)  # (only called after python-docx has placed w:sz)
            element.set(qn("w:val"), half_points)


def _border(paragraph: Any, side: str, color: str, eighths: int) -> None:
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _element("w:pBdr")
        # pBdr goes before spacing/ind/jc etc. in CT_PPr's sequence
        _insert_in_order(ppr, borders, _PPR_ORDER)
    borders.append(_element(f"w:{side}", val="single", sz=str(eighths), space="1", color=color))


def _border_style_none(style: Any) -> None:
    """No border under the style's paragraphs (python-docx's Title style has one)."""
    from docx.oxml.ns import qn

    ppr = style.element.pPr
    if ppr is not None:
        for old in ppr.findall(qn("w:pBdr")):
            ppr.remove(old)


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE, NUMPAGES): begin, instruction, separate, result, end."""
    run = paragraph.add_run()
    run._r.append(_element("w:fldChar", fldCharType="begin"))
    run = paragraph.add_run()
    text = _element("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    run._r.append(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(_element("w:fldChar", fldCharType="end"))


_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
]  # fmt: skip


def _insert_in_order(parent: Any, child: Any, order: list[str]) -> None:
    """Insert ``child`` where the schema's sequence puts it (Word rejects elements out of
    order; LibreOffice is lenient, Word is not)."""
    name = child.tag.split("}")[1]
    position = order.index(name)
    for index, existing in enumerate(list(parent)):
        other = existing.tag.split("}")[1]
        if other in order and order.index(other) > position:
            parent.insert(index, child)
            return
    parent.append(child)


__all__ = ["build_document", "clean", "export_docx"]
