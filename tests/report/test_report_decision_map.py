"""The decision map in the report: every scenario's map in the full report's appendix (a vector
drawing, hatched for grey-scale), in the client summary only when a line lies within an input's
plausible range, the same map in the Word document, and the hatching cut to each region."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import numpy as np
import pypdf
import pytest
from PySide6.QtCore import QLocale, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPolygonF
from PySide6.QtWidgets import QApplication

from engine.decision_map import (
    DEFAULT_X,
    DEFAULT_Y,
    PLAUSIBLE_SHARE,
    changes_from_today,
    default_axes,
    find_field,
    plausible_range,
    story_changes,
)
from engine.model.base import Estimate
from engine.model.project import Project
from engine.model.scenario import STRATEGIES
from engine.templates import load_template
from gui.report import render_report
from gui.report.decision_map import (
    HATCHES,
    REPORT_RESOLUTION,
    draw_decision_map,
    hatch_segments,
    legend_entries,
    tint,
)
from gui.report.docx_writer import export_docx
from gui.report.flow import Device
from gui.report.fonts import ensure_report_font
from gui.report.render import report_data
from gui.report.sections.decision_map import in_summary
from tests.pdf import page_texts as pdf_pages

pytestmark = pytest.mark.gui

DAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


def with_volume(
    project: Project, likely: float, low: float | None = None, high: float | None = None
) -> Project:
    """The project with the first scenario's monthly volume set (and its range)."""
    first = project.scenarios[0]
    volume = Estimate(likely=likely, low=low, high=high)
    workload = first.workload.model_copy(update={"queries_per_month": volume})
    scenario = first.model_copy(update={"workload": workload})
    return project.model_copy(update={"scenarios": [scenario, *project.scenarios[1:]]})


def volume_line(project: Project) -> float:
    """Where the recommendation changes along the volume axis of the report's map."""
    data = report_data(project, report_date=DAY)
    m = data.scenarios[0].decision_map
    assert m is not None
    changes = [c for c in changes_from_today(m) if c.axis == "x"]
    assert changes, "the template's map has no line along the volume axis"
    return changes[0].value


# --- the rule: when the map changes the story ---------------------------------------------------


def test_the_report_map_uses_the_tabs_default_axes() -> None:
    project = load_template("seed-enterprise")
    scenario = project.scenarios[0]
    x, y = default_axes(scenario)
    assert (x.field, y.field) == (DEFAULT_X, DEFAULT_Y)
    m = report_data(project, report_date=DAY).scenarios[0].decision_map
    assert m is not None
    assert (m.x.path, m.y.path) == (DEFAULT_X, DEFAULT_Y)
    assert m.shape == (REPORT_RESOLUTION, REPORT_RESOLUTION)
    assert (m.x.lo, m.x.hi, m.y.lo, m.y.hi) == (x.lo, x.hi, y.lo, y.hi)


def test_plausible_range_is_the_entered_range_else_a_quarter_either_side() -> None:
    project = load_template("seed-enterprise")
    plain = with_volume(project, 200_000).scenarios[0]
    field = find_field(plain, DEFAULT_X)
    assert plausible_range(plain, field) == pytest.approx(
        (200_000 * (1 - PLAUSIBLE_SHARE), 200_000 * (1 + PLAUSIBLE_SHARE))
    )
    ranged = with_volume(project, 200_000, low=50_000).scenarios[0]
    assert plausible_range(ranged, find_field(ranged, DEFAULT_X)) == (50_000, 200_000)


def test_a_line_within_a_quarter_of_today_puts_the_map_in_the_summary(tmp_path: Path) -> None:
    template = load_template("seed-enterprise")
    line = volume_line(template)
    # Far from the line (today's template, 1M queries against a line near 100k): not shown.
    far = report_data(template, report_date=DAY)
    assert not in_summary(far.scenarios[0])
    # Just inside: today 20 % above the line.
    near_project = with_volume(template, line * 1.2)
    near = report_data(near_project, report_date=DAY).scenarios[0]
    assert in_summary(near)
    assert near.decision_map is not None
    assert [c.axis for c in story_changes(near.decision_map, near.scenario)] == ["x"]
    # Just outside: today 40 % above the line (beyond ±25 %).
    outside = report_data(with_volume(template, line * 1.4), report_date=DAY).scenarios[0]
    assert not in_summary(outside)

    pdf = tmp_path / "near.pdf"
    render_report(near_project, pdf, report_date=DAY)
    text = " ".join(pdf_pages(pdf))
    assert "Where the answer changes" in text and "Map 1." in text
    assert "would win if queries per month fell below" in text
    assert "plausible range of queries per month" in text
    # The full report prints it once: the appendix refers to the summary's map.
    full = tmp_path / "near-full.pdf"
    render_report(near_project, full, mode="full", report_date=DAY)
    text = " ".join(pdf_pages(full))
    assert text.count("Map 1.") == 1 and "Map 1, in the summary." in text
    pdf = tmp_path / "far.pdf"
    render_report(template, pdf, report_date=DAY)
    text = " ".join(pdf_pages(pdf))
    assert "Where the answer changes" not in text and "Map 1" not in text


def test_an_entered_range_reaching_the_line_puts_the_map_in_the_summary() -> None:
    template = load_template("seed-enterprise")
    line = volume_line(template)
    today = line * 3  # far beyond ±25 %, but the range entered reaches below the line
    ranged = report_data(with_volume(template, today, low=line * 0.8), report_date=DAY)
    assert in_summary(ranged.scenarios[0])
    short = report_data(with_volume(template, today, low=line * 1.5), report_date=DAY)
    assert not in_summary(short.scenarios[0])


# --- the full report ------------------------------------------------------------------------------


def test_the_full_report_has_a_map_per_scenario_with_axes_and_the_distance(
    tmp_path: Path,
) -> None:
    # Two scenarios whose maps both have a line (the support assistant's are one strategy
    # everywhere, which the appendix says in a sentence instead: see the test below).
    template = load_template("seed-enterprise")
    second = template.scenarios[0].model_copy(update={"name": "Second look"})
    project = template.model_copy(update={"scenarios": [template.scenarios[0], second]})
    pdf = tmp_path / "full.pdf"
    render_report(project, pdf, mode="full", report_date=DAY)
    pages = pdf_pages(pdf)
    at = [i for i, page in enumerate(pages) if "Decision maps" in page]
    assert at, "no decision-map section"
    text = " ".join(pages[at[0] : at[0] + 3])
    for name in (s.name for s in project.scenarios):
        assert f"Scenario “{name}”" in text
    assert "Map 1." in text and "Map 2." in text
    assert "Queries per month (logarithmic scale)" in text  # the axes, in the form's words
    assert "Corpus changed per month (%/month)" in text
    assert "today" in text and "line between regions" in text  # the legend
    assert "With today's inputs the recommendation is" in text
    # The summary mode leaves the appendix out, and with it these maps.
    summary = tmp_path / "summary.pdf"
    render_report(project, summary, report_date=DAY)
    assert "Decision map" not in " ".join(pdf_pages(summary))


def test_the_map_is_a_vector_drawing_with_hatching_on_the_page(tmp_path: Path) -> None:
    """The page with the map carries its hatch strokes as vector paths, not an image."""
    project = load_template("seed-enterprise")
    pdf = tmp_path / "full.pdf"
    render_report(project, pdf, mode="full", report_date=DAY)
    reader = pypdf.PdfReader(pdf)
    at = next(i for i, text in enumerate(pdf_pages(pdf)) if "Decision map" in text)
    page = reader.pages[at]
    content = page.get_contents()
    assert content is not None
    ops = content.get_data()
    assert ops.count(b" l\n") > 200  # the hatch lines, each a line segment
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    images = [k for k, v in xobjects.items() if v.get_object().get("/Subtype") == "/Image"]
    assert not images  # no picture of the map: the map is drawn


def test_the_word_document_carries_the_map_as_a_picture(tmp_path: Path) -> None:
    project = load_template("seed-enterprise")
    out = export_docx(project, tmp_path / "full.docx", mode="full", report_date=DAY)
    document = docx.Document(str(out))
    alts = [shape._inline.docPr.get("descr") or "" for shape in document.inline_shapes]
    assert any(alt.startswith("Map 1.") for alt in alts), alts
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Decision map" in text and "would win if" in text


# --- the drawing ----------------------------------------------------------------------------------


def test_hatch_segments_lie_inside_the_region_and_fill_it() -> None:
    # An L-shaped region with a hole: segments stay inside, the hole stays empty.
    outer = np.array([[0, 0], [100, 0], [100, 40], [40, 40], [40, 100], [0, 100]], float)
    hole = np.array([[10, 10], [30, 10], [30, 30], [10, 30]], float)
    path = QPainterPath()
    for polygon in (outer, hole):
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in polygon]))
        path.closeSubpath()
    for angle, spacing in ((45.0, 4.0), (0.0, 3.0), (90.0, 5.0), (-45.0, 6.0)):
        # (lines through an off-grid origin: a line along an edge would run on the boundary)
        segments = hatch_segments([outer, hole], angle, spacing, QPointF(0.37, 0.61))
        assert len(segments) > 10
        length = 0.0
        for a, b in segments:
            for t in (0.05, 0.5, 0.95):
                p = a + t * (b - a)
                assert path.contains(QPointF(*p)), (angle, p)
            length += float(np.hypot(*(b - a)))
        area = 100 * 40 + 40 * 60 - 20 * 20
        assert length == pytest.approx(area / spacing, rel=0.1)  # the region is covered


def test_the_drawing_marks_today_and_hatches_each_region_its_own_way() -> None:
    project = load_template("seed-enterprise")
    m = report_data(project, report_date=DAY).scenarios[0].decision_map
    assert m is not None
    image = QImage(900, 560, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    dev = Device(image, ensure_report_font())
    layout = draw_decision_map(painter, dev, QRectF(0, 0, 900, 560), m)
    painter.end()
    keys = legend_entries(m)
    assert len(keys) >= 2
    assert all(layout.regions[k] > 0 for k in keys)  # each region hatched
    assert len({HATCHES[k] for k in keys}) == len(keys)  # …each its own way
    assert layout.boundaries == len(m.boundaries) >= 1
    assert layout.today is not None and layout.plot.contains(layout.today)
    # Today's star sits where today's inputs are along the (log) volume axis.
    u = np.log10(m.x.values)
    share = (np.log10(m.today[0]) - u[0]) / (u[-1] - u[0])
    assert layout.today.x() == pytest.approx(layout.plot.left() + share * layout.plot.width())
    # A cell deep in each region shows that region's tint (or its hatching, darker).
    for key in keys:
        index = STRATEGIES.index(key)
        rows, cols = np.nonzero(m.winner == index)
        r, c = rows[len(rows) // 2], cols[len(cols) // 2]
        share_x = (np.log10(m.x.values[c]) - u[0]) / (u[-1] - u[0])
        share_y = (m.y.values[r] - m.y.values[0]) / (m.y.values[-1] - m.y.values[0])
        x = layout.plot.left() + share_x * layout.plot.width()
        y = layout.plot.bottom() - share_y * layout.plot.height()
        seen = [QColor(image.pixel(int(x) + dx, int(y) + dy)) for dx in range(4) for dy in range(4)]
        assert any(s.rgb() == tint(key).rgb() for s in seen), key


def test_a_map_with_one_strategy_everywhere_is_a_sentence_not_a_page(tmp_path: Path) -> None:
    """The support assistant's maps are RAG from corner to corner: the appendix says so in a
    sentence with the ranges searched, and draws no figure (a page of one hatching is noise)."""
    project = load_template("support-assistant")
    data = report_data(project, report_date=DAY)
    maps = [r.decision_map for r in data.scenarios]
    assert maps and all(m is not None and len({int(w) for w in m.winner.ravel()}) == 1
                        for m in maps)  # fmt: skip
    pdf = tmp_path / "full.pdf"
    render_report(project, pdf, mode="full", report_date=DAY)
    text = " ".join(pdf_pages(pdf))
    assert text.count("so no map is drawn") == len(maps)
    assert "Over queries per month" in text
    assert "Map 1." not in text and "Map 2." not in text
