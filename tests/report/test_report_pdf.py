"""The recommendation report as a reader gets it: a PDF from every template read back with pypdf
(the recommendation, the totals as the screen formats them, the client), markup in names printed
literally, the footer's input fingerprint, paper sizes, and page 1 as a PNG to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QLocale, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication

from engine.assumptions import inputs_digest
from engine.model.project import Project
from engine.model.scenario import STRATEGIES
from engine.templates import load_template, template_names
from gui import format as fmt
from gui.report import ReportError, default_paper, render_page_images, render_report
from gui.report.content import long_date
from gui.report.render import RenderResult, report_data
from gui.report.safe_document import SafeTextDocument
from tests.pdf import page_texts as pdf_text

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "test-artifacts"
MARKUP = "<img src=x><b>bold</b>"


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """Numbers as an en_US screen shows them (the report uses the same formatter)."""
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


Rendered = Callable[..., tuple[Path, RenderResult]]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """A template's report, rendered once per module for each distinct set of options: the
    tests that read the same report share its PDF (each run is seconds of layout).  Called
    under the en_US locale of the autouse fixture, like every render in this module."""
    folder = tmp_path_factory.mktemp("reports")
    cache: dict[tuple[str, tuple[tuple[str, object], ...]], tuple[Path, RenderResult]] = {}

    def render(name: str, **options: object) -> tuple[Path, RenderResult]:
        key = (name, tuple(sorted(options.items())))
        if key not in cache:
            out = folder / f"{len(cache)}-{name}.pdf"
            cache[key] = (out, render_report(load_template(name), out, **options))  # type: ignore[arg-type]
        return cache[key]

    return render


@pytest.fixture
def requested_resources() -> list[str]:
    return []


@pytest.fixture(autouse=True)
def record_resources(monkeypatch: pytest.MonkeyPatch, requested_resources: list[str]) -> None:
    """Every resource any report document asks for (there should be none)."""
    original = SafeTextDocument.loadResource

    def recording(self: SafeTextDocument, kind: int, name: QUrl | str) -> object:
        requested_resources.append(name.toString() if isinstance(name, QUrl) else name)
        return original(self, kind, name)

    monkeypatch.setattr(SafeTextDocument, "loadResource", recording)


@pytest.mark.parametrize("name", template_names())
def test_a_pdf_from_every_template(name: str, rendered: Rendered) -> None:
    project = load_template(name)
    out, result = rendered(name, source_name=f"{name}.ftrag", paper="a4", mode="full")

    assert out.read_bytes()[:5] == b"%PDF-"
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == result.pages >= 5
    pages = pdf_text(out)
    text = " ".join(pages)
    data = report_data(project)
    for scenario in data.scenarios:
        evaluation = scenario.evaluation
        assert evaluation.recommendation.name in pages[0]
        for key in STRATEGIES:  # every total exactly as the screen formats it
            assert fmt.money(evaluation.strategies[key].tco.value, evaluation.currency) in text
    assert project.title in pages[0]
    if project.client:
        assert project.client in pages[0]
    assert f"Page 1 of {result.pages}" in pages[0]
    assert f"Page {result.pages} of {result.pages}" in pages[-1]
    for page in pages:  # every page ties to its file and inputs
        assert f"{name}.ftrag · inputs {inputs_digest(project)[:8]}" in page
    for section in ("Our recommendation", "Cost breakdown", "Compliance", "Assumptions"):
        assert section in text
    assert "Methodology and references" in text
    assert "ﬁ" not in text  # no ligatures: "file" and hashes copy as typed


def test_the_support_example_reads_like_the_screen(rendered: Rendered) -> None:
    out, _ = rendered(
        "support-assistant", source_name="support-assistant.ftrag", paper="a4", mode="full"
    )
    text = " ".join(pdf_text(out))
    assert "RAG is recommended in each" in text
    assert "USD 19,629" in text and "USD 141,944" in text and "USD 77,116" in text
    assert "Fine-tuning is cheaper than Hybrid above 6,159,100 queries/month." in text
    assert "Example SaaS Ltd (fictional)" in text
    # The consultant's notes and each scenario's own section.
    assert "Consultant's notes" in text
    assert "Scenario “Today”" in text and "Scenario “In two years”" in text
    # Show your work: a formula and its inputs, and the catalog entry's source and as-of date.
    assert "GPU-hours × price per GPU-hour" in text
    assert "NVIDIA H100 SXM5 80GB" in text and "2026-05-01" in text


def test_one_scenario_only(tmp_path: Path) -> None:
    project = load_template("support-assistant")
    out = tmp_path / "today.pdf"
    render_report(project, out, scenario_names=["In two years"], mode="full")
    text = " ".join(pdf_text(out))
    assert "Scenario “In two years”" in text
    assert "Scenario “Today”" not in text
    with pytest.raises(ReportError, match="no scenario named 'Tomorrow'"):
        render_report(project, tmp_path / "x.pdf", scenario_names=["Tomorrow"])
    assert not (tmp_path / "x.pdf").exists()


def test_markup_in_names_prints_literally_and_loads_nothing(
    tmp_path: Path, requested_resources: list[str]
) -> None:
    data = load_template("seed-small-company").model_dump(mode="json")
    data.update(title=MARKUP, client=MARKUP, consultant=MARKUP, notes=f"Notes {MARKUP}")
    data["scenarios"][0]["name"] = MARKUP
    data["scenarios"][0]["description"] = MARKUP
    project = Project.model_validate(data)
    out = tmp_path / "markup.pdf"
    render_report(project, out, source_name="<b>file</b>.ftrag", mode="full")

    pages = pdf_text(out)
    assert pages[0].count(MARKUP) >= 4  # title, "prepared for", client, consultant, scenario
    assert f"Notes {MARKUP}" in " ".join(pages)
    assert "<b>file</b>.ftrag" in pages[0]
    assert requested_resources == []  # no image, style sheet or file was asked for


def test_the_rich_text_document_serves_only_what_was_registered() -> None:
    doc = SafeTextDocument()
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(0)
    doc.register(QTextDocument.ResourceType.ImageResource, "chart:cost", image)
    doc.setHtml(
        '<img src="chart:cost"><img src="x"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="evil.css">'
    )
    doc.size()  # lays out: images are resolved now
    assert "chart:cost" not in doc.refused
    assert "x" in doc.refused
    assert "file:///etc/passwd" in doc.refused


def test_the_footer_fingerprint_changes_with_any_input(tmp_path: Path, rendered: Rendered) -> None:
    project = load_template("seed-enterprise")
    changed = Project.model_validate(
        project.model_dump(mode="json")
        | {
            "scenarios": [
                project.scenarios[0].model_dump(mode="json")
                | {
                    "workload": project.scenarios[0].workload.model_dump(mode="json")
                    | {"queries_per_month": 1_000_001}
                }
            ]
        }
    )
    first, _ = rendered("seed-enterprise", source_name="enterprise.ftrag", paper="letter")
    second = tmp_path / "b.pdf"
    render_report(changed, second, source_name="enterprise.ftrag", paper="letter")

    def fingerprint(path: Path) -> str:
        first_page = " ".join(pypdf.PdfReader(path).pages[0].extract_text().split())
        found = re.search(r"enterprise\.ftrag · inputs ([0-9a-f]{8})", first_page)
        assert found is not None
        return found.group(1)

    assert fingerprint(first) == inputs_digest(project)[:8]
    assert fingerprint(second) == inputs_digest(changed)[:8]
    assert fingerprint(first) != fingerprint(second)
    # The same inputs give the same fingerprint, whatever the save time.
    assert inputs_digest(project) == inputs_digest(load_template("seed-enterprise"))


@pytest.mark.parametrize(("paper", "size_pt"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_sizes(paper: str, size_pt: tuple[int, int], rendered: Rendered) -> None:
    out, _ = rendered("seed-enterprise", source_name="enterprise.ftrag", paper=paper)
    for page in pypdf.PdfReader(out).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == size_pt


@pytest.mark.parametrize(
    ("locale", "paper"),
    [("en_US", "letter"), ("en_CA", "letter"), ("es_MX", "letter"), ("en_GB", "a4"),
     ("de_DE", "a4"), ("fr_FR", "a4"), ("ja_JP", "a4")],
)  # fmt: skip
def test_the_default_paper_follows_the_locale(locale: str, paper: str) -> None:
    assert default_paper(QLocale(locale)) == paper


def test_numbers_follow_the_locale_like_the_screen(tmp_path: Path) -> None:
    QLocale.setDefault(QLocale("de_DE"))
    project = load_template("seed-enterprise")
    out = tmp_path / "de.pdf"
    render_report(project, out)
    text = " ".join(pdf_text(out))
    assert fmt.money(1_326_000, "USD") == "USD 1.326.000"
    assert "USD 1.326.000" in text
    assert long_date(report_data(project).generated) in text


def test_an_unwritable_target_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="does not exist"):
        render_report(load_template("seed-enterprise"), tmp_path / "missing" / "x.pdf")


def test_odd_strings_do_not_break_the_layout(tmp_path: Path) -> None:
    data = load_template("seed-small-company").model_dump(mode="json")
    data.update(
        title="Ω" * 500,
        client="مرحبا بالعالم — עברית — 👋🏽 \x00\x07\u202e reversed",
        notes=("word " * 2000) + "\n\n" + "x" * 9_000,
    )
    project = Project.model_validate(data)
    out = tmp_path / "odd.pdf"
    result = render_report(project, out, mode="full")
    # pypdf here: pdftotext writes right-to-left runs as presentation forms between bidi marks.
    first = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert "עברית" in first or "תירבע" in first  # extraction order of RTL text varies
    assert "reversed" in first  # the right-to-left override was dropped, not obeyed
    assert 5 < result.pages < 60


def test_page_one_as_png_for_people(tmp_path: Path) -> None:
    """Artefacts a person can look at: page 1 rasterised from the real PDF (pdftoppm, when
    poppler-utils is installed) and by the renderer itself."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    project = load_template("support-assistant")
    [image] = render_page_images(
        project, dpi=100, pages=[0], paper="a4", source_name="support-assistant.ftrag"
    )
    assert abs(image.width() - 210 / 25.4 * 100) < 2  # A4 at 100 dpi
    assert image.save(str(ARTIFACTS / "report-page1-qt.png"))
    # Not blank: the title's dark ink is on the page.
    dark = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height() // 4, 4)
        if image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 50

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: only the Qt rendering was saved")
    pdf = tmp_path / "support.pdf"
    render_report(project, pdf, source_name="support-assistant.ftrag")
    prefix = ARTIFACTS / "report-page1"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / "report-page1.png").stat().st_size > 10_000
