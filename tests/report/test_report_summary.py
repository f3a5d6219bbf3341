"""The client summary and the full report from one content model, the firm's branding on the
page and in the PDF's metadata, names instead of catalog ids, and each figure rounded once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from engine.assumptions import reference_data
from engine.display import reasons_text
from engine.model.project import Project
from engine.model.scenario import STRATEGIES
from engine.templates import load_template, template_names
from gui import format as fmt
from gui.report import render_page_images, render_report
from gui.report.branding import DEFAULT_ACCENT, Branding
from gui.report.content import build_story
from gui.report.flow import Flowable, KeepTogether, Panel, Paragraph, Table
from gui.report.render import report_data
from gui.report.styles import H1
from tests.pdf import page_texts as pdf_pages

pytestmark = pytest.mark.gui

MAX_SUMMARY_PAGES = 4


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


def walk(story: list[Flowable]) -> Iterator[Flowable]:
    for item in story:
        yield item
        if isinstance(item, KeepTogether):
            yield from walk(item.items)


def story_texts(story: list[Flowable]) -> list[str]:
    """Every text the story prints: paragraphs and table cells."""
    out: list[str] = []
    for item in walk(story):
        if isinstance(item, Paragraph):
            out.append("".join(text for text, _ in item.runs))
        elif isinstance(item, Table):
            for row in [*item.header, *item.rows]:
                out += ["".join(text for text, _ in cell.runs) for cell in row.cells]
    return out


def png_logo(color: str = "#C0392B") -> bytes:
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


# --- the two modes ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", template_names())
def test_the_summary_is_at_most_four_pages_and_says_what_a_client_needs(
    name: str, tmp_path: Path
) -> None:
    project = load_template(name)
    out = tmp_path / "summary.pdf"
    result = render_report(project, out, source_name=f"{name}.ftrag", paper="a4")
    assert 1 <= result.pages <= MAX_SUMMARY_PAGES
    pages = pdf_pages(out)
    text = " ".join(pages)
    data = report_data(project)
    assert project.title in pages[0]
    for report in data.scenarios:
        evaluation = report.evaluation
        assert evaluation.recommendation.name in pages[0]
        for key in STRATEGIES:  # key figures per strategy, as the screen formats them
            assert fmt.money(evaluation.strategies[key].tco.value, evaluation.currency) in text
    for part in (
        "Our recommendation",
        "What would change the answer",
        "Compliance",
        "Figure 1.",
        "Key figures",
        "Risks and next steps",
        "Assumptions that matter",
        "the full report's technical appendix",
    ):
        assert part in text, part
    # The appendix is not in the summary.
    for part in ("Cost breakdown", "Methodology and references", "Reference data used"):
        assert part not in text, part
    # Sentences joined from clauses end once (a strategy ruled out for two reasons once read
    # "… behind an answer.; misses a must latency target …").
    assert ".;" not in text and ". ;" not in text
    for report in data.scenarios:
        for key in STRATEGIES:
            strategy = report.evaluation.strategies[key]
            if strategy.excluded:
                assert (
                    f"{strategy.name} is ruled out: {reasons_text(strategy.exclusion_reasons)}"
                    in text
                )


def test_the_full_report_is_the_summary_plus_the_technical_appendix(tmp_path: Path) -> None:
    project = load_template("support-assistant")
    summary, full = tmp_path / "summary.pdf", tmp_path / "full.pdf"
    short = render_report(project, summary, mode="summary", source_name="s.ftrag", paper="a4")
    long = render_report(project, full, mode="full", source_name="s.ftrag", paper="a4")
    assert short.pages <= MAX_SUMMARY_PAGES < long.pages

    pointers = (
        "the full report's technical appendix",
        "the technical appendix that follows (Appendix A lists every input)",
    )

    def normalised(page: str) -> str:
        for pointer in pointers:
            page = page.replace(pointer, "")
        return re.sub(r"Page \d+ of \d+", "", page)

    summary_pages = pdf_pages(summary)
    full_pages = pdf_pages(full)
    # The pages before the appendix are the summary's (the pointer to the appendix aside).
    assert [normalised(p) for p in full_pages[: short.pages]] == [
        normalised(p) for p in summary_pages
    ]
    appendix = " ".join(full_pages[short.pages :])
    assert appendix.startswith("Customer-support assistant")  # the running header
    for part in (
        "Technical appendix",
        "Consultant's notes",
        "Scenario “Today”: the analysis",
        "Cost breakdown",
        "GPU-hours × price per GPU-hour",  # a formula with its inputs
        "Reference data used",
        "Methodology and references",
    ):
        assert part in appendix, part


def test_the_default_mode_is_the_summary(tmp_path: Path) -> None:
    project = load_template("seed-small-company")
    assert report_data(project).mode == "summary"
    result = render_report(project, tmp_path / "default.pdf")
    assert result.pages <= MAX_SUMMARY_PAGES
    assert "Methodology and references" not in " ".join(pdf_pages(tmp_path / "default.pdf"))


# --- branding and metadata ----------------------------------------------------------------------


def test_branding_on_the_page_and_metadata_in_the_pdf(tmp_path: Path) -> None:
    data = load_template("support-assistant").model_dump(mode="json")
    data["consultant"] = "Ada\r\nLovelace\x1b[31m\x00"
    data["client"] = "Example\nInsurer"
    project = Project.model_validate(data)
    branding = Branding(
        firm_name="Northwind Advisory",
        footer="Confidential — prepared for Example Insurer",
        accent="#7A1F5C",
        logo=png_logo(),
        logo_format="png",
    )
    out = tmp_path / "branded.pdf"
    render_report(project, out, branding=branding, source_name="b.ftrag", paper="a4")

    reader = pypdf.PdfReader(out)
    assert len(reader.pages) <= MAX_SUMMARY_PAGES  # a logo and a footer line still fit
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Customer-support assistant — recommendation report (client summary)"
    assert meta.author == "Ada Lovelace[31m"  # control characters stripped, nothing else
    assert meta.creator is not None and meta.creator.startswith("FTRAG Advisor ")
    xmp = reader.xmp_metadata
    assert xmp is not None
    subject = xmp.dc_description
    assert subject == {"x-default": "Fine-tuning vs RAG recommendation for Example Insurer"}
    assert xmp.dc_creator == ["Ada Lovelace[31m"]
    for value in (meta.title, meta.author, meta.creator, subject["x-default"]):
        assert not re.search(r"[\x00-\x1f\x7f]", value)

    pages = pdf_pages(out)
    assert "Northwind Advisory" in pages[0]  # the cover
    for index, page in enumerate(pages):
        assert "Confidential — prepared for Example Insurer" in page  # the footer line
        if index > 0:  # the running header
            assert "Northwind Advisory · Recommendation report" in page
            assert "Example Insurer" in page and "Example\nInsurer" not in page

    # The logo is painted at the top left of the cover.
    [image] = render_page_images(project, dpi=60, pages=[0], paper="a4", branding=branding)
    top_left = [image.pixelColor(x, y).name() for x in range(50, 130, 4) for y in range(52, 76, 3)]
    assert top_left.count("#c0392b") > len(top_left) // 2


def test_the_accent_colour_follows_the_branding() -> None:
    project = load_template("seed-small-company")

    def heading_colors(accent: str) -> set[str]:
        data = report_data(project, mode="full", branding=Branding(accent=accent))
        return {
            item.style.color
            for item in walk(build_story(data))
            if isinstance(item, Paragraph) and item.style.size == H1.size and item.style.bold
        }

    def panel_accents(accent: str) -> set[str]:
        data = report_data(project, branding=Branding(accent=accent))
        return {item.accent for item in walk(build_story(data)) if isinstance(item, Panel)}

    assert heading_colors(DEFAULT_ACCENT) == {DEFAULT_ACCENT}
    assert heading_colors("#7A1F5C") == {"#7A1F5C"}
    assert panel_accents("#7A1F5C") == {"#7A1F5C"}


# --- names, not ids; one rounding -------------------------------------------------------------


@pytest.mark.parametrize("name", template_names())
def test_client_facing_text_names_catalog_entries_never_their_ids(name: str) -> None:
    project = load_template(name)
    data = report_data(project, mode="full")
    text = "\n".join(story_texts(build_story(data)))
    entries = {
        entry.entry_id: entry.name
        for scenario in project.scenarios
        for entry in reference_data(project, scenario)
        if entry.entry_id != entry.name
    }
    assert entries
    for entry_id, entry_name in entries.items():
        # Outside web addresses (a source's URL may contain the id as a path).
        found = re.search(rf"(?<![\w./:-]){re.escape(entry_id)}(?![\w/:])", text)
        assert found is None, (
            f"{entry_id!r} printed: …{text[found.start() - 60 : found.end() + 60]}…"
        )
        assert entry_name in text


def test_ids_in_engine_sentences_become_names() -> None:
    """The compliance reasons name the serving model by id in the engine; the report prints the
    catalog's name."""
    project = load_template("support-assistant")
    data = report_data(project, mode="full")
    text = "\n".join(story_texts(build_story(data)))
    assert "the fine-tuned Llama 3.1 8B on your own GPUs" in text
    assert "llama-3.1-8b" not in text


def test_each_score_is_rounded_once_like_the_engine_writes_it() -> None:
    """66.25 is exactly representable: round(66.25, 1) gives 66.2 (half to even), the engine's
    sentences 66.3 (half up).  Every place the report prints the score must say 66.3."""
    project = load_template("support-assistant")
    data = report_data(project, scenario_names=["Today"], mode="full")
    report = data.scenarios[0]
    evaluation = report.evaluation
    hybrid = replace(evaluation.strategies["hybrid"], total_score=66.25)
    evaluation = replace(evaluation, strategies={**evaluation.strategies, "hybrid": hybrid})
    data = replace(data, scenarios=[replace(report, evaluation=evaluation)])
    texts = story_texts(build_story(data))
    assert fmt.fixed(66.25, 1) == "66.3"
    assert texts.count("66.3") >= 2  # the key figures and the score matrix
    assert "66.2" not in texts


@pytest.mark.parametrize("name", template_names())
def test_every_total_prints_the_same_wherever_it_appears(name: str) -> None:
    """A strategy's total cost is written from one value with one rounding: any money figure of
    the same magnitude that differs from it by one unit would be the same total rounded twice."""
    project = load_template(name)
    data = report_data(project, mode="full")
    text = " ".join(story_texts(build_story(data)))
    for report in data.scenarios:
        e = report.evaluation
        for key in STRATEGIES:
            value = e.strategies[key].tco.value
            shown = fmt.money(value, e.currency)
            assert shown in text
            whole = round(value)
            for neighbour in (whole - 1, whole + 1):
                if abs(neighbour - value) < 1.0:  # only a rounding could print it
                    assert fmt.money(neighbour, e.currency) not in text


def test_the_sample_deliverables_are_written(tmp_path: Path) -> None:
    """What ``python -m gui.report.samples docs`` writes: both PDFs and a small PNG per summary
    page."""
    from gui.report.samples import write_samples

    written = write_samples(tmp_path)
    summary = pypdf.PdfReader(tmp_path / "sample-report.pdf")
    full = pypdf.PdfReader(tmp_path / "sample-report-full.pdf")
    assert len(summary.pages) <= MAX_SUMMARY_PAGES < len(full.pages)
    shots = sorted((tmp_path / "screenshots").glob("report-summary-page-*.png"))
    assert len(shots) == len(summary.pages)
    assert set(shots) <= set(written)
    for shot in shots:
        image = QImage(str(shot))
        assert abs(image.width() - 210 / 25.4 * 80) < 2  # A4 at 80 dpi
        assert shot.stat().st_size < 150_000


def test_reasons_risks_and_next_steps_come_from_the_figures() -> None:
    small = "\n".join(story_texts(build_story(report_data(load_template("seed-small-company")))))
    # RAG wins on the other criteria though fine-tuning costs less: the summary says both.
    assert "It is not the cheapest: USD 1,920 over 12 months, against USD 1,700 for" in small
    assert "Fine-tuning would cost less (USD 1,700 against USD 1,920 over 12 months)" in small
    assert "No compliance requirement is ticked in this scenario." in small

    support = report_data(load_template("support-assistant"))
    text = "\n".join(story_texts(build_story(support)))
    rag = support.scenarios[0].evaluation.strategies["rag"]
    [mitigated] = [v for v in rag.compliance if v.verdict == "needs_mitigation"]
    assert f"For “{mitigated.requirement}”: {mitigated.mitigation}" in text  # a next step
    assert "It costs least: USD 19,629 over 24 months" in text
    # The inputs with ranges that move the decision most, from the tornado.
    assert "Firm up the inputs that move the decision most: labelling cost per example" in text
    # No strategy undercuts RAG anywhere near today's volume: no risk, no re-run step.
    today = support.scenarios[0].evaluation.queries_per_month
    assert not any(
        "rag" in c.between and c.queries_per_month < 100 * today
        for c in support.scenarios[0].evaluation.crossovers
    )
    assert "becomes cheaper than RAG" not in text and "Re-run this analysis" not in text


@pytest.mark.parametrize(
    ("full_answer_s", "need", "said"),
    [
        (
            2.89,
            "prefer",
            "It is slower than asked: the full answer after 2.89 s against a 2 s target. "
            "Within target: first words after 0.307 s (target 1 s).",
        ),
        (
            1.5,
            "prefer",
            "It answers fast enough: first words after 0.307 s (target 1 s), the full answer "
            "after 1.5 s (target 2 s).",
        ),
        # A target that is off is neither met nor missed: the time is said, no target.
        (
            9.0,
            "off",
            "It answers fast enough: first words after 0.307 s (target 1 s), the full answer "
            "after 9 s.",
        ),
    ],
    ids=["missed", "met", "off"],
)
def test_the_latency_sentence_names_only_the_missed_target(
    english: None, full_answer_s: float, need: str, said: str
) -> None:
    from engine.model.results import Figure
    from engine.model.scenario import TargetNeed
    from gui.report.sections.recommendation import latency_sentence

    def seconds(value: float) -> Figure:
        return Figure(key="t", label="t", value=value, unit="s", formula="")

    timings = (
        ("first words", seconds(0.307), 1.0, TargetNeed.prefer),
        ("the full answer", seconds(full_answer_s), 2.0, TargetNeed(need)),
    )
    assert latency_sentence(timings) == said


def _insurer_from_its_brief() -> Project:
    from engine.brief import apply_brief, parse_brief

    root = Path(__file__).resolve().parents[2]
    brief = parse_brief((root / "docs" / "examples" / "eu-insurer-brief.json").read_text())
    return apply_brief(brief).project


def test_the_assumptions_that_matter_price_own_servers_when_a_strategy_runs_on_them() -> None:
    """The insurer's RAG and Hybrid on the client's own servers. The summary said so ("Own
    servers (see Owned hardware)", a section only the full report has) but not what the servers
    cost; and the servers' GPU was listed as "Serving GPU" with no strategy, even when nothing
    ran on them."""
    project = _insurer_from_its_brief()
    data = project.model_dump()
    for strategy in ("rag", "hybrid"):  # the servers hold the GPU both serve on
        data["scenarios"][0]["serving"][strategy]["gpu_offering"] = "owned"
    project = Project.model_validate(data)
    texts = story_texts(build_story(report_data(project, mode="summary")))
    assert "GPU offer (region, RAG): Own servers (the lines marked “own servers”)" in texts
    assert "Server purchase price (own servers): EUR 300,000" in texts
    assert "Amortisation period (own servers): 36 months" in texts
    assert "GPU (own servers): NVIDIA H100 SXM5 80GB" in texts
    assert not any("(see Owned hardware)" in text or ") (" in text for text in texts)

    # Nothing on the client's servers: not a line about them, whatever the servers hold.
    data = project.model_dump()
    for scenario in data["scenarios"]:
        for strategy in scenario["serving"].values():
            strategy["gpu_offering"] = ""
        assert scenario["owned_hardware"]["gpu"]
    elsewhere = Project.model_validate(data)
    texts = story_texts(build_story(report_data(elsewhere, mode="summary")))
    assert not any("(own servers)" in text for text in texts), [
        text for text in texts if "(own servers)" in text
    ]
    assert not any("Serving GPU:" in text for text in texts)


def test_costs_least_says_of_what_when_a_ruled_out_strategy_costs_less() -> None:
    """The insurer's fine-tuning is ruled out (it cannot cite sources) and costs less than
    RAG; "It costs least" was not true of RAG, only of the strategies that qualify."""
    data = report_data(_insurer_from_its_brief())
    evaluation = data.scenarios[0].evaluation
    rag, ft = (evaluation.strategies[k].tco.value for k in ("rag", "fine_tuning"))
    assert evaluation.recommendation.strategy == "rag"
    assert evaluation.strategies["fine_tuning"].excluded and ft < rag
    text = "\n".join(story_texts(build_story(data)))
    assert f"It costs least of the strategies that qualify: {fmt.money(rag, 'EUR')} over" in text
    assert "It costs least:" not in text


def test_the_servers_to_buy_are_a_key_figure_when_a_strategy_runs_on_own_servers() -> None:
    """The purchase of the client's own servers is paid up front but is not in the one-time
    cost (the total carries its amortised part): a client deciding on cash needs to see it."""
    data = _insurer_from_its_brief().model_dump()
    data["scenarios"][0]["serving"]["rag"]["gpu_offering"] = "owned"
    owned = Project.model_validate(data)
    story = build_story(report_data(owned, mode="summary"))
    [table] = [
        item
        for item in walk(story)
        if isinstance(item, Table)
        and any("Own servers to buy" in text for text in story_texts([item]))
    ]
    [row] = [r for r in table.rows if "".join(t for t, _ in r.cells[0].runs).startswith("Own")]
    texts = ["".join(t for t, _ in c.runs) for c in row.cells]
    price = owned.scenarios[0].owned_hardware.server_price.likely
    assert texts == ["Own servers to buy (capex)", "—", fmt.money(price, "EUR"), "—"]
    assert any("outside the one-time cost" in text for text in story_texts(story))
    # No strategy on own servers: no such row, no such note.
    plain = story_texts(build_story(report_data(load_template("support-assistant"))))
    assert not any("Own servers to buy" in text for text in plain)
