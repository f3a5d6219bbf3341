"""File → Import Price Data… and Revert to Bundled Price Data, through the menu bar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from engine import price_import
from gui.mainwindow import MainWindow
from tests.gui.conftest import Messages

GENAI_DATA = [
    {
        "id": "openai",
        "name": "OpenAI",
        "api_pattern": "https://api\\\\.openai\\\\.com",
        "models": [
            {
                "id": "gpt-4o-mini",
                "match": {"equals": "gpt-4o-mini"},
                "name": "GPT-4o mini",
                "price_comments": "checked 2026-12-01",
                "prices": {"input_mtok": 0.10, "output_mtok": 0.40},
            }
        ],
    }
]


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FTRAG_DATA_DIR", str(tmp_path / "user-data"))
    price_import.refresh()
    yield tmp_path / "user-data"
    monkeypatch.undo()
    price_import.refresh()


def file_action(window: MainWindow, text: str) -> QAction:
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu is not None
    found = [a for a in file_menu.actions() if a.text().replace("&", "") == text]
    assert found, f"no File → {text}"
    return found[0]


def test_import_then_remove_through_the_file_menu(
    window: MainWindow, messages: Messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data.json"
    data.write_text(json.dumps(GENAI_DATA), encoding="utf-8")
    monkeypatch.setattr(MainWindow, "ask_price_file", lambda _self: str(data))
    file_action(window, "Import Price Data…").trigger()
    icon, title, text = messages.shown[-1]
    assert (icon, title) == (QMessageBox.Icon.Information, "Price data imported")
    assert "genai-prices data of 2026-12-01, imported" in text
    assert "API prices: genai-prices data of 2026-12-01, imported" in window.about_text()
    evaluation = window.document.evaluation
    assert evaluation is not None
    assert evaluation.price_data_version == "genai-prices data of 2026-12-01, imported"

    remove = file_action(window, "Revert to Bundled Price Data")
    window.file_menu.aboutToShow.emit()
    assert remove.isEnabled()
    remove.trigger()
    assert "bundled snapshot" in window.about_text()
    window.file_menu.aboutToShow.emit()
    assert not remove.isEnabled()


def test_a_bad_price_file_is_refused_and_nothing_changes(
    window: MainWindow, messages: Messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "prices.json"
    bad.write_text('{"format": "ftrag-catalog-pack", "version": 1, "as_of": "soon"}', "utf-8")
    before = window.about_text()
    monkeypatch.setattr(MainWindow, "ask_price_file", lambda _self: str(bad))
    file_action(window, "Import Price Data…").trigger()
    icon, title, text = messages.shown[-1]
    assert (icon, title) == (QMessageBox.Icon.Warning, "Cannot import the price data")
    assert '"as_of" must be a date' in text and "unchanged" in text
    assert window.about_text() == before
