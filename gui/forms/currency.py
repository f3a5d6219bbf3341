"""The project currency: changing it asks for the exchange rate, so no USD figure is ever shown
under another currency's name.

Catalog and API prices are in US dollars and are converted with the project's rate; a typed
currency code without its rate would relabel those dollars as, say, euros.  So the currency
field commits when editing finishes (not per keystroke), and a new code other than USD first
asks how many units of it one dollar buys; the code and the rate change together, as one undo
step.  Cancelling the question keeps the old currency.  Back to USD sets the rate to 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from gui.binding import TextAdapter
from gui.document import ProjectDocument

_CODE = re.compile(r"^[A-Z]{3}$")


def ask_rate(parent: QWidget | None, code: str, current: float) -> float | None:
    """How many units of ``code`` one US dollar buys, or None when the person cancels."""
    value, ok = QInputDialog.getDouble(
        parent,
        "Exchange rate",
        f"How many {code} is one US dollar worth?\n\nCatalog and API prices are in USD and are "
        f"converted with this rate; figures you type are already in {code}.",
        current,
        1e-6,
        1e6,
        4,
    )
    return float(value) if ok else None


class CurrencyAdapter(TextAdapter):
    """The currency line edit, bound through :class:`gui.binding.Binder` like any field (read
    and shown as a :class:`gui.binding.TextAdapter`), but committed with its rate (see the
    module docstring)."""

    def __init__(
        self,
        widget: QLineEdit,
        document: ProjectDocument,
        asker: Callable[[QWidget | None, str, float], float | None] = ask_rate,
    ) -> None:
        self.widget = widget
        self.document = document
        self.asker = asker

    def connect(self, commit: Callable[[], None], finished: Callable[[], None]) -> None:
        self._commit = commit
        # A code that cannot be one is refused (and marked) at once; a valid one waits for
        # the end of editing and its rate.
        self.widget.textEdited.connect(lambda text: None if _CODE.match(text) else commit())
        self.widget.editingFinished.connect(lambda: self._finished(finished))

    def _finished(self, finished: Callable[[], None]) -> None:
        project = self.document.project
        code = self.widget.text().strip()
        if code == project.currency:
            finished()
            return
        if not _CODE.match(code):
            self._commit()  # the models refuse it and the field says why
            finished()
            return
        if code == "USD":
            rate: float | None = 1.0
        else:
            rate = self.asker(self.widget.window(), code, project.usd_exchange_rate)
        if rate is None:
            self.show(project.currency)  # cancelled: nothing is relabelled
            finished()
            return
        problem = self.document.set_fields(
            [(("usd_exchange_rate",), rate), (("currency",), code)],
            f"Currency {code} at {rate:g} per USD",
        )
        self._commit()  # shows the refusal, or clears the mark of an earlier refusal
        del problem
        finished()
