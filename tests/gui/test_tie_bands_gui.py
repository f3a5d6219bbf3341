"""A near-tie is said once on screen: in the scorecard and in the scenario comparison."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from engine.evaluate import evaluate
from gui.views.comparison import ComparisonView
from gui.views.scorecard import Scorecard
from tests.claims_assistant import claims_assistant_project

pytestmark = pytest.mark.gui


@pytest.fixture
def english() -> object:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


def test_scorecard_says_the_weave_once(qtbot: QtBot, english: object) -> None:
    evaluation = evaluate(claims_assistant_project())
    assert len(evaluation.crossovers) == 17
    card = Scorecard()
    qtbot.addWidget(card)
    card.set_evaluation(evaluation)
    texts = [w.text() for w in card.findChildren(QLabel) if "are effectively tied" in w.text()]
    assert len(texts) == 1
    text = texts[0]
    assert text.count("effectively tied") == 1
    assert "Fine-tuning, RAG and Hybrid are effectively tied between 3,836,382 and" in text
    assert "cheaper than" not in text  # none of its 17 crossings is listed on its own
    changes = [w.text() for w in card.findChildren(QLabel) if "Next cost crossover" in w.text()]
    assert len(changes) == 1 and changes[0].count("effectively tied") == 1


def test_comparison_says_the_weave_once(qtbot: QtBot, english: object) -> None:
    evaluation = evaluate(claims_assistant_project())
    view = ComparisonView()
    qtbot.addWidget(view)
    view.set_evaluations([evaluation])
    cell = view.cell_text("Cost crossovers", 0)
    assert cell == (
        "Fine-tuning, RAG and Hybrid effectively tied\n    3,836,382–5,802,872 queries/month"
    )
