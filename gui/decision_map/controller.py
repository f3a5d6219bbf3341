"""Wires the decision map to the main window: the "Decision map" tab, its runner, and when it
computes (only while the tab is on screen, so an edit redraws the main chart first).

The tab's page is built the first time it is shown: it draws with pyqtgraph, which the window
does not import before its first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from engine.decision_map import Axis, DecisionMap, changes_from_today, map_fields
from gui.decision_map.worker import MapResult, MapRunner

if TYPE_CHECKING:
    from gui.decision_map.view import DecisionMapView
    from gui.mainwindow import MainWindow

TAB_TITLE = "Decision map"


class DecisionMapController(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.page = QWidget()
        self.page.setAccessibleName(TAB_TITLE)
        self._layout = QVBoxLayout(self.page)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._view: DecisionMapView | None = None
        window.results.addTab(self.page, TAB_TITLE)
        self.runner = MapRunner(window.document, self)
        self.runner.finished.connect(self._finished)
        window.results.currentChanged.connect(self._tab_changed)
        window.document.scenarioChanged.connect(lambda _i: self._refresh_fields())
        window.document.changed.connect(self._inputs_changed)

    @property
    def view(self) -> DecisionMapView:
        if self._view is None:
            from gui.decision_map.view import DecisionMapView

            view = DecisionMapView()
            self._layout.addWidget(view)
            self.runner.scheduled.connect(view.show_pending)
            self.runner.failed.connect(view.show_failure)
            view.axesChosen.connect(self._axes_chosen)
            view.resolutionChosen.connect(self.runner.set_resolution)
            self._view = view
            view.set_fields(map_fields(self.window.document.scenario))
        return self._view

    def show(self) -> None:
        """Bring the tab forward (the View menu's entry)."""
        self.window.results.setCurrentWidget(self.page)

    def is_visible(self) -> bool:
        return self.window.results.currentWidget() is self.page

    def _refresh_fields(self) -> None:
        if self._view is not None:
            self._view.set_fields(map_fields(self.window.document.scenario))

    def _tab_changed(self, _index: int) -> None:
        visible = self.is_visible()
        if visible:
            _ = self.view  # built on first show; it chooses the axes
        self.runner.set_active(visible)

    def _axes_chosen(self, x: Axis, y: Axis) -> None:
        self.runner.set_axes(x, y)

    def drawn_view(self) -> DecisionMapView | None:
        """The map view when it holds a drawn map (what File → Export Decision Map writes)."""
        return self._view if self._view is not None and self._view.map is not None else None

    def _inputs_changed(self) -> None:
        self.window.scorecard.set_map_distance("")  # the last map no longer describes today

    def _finished(self, result: MapResult) -> None:
        view = self.view
        view.set_fields(map_fields(result.request.scenario))  # today's values move the star
        view.set_map(result.map, result.elapsed_ms)
        self.window.scorecard.set_map_distance(distance_text(result.map))


def distance_text(m: DecisionMap) -> str:
    """One sentence for the scorecard: the nearest line along each axis of the map."""
    changes = changes_from_today(m)
    if not changes:
        return ""
    said = "; ".join(c.sentence for c in changes)
    return f"On the decision map ({m.x.field.label.lower()} × {m.y.field.label.lower()}): {said}."
