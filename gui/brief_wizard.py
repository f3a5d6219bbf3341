"""File → New from a Brief… and Scenario → Revise Brief…: the client's questions as a wizard.

One short page per group of questions, in the words a client understands; every question has a
"Don't know" choice, and no question counts as answered until the person chooses (a value or
"Don't know"), so a default is never taken for an answer.  Finishing fills a scenario with
:func:`engine.brief.apply_brief` and shows *what we assumed*, each line linked to its field:
clicking a line brings that field into view in the form and focuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from engine.brief import BriefError, BriefResult, apply_brief
from engine.evaluate import EvaluationError, evaluate
from engine.labels import field_place
from engine.model.brief import DONT_KNOW, QUESTIONS, Brief, BriefAssumption
from engine.model.scenario import STRATEGY_NAMES

if TYPE_CHECKING:
    from gui.mainwindow import MainWindow

DONT_KNOW_TEXT = "Don't know"
UNANSWERED = -1.0


class NumberAnswer(QWidget):
    """A number, or "Don't know"; unanswered until one is given."""

    def __init__(
        self, maximum: float, suffix: str = "", decimals: int = 0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(decimals)
        self.spin.setRange(UNANSWERED, maximum)
        self.spin.setSpecialValueText("—")  # shown at UNANSWERED
        self.spin.setValue(UNANSWERED)
        self.spin.setGroupSeparatorShown(True)
        if suffix:
            self.spin.setSuffix(f" {suffix}")
        self.spin.setMinimumWidth(160)
        self.dont_know = QCheckBox(DONT_KNOW_TEXT)
        self.dont_know.toggled.connect(lambda on: self.spin.setEnabled(not on))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.spin)
        row.addWidget(self.dont_know)
        row.addStretch(1)

    def answered(self) -> bool:
        return self.dont_know.isChecked() or self.spin.value() > UNANSWERED

    def value(self) -> float | str:
        return DONT_KNOW if self.dont_know.isChecked() else self.spin.value()

    def set_value(self, value: float | str) -> None:
        if value == DONT_KNOW:
            self.dont_know.setChecked(True)
        else:
            self.dont_know.setChecked(False)
            self.spin.setValue(float(value))


class ChoiceAnswer(QWidget):
    """One of a few answers as radio buttons ("Don't know" last); none chosen at first."""

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for key, text in [*choices, (DONT_KNOW, DONT_KNOW_TEXT)]:
            button = QRadioButton(text)
            button.setObjectName(f"answer_{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)

    def answered(self) -> bool:
        return self.group.checkedButton() is not None

    def value(self) -> str:
        checked = self.group.checkedButton()
        for key, button in self.buttons.items():
            if button is checked:
                return key
        return ""

    def set_value(self, value: str) -> None:
        self.buttons[value].setChecked(True)


YES_NO = [("yes", "Yes"), ("no", "No")]
CADENCES = [
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
    ("rarely", "Rarely"),
]
REGIONS = [
    ("anywhere", "Anywhere"),
    ("EU", "In the EU / EEA"),
    ("US", "In the US"),
    ("own", "On our own servers"),
]


class _Page(QWizardPage):
    """A page whose Next is enabled once each of its questions is answered."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.answers: list[NumberAnswer | ChoiceAnswer] = []

    def ask(self, name: str, answer: NumberAnswer | ChoiceAnswer) -> None:
        self.form.addRow(QLabel(QUESTIONS[name]), answer)
        answer.setObjectName(name)
        self.answers.append(answer)
        if isinstance(answer, NumberAnswer):
            answer.spin.valueChanged.connect(self.completeChanged)
            answer.dont_know.toggled.connect(self.completeChanged)
        else:
            answer.group.buttonToggled.connect(self._toggled)

    def _toggled(self, _button: QAbstractButton, _on: bool) -> None:
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return all(a.answered() for a in self.answers) and self._own_complete()

    def _own_complete(self) -> bool:
        return True


class _AssistantPage(_Page):
    def __init__(self) -> None:
        super().__init__(
            "The assistant",
            "Who it is for and what it will do. Title and client are optional.",
        )
        self.does = QPlainTextEdit()
        self.does.setObjectName("assistant_does")
        self.does.setPlaceholderText("e.g. Answers claims handlers' questions on policy wording")
        self.does.setFixedHeight(70)
        self.does.textChanged.connect(self.completeChanged)
        self.client = QLineEdit()
        self.client.setObjectName("client")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.currency = QLineEdit("USD")
        self.currency.setObjectName("currency")
        self.currency.setMaxLength(3)
        self.currency.setInputMask(">AAA")
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("usd_exchange_rate")
        self.rate.setDecimals(4)
        self.rate.setRange(0.0001, 1e6)
        self.rate.setValue(1.0)
        self.currency.textChanged.connect(self.completeChanged)
        label = QLabel(QUESTIONS["assistant_does"])
        self.form.addRow(label, self.does)
        self.form.addRow("Client", self.client)
        self.form.addRow("Project title (empty: from what it does)", self.title_edit)
        money = QWidget()
        row = QHBoxLayout(money)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.currency)
        row.addWidget(QLabel("units per US dollar:"))
        row.addWidget(self.rate)
        row.addStretch(1)
        self.form.addRow("Currency of the figures", money)

    def _own_complete(self) -> bool:
        return bool(self.does.toPlainText().strip()) and len(self.currency.text()) == 3


class BriefWizard(QWizard):
    """The brief's questions, one page per group (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None, brief: Brief | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefWizard")
        self.setWindowTitle("New from a Brief" if brief is None else "Revise the Brief")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(640, 460)

        self.assistant = _AssistantPage()
        volume = _Page(
            "How much it will be used",
            'Rough figures are fine; "Don\'t know" becomes a wide range that the uncertainty '
            "analysis samples.",
        )
        volume.ask("queries_per_month_now", NumberAnswer(1e13, "questions/month"))
        volume.ask("queries_per_month_in_a_year", NumberAnswer(1e13, "questions/month"))
        volume.ask("horizon_months", NumberAnswer(600, "months"))
        knowledge = _Page(
            "What it knows",
            "The documents the answers come from, and what the client already has.",
        )
        knowledge.ask("documents", NumberAnswer(1e10, "documents"))
        knowledge.ask("documents_change", ChoiceAnswer(CADENCES))
        knowledge.ask("labelled_examples", NumberAnswer(1e10, "examples"))
        knowledge.ask("fixed_style", ChoiceAnswer(YES_NO))
        rules = _Page(
            "What the answers must meet",
            "A must excludes any strategy that cannot meet it; anything else is scored.",
        )
        rules.ask("must_cite_sources", ChoiceAnswer(YES_NO))
        rules.ask("data_must_stay_in", ChoiceAnswer(REGIONS))
        rules.ask("p95_latency_s", NumberAnswer(3600, "s", decimals=1))
        rules.ask("p95_is_must", ChoiceAnswer(YES_NO))
        team = _Page(
            "Who will run it",
            "Finish fills the scenario and searches each strategy's cheapest setup that meets "
            "every must (a few seconds).",
        )
        team.ask("ml_ops_in_house", ChoiceAnswer(YES_NO))
        self.pages: list[_Page] = [self.assistant, volume, knowledge, rules, team]
        for page in self.pages:
            self.addPage(page)
        self.answers: dict[str, NumberAnswer | ChoiceAnswer] = {
            a.objectName(): a for page in self.pages for a in page.answers
        }
        # The p95 spin box: whole numbers are too coarse for seconds.
        self.answers["p95_latency_s"].spin.setSingleStep(0.5)  # type: ignore[union-attr]
        if brief is not None:
            self.set_brief(brief)

    def set_brief(self, brief: Brief) -> None:
        self.assistant.does.setPlainText(brief.assistant_does)
        self.assistant.client.setText(brief.client)
        self.assistant.title_edit.setText(brief.title)
        self.assistant.currency.setText(brief.currency)
        self.assistant.rate.setValue(brief.usd_exchange_rate)
        for name, answer in self.answers.items():
            answer.set_value(getattr(brief, name))

    def brief(self) -> Brief:
        """The answers as a Brief (raises BriefError when the models refuse one)."""
        data: dict[str, Any] = {
            "assistant_does": self.assistant.does.toPlainText(),
            "client": self.assistant.client.text().strip(),
            "title": self.assistant.title_edit.text().strip(),
            "currency": self.assistant.currency.text().strip().upper(),
            "usd_exchange_rate": self.assistant.rate.value(),
        }
        for name, answer in self.answers.items():
            value = answer.value()
            if name == "horizon_months" and value != DONT_KNOW:
                value = round(float(value))
            data[name] = value
        try:
            return Brief.model_validate(data)
        except ValueError as exc:
            raise BriefError(str(exc).splitlines()[1] if "\n" in str(exc) else str(exc)) from None


class AssumptionsDialog(QDialog):
    """What we assumed: one line per assumption; activating a line shows its field."""

    def __init__(self, window: MainWindow, result: BriefResult, heading: str) -> None:
        super().__init__(window)
        self.setObjectName("briefAssumptions")
        self.setWindowTitle("What we assumed")
        self.setModal(False)
        self.resize(760, 460)
        self._window = window
        layout = QVBoxLayout(self)
        top = QLabel(heading)
        top.setWordWrap(True)
        top.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(top)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setAccessibleName("Assumptions")
        for assumption in result.assumptions:
            self.list.addItem(_item(assumption))
        for note in result.notes:
            item = QListWidgetItem(f"Note: {note}")
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        hint = QLabel("Click a line (or press Enter on it) to go to its field in the form.")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.list.itemActivated.connect(self._go)
        self.list.itemClicked.connect(self._go)

    def _go(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(path, str):
            focus_field(self._window, path)


def _item(assumption: BriefAssumption) -> QListWidgetItem:
    mark = "Don't know — " if assumption.dont_know and "don't know" not in assumption.text else ""
    place = field_place(assumption.path)
    item = QListWidgetItem(f"{mark}{assumption.text}   [{place}]")
    item.setData(Qt.ItemDataRole.UserRole, assumption.path)
    item.setToolTip(f"Go to {place} ({assumption.path} in the file)")
    return item


def focus_field(window: MainWindow, path: str) -> QWidget | None:
    """Bring the field at a brief's path into view and give it the focus (the nearest field
    the form shows, e.g. a strategy's serving mode for its whole setup)."""
    parts = path.split(".")
    if parts[0] == "project":
        parts = parts[1:]
    rows = window.inputs
    while parts:
        try:
            widget = rows.show_field(*parts)
        except KeyError:
            parts = parts[:-1]
            continue
        window.raise_()
        window.activateWindow()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget
    return None


# --- the window's commands ---------------------------------------------------------------


def ask_brief(window: MainWindow, brief: Brief | None = None) -> Brief | None:
    """Run the wizard; the Brief, or None when cancelled (tests answer the wizard's exec)."""
    wizard = BriefWizard(window, brief)
    window.brief_wizard = wizard  # type: ignore[attr-defined]
    if wizard.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        return wizard.brief()
    except BriefError as exc:
        window.show_message(QMessageBox.Icon.Warning, "The brief is not complete", str(exc))
        return None


def _apply(window: MainWindow, brief: Brief, project: Any = None) -> BriefResult | None:
    from gui.report.printing import busy_cursor

    try:
        with busy_cursor():
            return apply_brief(brief, project)
    except BriefError as exc:
        window.show_message(QMessageBox.Icon.Warning, "Cannot use the brief", str(exc))
        return None


def _headline(result: BriefResult) -> str:
    try:
        chosen = evaluate(result.project, result.scenario).recommendation.strategy
    except EvaluationError as exc:
        return f"The scenario cannot be evaluated yet: {exc}"
    unknown = sum(1 for a in result.assumptions if a.dont_know)
    first = (
        f"Recommended: {STRATEGY_NAMES[chosen]}."
        if chosen
        else "No strategy meets every must (the scorecard names each miss)."
    )
    more = (
        (
            f' {unknown} answers were "don\'t know": their ranges are in the uncertainty.'
            if unknown > 1
            else ' One answer was "don\'t know": its range is in the uncertainty.'
        )
        if unknown
        else ""
    )
    return f"{first}{more} Each line below is an input the brief set."


def new_from_brief(window: MainWindow) -> bool:
    """File → New from a Brief…: a new, unsaved project from the client's answers."""
    brief = ask_brief(window)
    if brief is None or not window.maybe_save():
        return False
    result = _apply(window, brief)
    if result is None:
        return False
    window.open_project(result.project)
    show_assumptions(window, result, _headline(result))
    return True


def revise_brief(window: MainWindow) -> bool:
    """Scenario → Revise Brief…: the stored answers in the wizard; finishing applies them again
    (one undo step) to every field not edited by hand since, and lists the fields left alone."""
    document = window.document
    stored = document.project.brief
    if stored is None:
        return False
    brief = ask_brief(window, stored.answers)
    if brief is None:
        return False
    result = _apply(window, brief, document.project)
    if result is None:
        return False
    index = next(
        (i for i, s in enumerate(result.project.scenarios) if s.name == result.scenario), 0
    )
    document.replace_project(result.project, "Revise brief", index)
    if result.left_alone:
        heading = (
            "Left alone (edited by hand since the brief set them): "
            + "; ".join(field_place(path) for path in result.left_alone)
            + ". "
            + _headline(result)
        )
    else:
        heading = "No field had been edited by hand; the brief set them all again. " + _headline(
            result
        )
    show_assumptions(window, result, heading)
    return True


def show_assumptions(
    window: MainWindow, result: BriefResult | None = None, heading: str = ""
) -> AssumptionsDialog | None:
    """The 'what we assumed' list (of the given result, or of the project's stored brief)."""
    if result is None:
        stored = window.document.project.brief
        if stored is None:
            return None
        result = BriefResult(
            project=window.document.project,
            scenario=stored.scenario,
            assumptions=list(stored.assumptions),
            notes=list(stored.notes),
        )
        heading = heading or "What the brief assumed when it was last applied."
    old = getattr(window, "brief_assumptions", None)
    if isinstance(old, AssumptionsDialog):
        old.close()
        old.deleteLater()
    dialog = AssumptionsDialog(window, result, heading)
    window.brief_assumptions = dialog  # type: ignore[attr-defined]
    dialog.show()
    return dialog
