"""A near-tie is said once on screen: in the scorecard and in the scenario comparison."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from engine.evaluate import evaluate
from engine.model.results import Crossover, Evaluation, TieBand
from engine.model.scenario import STRATEGY_NAMES
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


def _volume(q: float) -> str:
    return f"{round(q):,}"


def _names(band: TieBand) -> str:
    names = [STRATEGY_NAMES[k] for k in band.between]
    return " and ".join(names) if len(names) == 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _other(crossover: Crossover) -> str:
    (other,) = [k for k in crossover.between if k != crossover.cheaper_above]
    return STRATEGY_NAMES[other]


def _weave() -> tuple[Evaluation, TieBand, list[Crossover], list[Crossover]]:
    """The claims assistant, its one near-tie, the crossings inside it and those outside."""
    evaluation = evaluate(claims_assistant_project())
    assert len(evaluation.tie_bands) == 1
    (band,) = evaluation.tie_bands
    woven = [c for c in evaluation.crossovers if c.in_tie_band]
    clean = [c for c in evaluation.crossovers if not c.in_tie_band]
    assert len(woven) == band.crossings >= 2
    return evaluation, band, woven, clean


def test_scorecard_says_the_weave_once(qtbot: QtBot, english: object) -> None:
    evaluation, band, woven, clean = _weave()
    card = Scorecard()
    qtbot.addWidget(card)
    card.set_evaluation(evaluation)
    texts = [w.text() for w in card.findChildren(QLabel) if "are effectively tied" in w.text()]
    assert len(texts) == 1
    text = texts[0]
    assert text.count("effectively tied") == 1
    assert (
        f"{_names(band)} are effectively tied between {_volume(band.low)} and "
        f"{_volume(band.high)} queries/month"
    ) in text
    assert f"the curves cross {band.crossings} times" in text
    # None of the crossings inside the band is listed on its own; each one outside it is.
    for c in woven:
        assert f"above {_volume(c.queries_per_month)} queries/month" not in text
    for c in clean:
        name = STRATEGY_NAMES[c.cheaper_above]
        assert (f"{name} is cheaper than {_other(c)} above {_volume(c.queries_per_month)}") in text
    assert text.count("is cheaper than") == len(clean)
    changes = [
        w.text()
        for w in card.findChildren(QLabel)
        if "Next cost crossover" in w.text() or "Nearest cost crossover" in w.text()
    ]
    assert len(changes) == 1 and changes[0].count("effectively tied") <= 1


def test_comparison_says_the_weave_once(qtbot: QtBot, english: object) -> None:
    evaluation, band, _, clean = _weave()
    view = ComparisonView()
    qtbot.addWidget(view)
    view.set_evaluations([evaluation])
    cell = view.cell_text("Cost crossovers", 0)
    entries = [
        (
            c.queries_per_month,
            f"{STRATEGY_NAMES[c.cheaper_above]} cheaper than {_other(c)}\n"
            f"    above {_volume(c.queries_per_month)} queries/month",
        )
        for c in clean
    ]
    entries.append(
        (
            band.low,
            f"{_names(band)} effectively tied\n"
            f"    {_volume(band.low)}–{_volume(band.high)} queries/month",
        )
    )
    assert cell == "\n".join(text for _, text in sorted(entries, key=lambda e: e[0]))
    assert cell.count("effectively tied") == 1
