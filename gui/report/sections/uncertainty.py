"""A scenario's "Uncertainty" section: how sure the recommendation is, the spread of total
cost, the tornado (painted, vector) and the input values at which the answer changes.  The
analysis itself is run by gui.report.uncertainty."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from engine.uncertainty import Uncertainty
from gui.report.blocks import bullets, cell, header_row, heading, para
from gui.report.flow import INK, MUTED, Device, Flowable, KeepTogether, Row, Style, Table
from gui.report.styles import BODY_BOLD, CELL, CELL_BOLD, HIGHLIGHT, SMALL
from gui.uncertainty.text import (
    crossover_sentences,
    flip_sentences,
    input_label,
    method_text,
    range_text,
    recommended_share,
    share,
    tco_cells,
    tornado_base,
)
from gui.uncertainty.tornado import MAX_BARS, TornadoLook, paint_tornado, tornado_height

GRID = "#E4E7EB"


class TornadoFlowable(Flowable):
    """The tornado chart, painted with the screen's painter at the report's sizes."""

    def __init__(self, u: Uncertainty, evaluation: Evaluation) -> None:
        self.u = u
        self.evaluation = evaluation
        self.space_before = 2.0
        self.space_after = 4.0

    def _look(self, dev: Device) -> TornadoLook:
        font = dev.font(Style(size=7.8, color=INK))
        small = dev.font(Style(size=6.8, color=MUTED))
        return TornadoLook(
            font, small, QColor(INK), QColor(MUTED), QColor(GRID), False, dev.pt, dev.device
        )

    def wrap(self, dev: Device, width: float) -> float:
        return tornado_height(max(len(self.u.tornado), 1), self._look(dev))

    def draw(self, painter: QPainter, dev: Device, x: float, y: float, width: float) -> None:
        paint_tornado(
            painter,
            QRectF(x, y, width, self.wrap(dev, width)),
            self.u.tornado,
            base=tornado_base(self.evaluation),
            recommended=self.evaluation.recommendation.strategy,
            currency=self.evaluation.currency,
            look=self._look(dev),
        )


def uncertainty_section(
    u: Uncertainty,
    evaluation: Evaluation,
    number: Callable[[], str],
    figure_number: int,
) -> list[Flowable]:
    """The section's flowables (headings numbered by ``number``)."""
    currency = evaluation.currency
    rec = evaluation.recommendation.strategy
    items: list[Flowable] = [
        heading(number(), "Uncertainty", 2),
        para(
            "The inputs below were given as ranges. The analysis draws every range at random "
            f"together — {method_text(u)} — and evaluates each draw with the same formulas as "
            f"the rest of this report. The shaded bands in Figure {figure_number} are the P10–P90 "
            "spread of each strategy's total cost at each volume.",
            SMALL,
            space_after=4.0,
        ),
    ]
    input_rows = [
        Row(
            [cell(input_label(item.path, item.label), CELL), cell(range_text(item, currency), CELL)]
        )
        for item in u.inputs
    ]
    items.append(
        Table(
            [38, 62],
            input_rows,
            header=[header_row(["Input with a range", "Low – high (likely)"], ["left", "left"])],
            space_after=6.0,
        )
    )
    items.append(para(recommended_share(u, evaluation), BODY_BOLD, space_after=3.0))

    def highlight(key: str) -> str:
        return HIGHLIGHT if key == rec else ""

    rows = [
        Row(
            [cell("Chance of recommendation", CELL_BOLD)]
            + [
                cell(share(u.p_win.get(k, 0.0)), CELL_BOLD, "right", background=highlight(k))
                for k in STRATEGIES
            ]
        )
    ]
    cells = {k: tco_cells(u, k, currency) for k in STRATEGIES}
    for index, label in enumerate(("Total cost, P10", "Total cost, P50", "Total cost, P90")):
        rows.append(
            Row(
                [cell(label, CELL)]
                + [
                    cell(cells[k][index], CELL, "right", background=highlight(k))
                    for k in STRATEGIES
                ]
            )
        )
    header = header_row(
        ["", *[STRATEGY_NAMES[k] for k in STRATEGIES]], ["left", "right", "right", "right"]
    )
    items.append(Table([31, 23, 23, 23], rows, header=[header], space_after=3.0))
    items.append(
        para(
            "P10 / P50 / P90: one sample in ten costs less than P10, half less than P50, nine in "
            f"ten less than P90 (total cost over {evaluation.horizon_months} months).",
            SMALL,
            space_after=6.0,
        )
    )
    if u.tornado:
        shown = min(len(u.tornado), MAX_BARS)
        more = len(u.tornado) - shown
        items.append(
            KeepTogether(
                [
                    heading("", "What moves the decision", 3),
                    para(
                        "Each input swung to the low and to the high end of its range, the others "
                        "at their likely values: how far the recommended strategy's lead over the "
                        "best alternative moves, largest swing first"
                        + (f" ({more} smaller ones not drawn)." if more > 0 else "."),
                        SMALL,
                        space_after=2.0,
                    ),
                    TornadoFlowable(u, evaluation),
                ]
            )
        )
    items.append(heading("", "Where the recommendation would change", 3))
    flips = flip_sentences(u, currency)
    items += bullets(
        flips
        or [
            "No input changes the recommendation anywhere within its range (the others at their "
            "likely values)."
        ]
    )
    items.append(heading("", "Break-even volumes across the samples", 3))
    items += bullets(crossover_sentences(u))
    return items
