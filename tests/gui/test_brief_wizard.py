"""File → New from a Brief… and Scenario → Revise Brief…, driven through the menu bar: the
wizard is answered page by page as a person would (each question needs an answer or "Don't
know" before Next is enabled), the project it makes is the engine's, the assumptions lead to
their fields, and a revision leaves hand edits alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget, QWizard
from pytestqt.qtbot import QtBot

import gui.recovery
from engine.brief import apply_brief
from engine.evaluate import evaluate
from engine.model.brief import DONT_KNOW, Brief
from gui import files
from gui.brief_wizard import AssumptionsDialog, BriefWizard, ChoiceAnswer, NumberAnswer
from gui.mainwindow import MainWindow
from tests.gui.conftest import Messages
from tests.gui.test_commands import menu_action, trigger

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
INSURER = Brief.model_validate_json(
    (ROOT / "docs" / "examples" / "eu-insurer-brief.json").read_text(encoding="utf-8")
)
Accepted = int(QDialog.DialogCode.Accepted.value)
Rejected = int(QDialog.DialogCode.Rejected.value)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(files, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: tmp_path / "recovery")


def answer_page(wizard: BriefWizard, brief: Brief) -> int:
    """Fill the current page from the brief as a person would; the fields filled."""
    page = wizard.currentPage()
    filled = 0
    if page is wizard.assistant:
        wizard.assistant.does.setPlainText(brief.assistant_does)
        wizard.assistant.client.setText(brief.client)
        wizard.assistant.title_edit.setText(brief.title)
        wizard.assistant.currency.setText(brief.currency)
        wizard.assistant.rate.setValue(brief.usd_exchange_rate)
        filled += 3 + (brief.currency != "USD") * 2
    for answer in page.answers:  # type: ignore[attr-defined]
        value = getattr(brief, answer.objectName())
        if isinstance(answer, NumberAnswer):
            if value == DONT_KNOW:
                answer.dont_know.click()
            else:
                answer.spin.setValue(float(value))
        else:
            assert isinstance(answer, ChoiceAnswer)
            answer.buttons[value].click()
        filled += 1
    return filled


class WizardAnswers:
    """Answers the wizard when its exec() is called; checks Next waits for every answer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, brief: Brief | None) -> None:
        self.brief = brief  # None: Cancel
        self.prefilled: list[Brief] = []
        self.fields = 0
        self.pages = 0
        self.shots: Path | None = None
        monkeypatch.setattr(BriefWizard, "exec", lambda wizard: self._run(wizard))

    def _run(self, wizard: BriefWizard) -> int:
        if self.brief is None:
            return Rejected
        wizard.show()
        wizard.restart()
        revising = wizard.windowTitle() == "Revise the Brief"
        if revising:
            self.prefilled.append(wizard.brief())
        while True:
            page = wizard.currentPage()
            if not revising:
                assert not page.isComplete(), f"{page.title()}: complete before any answer"
                assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled() or (
                    wizard.currentId() == wizard.pageIds()[-1]
                )
            self.fields += answer_page(wizard, self.brief)
            self.pages += 1
            assert page.isComplete(), page.title()
            QApplication.processEvents()
            if self.shots is not None:
                wizard.grab().save(str(self.shots / f"brief-{self.pages}.png"))
            if wizard.currentId() == wizard.pageIds()[-1]:
                break
            next_button = wizard.button(QWizard.WizardButton.NextButton)
            assert next_button.isEnabled()
            next_button.click()
        wizard.button(QWizard.WizardButton.FinishButton).click()
        return Accepted


def assumptions_dialog(window: MainWindow) -> AssumptionsDialog:
    dialog = getattr(window, "brief_assumptions", None)  # the one the window shows now
    assert isinstance(dialog, AssumptionsDialog) and dialog.isVisible()
    return dialog


def test_new_from_a_brief_through_the_menu_bar(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, messages: Messages, qtbot: QtBot
) -> None:
    answers = WizardAnswers(monkeypatch, INSURER)
    shots = Path(__import__("os").environ.get("FTRAG_BRIEF_SHOTS", ""))
    if shots.name:
        shots.mkdir(parents=True, exist_ok=True)
        answers.shots = shots
    trigger(window, "file.new_brief")
    doc = window.document
    assert answers.pages == 5
    assert doc.path is None and not doc.is_modified()  # a new document, like New from Template
    project = doc.project
    assert project.brief is not None and project.brief.answers == INSURER
    # The same project the engine makes from the same brief (the CLI's).
    assert project == apply_brief(INSURER).project
    assert doc.evaluation is not None and doc.evaluation.recommendation.strategy == "rag"
    assert project.title == INSURER.title and project.currency == "EUR"
    # What we assumed: each line leads to its field.
    dialog = assumptions_dialog(window)
    if shots.name:
        dialog.grab().save(str(shots / "brief-6-assumed.png"))
        window.grab().save(str(shots / "brief-7-project.png"))
    lines = [dialog.list.item(i) for i in range(dialog.list.count())]
    by_path = {item.data(0x0100): item for item in lines if item.data(0x0100)}
    assert "requirements.latency_p95_need" in by_path
    assert any("don't know" in item.text().lower() for item in lines)
    line = by_path["requirements.latency_p95_need"]
    dialog.list.scrollToItem(line)
    QTest.mouseClick(
        dialog.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.list.visualItemRect(line).center(),
    )
    focused = window.inputs.widget_for("requirements", "latency_p95_need")
    qtbot.waitUntil(lambda: focused.hasFocus() or QApplication.focusWidget() is focused)
    dialog.list.itemActivated.emit(by_path["serving.rag.mode"])
    assert window.inputs.widget_for("serving", "rag", "mode").isVisible()
    # Reachable again later from the Scenario menu.
    dialog.close()
    trigger(window, "scenario.brief_assumptions")
    assert assumptions_dialog(window).list.count() == len(lines)
    assert not [m for m in messages.shown if m[0].name == "Warning"]
    # The whole insurer brief: five pages, seventeen answers (three of them optional).
    assert answers.fields == 17


def test_revise_brief_leaves_hand_edits_alone_and_says_so(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, messages: Messages
) -> None:
    answers = WizardAnswers(monkeypatch, INSURER)
    assert not menu_action(window, "scenario.revise_brief").isEnabled()  # no brief yet
    trigger(window, "file.new_brief")
    doc = window.document
    # Hand edits in the form.
    assert doc.set_field(("workload", "queries_per_month", "likely"), 50_000.0) is None
    assert doc.set_field(("requirements", "latency_p95_target_s", "likely"), 2.5) is None
    edited = doc.project
    answers.brief = INSURER.model_copy(
        update={"documents_change": "daily", "queries_per_month_now": 45_000.0,
                "p95_latency_s": 4.0, "labelled_examples": DONT_KNOW}
    )  # fmt: skip
    trigger(window, "scenario.revise_brief")
    assert answers.prefilled == [INSURER]  # the wizard reopened with the stored answers
    s = doc.scenario
    assert s.workload.queries_per_month.likely == 50_000
    assert doc.project.requirements.latency_p95_target_s.likely == 2.5
    assert s.knowledge.fact_change_interval_days.likely == 1  # not edited: revised
    assert s.knowledge.training_examples.has_range  # now "don't know"
    assert doc.project.brief is not None and doc.project.brief.answers == answers.brief
    heading = assumptions_dialog(window).findChildren(QWidget)
    texts = " ".join(w.text() for w in heading if hasattr(w, "text") and callable(w.text))
    assert "Left alone" in texts and "Workload › Queries per month" in texts
    assert "Requirements & compliance › Full-answer p95 target" in texts
    # One undo step takes the revision back.
    trigger(window, "edit.undo")
    assert doc.project == edited
    assert not [m for m in messages.shown if m[0].name == "Warning"]


def test_cancelling_the_wizard_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    WizardAnswers(monkeypatch, None)
    before = window.document.project
    trigger(window, "file.new_brief")
    assert window.document.project is before


def test_every_answer_dont_know_through_the_wizard(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(INSURER.model_dump_json())
    for name in data:
        if name not in ("assistant_does", "title", "client", "currency", "usd_exchange_rate"):
            data[name] = DONT_KNOW
    WizardAnswers(monkeypatch, Brief.model_validate(data))
    trigger(window, "file.new_brief")
    project = window.document.project
    assert project.brief is not None
    assert evaluate(project).recommendation.strategy is not None
    assert project.scenarios[0].workload.queries_per_month.has_range


def test_next_waits_for_an_answer_or_dont_know(qtbot: QtBot) -> None:
    wizard = BriefWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # nothing answered on the first page
    answer_page(wizard, INSURER)
    assert next_button.isEnabled()
    next_button.click()
    page = wizard.currentPage()
    assert page is not wizard.assistant and not next_button.isEnabled()
    first = page.answers[0]  # type: ignore[attr-defined]
    first.dont_know.click()
    assert not first.spin.isEnabled()
    assert not next_button.isEnabled()  # the others are still unanswered
    answer_page(wizard, INSURER)
    assert next_button.isEnabled()


def test_the_scripted_walkthrough_writes_every_step(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """python -m gui.brief_screenshots: the docs' walkthrough still runs end to end."""
    from gui.brief_screenshots import main

    assert main([str(tmp_path)]) == 0
    shots = sorted(p.name for p in tmp_path.glob("brief-*.png"))
    assert len(shots) == 7 and all((tmp_path / s).stat().st_size > 5_000 for s in shots)
    out = capsys.readouterr().out
    assert "fields typed: 11, choices clicked: 6, buttons: 7; recommended: rag" in out
    assert "message:" not in out
