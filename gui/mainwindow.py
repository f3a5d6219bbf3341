"""The main window: inputs on the left, the live chart and the results on the right.

Everything the person sees of a project (title, scenario names, notes) is shown as plain text.
File handling is kept in small methods (``open_file``, ``save_to``, ``ask_*``) so a later issue
can harden it and tests can replace the dialogs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QMimeData, QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.evaluate import Curves
from engine.fileformat import (
    FILE_SUFFIX,
    ProjectFileError,
    ReadOnlyFileError,
    file_identity,
    read_project_file,
    save_project,
)
from engine.model.project import Project
from engine.model.results import Evaluation, Figure
from engine.templates import DEFAULT_TEMPLATE, load_template
from gui import files, recovery
from gui.commands import CommandSet
from gui.document import EditRefused, ProjectDocument
from gui.files import RecentFiles, RecentMenu, is_project_path, shown_path, with_suffix
from gui.format import install_renderer
from gui.forms.panel import InputPanel
from gui.recovery import RecoveryManager

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from engine.uncertainty import Uncertainty
    from gui.charts.crossover_chart import CrossoverChart
    from gui.decision_map.controller import DecisionMapController
    from gui.forms.catalog_view import CatalogView
    from gui.preferences import Preferences
    from gui.report.branding import ReportMode
    from gui.uncertainty.controller import UncertaintyController
    from gui.views.breakdown import BreakdownView
    from gui.views.comparison import ComparisonView

log = logging.getLogger(__name__)

APP_NAME = "FTRAG Advisor"
#: Where the window's geometry, splitters and tabs are kept per user (QSettings).
LAYOUT_GROUP = "mainWindow"
FILE_FILTER = f"FTRAG Advisor projects (*{FILE_SUFFIX});;All files (*)"
# The result tabs whose views are built after the first frame, from this tab index on.
_DEFERRED_TABS = ("Cost breakdown", "Compare scenarios")
_FIRST_DEFERRED_TAB = 1


def scenario_scopes(project: Project) -> dict[str, str]:
    """Per scenario: whose requirements and weights it is judged by, in words."""
    out = {}
    for scenario in project.scenarios:
        own = [
            what
            for what, flag in (("requirements", "own_requirements"), ("weights", "own_weights"))
            if getattr(scenario, flag)
        ]
        out[scenario.name] = "own " + " and ".join(own) + " (override)" if own else "the project's"
    return out


def window_title(project_title: str, note: str = "") -> str:
    """'<title>[*] — FTRAG Advisor'; a literal '[*]' in the title is escaped for Qt.  ``note``
    (e.g. " (recovered)") follows the title and is never cut off."""
    shown = " ".join(project_title.split()) or "Untitled project"
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return f"{(shown + note).replace('[*]', '[*][*]')}[*] — {APP_NAME}"


def first_start_size(available: QSize) -> QSize:
    """The window's size on a first start: about 90% of the screen's available area, at least
    1280×720 where the screen has room for it, never larger than the screen."""
    width = max(round(available.width() * 0.9), min(1280, available.width()))
    height = max(round(available.height() * 0.9), min(720, available.height()))
    return QSize(min(width, available.width()), min(height, available.height()))


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str = "",
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox.StandardButton:
    """A message box whose text is always plain (file names and reasons come from outside)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if details:
        box.setDetailedText(details)
    result = box.exec()
    box.deleteLater()
    return QMessageBox.StandardButton(result)


class ErrorBanner(QFrame):
    """Shown above the chart while the inputs cannot be evaluated: the results below are the
    last valid ones, and this says why the new inputs are not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Evaluation problem")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        self.hide()

    def show_problem(self, problem: str | None) -> None:
        if problem:
            self.text.setText(
                f"These inputs cannot be evaluated, so the results show the last valid ones. "
                f"{problem}"
            )
        self.setVisible(bool(problem))


class MainWindow(QMainWindow):
    """See the module docstring."""

    # The QActions of the commands declared in gui.commands (set by CommandSet).
    act_new: QAction
    act_open: QAction
    act_save: QAction
    act_save_as: QAction
    act_revert: QAction
    act_export_report: QAction
    act_print_preview: QAction
    act_print: QAction
    act_export_docx: QAction
    act_export_xlsx: QAction
    act_export_png: QAction
    act_export_svg: QAction
    act_export_csv: QAction
    act_preferences: QAction
    act_quit: QAction
    act_undo: QAction
    act_redo: QAction
    act_add_scenario: QAction
    act_duplicate_scenario: QAction
    act_rename_scenario: QAction
    act_delete_scenario: QAction
    act_mode_total: QAction
    act_mode_month: QAction
    act_methodology: QAction
    act_about: QAction
    act_export_map_png: QAction
    act_export_map_svg: QAction
    act_export_map_csv: QAction
    act_decision_map: QAction
    act_import_prices: QAction
    act_remove_prices: QAction
    act_find_cheapest: QAction
    act_new_brief: QAction
    act_revise_brief: QAction
    act_brief_assumptions: QAction

    def __init__(self, document: ProjectDocument | None = None) -> None:
        super().__init__()
        install_renderer()  # the engine's sentences in the user's number format
        self.setObjectName("mainWindow")
        self.document = document or ProjectDocument(parent=self)
        if self.document.parent() is None:
            self.document.setParent(self)
        self._comparison_stale = True
        self._breakdown_stale = True
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(False)
        self.recent = RecentFiles()
        self.recovery = RecoveryManager(self.document, self)
        # The open file: other writers, a watcher on it, and the lock other windows see.
        self.disk = files.OpenFile(self.document.is_modified, self)
        self.disk.changedOnDisk.connect(self._changed_on_disk)
        self.disk.alsoOpen.connect(self._also_open)
        self.recovered = False  # a restored recovery copy, not saved since

        self.inputs = InputPanel(self.document)
        self.inputs.setMinimumWidth(360)

        # The chart (pyqtgraph: ~0.3 s to import) is created just after the window first
        # paints, so the forms and the scorecard's live result come up without waiting for it.
        self._chart: CrossoverChart | None = None
        self.chart_host = QWidget()
        self.chart_host.setMinimumSize(320, 240)
        chart_layout = QVBoxLayout(self.chart_host)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        self._chart_placeholder = QLabel("Loading the chart…")
        self._chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chart_layout.addWidget(self._chart_placeholder)
        self.banner = ErrorBanner()
        self.results = QTabWidget()
        self.results.setDocumentMode(True)
        self.results.setAccessibleName("Results")
        from gui.views.scorecard import Scorecard

        self.scorecard = Scorecard()
        self.results.addTab(self.scorecard, "Scorecard")
        # The hidden tabs' views are built after the first frame (see ensure_result_views);
        # until then each tab holds an empty page.
        self._breakdown: BreakdownView | None = None
        self._comparison: ComparisonView | None = None
        for title in _DEFERRED_TABS:
            self.results.addTab(QWidget(), title)
        self.results.currentChanged.connect(self._result_tab_changed)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addWidget(self.banner)
        top_layout.addWidget(self.chart_host, 1)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setChildrenCollapsible(False)
        self.right.addWidget(top)
        self.right.addWidget(self.results)
        self.right.setStretchFactor(0, 5)
        self.right.setStretchFactor(1, 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.inputs)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self._build_catalog_dock()
        self.recent_menu = RecentMenu(self.recent, self.open_file, self)
        # Menu bar and toolbar come from the one list of commands (gui.commands).
        self.commands = CommandSet(self)
        menus = self.commands.build_menus(self.menuBar())
        self.file_menu, self.view_menu = menus["file"], menus["view"]
        self.act_mode_total.setChecked(True)
        self._build_toolbar()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.status, 1)

        doc = self.document
        doc.evaluated.connect(self._show_results)
        doc.evaluationFailed.connect(self._show_failure)
        doc.changed.connect(self._project_changed)
        doc.scenarioChanged.connect(self._scenario_changed)
        doc.pathChanged.connect(self._path_changed)
        doc.undo_stack.cleanChanged.connect(self._clean_changed)
        self.recovery.autosaveFailed.connect(self._autosave_failed)
        self.scorecard.figureActivated.connect(self.show_figure)

        # What the scenario box last showed: the names, which are unopened, their scopes.
        self._scenario_marks: tuple[list[str], list[bool], dict[str, str]] = ([], [], {})
        self._refresh_scenarios()
        self._update_title()
        self._update_file_actions()
        if doc.evaluation is not None and doc.curves is not None:
            self._show_results(doc.evaluation, doc.curves)
        # The uncertainty analysis and the decision map are built after the first frame (or
        # when something asks for them first): see ensure_analyses.
        self._uncertainty: UncertaintyController | None = None
        self._decision_map: DecisionMapController | None = None
        self._painted = False

    def _scenario_changed(self, _index: int) -> None:
        if not self.document.loading:  # a load refreshes once, on `changed`
            self._refresh_scenarios()

    def _show_uncertainty(
        self, uncertainty: Uncertainty | None, evaluation: Evaluation | None, updating: bool
    ) -> None:
        self.scorecard.set_uncertainty(uncertainty, evaluation, updating=updating)

    def _uncertainty_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"The uncertainty analysis failed: {message}", 10_000)

    def _clean_changed(self, clean: bool) -> None:
        # A bound method, not a lambda: Qt drops the connection when the window is destroyed.
        self.setWindowModified(not clean)
        self._update_file_actions()

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """The first frame with the live result is on screen: now the chart (pyqtgraph alone
        takes ~0.3 s to import), then the analyses that start from that result."""
        self.ensure_chart()
        QTimer.singleShot(0, self.ensure_result_views)
        QTimer.singleShot(0, self.ensure_analyses)

    @property
    def uncertainty(self) -> UncertaintyController:
        """Ranges → Monte Carlo off the GUI thread; its Sensitivity tab, bands and P(win)."""
        self.ensure_analyses()
        assert self._uncertainty is not None
        return self._uncertainty

    @property
    def decision_map(self) -> DecisionMapController:
        """Which strategy wins where, over any two inputs; computed only while its tab shows."""
        self.ensure_analyses()
        assert self._decision_map is not None
        return self._decision_map

    def ensure_analyses(self) -> None:
        """The Sensitivity and Decision map tabs and their workers (in this order: the tabs
        keep their places)."""
        if self._uncertainty is not None:
            return
        from gui.decision_map.controller import DecisionMapController
        from gui.uncertainty.controller import TAB_TITLE, UncertaintyController

        self._uncertainty = UncertaintyController(self.document, self)
        self.results.addTab(self._uncertainty.view, TAB_TITLE)
        self._uncertainty.uncertaintyChanged.connect(self._show_uncertainty)
        self._uncertainty.failed.connect(self._uncertainty_failed)
        self._uncertainty.start()
        self._decision_map = DecisionMapController(self)
        if self._chart is not None:
            self._uncertainty.attach_chart(self._chart)

    @property
    def chart(self) -> CrossoverChart:
        """The crossover chart (created now if the deferred creation has not run yet)."""
        return self.ensure_chart()

    def ensure_chart(self) -> CrossoverChart:
        if self._chart is None:
            from gui.charts.crossover_chart import CrossoverChart

            chart = CrossoverChart()
            self._chart = chart
            layout = self.chart_host.layout()
            assert layout is not None
            layout.removeWidget(self._chart_placeholder)
            self._chart_placeholder.deleteLater()
            layout.addWidget(chart)
            # From now on the host's height is the chart's own minimum (toolbar, plot, key and
            # readout), not the placeholder's: a splitter squeezing it below that would draw
            # the readout over the axis title.
            self.chart_host.setMinimumHeight(0)
            chart.modeChanged.connect(self._chart_mode_changed)
            chart.set_export_actions(
                [self.act_export_png, self.act_export_svg, self.act_export_csv]
            )
            self._chart_mode_changed(chart.mode())
            doc = self.document
            if doc.evaluation is not None and doc.curves is not None:
                chart.set_data(doc.curves, doc.evaluation)
            if self._uncertainty is not None:
                self._uncertainty.attach_chart(chart)
        return self._chart

    # --- construction ----------------------------------------------------------------------

    @property
    def breakdown(self) -> BreakdownView:
        """The Cost breakdown tab's view (built now if the deferred build has not run yet)."""
        self.ensure_result_views()
        assert self._breakdown is not None
        return self._breakdown

    @property
    def comparison(self) -> ComparisonView:
        """The Compare scenarios tab's view (built now if the deferred build has not run yet)."""
        self.ensure_result_views()
        assert self._comparison is not None
        return self._comparison

    def ensure_result_views(self) -> None:
        """The Cost breakdown and Compare scenarios views, put in place of their tabs' empty
        pages without moving the current tab; both are brought up to date when shown."""
        if self._breakdown is not None:
            return
        from gui.views.breakdown import BreakdownView
        from gui.views.comparison import ComparisonView

        self._breakdown = BreakdownView()
        self._breakdown.figureActivated.connect(self.show_figure)
        self._comparison = ComparisonView()
        current = self.results.currentIndex()
        blocked = self.results.blockSignals(True)
        try:
            for offset, view in enumerate((self._breakdown, self._comparison)):
                index = _FIRST_DEFERRED_TAB + offset
                placeholder = self.results.widget(index)
                self.results.removeTab(index)
                self.results.insertTab(index, view, _DEFERRED_TABS[offset])
                placeholder.deleteLater()
            self.results.setCurrentIndex(current)
        finally:
            self.results.blockSignals(blocked)

    def find_cheapest_setup(self) -> None:
        """Scenario → Find Cheapest Setup…: the solver dialog, searching the current scenario."""
        from gui.solver_dialog import SolverDialog

        dialog = getattr(self, "solver_dialog", None)
        if dialog is None:
            dialog = SolverDialog(self.document, self)
            self.solver_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.start()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Scenario")
        bar.setObjectName("scenarioToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        label = QLabel("Scenario:")
        label.setContentsMargins(4, 0, 4, 0)
        self.scenario_combo = QComboBox()
        self.scenario_combo.setAccessibleName("Current scenario")
        self.scenario_combo.setToolTip("The scenario the inputs and results show")
        self.scenario_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scenario_combo.setMinimumContentsLength(18)
        self.scenario_combo.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        label.setBuddy(self.scenario_combo)
        self.scenario_combo.activated.connect(self._scenario_chosen)
        bar.addWidget(label)
        bar.addWidget(self.scenario_combo)
        self.commands.build_toolbar(bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.scenario_toolbar = bar

    def _build_catalog_dock(self) -> None:
        # The dock starts hidden; its tables (CatalogView) are built when it is first shown.
        self._catalog_view: CatalogView | None = None
        dock = QDockWidget("Price catalog", self)
        dock.setObjectName("catalogDock")
        dock.setWidget(QWidget())
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        dock.visibilityChanged.connect(self._catalog_dock_shown)
        self.catalog_dock = dock  # its toggle is the View → Price Catalog command

    def _catalog_dock_shown(self, visible: bool) -> None:
        if visible:
            self.ensure_catalog_view()

    @property
    def catalog_view(self) -> CatalogView:
        """The price catalog's tables (built now if the dock has not been shown yet)."""
        return self.ensure_catalog_view()

    def ensure_catalog_view(self) -> CatalogView:
        if self._catalog_view is None:
            from gui.forms.catalog_view import CatalogView

            self._catalog_view = CatalogView(self.document)
            placeholder = self.catalog_dock.widget()
            self.catalog_dock.setWidget(self._catalog_view)
            if placeholder is not None:
                placeholder.deleteLater()
        return self._catalog_view

    def sizeHint(self) -> QSize:
        return QSize(1366, 768)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if not getattr(self, "_split_done", False) and self.width() > 0:
            self._split_done = True
            self._set_default_split()

    def _set_default_split(self) -> None:
        # The inputs get what their widest page needs without scrolling sideways or cutting a
        # picked catalog name (the longest, such as "Azure OpenAI gpt-4o-mini — EU Data Zone",
        # need about 610 px with the page list beside them) from 1280 px up; the chart and
        # results get the rest.
        width = max(self.width(), 800)
        left = max(610, min(640, int(width * 0.42)))
        self.splitter.setSizes([left, width - left])
        height = max(self.right.height(), 400)
        self.right.setSizes([int(height * 0.52), height - int(height * 0.52)])

    # --- window layout, kept per user ------------------------------------------------------

    def apply_first_start_geometry(self) -> None:
        """About 90% of the available screen (see first_start_size), centred on it."""
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        self.resize(first_start_size(available.size()))
        frame = QRect(available.topLeft(), self.size())
        frame.moveCenter(available.center())
        self.move(frame.topLeft())
        self._fit_frame_pending = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if getattr(self, "_fit_frame_pending", False):
            self._fit_frame_pending = False
            QTimer.singleShot(0, self, self._fit_frame_to_screen)

    def _fit_frame_to_screen(self) -> None:
        """Once the window manager has added its frame: shrink so the frame fits too."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - available.width())
        extra_h = max(0, frame.height() - available.height())
        if extra_w or extra_h:
            self.resize(self.width() - extra_w, self.height() - extra_h)
        frame = self.frameGeometry()
        if not available.contains(frame):
            frame.moveCenter(available.center())
            self.move(frame.topLeft())

    def restore_layout(self, settings: QSettings | None = None) -> None:
        """The geometry, dock/toolbar state, splitters and tabs the user left (first start:
        apply_first_start_geometry and the default split).  This window saves them back
        when it closes."""
        self.keeps_layout = True
        store = settings or QSettings()
        store.beginGroup(LAYOUT_GROUP)
        try:
            geometry = store.value("geometry")
            if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
                self.apply_first_start_geometry()
            state = store.value("state")
            if isinstance(state, QByteArray):
                self.restoreState(state)
            restored = [
                isinstance(value, QByteArray) and splitter.restoreState(value)
                for value, splitter in (
                    (store.value("splitter"), self.splitter),
                    (store.value("resultsSplitter"), self.right),
                )
            ]
            if all(restored):
                self._split_done = True
            for key, count, select in (
                ("resultsTab", self.results.count(), self.results.setCurrentIndex),
                ("inputGroup", self.inputs.count(), self.inputs.setCurrentIndex),
            ):
                index = _int_or_none(store.value(key))
                if key == "resultsTab" and index is not None and index >= count:
                    self.ensure_analyses()  # the tab left open is one of theirs
                    count = self.results.count()
                if index is not None and 0 <= index < count:
                    select(index)
        finally:
            store.endGroup()

    def save_layout(self, settings: QSettings | None = None) -> None:
        store = settings or QSettings()
        store.beginGroup(LAYOUT_GROUP)
        try:
            store.setValue("geometry", self.saveGeometry())
            store.setValue("state", self.saveState())
            store.setValue("splitter", self.splitter.saveState())
            store.setValue("resultsSplitter", self.right.saveState())
            store.setValue("resultsTab", self.results.currentIndex())
            store.setValue("inputGroup", self.inputs.currentIndex())
        finally:
            store.endGroup()

    # --- results ---------------------------------------------------------------------------

    def _show_results(self, evaluation: Evaluation, curves: Curves) -> None:
        self.banner.show_problem(None)
        if self._chart is not None:
            self._chart.set_data(curves, evaluation)
        self.scorecard.set_evaluation(evaluation)
        # Hidden tabs are brought up to date when shown: a keystroke redraws only what is seen.
        self._breakdown_stale = True
        self._comparison_stale = True
        self._result_tab_changed(self.results.currentIndex())
        recommendation = evaluation.recommendation
        self.status.setText(f"{evaluation.scenario}: recommended — {recommendation.name}")
        self.commands.update_enabled()

    def _show_failure(self, problem: str) -> None:
        self.banner.show_problem(problem)
        self.status.setText(f"Cannot evaluate: {problem}")
        self._comparison_stale = True
        self.commands.update_enabled()

    def _update_comparison(self) -> None:
        if self._comparison_stale:
            project = self.document.project
            self.comparison.set_scopes(scenario_scopes(project))
            self.comparison.show_scenarios(
                [s.name for s in project.scenarios], self.document.scenario_evaluation
            )
        self._comparison_stale = False

    def _result_tab_changed(self, index: int) -> None:
        if _FIRST_DEFERRED_TAB <= index < _FIRST_DEFERRED_TAB + len(_DEFERRED_TABS):
            self.ensure_result_views()  # a click on a tab before its view was built
        current = self.results.currentWidget()
        if current is None:
            return
        if current is self._comparison:
            self._update_comparison()
        elif current is self._breakdown and self._breakdown_stale:
            evaluation = self.document.evaluation
            if evaluation is not None:
                self.breakdown.set_evaluation(evaluation)
            self._breakdown_stale = False

    def _chart_mode_changed(self, mode: str) -> None:
        (self.act_mode_total if mode == "total" else self.act_mode_month).setChecked(True)

    def show_figure(self, figure: Figure) -> None:
        from gui.views.explain import show_figure

        show_figure(self, figure)

    # --- project and scenarios -------------------------------------------------------------

    def _project_changed(self) -> None:
        self._refresh_scenarios()
        self._update_title()
        self._comparison_stale = True

    def _update_title(self) -> None:
        note = " (recovered)" if self.recovered else ""
        self.setWindowTitle(window_title(self.document.project.title, note))
        path = self.document.path
        self.setWindowFilePath(str(path) if path else "")
        self.setWindowModified(self.document.is_modified())

    def _refresh_scenarios(self) -> None:
        names = [s.name for s in self.document.project.scenarios]
        combo = self.scenario_combo
        # The names the box shows are those last put in (only here): reading 200 items back
        # from Qt took a third of this on every keystroke of the largest project.
        shown = self._scenario_marks
        blocked = combo.blockSignals(True)
        try:
            if shown[0] != names:
                combo.clear()
                combo.addItems(names)  # combo box items are always plain text
            scopes = scenario_scopes(self.document.project)
            marks = (names, [self.document.is_unopened(i) for i in range(len(names))], scopes)
            # Nothing the items show changed (a keystroke): no per-scenario work.
            same = marks == shown
            self._scenario_marks = marks
            for i, scenario in enumerate([] if same else self.document.project.scenarios):
                notes = []
                unopened = self.document.is_unopened(i)
                if unopened:
                    notes.append("from a template, not opened yet: its inputs are the template's")
                if scopes[scenario.name] != "the project's":
                    notes.append(f"judged by its {scopes[scenario.name]}")
                font = QFont(combo.font())
                font.setItalic(unopened)
                combo.setItemData(i, font, Qt.ItemDataRole.FontRole)
                combo.setItemData(
                    i,
                    scenario.name + ("\n" + "\n".join(notes) if notes else ""),
                    Qt.ItemDataRole.ToolTipRole,
                )
            combo.setCurrentIndex(self.document.scenario_index)
        finally:
            combo.blockSignals(blocked)
        self.commands.update_enabled()

    def _scenario_chosen(self, index: int) -> None:
        if index >= 0:
            self.document.switch_scenario(index)

    def add_scenario(self) -> None:
        try:
            self.document.add_scenario()
        except EditRefused as exc:
            self.show_message(QMessageBox.Icon.Warning, "Cannot add a scenario", str(exc))

    def duplicate_scenario(self) -> None:
        try:
            self.document.duplicate_scenario()
        except EditRefused as exc:
            self.show_message(QMessageBox.Icon.Warning, "Cannot duplicate the scenario", str(exc))

    def rename_scenario(self) -> None:
        doc = self.document
        name = self.ask_text("Rename scenario", "New name:", doc.scenario.name)
        if name is None:
            return
        problem = doc.rename_scenario(doc.scenario_index, name.strip())
        if problem:
            self.show_message(QMessageBox.Icon.Warning, "Cannot rename the scenario", problem)

    def delete_scenario(self) -> None:
        doc = self.document
        name = doc.scenario.name
        if not self.confirm(
            "Delete scenario",
            f"Delete the scenario “{name}”? (Edit → Undo brings it back.)",
        ):
            return
        problem = doc.delete_scenario(doc.scenario_index)
        if problem:
            self.show_message(QMessageBox.Icon.Warning, "Cannot delete the scenario", problem)

    # --- files -----------------------------------------------------------------------------

    def open_project(self, project: Project, path: str | Path | None = None) -> None:
        self.document.load(project, path)

    def open_template(self, name: str = DEFAULT_TEMPLATE) -> None:
        self.open_project(load_template(name))

    def open_file(self, path: str | Path) -> bool:
        """Open a project file (Open…, Open Recent, a drop).  The file is read and checked
        first: a bad one is named with the reason and what is open stays untouched.  Then
        unsaved changes are offered for saving (Cancel stops here), then the project is shown."""
        try:
            project, identity = read_project_file(path)
        except ProjectFileError as exc:
            text = f"Could not open {shown_path(exc.path or path)}:\n{exc.reason}"
            if not os.path.exists(path) and self.recent.remove(path):
                text += "\n\nIt has been removed from the recent files."
            self.show_message(QMessageBox.Icon.Warning, "Cannot open the project", text)
            return False
        if not self.maybe_save():
            return False
        self.open_project(project, path)
        self.disk.track(path, identity)
        self.recent.add(path)
        self.statusBar().showMessage(f"Opened {shown_path(path)}", 5000)
        return True

    def new_from_template(self) -> bool:
        name = self.ask_template()
        if not name or not self.maybe_save():
            return False
        self.open_template(name)
        return True

    def open_dialog(self) -> bool:
        path = self.ask_open_path()
        if not path:
            return False
        return self.open_file(path)

    def revert(self) -> bool:
        """Reload the saved file, after confirming that the unsaved changes go."""
        doc = self.document
        path = doc.path
        if path is None:
            return False
        if doc.is_modified() and not self.ask_revert():
            return False
        if not self._read_again(path, "Cannot revert", "\n\nYour changes are still open."):
            return False
        self.statusBar().showMessage(f"Reverted to {shown_path(path)}", 5000)
        return True

    def _read_again(self, path: Path, title: str, still_open: str = "") -> bool:
        """Show the file's saved version (Revert, Reload); False, after saying why, when it
        cannot be read (``still_open`` ends that message)."""
        try:
            project, identity = read_project_file(path)
        except ProjectFileError as exc:
            self.show_message(
                QMessageBox.Icon.Warning,
                title,
                f"Could not read {shown_path(exc.path or path)}:\n{exc.reason}{still_open}",
            )
            return False
        self.open_project(project, path)
        self.disk.track(path, identity)
        return True

    def save(self) -> bool:
        path = self.document.path
        if path is None:
            return self.save_as()
        return self.save_to(path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        return self.save_to(with_suffix(path))

    def save_to(self, path: str | Path) -> bool:
        """Atomic save (the old file kept as .bak).  A failure names the file and the reason;
        the document stays unsaved, so nothing is lost.  A file another program changed since
        it was read is not overwritten without asking; a read-only file offers Save As."""
        verdict = self.disk.before_save(path, self.ask_changed_on_disk)
        if verdict == files.SAVE_AS:
            return self.save_as()
        if verdict == files.RELOAD:
            self.reload_from_disk()
            return False
        if verdict != files.OVERWRITE:
            return False
        try:
            identity = save_project(self.document.project, path)
        except ReadOnlyFileError as exc:
            if self.ask_read_only(path, exc.reason):
                return self.save_as()
            return False
        except (ProjectFileError, OSError) as exc:
            where = exc.path if isinstance(exc, ProjectFileError) else None
            reason = exc.reason if isinstance(exc, ProjectFileError) else str(exc)
            self.show_message(
                QMessageBox.Icon.Warning,
                "Cannot save the project",
                f"Could not save {shown_path(where or path)}:\n{reason}\n\n"
                "Your changes are still open and not saved. Try File → Save As… to save them "
                "somewhere else.",
            )
            return False
        self.document.mark_saved(path)
        self.disk.track(path, identity)
        self.recent.add(path)
        self.statusBar().showMessage(f"Saved {shown_path(path)}", 5000)
        return True

    def reload_from_disk(self) -> bool:
        """Show the file's current version (the person chose Reload; changes here go)."""
        path = self.document.path
        if path is None or not self._read_again(path, "Cannot reload"):
            return False
        self.statusBar().showMessage(f"Reloaded {shown_path(path)}", 5000)
        return True

    def _changed_on_disk(self, path: Path, modified: bool) -> None:
        """Another program wrote the open file: offer a reload when nothing here is unsaved;
        with unsaved changes, say so (Save will ask).  Never reloads by itself."""
        self.statusBar().showMessage(f"{shown_path(path)} changed on disk", 10000)
        if modified:
            files.notice(
                self, "changedOnDisk", "The file changed on disk", files.changed_on_disk_text(path)
            )
        else:
            files.notice(
                self,
                "changedOnDisk",
                "The file changed on disk",
                files.reload_offer_text(path),
                ("&Reload", self.reload_from_disk),
            )

    def _also_open(self, path: Path, other: str) -> None:
        files.notice(self, "alsoOpen", "Open in another window", files.also_open_text(path, other))

    def maybe_save(self) -> bool:
        """Before losing unsaved work: save, discard or cancel. True when it is safe to go on
        (a save that fails or is cancelled is a no)."""
        if not self.document.is_modified():
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.recovery.shutdown()  # a clean exit leaves no recovery copy behind
            self.disk.close()
            if getattr(self, "keeps_layout", False):
                self.save_layout()
            event.accept()
        else:
            event.ignore()

    def open_recovered(self, project: Project, original: Path | None) -> None:
        """A restored recovery copy: unsaved (its changes never reached a file), titled
        "(recovered)", with its original file for Save."""
        self.document.load(project, original)
        self.document.undo_stack.resetClean()
        self.recovered = True
        self._update_title()

    def restore_recovery_copies(self) -> list[MainWindow]:
        """At start-up: offer the copies of runs that died (gui.recovery)."""
        return recovery.offer_recovery(self)

    def new_window(self) -> MainWindow:
        """Another top-level window (a second restored project); deleted when closed."""
        window = type(self)()
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _extra_windows.add(window)
        window.destroyed.connect(lambda _obj=None, w=window: _extra_windows.discard(w))
        window.show()
        return window

    def edit_preferences(self, page: str = "general") -> None:
        """File → Preferences…: autosave, and the firm branding printed on reports."""
        from gui.preferences import apply_preferences, load_preferences

        chosen = self.ask_preferences(load_preferences(), page)
        if chosen is not None:
            apply_preferences(chosen)

    def _path_changed(self, path: object) -> None:
        self.recovered = False  # saved under a name, or another project opened
        # What is on disk now; Open, Save and Revert then record exactly what they read/wrote.
        self.disk.track(path, file_identity(path) if isinstance(path, Path) else None)
        if not self.document.loading:  # a load retitles once, on `changed`
            self._update_title()
        self._update_file_actions()

    def _autosave_failed(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _update_file_actions(self) -> None:
        self.commands.update_enabled()

    @staticmethod
    def dropped_project(mime: QMimeData | None) -> str | None:
        """The one local .ftrag file being dragged, else None (folders, several files, web
        links and other kinds of file are refused)."""
        if mime is None or not mime.hasUrls():
            return None
        urls = mime.urls()
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = urls[0].toLocalFile()
        return path if is_project_path(path) else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.dropped_project(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.dropped_project(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self.dropped_project(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Open after the drop returns: a modal prompt inside a drop handler blocks the source.
        QTimer.singleShot(0, self, lambda: self.open_file(path))

    # --- help ------------------------------------------------------------------------------

    def show_methodology(self) -> None:
        from gui.views.methodology import MethodologyDialog

        dialog = self.findChild(MethodologyDialog)
        if dialog is None:
            dialog = MethodologyDialog(self)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def about_text(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from engine.catalog import price_data_version
        from engine.version import APP_VERSION

        return (
            f"{APP_NAME} {APP_VERSION}\n\n"
            "Fine-tune, RAG or both? Cost, latency, freshness and compliance of the three "
            "strategies, with the crossover and the reasons. Works offline.\n\n"
            f"Qt {qVersion()} · PySide6 {pyside_version}\n"
            f"API prices: {price_data_version()}"
        )

    # --- price data ------------------------------------------------------------------------

    def import_price_data(self) -> bool:
        """File → Import Price Data…: validate and store a price file, then re-evaluate."""
        from engine.catalog import price_data_version
        from engine.price_import import PriceImportError, import_file

        path = self.ask_price_file()
        if not path:
            return False
        try:
            imported = import_file(path)
        except PriceImportError as exc:
            self.show_message(
                QMessageBox.Icon.Warning,
                "Cannot import the price data",
                f"{exc}\n\nThe price data in use is unchanged: {price_data_version()}.",
            )
            return False
        self._price_data_changed()
        self.show_message(
            QMessageBox.Icon.Information,
            "Price data imported",
            f"Now using {imported.describe()} ({imported.entries} entries).\n\nIt is kept for "
            "your user account and named in About and in every report. File → Revert to Bundled "
            "Price Data goes back to the data bundled with the app.",
        )
        return True

    def remove_price_data(self) -> bool:
        from engine.catalog import price_data_version
        from engine.price_import import remove_imports

        if not remove_imports():
            self.statusBar().showMessage("No imported price data to remove", 5000)
            return False
        self._price_data_changed()
        self.statusBar().showMessage(f"Price data: {price_data_version()}", 8000)
        return True

    def _price_data_changed(self) -> None:
        self.document.prices_changed()
        self.commands.update_enabled()

    def ask_price_file(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import price data", self._folder(), "Price data (*.json);;All files (*)"
        )
        return path or None

    def show_about(self) -> None:
        self.show_message(QMessageBox.Icon.Information, f"About {APP_NAME}", self.about_text())

    # --- dialogs (small, so tests can replace them) ----------------------------------------

    def show_message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        message(self, icon, title, text)

    def confirm(self, title: str, text: str) -> bool:
        answer = message(
            self,
            QMessageBox.Icon.Question,
            title,
            text,
            buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        return files.ask_save_changes(self, self.document.project.title)

    def ask_changed_on_disk(self) -> str:
        path = self.document.path
        return files.ask_changed_on_disk(self, path) if path is not None else files.CANCEL

    def ask_read_only(self, path: str | Path, reason: str) -> bool:
        return files.ask_read_only(self, path, reason)

    def ask_revert(self) -> bool:
        path = self.document.path
        return path is not None and files.ask_revert(self, path)

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def ask_template(self) -> str | None:
        return files.ask_template(self)

    def ask_open_path(self) -> str | None:
        return files.ask_open_path(self, self._folder())

    def ask_save_path(self) -> str | None:
        suggested = self.document.path or Path(self._folder()) / _file_name(
            self.document.project.title
        )
        return files.ask_save_path(self, str(suggested))

    def ask_preferences(self, current: Preferences, page: str = "general") -> Preferences | None:
        from gui.preferences import ask_preferences

        return ask_preferences(self, current, page)

    def ask_report_mode(
        self, current: ReportMode, title: str, accept_text: str
    ) -> ReportMode | None:
        from gui.report.printing import ask_report_mode

        return ask_report_mode(self, current, title, accept_text)

    def make_printer(self) -> QPrinter:
        """The printer File → Print… offers in the print dialog (the report's page size)."""
        from gui.report.printing import make_printer

        return make_printer(self.document.project)

    def _folder(self) -> str:
        path = self.document.path
        return str(path.parent) if path else files.last_folder()


_extra_windows: set[MainWindow] = set()


def _int_or_none(value: object) -> int | None:
    """A QSettings integer, whatever the backend made of it (int, or a string in INI files)."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _file_name(title: str) -> str:
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip()
    return f"{safe[:60] or 'project'}{FILE_SUFFIX}"
