"""One renderer for the recommendation report: Export PDF, Print Preview, Print and
``ftrag report`` all call :func:`render_report`.

It evaluates the chosen scenarios (the report is a snapshot of the project as passed in), builds
the content (gui.report.content), pours it into pages (gui.report.flow) measured on the device it
will be drawn on, and paints each page with a running header and a footer that carries the
project file's name, a short fingerprint of the inputs and "Page n of N".
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TypedDict, Unpack
from xml.sax.saxutils import escape

from PySide6.QtCore import QByteArray, QLocale, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter

from engine.assumptions import inputs_digest
from engine.catalog import price_data_version
from engine.evaluate import EvaluationError, evaluate, evaluate_with_curves
from engine.model.project import Project
from engine.text import one_line
from engine.version import APP_VERSION
from gui import format as fmt
from gui.report.branding import REPORT_MODE_NAMES, Branding, ReportMode
from gui.report.content import ReportData, ScenarioReport, build_story
from gui.report.decision_map import scenario_decision_map
from gui.report.flow import (
    INK,
    MUTED,
    RULE,
    Device,
    Page,
    Style,
    clean_text,
    draw_page,
    paginate,
)
from gui.report.fonts import ensure_report_font
from gui.report.model import DETAIL_LIMIT, ScenarioBrief
from gui.report.uncertainty import scenario_uncertainty

Paper = Literal["a4", "letter"]
PAPER_SIZES: dict[str, QPageSize.PageSizeId] = {
    "a4": QPageSize.PageSizeId.A4,
    "letter": QPageSize.PageSizeId.Letter,
}
# Where people print on US Letter (CLDR's paperSize data); everyone else uses A4.
LETTER_TERRITORIES = frozenset(
    getattr(QLocale.Country, name)
    for name in (
        "Belize",
        "Canada",
        "Chile",
        "Colombia",
        "CostaRica",
        "ElSalvador",
        "Guatemala",
        "Mexico",
        "Nicaragua",
        "Panama",
        "Philippines",
        "PuertoRico",
        "UnitedStates",
        "Venezuela",
    )
)
MARGINS_MM = QMarginsF(18.0, 13.0, 18.0, 12.0)  # left, top, right, bottom
PDF_DPI = 1200  # coordinates only: the PDF stays vector
HEADER_PT = 20.0  # running header band (pages 2…)
FOOTER_PT = 18.0
FOOTER_LINE_PT = 9.5  # the firm's footer line, when it has one, above the file and page line
CURVE_POINTS = 400
RUNNING = Style(size=7.0, color=MUTED)


class ReportError(Exception):
    """The report cannot be made (unknown scenario, a scenario that cannot be evaluated, an
    unwritable file); the message is one line for the user."""


class ReportOptions(TypedDict, total=False):
    """What a report covers and how it is labelled: the keywords every way of making it (the
    PDF, a printer, page images, the Word document and the dialogs around them) takes and
    hands on unchanged to :func:`report_data`, where their defaults and meaning live."""

    scenario_names: Sequence[str] | None
    source_name: str | None
    report_date: date | None
    mode: ReportMode
    branding: Branding | None
    detail: Sequence[str] | None
    all_scenarios: bool


@dataclass(frozen=True)
class RenderResult:
    pages: int
    digest: str
    path: Path | None = None


def default_paper(locale: QLocale | None = None) -> Paper:
    """US Letter where the locale's territory uses it, else A4."""
    territory = (locale or QLocale()).territory()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def page_layout(paper: Paper | None = None) -> QPageLayout:
    """The report's page: A4 or US Letter, portrait, with its margins."""
    size = QPageSize(PAPER_SIZES[paper or default_paper()])
    return QPageLayout(
        size, QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def report_data(
    project: Project,
    *,
    scenario_names: Sequence[str] | None = None,
    source_name: str | None = None,
    report_date: date | None = None,
    mode: ReportMode = "summary",
    branding: Branding | None = None,
    detail: Sequence[str] | None = None,
    all_scenarios: bool = False,
) -> ReportData:
    """Evaluate the scenarios the report covers (all, or the ones named, in project order).

    Up to :data:`DETAIL_LIMIT` scenarios, or with ``all_scenarios``, each is detailed (its
    pages of the summary and of the appendix).  Beyond that, only the scenarios named in
    ``detail`` (the first when none is) are detailed, and every scenario is a row of the
    comparison table: its evaluation is made, its curves and uncertainty analysis are not."""
    fmt.install_renderer()  # the engine's sentences in the reader's number format
    if scenario_names:
        _check_names(project, scenario_names)
        wanted = set(scenario_names)
        scenarios = [s for s in project.scenarios if s.name in wanted]
    else:
        scenarios = list(project.scenarios)
    detailed = scenarios
    if len(scenarios) > DETAIL_LIMIT and not all_scenarios:
        chosen = set(detail or ())
        if chosen:
            _check_names(project, list(chosen))
        detailed = [s for s in scenarios if s.name in chosen] or scenarios[:1]
    in_detail = {id(s) for s in detailed}
    reports = []
    briefs = []
    for scenario in scenarios:
        try:
            if id(scenario) in in_detail:
                evaluation, curves = evaluate_with_curves(project, scenario, points=CURVE_POINTS)
            else:
                evaluation = evaluate(project, scenario)
        except EvaluationError as exc:
            raise ReportError(str(exc)) from None
        if id(scenario) in in_detail:
            reports.append(
                ScenarioReport(
                    scenario,
                    evaluation,
                    curves,
                    scenario_uncertainty(project, scenario, evaluation),
                    scenario_decision_map(project, scenario, evaluation),
                )
            )
        briefs.append(ScenarioBrief(scenario, evaluation))
    return ReportData(
        project=project,
        scenarios=reports,
        source_name=source_name or "unsaved project",
        digest=inputs_digest(project),
        generated=report_date or date.today(),
        app_version=APP_VERSION,
        price_data_version=price_data_version(),
        mode=mode,
        branding=branding or Branding(),
        overview=tuple(briefs) if len(reports) < len(briefs) else (),
    )


def _check_names(project: Project, names: Sequence[str]) -> None:
    known = {s.name for s in project.scenarios}
    unknown = [n for n in names if n not in known]
    if unknown:
        shown = ", ".join(repr(s.name) for s in project.scenarios[:DETAIL_LIMIT])
        more = len(project.scenarios) - DETAIL_LIMIT
        if more > 0:
            shown += f" and {fmt.count(more)} more"
        raise ReportError(f"no scenario named {unknown[0]!r} (this project has {shown})")


# --- pages ------------------------------------------------------------------------------------


@dataclass
class _Laid:
    dev: Device
    pages: list[Page]
    width: float  # the page's paint rect (inside the margins), device pixels
    height: float
    data: ReportData

    def footer_pt(self) -> float:
        return FOOTER_PT + (FOOTER_LINE_PT if self.data.branding.footer else 0.0)

    def body(self) -> QRectF:
        top = self.dev.pt(HEADER_PT)
        return QRectF(0.0, top, self.width, self.height - top - self.dev.pt(self.footer_pt()))


def _lay_out(data: ReportData, device: QPaintDevice, width: float, height: float) -> _Laid:
    dev = Device(device, ensure_report_font())
    laid = _Laid(dev, [], width, height, data)
    body = laid.body()
    laid.pages = paginate(build_story(data), dev, body.width(), body.height())
    return laid


def _elide(dev: Device, text: str, style: Style, width: float) -> str:
    metrics = QFontMetricsF(dev.font(style), dev.device)
    plain = " ".join(clean_text(text).replace("\u2028", " ").split())
    return metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width)


def _line(painter: QPainter, y: float, width: float) -> None:
    painter.drawLine(QPointF(0.0, y), QPointF(width, y))


def _paint_page(painter: QPainter, laid: _Laid, index: int) -> None:
    dev, data = laid.dev, laid.data
    pt = dev.pt
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering, True)
    font = dev.font(RUNNING)
    metrics = QFontMetricsF(font, dev.device)
    painter.setFont(font)
    width = laid.width
    rule = QPen(QColor(RULE))
    rule.setWidthF(pt(0.5))
    top_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    top_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
    if index > 0:  # running header: whose report, by which firm, and when
        right = f"Recommendation report · {data.generated.isoformat()}"
        if data.branding.firm_name:
            right = f"{data.branding.firm_name} · {right}"
        right = _elide(dev, right, RUNNING, width * 0.5)
        right_width = metrics.horizontalAdvance(right)
        client = one_line(data.project.client)
        who = one_line(data.project.title) + (f" — {client}" if client else "")
        left = _elide(dev, who, RUNNING, width - right_width - pt(18))
        painter.setPen(QColor(MUTED))
        painter.drawText(
            QRectF(0.0, 0.0, width - right_width - pt(12), metrics.height()), top_left, left
        )
        painter.drawText(
            QRectF(width - right_width - pt(1), 0.0, right_width + pt(1), metrics.height()),
            top_right,
            right,
        )
        painter.setPen(rule)
        _line(painter, metrics.height() + pt(3), width)
    draw_page(painter, dev, laid.pages[index], laid.body())
    # Footer: the firm's line, the file and the inputs this page comes from, the page number.
    footer_top = laid.height - metrics.height()
    rule_y = footer_top - pt(4)
    if data.branding.footer:
        line_top = footer_top - pt(FOOTER_LINE_PT)
        rule_y = line_top - pt(4)
        painter.setPen(QColor(MUTED))
        painter.drawText(
            QRectF(0.0, line_top, width, metrics.height()),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            _elide(dev, data.branding.footer, RUNNING, width),
        )
    painter.setPen(rule)
    _line(painter, rule_y, width)
    page_text = f"Page {fmt.count(index + 1)} of {fmt.count(len(laid.pages))}"
    page_width = metrics.horizontalAdvance(page_text)
    source = _elide(dev, one_line(data.source_name), RUNNING, width * 0.55)
    left = f"{source} · inputs {data.short_digest} · FTRAG Advisor {data.app_version}"
    left = _elide(dev, left, RUNNING, width - page_width - pt(18))
    painter.setPen(QColor(MUTED))
    painter.drawText(
        QRectF(0.0, footer_top, width - page_width - pt(12), metrics.height()), top_left, left
    )
    painter.setPen(QColor(INK))
    painter.drawText(
        QRectF(width - page_width - pt(1), footer_top, page_width + pt(1), metrics.height()),
        top_right,
        page_text,
    )


# --- targets ----------------------------------------------------------------------------------


def _require_app() -> None:
    if QGuiApplication.instance() is None:
        raise ReportError("the report renderer needs a QGuiApplication (or QApplication)")


def render_report(
    project: Project,
    target: str | os.PathLike[str] | QPagedPaintDevice,
    *,
    paper: Paper | None = None,
    **options: Unpack[ReportOptions],
) -> RenderResult:
    """Render the recommendation report to a PDF file (``target`` a path) or onto a printer
    (``target`` a QPrinter, e.g. from QPrintDialog or QPrintPreviewDialog).

    ``paper`` defaults to the locale's (US Letter in the US and Canada, else A4); for a printer
    it is applied only when given, so the paper chosen in a print dialog wins.  ``source_name``
    is the file name printed in every footer ("unsaved project" when None).
    Raises :class:`ReportError` with a one-line message.
    """
    _require_app()
    data = report_data(project, **options)
    if isinstance(target, QPagedPaintDevice):
        if paper is not None:
            target.setPageLayout(page_layout(paper))
        if isinstance(target, QPrinter):  # the print job's name, and a PDF printer's metadata
            meta = pdf_metadata(data)
            target.setDocName(meta["title"])
            target.setCreator(meta["creator"])
        pages = _paint_to(target, data)
        return RenderResult(pages=pages, digest=data.digest)
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ReportError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ReportError(f"{path}: cannot write in the folder {folder} (permission denied)")
    if path.is_dir():
        raise ReportError(f"{path}: is a folder")
    # Write beside the target and rename: a failed export never leaves half a PDF behind.
    # (QPdfWriter creates the file itself, so it gets the user's usual permissions.)
    tmp = folder / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(page_layout(paper))
        meta = pdf_metadata(data)
        writer.setTitle(meta["title"])
        writer.setAuthor(meta["author"])
        writer.setCreator(meta["creator"])
        writer.setDocumentXmpMetadata(QByteArray(xmp_metadata(meta).encode("utf-8")))
        try:
            pages = _paint_to(writer, data)
        except ReportError:
            raise ReportError(f"{path}: could not write the PDF") from None
        finally:
            del writer  # flushes and closes the file
        os.replace(tmp, path)
    except OSError as exc:
        raise ReportError(f"{path}: could not write the PDF ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return RenderResult(pages=pages, digest=data.digest, path=path)


def pdf_metadata(data: ReportData) -> dict[str, str]:
    """Title, Author (the consultant, else the firm), Subject and Creator of the PDF, each one
    line without control characters."""
    project = data.project
    title = one_line(project.title) or "Untitled project"
    client = one_line(project.client)
    kind = REPORT_MODE_NAMES[data.mode].lower()
    return {
        "title": f"{title} — recommendation report ({kind})",
        "author": one_line(project.consultant) or data.branding.firm_name,
        "subject": f"Fine-tuning vs RAG recommendation for {client or title}",
        "creator": f"FTRAG Advisor {data.app_version}",
        "keywords": f"inputs {data.digest}",
    }


def xmp_metadata(meta: dict[str, str]) -> str:
    """The XMP packet: Qt writes Title, Author and Creator into the document information
    dictionary, and this packet carries them too with the Subject (dc:description), for which
    QPdfWriter has no setter."""

    def text(key: str) -> str:
        return escape(meta[key], {'"': "&quot;"})

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text("title")}</rdf:li></rdf:Alt>'
        "</dc:title>\n"
        f"<dc:creator><rdf:Seq><rdf:li>{text('author')}</rdf:li></rdf:Seq></dc:creator>\n"
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{text('subject')}</rdf:li></rdf:Alt></dc:description>\n"
        "</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        f' pdf:Keywords="{text("keywords")}"/>\n'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        f' xmp:CreatorTool="{text("creator")}"/>\n'
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def _paint_to(device: QPagedPaintDevice, data: ReportData) -> int:
    resolution = device.logicalDpiY()
    rect = device.pageLayout().paintRectPixels(resolution)
    laid = _lay_out(data, device, float(rect.width()), float(rect.height()))
    painter = QPainter()
    if not painter.begin(device):
        raise ReportError("could not start painting on the printer or file")
    try:
        for index in range(len(laid.pages)):
            if index > 0 and not device.newPage():
                raise ReportError("the printer refused a new page")
            _paint_page(painter, laid, index)
    finally:
        painter.end()
    return len(laid.pages)


def render_page_images(
    project: Project,
    *,
    dpi: int = 100,
    pages: Sequence[int] | None = None,
    paper: Paper | None = None,
    **options: Unpack[ReportOptions],
) -> list[QImage]:
    """Pages of the report as images (white, ``dpi`` dots per inch): thumbnails, and test
    artefacts where no PDF rasteriser is installed."""
    _require_app()
    data = report_data(project, **options)
    layout = page_layout(paper)
    full = layout.fullRectPixels(dpi)
    paint = layout.paintRectPixels(dpi)
    canvas = QImage(full.width(), full.height(), QImage.Format.Format_RGB32)
    dots_per_metre = round(dpi / 0.0254)
    canvas.setDotsPerMeterX(dots_per_metre)
    canvas.setDotsPerMeterY(dots_per_metre)
    laid = _lay_out(data, canvas, float(paint.width()), float(paint.height()))
    out = []
    for index in pages if pages is not None else range(len(laid.pages)):
        if not 0 <= index < len(laid.pages):
            continue
        image = QImage(canvas.size(), QImage.Format.Format_RGB32)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.translate(paint.left(), paint.top())
        laid.dev.device = image  # same resolution: the layout measured on ``canvas`` holds
        _paint_page(painter, laid, index)
        painter.end()
        out.append(image)
    return out
