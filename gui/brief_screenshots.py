"""The insurer case through File → New from a Brief…, scripted, with a screenshot of each step:
``python -m gui.brief_screenshots OUTDIR [BRIEF.json]`` writes brief-1-….png to brief-7-….png
and prints what a person fills (fields typed, choices clicked, buttons pressed).

The wizard is reached through the menu bar's QAction and answered inside its own modal loop,
as a person would answer it; nothing is set behind the widgets' backs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from gui.screenshots import screenshot_app, screenshot_args

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BRIEF = ROOT / "docs" / "examples" / "eu-insurer-brief.json"
SIZE = (1366, 768)
PAGE_NAMES = ("assistant", "volume", "knowledge", "musts", "team")


def main(argv: Sequence[str] | None = None) -> int:
    args = screenshot_args(argv, "python -m gui.brief_screenshots OUTDIR [BRIEF.json]", most=2)
    if args is None:
        return 2
    out = Path(args[0])
    app = screenshot_app()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox, QWizard

    from engine.brief import parse_brief
    from engine.model.brief import DONT_KNOW
    from gui.app import _without_offscreen_noise
    from gui.brief_wizard import BriefWizard, NumberAnswer
    from gui.mainwindow import MainWindow

    brief = parse_brief(Path(args[1] if len(args) > 1 else DEFAULT_BRIEF).read_text("utf-8"))
    counts = {"typed": 0, "clicked": 0, "buttons": 0}

    def answer(wizard: BriefWizard, step: int) -> None:
        page = wizard.currentPage()
        if page is wizard.assistant:
            wizard.assistant.does.setPlainText(brief.assistant_does)
            wizard.assistant.client.setText(brief.client)
            wizard.assistant.title_edit.setText(brief.title)
            counts["typed"] += 3
            if brief.currency != "USD":
                wizard.assistant.currency.setText(brief.currency)
                wizard.assistant.rate.setValue(brief.usd_exchange_rate)
                counts["typed"] += 2
        for field in page.answers:  # type: ignore[attr-defined]
            value = getattr(brief, field.objectName())
            if isinstance(field, NumberAnswer):
                if value == DONT_KNOW:
                    field.dont_know.click()
                    counts["clicked"] += 1
                else:
                    field.spin.setValue(float(value))
                    counts["typed"] += 1
            else:
                field.buttons[value].click()
                counts["clicked"] += 1
        app.processEvents()
        wizard.grab().save(str(out / f"brief-{step}-{PAGE_NAMES[step - 1]}.png"))
        last = wizard.currentId() == wizard.pageIds()[-1]
        button = QWizard.WizardButton.FinishButton if last else QWizard.WizardButton.NextButton
        counts["buttons"] += 1
        wizard.button(button).click()
        if not last:
            QTimer.singleShot(0, lambda: answer(wizard, step + 1))

    def drive() -> None:
        wizard = app.activeModalWidget()
        if not isinstance(wizard, BriefWizard):
            QTimer.singleShot(20, drive)
            return
        wizard.resize(720, 500)
        answer(wizard, 1)

    with _without_offscreen_noise():
        window = MainWindow()
        window.show_message = (  # type: ignore[method-assign]
            lambda icon, title, text: sys.stdout.write(f"message: {title}: {text}\n")
        )
        window.open_template()
        window.resize(*SIZE)
        window.show()
        window.ensure_chart()
        app.processEvents()
        window.ask_save_changes = (  # type: ignore[method-assign]
            lambda: QMessageBox.StandardButton.Discard
        )
        QTimer.singleShot(0, drive)
        window.commands.action("file.new_brief").trigger()
        counts["buttons"] += 1  # File → New from a Brief…
        for _ in range(20):
            app.processEvents()
        dialog = window.brief_assumptions  # type: ignore[attr-defined]
        dialog.resize(900, 520)
        app.processEvents()
        dialog.grab().save(str(out / "brief-6-assumed.png"))
        item = next(
            dialog.list.item(i)
            for i in range(dialog.list.count())
            if dialog.list.item(i).data(0x0100) == "requirements.latency_p95_need"
        )
        dialog.list.setCurrentItem(item)
        dialog.list.itemActivated.emit(item)
        counts["buttons"] += 1  # a click on one line
        for _ in range(20):
            app.processEvents()
        window.grab().save(str(out / "brief-7-field.png"))
        evaluation = window.document.evaluation
        chosen = evaluation.recommendation.strategy if evaluation is not None else None
        sys.stdout.write(
            f"fields typed: {counts['typed']}, choices clicked: {counts['clicked']}, "
            f"buttons: {counts['buttons']}; recommended: {chosen}\n"
        )
        dialog.close()
        window.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
