"""Every user command through the real menu bar: each declared command is found by walking
QMenuBar → menus → actions and triggered through that QAction, with its dialogs answered by the
test; then the exports (PDF, DOCX, XLSX, chart), Print Preview and Print (to a PDF printer) one
by one, checking the files they write."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMenuBar, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

import gui.recovery
from engine.fileformat import save_project
from engine.templates import load_template
from gui import files
from gui.commands import COMMANDS, MENUS, Command, CommandSet
from gui.mainwindow import MainWindow
from gui.preferences import PreferencesDialog
from gui.report import printing
from gui.report.branding import (
    REPORT_MODE_NAMES,
    Branding,
    ReportMode,
    load_report_mode,
    save_branding,
)
from gui.report.printing import ReportModeDialog, ReportPreviewDialog
from tests.gui.conftest import Messages

pytestmark = pytest.mark.gui

Accepted = int(QDialog.DialogCode.Accepted.value)
Rejected = int(QDialog.DialogCode.Rejected.value)
TITLE = "Customer-support assistant"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own settings file (recent files, report mode, branding, export folder)
    and recovery folder: the test-mode QSettings are shared by every test process."""
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(files, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: tmp_path / "recovery")


# --- the menu bar, walked ------------------------------------------------------------------


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def walk(menu: QMenuBar | QMenu, where: str = "") -> Iterator[tuple[str, QAction]]:
    """Every action reachable from ``menu``: (its menu path, the action), submenus included
    (a submenu's own action too, then what it holds)."""
    for action in menu.actions():
        if action.isSeparator():
            continue
        path = f"{where} → {plain(action.text())}" if where else plain(action.text())
        yield path, action
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            if isinstance(submenu, files.RecentMenu):
                submenu.rebuild()  # what opening it does
            yield from walk(submenu, path)


def menu_action(window: MainWindow, command_id: str) -> QAction:
    """The QAction of a command *as found in the menu bar* (not the window attribute)."""
    for _path, action in walk(window.menuBar()):
        if action.objectName() == command_id:
            return action
    raise AssertionError(f"no menu reaches the command {command_id!r}")


def reached_actions(window: MainWindow) -> list[QAction]:
    return [action for _path, action in walk(window.menuBar())]


def trigger(window: MainWindow, command_id: str) -> None:
    action = menu_action(window, command_id)
    assert action.isEnabled(), f"{command_id} is disabled"
    action.trigger()


class Answers:
    """The dialogs the commands open, answered like a person would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = folder
        self.mode: ReportMode | None = "summary"  # None: Cancel in the mode dialog
        self.modes_offered: list[ReportMode] = []  # what the mode dialog preselected
        self.save_name: str | None = None  # the file name typed (None: the suggested one)
        self.saved: list[Path] = []
        self.suggested: list[str] = []
        self.cancel_save = False
        self.previews: list[int] = []
        self.printed: list[Path] = []
        self.preferences = 0
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save_name)
        # Plain functions on the classes, so the dialog comes in as the first argument.
        monkeypatch.setattr(ReportModeDialog, "exec", lambda dialog: self._mode(dialog))
        monkeypatch.setattr(ReportPreviewDialog, "exec", lambda dialog: self._preview(dialog))
        monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: self._print(dialog))
        monkeypatch.setattr(PreferencesDialog, "exec", lambda dialog: self._preferences(dialog))

    def _save_name(
        self, _parent: QWidget, _caption: str, suggested: str, _filter: str, *_a: object
    ) -> tuple[str, str]:
        self.suggested.append(suggested)
        if self.cancel_save:
            return "", ""
        path = self.folder / (self.save_name or Path(suggested).name)
        self.saved.append(path)
        return str(path), ""

    def _mode(self, dialog: ReportModeDialog) -> int:
        self.modes_offered.append(dialog.mode())
        if self.mode is None:
            return Rejected
        dialog.buttons_by_mode[self.mode].click()  # as a person picks it
        return Accepted

    def _preview(self, dialog: ReportPreviewDialog) -> int:
        preview = dialog.findChild(QPrintPreviewWidget)
        assert preview is not None
        preview.updatePreview()  # what showing the dialog does
        self.previews.append(dialog.pages_rendered)
        return Rejected

    def _print(self, dialog: QPrintDialog) -> int:
        """The person picks "Print to File (PDF)" and prints."""
        target = self.folder / f"printed-{len(self.printed)}.pdf"
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        self.printed.append(target)
        return Accepted

    def _preferences(self, _dialog: PreferencesDialog) -> int:
        self.preferences += 1
        return Accepted


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Answers:
    out = tmp_path / "out"
    out.mkdir()
    return Answers(monkeypatch, out)


def pdf_text(path: Path) -> tuple[int, str]:
    """The page count and the first page's text (pypdf reads a whole report slowly)."""
    reader = pypdf.PdfReader(path)
    return len(reader.pages), " ".join((reader.pages[0].extract_text() or "").split())


# --- declarations --------------------------------------------------------------------------


def test_every_declared_command_is_in_the_menu_bar(window: MainWindow) -> None:
    reached = {action.objectName(): path for path, action in walk(window.menuBar())}
    missing = [c.id for c in COMMANDS if c.id not in reached]
    assert not missing, f"declared but no menu reaches them: {missing}"
    assert reached["file.export_report"] == "File → Export Report…"
    assert reached["file.print"] == "File → Print…"
    assert reached["file.recent"] == "File → Open Recent"
    titles = [plain(a.text()) for a in window.menuBar().actions()]
    assert titles == [plain(title) for _id, title in MENUS]
    on_toolbar = [a for a in window.scenario_toolbar.actions() if a in reached_actions(window)]
    assert on_toolbar == [window.commands.action(c.id) for c in COMMANDS if c.toolbar]
    for command in COMMANDS:  # the QAction in the menu is the one the window holds
        if command.attr:
            assert getattr(window, command.attr) is window.commands.action(command.id)


def test_the_file_menu_in_order(window: MainWindow) -> None:
    entries = ["—" if a.isSeparator() else plain(a.text()) for a in window.file_menu.actions()]
    assert entries == [
        "New from Template…",
        "New from a Brief…",
        "Open…",
        "Open Recent",
        "—",
        "Save",
        "Save As…",
        "Revert",
        "—",
        "Export Report…",
        "Print Preview…",
        "Print…",
        "Export Editable Report…",
        "Export Spreadsheet…",
        "—",
        "Export Chart as PNG…",
        "Export Chart as SVG…",
        "Export Curve Data as CSV…",
        "Export Decision Map as PNG…",
        "Export Decision Map as SVG…",
        "Export Decision Map Data as CSV…",
        "—",
        "Import Price Data…",
        "Revert to Bundled Price Data",
        "—",
        "Preferences…",
        "Quit",
    ]


def test_each_menu_has_unique_access_keys(window: MainWindow) -> None:
    def key(text: str) -> str | None:
        at = text.replace("&&", "").find("&")
        return text.replace("&&", "")[at + 1].lower() if at >= 0 else None

    for menu in [window.menuBar(), *window.commands.menus.values()]:
        keys = [key(a.text()) for a in menu.actions() if not a.isSeparator()]
        assert None not in keys, f"an entry without an access key in {menu.title()}"
        assert len(set(keys)) == len(keys), f"an access key used twice in {menu.title()}: {keys}"


def test_shortcuts_are_unique_and_print_is_the_platform_print_key(window: MainWindow) -> None:
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert window.act_print.shortcut().toString() == "Ctrl+P"
    seen: dict[str, str] = {}
    for path, action in walk(window.menuBar()):
        for sequence in action.shortcuts():
            key = sequence.toString()
            assert key not in seen, f"{key} is both {seen[key]} and {path}"
            seen[key] = path


def test_ctrl_p_prints(
    window: MainWindow, answers: Answers, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert answers.modes_offered == ["summary"]  # Print asked for the contents …
    assert len(answers.printed) == 1  # … and printed
    pages, _text = pdf_text(answers.printed[0])
    assert pages > 0


def test_a_command_set_refuses_a_duplicate_id_or_an_unknown_menu(window: MainWindow) -> None:
    with pytest.raises(ValueError, match="share an id"):
        CommandSet(window, [COMMANDS[0], COMMANDS[0]])
    with pytest.raises(ValueError, match="no menu"):
        CommandSet(window, [Command("x.y", "X", "tools", lambda _w: None)])


# --- every command, through the menu bar ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.decision_map  # File → Export Decision Map needs a drawn map
def test_every_command_through_the_menu_bar(
    window: MainWindow,
    answers: Answers,
    messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    """Each declared command, triggered through the QAction the menu bar holds, does what it
    says.  A new command fails this test until it gets its answer here."""
    doc = window.document
    out = answers.folder
    done: list[str] = []

    def run(command_id: str) -> None:
        trigger(window, command_id)
        done.append(command_id)

    # View
    run("view.chart_month")
    assert window.chart.mode() == "per_month"
    run("view.chart_total")
    assert window.chart.mode() == "total"
    for command_id, index in (
        ("view.breakdown", 1),
        ("view.compare", 2),
        ("view.sensitivity", 3),
        ("view.scorecard", 0),
    ):
        run(command_id)
        assert window.results.currentIndex() == index
    run("view.decision_map")
    assert window.results.currentWidget() is window.decision_map.page
    qtbot.waitUntil(lambda: window.decision_map.drawn_view() is not None, timeout=60_000)
    run("view.scorecard")
    run("view.catalog")
    assert window.catalog_dock.isVisible()
    run("view.catalog")
    assert not window.catalog_dock.isVisible()

    # Help
    run("help.methodology")
    from gui.views.methodology import MethodologyDialog

    methodology = window.findChild(MethodologyDialog)
    assert methodology is not None and methodology.isVisible()
    methodology.close()
    run("help.about")
    assert messages.shown[-1][1] == "About FTRAG Advisor"

    # Scenario and Edit
    count = len(doc.project.scenarios)
    run("scenario.add")
    assert len(doc.project.scenarios) == count + 1
    run("scenario.duplicate")
    assert len(doc.project.scenarios) == count + 2
    monkeypatch.setattr(MainWindow, "ask_text", lambda _self, _t, _l, _x: "Renamed")
    run("scenario.rename")
    assert doc.scenario.name == "Renamed"
    monkeypatch.setattr(MainWindow, "confirm", lambda _self, _t, _x: True)
    run("scenario.delete")
    assert len(doc.project.scenarios) == count + 1
    run("scenario.find_cheapest")
    solver = window.solver_dialog
    qtbot.waitUntil(lambda: solver.solution is not None, timeout=60_000)
    assert solver.candidates()
    solver.close()
    run("edit.undo")  # the deletion
    assert len(doc.project.scenarios) == count + 2
    run("edit.redo")
    assert len(doc.project.scenarios) == count + 1

    # Price data: import a genai-prices file, then go back to the bundled data
    from engine import price_import
    from tests.gui.test_price_import_gui import GENAI_DATA

    monkeypatch.setenv("FTRAG_DATA_DIR", str(tmp_path / "user-data"))
    price_import.refresh()
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps(GENAI_DATA), encoding="utf-8")
    monkeypatch.setattr(MainWindow, "ask_price_file", lambda _self: str(prices))
    assert not menu_action(window, "file.remove_prices").isEnabled()  # nothing imported yet
    run("file.import_prices")
    assert messages.shown[-1][1] == "Price data imported"
    run("file.remove_prices")
    assert not price_import.current_imports()
    assert not menu_action(window, "file.remove_prices").isEnabled()
    monkeypatch.delenv("FTRAG_DATA_DIR")  # back to the session's data folder
    price_import.refresh()

    # Preferences
    run("file.preferences")
    assert answers.preferences == 1

    # Save As, Save, Revert
    doc.switch_scenario(0)  # the scenario a reopened file shows
    project_file = tmp_path / "client.ftrag"
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: str(project_file))
    run("file.save_as")
    assert project_file.is_file() and doc.path == project_file
    doc.set_field(("workload", "peak_to_average_load", "likely"), 4.0)
    run("file.save")
    assert not doc.is_modified()
    doc.set_field(("workload", "peak_to_average_load", "likely"), 5.0)
    monkeypatch.setattr(MainWindow, "ask_revert", lambda _self: True)
    run("file.revert")
    assert not doc.is_modified()
    assert doc.value_at(("workload", "peak_to_average_load", "likely")) == 4.0

    # The report and the exports (written into the answers' folder)
    run("file.export_report")
    pdf = out / "client.pdf"
    assert answers.saved[-1] == pdf
    pages, text = pdf_text(pdf)
    assert pages > 0 and TITLE in text
    assert window.statusBar().currentMessage() == f"Exported the report to {pdf}"
    run("file.print_preview")
    assert answers.previews and answers.previews[-1] > 0
    run("file.print")
    pages, text = pdf_text(answers.printed[-1])
    assert pages > 0 and TITLE in text
    run("file.export_docx")
    assert zipfile.ZipFile(out / "client.docx").read("word/document.xml")
    run("file.export_xlsx")
    assert zipfile.ZipFile(out / "client.xlsx").read("xl/workbook.xml")
    for kind in ("png", "svg", "csv", "map_png", "map_svg", "map_csv"):
        run(f"file.export_{kind}")
        written = answers.saved[-1]
        assert written.suffix == f".{kind[-3:]}" and written.stat().st_size > 0
    assert not [m for m in messages.shown if m[0] == QMessageBox.Icon.Warning]

    # Open, Open Recent, New
    other = tmp_path / "other.ftrag"
    save_project(load_template("seed-small-company"), other)
    monkeypatch.setattr(MainWindow, "ask_open_path", lambda _self: str(other))
    run("file.open")
    assert doc.path == other
    recent = menu_action(window, "file.recent").menu()
    assert isinstance(recent, files.RecentMenu)
    recent.rebuild()  # what opening the submenu does
    assert recent.file_actions()[0].data() == str(other)
    recent.file_actions()[1].trigger()  # the one before: client.ftrag
    done.append("file.recent")
    assert doc.path == project_file
    monkeypatch.setattr(MainWindow, "ask_template", lambda _self: "seed-enterprise")
    run("file.new")
    assert doc.path is None and doc.project.title == load_template("seed-enterprise").title

    # New from a Brief, then what it assumed and a revision (the wizard answered page by page)
    from engine.model.brief import DONT_KNOW
    from tests.gui.test_brief_wizard import INSURER, WizardAnswers

    assert not menu_action(window, "scenario.revise_brief").isEnabled()  # no brief yet
    wizard = WizardAnswers(monkeypatch, INSURER)
    run("file.new_brief")
    assert doc.path is None and doc.project.brief is not None
    assert doc.project.title == INSURER.title
    run("scenario.brief_assumptions")
    assert window.brief_assumptions.isVisible()  # type: ignore[attr-defined]
    window.brief_assumptions.close()  # type: ignore[attr-defined]
    wizard.brief = INSURER.model_copy(update={"horizon_months": DONT_KNOW})
    run("scenario.revise_brief")
    assert doc.project.brief.answers.horizon_months == DONT_KNOW
    assert window.brief_assumptions.isVisible()  # type: ignore[attr-defined]
    window.brief_assumptions.close()  # type: ignore[attr-defined]

    # Quit (unsaved changes are discarded by the fixture's answer)
    run("file.quit")
    assert not window.isVisible()

    assert set(done) == {c.id for c in COMMANDS}, "a command without a test answer"


# --- the exports one by one ----------------------------------------------------------------


def test_export_report_remembers_the_contents_chosen(
    window: MainWindow, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[ReportMode] = []
    real_render = printing.render_report

    def render(*args: object, **kwargs: object) -> object:
        modes.append(kwargs["mode"])  # type: ignore[arg-type]
        return real_render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(printing, "render_report", render)
    answers.save_name = "full.pdf"
    answers.mode = "full"
    trigger(window, "file.export_report")
    assert answers.modes_offered == ["summary"]  # nothing chosen yet: the client summary
    assert load_report_mode(files.settings()) == "full"
    answers.save_name = "summary.pdf"
    answers.mode = "summary"
    trigger(window, "file.export_report")
    assert answers.modes_offered == ["summary", "full"]  # last time's choice preselected
    assert modes == ["full", "summary"]
    full_pages, _ = pdf_text(answers.folder / "full.pdf")
    summary_pages, text = pdf_text(answers.folder / "summary.pdf")
    assert 0 < summary_pages <= full_pages and TITLE in text

    # Print and Print Preview use the same remembered choice.
    trigger(window, "file.print_preview")
    assert modes[-1] == "summary"
    answers.mode = None  # Cancel in the contents dialog: nothing printed or written
    trigger(window, "file.print")
    assert answers.printed == [] and modes[-1] == "summary" and len(modes) == 3


def test_print_preview_switches_the_contents_and_remembers_it(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[ReportMode] = []

    def exec_(dialog: ReportPreviewDialog) -> int:
        assert dialog.mode_combo.currentText() == REPORT_MODE_NAMES["summary"]
        preview = dialog.findChild(QPrintPreviewWidget)
        assert preview is not None
        preview.updatePreview()
        dialog.mode_combo.setCurrentIndex(1)  # the person picks "Full report" in the toolbar
        shown.append(dialog.mode)
        assert dialog.pages_rendered > 0 and not dialog.errors
        return Rejected

    monkeypatch.setattr(ReportPreviewDialog, "exec", exec_)
    trigger(window, "file.print_preview")
    assert shown == ["full"]
    assert load_report_mode(files.settings()) == "full"


def test_export_report_carries_the_firm_branding(
    window: MainWindow, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_branding(Branding(firm_name="Northwind Advisory"), files.settings())
    seen: list[object] = []
    real_render = printing.render_report

    def render(*args: object, **kwargs: object) -> object:
        seen.append(kwargs["branding"])
        return real_render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(printing, "render_report", render)
    trigger(window, "file.export_report")
    assert isinstance(seen[0], Branding) and seen[0].firm_name == "Northwind Advisory"


def test_export_report_cancelled_writes_nothing_and_says_nothing(
    window: MainWindow, answers: Answers
) -> None:
    answers.mode = None
    trigger(window, "file.export_report")
    assert answers.suggested == []  # no file dialog after Cancel
    answers.mode = "summary"
    answers.cancel_save = True
    trigger(window, "file.export_report")
    assert list(answers.folder.iterdir()) == []
    assert window.statusBar().currentMessage() == ""


def test_export_failure_is_a_message_and_the_work_stays(
    window: MainWindow,
    answers: Answers,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers.folder = tmp_path / "no such folder"
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    trigger(window, "file.export_report")
    assert warnings and "does not exist" in warnings[0]
    trigger(window, "file.export_png")
    assert messages.shown[-1][1] == "Export failed"
    assert "no such folder" in messages.shown[-1][2]
    assert window.document.project.title == TITLE  # nothing lost


def test_exports_go_beside_the_project_then_where_it_was_last_exported(
    window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    client = tmp_path / "clients" / "acme.ftrag"
    client.parent.mkdir()
    assert window.save_to(client)
    trigger(window, "file.export_csv")
    assert answers.suggested[-1] == str(client.parent / "acme - Today.csv")
    trigger(window, "file.export_report")
    assert answers.suggested[-1] == str(answers.folder / "acme.pdf")  # the folder chosen last
    other = tmp_path / "other" / "beta.ftrag"
    other.parent.mkdir()
    assert window.save_to(other)
    trigger(window, "file.export_report")  # another client: beside its file, not acme's folder
    assert answers.suggested[-1] == str(other.parent / "beta.pdf")


def test_chart_export_button_holds_the_file_menu_actions(window: MainWindow) -> None:
    button = window.chart._export_button
    menu = button.menu()
    assert menu is not None and button.isVisibleTo(window)
    assert menu.actions() == [window.act_export_png, window.act_export_svg, window.act_export_csv]


def test_export_editable_report(window: MainWindow, answers: Answers) -> None:
    answers.mode = "full"
    trigger(window, "file.export_docx")
    written = answers.folder / "Customer-support assistant - recommendation.docx"
    assert answers.saved == [written]
    with zipfile.ZipFile(written) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert TITLE in body
    assert window.statusBar().currentMessage() == f"Exported the editable report to {written}"
    assert load_report_mode(files.settings()) == "full"
    answers.save_name = "typed without suffix"
    trigger(window, "file.export_docx")
    assert (answers.folder / "typed without suffix.docx").is_file()


def test_export_spreadsheet(window: MainWindow, answers: Answers) -> None:
    trigger(window, "file.export_xlsx")
    written = answers.folder / "Customer-support assistant - recommendation.xlsx"
    assert answers.saved == [written]
    with zipfile.ZipFile(written) as xlsx:
        assert xlsx.read("xl/workbook.xml")
    assert window.statusBar().currentMessage() == f"Exported the spreadsheet to {written}"
    answers.save_name = "numbers"
    trigger(window, "file.export_xlsx")
    assert (answers.folder / "numbers.xlsx").is_file()


def test_export_spreadsheet_failure_is_a_message(
    window: MainWindow, answers: Answers, messages: Messages, tmp_path: Path
) -> None:
    answers.folder = tmp_path / "missing"
    trigger(window, "file.export_xlsx")
    assert messages.shown[-1][1] == "Cannot export the spreadsheet"
    assert "missing" in messages.shown[-1][2]


def test_export_editable_report_failure_is_a_message(
    window: MainWindow, answers: Answers, messages: Messages, tmp_path: Path
) -> None:
    answers.folder = tmp_path / "missing"
    trigger(window, "file.export_docx")
    assert messages.shown[-1][1] == "Cannot export the editable report"
    assert "missing" in messages.shown[-1][2]
