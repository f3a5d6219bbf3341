"""Every user command of the main window, declared once.

A :class:`Command` says what the person sees (text, shortcut, icon, status tip), when it can be
used (``enabled_when``), what it does (``handler``, called with the window) and where it lives
(its menu, a separator group inside that menu, and whether the toolbar shows it too).  The main
window builds its menu bar and toolbar from :data:`COMMANDS` alone, and the tests walk the real
menu bar to trigger each one — so a command cannot be written and then left unreachable.

These are the window's *user* commands (menu and toolbar actions); the undoable edits of a
project are ``QUndoCommand`` objects in ``gui.document``.

To add a command: append a :class:`Command` to :data:`COMMANDS` (in menu order), give it an
``attr`` if code elsewhere needs its ``QAction`` (``window.act_…``), and add its answer to the
menu-walk test in ``tests/gui/test_commands.py`` (that test fails until you do).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QStyle, QToolBar

if TYPE_CHECKING:
    from gui.mainwindow import MainWindow

Key = QKeySequence.StandardKey
Shortcut = QKeySequence.StandardKey | str | None

#: The menu bar, left to right: (menu id, title).
MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("edit", "&Edit"),
    ("scenario", "&Scenario"),
    ("view", "&View"),
    ("help", "&Help"),
)


@dataclass(frozen=True)
class Command:
    """One user command; see the module docstring."""

    id: str
    text: str
    menu: str
    handler: Callable[[MainWindow], object] | None = None
    shortcut: Shortcut = None
    status_tip: str = ""
    icon: QStyle.StandardPixmap | None = None
    enabled_when: Callable[[MainWindow], bool] | None = None
    group: str = ""  # consecutive commands of one group; a separator between groups
    toolbar: bool = False
    attr: str = ""  # the window attribute that holds the QAction, e.g. "act_save"
    role: QAction.MenuRole = QAction.MenuRole.NoRole
    checked_group: str = ""  # checkable, exclusive with the other commands of this group
    # The action (or submenu) is made elsewhere — the undo stack's, a dock's toggle, the
    # Recent menu — and only placed, labelled and given a shortcut here.
    action: Callable[[MainWindow], QAction] | None = None
    submenu: Callable[[MainWindow], QMenu] | None = None


def _has_result(window: MainWindow) -> bool:
    return window.document.evaluation is not None


def _has_imported_prices(_window: MainWindow) -> bool:
    from engine.price_import import current_imports

    return bool(current_imports())


def _tab(index: int) -> Callable[[MainWindow], object]:
    def select(window: MainWindow) -> None:
        window.ensure_analyses()  # the Sensitivity tab is built after the first frame
        window.results.setCurrentIndex(index)

    return select


def _chart_mode(mode: str) -> Callable[[MainWindow], object]:
    return lambda window: window.chart.set_mode(mode)


def _export_chart(kind: str) -> Callable[[MainWindow], object]:
    def export(window: MainWindow) -> object:
        from gui import exports

        return exports.export_chart(window, kind)

    return export


def _export_map(kind: str) -> Callable[[MainWindow], object]:
    def export(window: MainWindow) -> object:
        from gui import exports

        return exports.export_decision_map(window, kind)

    return export


def _export(name: str) -> Callable[[MainWindow], object]:
    """A handler in gui.exports (imported when first used: the report renderer is heavy)."""

    def run(window: MainWindow) -> object:
        from gui import exports

        handler: Callable[[MainWindow], object] = getattr(exports, name)
        return handler(window)

    return run


def _brief(name: str) -> Callable[[MainWindow], object]:
    """A handler in gui.brief_wizard (imported when first used)."""

    def run(window: MainWindow) -> object:
        from gui import brief_wizard

        handler: Callable[[MainWindow], object] = getattr(brief_wizard, name)
        return handler(window)

    return run


COMMANDS: tuple[Command, ...] = (
    # --- File ----------------------------------------------------------------------------
    Command(
        "file.new",
        "&New from Template…",
        "file",
        lambda w: w.new_from_template(),
        Key.New,
        "Start from a built-in example",
        group="open",
        attr="act_new",
    ),
    Command(
        "file.new_brief",
        "New from a &Brief…",
        "file",
        _brief("new_from_brief"),
        "Ctrl+Shift+N",
        "Start a project from the client's answers to a dozen plain questions",
        group="open",
        attr="act_new_brief",
    ),
    Command(
        "file.open",
        "&Open…",
        "file",
        lambda w: w.open_dialog(),
        Key.Open,
        "Open a project file",
        group="open",
        attr="act_open",
    ),
    Command(
        "file.recent",
        "Open &Recent",
        "file",
        status_tip="Projects opened lately",
        group="open",
        submenu=lambda w: w.recent_menu,
    ),
    Command(
        "file.save",
        "&Save",
        "file",
        lambda w: w.save(),
        Key.Save,
        "Save the project",
        group="save",
        attr="act_save",
    ),
    Command(
        "file.save_as",
        "Save &As…",
        "file",
        lambda w: w.save_as(),
        Key.SaveAs,
        "Save the project under a new name",
        group="save",
        attr="act_save_as",
    ),
    Command(
        "file.revert",
        "Re&vert",
        "file",
        lambda w: w.revert(),
        status_tip="Throw away unsaved changes and reload the saved file",
        enabled_when=lambda w: w.document.path is not None and w.document.is_modified(),
        group="save",
        attr="act_revert",
    ),
    Command(
        "file.export_report",
        "&Export Report…",
        "file",
        _export("export_report"),
        "Ctrl+Shift+E",
        "Save the recommendation report as a PDF (client summary or full report)",
        group="report",
        attr="act_export_report",
    ),
    Command(
        "file.print_preview",
        "Print Previe&w…",
        "file",
        _export("preview_report"),
        status_tip="See the report's pages as they will print",
        group="report",
        attr="act_print_preview",
    ),
    Command(
        "file.print",
        "&Print…",
        "file",
        _export("print_report"),
        Key.Print,
        "Print the recommendation report",
        group="report",
        attr="act_print",
    ),
    Command(
        "file.export_docx",
        "Export E&ditable Report…",
        "file",
        _export("export_editable_report"),
        status_tip="Save the report as a Word document (.docx) to edit before handing it over",
        group="report",
        attr="act_export_docx",
    ),
    Command(
        "file.export_xlsx",
        "Export Spreads&heet…",
        "file",
        _export("export_spreadsheet"),
        status_tip="Save the inputs, figures and cost curves as an Excel workbook (.xlsx)",
        group="report",
        attr="act_export_xlsx",
    ),
    Command(
        "file.export_png",
        "Export &Chart as PNG…",
        "file",
        _export_chart("png"),
        status_tip="Save the crossover chart as a PNG image",
        enabled_when=_has_result,
        group="chart",
        attr="act_export_png",
    ),
    Command(
        "file.export_svg",
        "Export Chart as SV&G…",
        "file",
        _export_chart("svg"),
        status_tip="Save the crossover chart as a vector image (SVG)",
        enabled_when=_has_result,
        group="chart",
        attr="act_export_svg",
    ),
    Command(
        "file.export_csv",
        "Export C&urve Data as CSV…",
        "file",
        _export_chart("csv"),
        status_tip="Save the cost curves of the chart as a CSV table",
        enabled_when=_has_result,
        group="chart",
        attr="act_export_csv",
    ),
    Command(
        "file.export_map_png",
        "Export Decision &Map as PNG…",
        "file",
        _export_map("png"),
        status_tip="Save the decision map (which strategy wins over two inputs) as a PNG image",
        enabled_when=_has_result,
        group="chart",
        attr="act_export_map_png",
    ),
    Command(
        "file.export_map_svg",
        "E&xport Decision Map as SVG…",
        "file",
        _export_map("svg"),
        status_tip="Save the decision map as a vector image (SVG), hatched for grey-scale print",
        enabled_when=_has_result,
        group="chart",
        attr="act_export_map_svg",
    ),
    Command(
        "file.export_map_csv",
        "Export Decision Map Da&ta as CSV…",
        "file",
        _export_map("csv"),
        status_tip="Save the decision map's grid (strategy and margin per point) as a CSV table",
        enabled_when=_has_result,
        group="chart",
        attr="act_export_map_csv",
    ),
    Command(
        "file.import_prices",
        "&Import Price Data…",
        "file",
        lambda w: w.import_price_data(),
        status_tip="Import a newer genai-prices data file or a catalog pack you downloaded "
        "(offline)",
        group="prices",
        attr="act_import_prices",
    ),
    Command(
        "file.remove_prices",
        "Revert to Bund&led Price Data",
        "file",
        lambda w: w.remove_price_data(),
        status_tip="Go back to the price data bundled with the app",
        enabled_when=_has_imported_prices,
        group="prices",
        attr="act_remove_prices",
    ),
    Command(
        "file.preferences",
        "Pre&ferences…",
        "file",
        lambda w: w.edit_preferences(),
        Key.Preferences,
        "Autosave interval and the firm branding printed on reports",
        group="app",
        attr="act_preferences",
        role=QAction.MenuRole.PreferencesRole,
    ),
    Command(
        "file.quit",
        "&Quit",
        "file",
        lambda w: w.close(),
        Key.Quit,
        "Quit FTRAG Advisor",
        group="app",
        attr="act_quit",
        role=QAction.MenuRole.QuitRole,
    ),
    # --- Edit ----------------------------------------------------------------------------
    Command(
        "edit.undo",
        "&Undo",
        "edit",
        shortcut=Key.Undo,
        status_tip="Undo the last change",
        toolbar=True,
        group="undo",
        attr="act_undo",
        action=lambda w: w.document.undo_stack.createUndoAction(w, "&Undo"),
    ),
    Command(
        "edit.redo",
        "&Redo",
        "edit",
        shortcut=Key.Redo,
        status_tip="Redo the change last undone",
        toolbar=True,
        group="undo",
        attr="act_redo",
        action=lambda w: w.document.undo_stack.createRedoAction(w, "&Redo"),
    ),
    # --- Scenario ------------------------------------------------------------------------
    Command(
        "scenario.add",
        "&Add Scenario",
        "scenario",
        lambda w: w.add_scenario(),
        status_tip="Add a scenario with default inputs",
        toolbar=True,
        attr="act_add_scenario",
    ),
    Command(
        "scenario.duplicate",
        "&Duplicate Scenario",
        "scenario",
        lambda w: w.duplicate_scenario(),
        status_tip="Copy the current scenario",
        toolbar=True,
        attr="act_duplicate_scenario",
    ),
    Command(
        "scenario.rename",
        "&Rename Scenario…",
        "scenario",
        lambda w: w.rename_scenario(),
        status_tip="Rename the current scenario",
        toolbar=True,
        attr="act_rename_scenario",
    ),
    Command(
        "scenario.delete",
        "De&lete Scenario",
        "scenario",
        lambda w: w.delete_scenario(),
        status_tip="Delete the current scenario",
        enabled_when=lambda w: len(w.document.project.scenarios) > 1,
        toolbar=True,
        attr="act_delete_scenario",
    ),
    Command(
        "scenario.find_cheapest",
        "Find &Cheapest Setup…",
        "scenario",
        lambda w: w.find_cheapest_setup(),
        status_tip="Search the catalogs for each strategy's cheapest setup that meets every must",
        group="solver",
        attr="act_find_cheapest",
    ),
    Command(
        "scenario.revise_brief",
        "Revise &Brief…",
        "scenario",
        _brief("revise_brief"),
        status_tip="Reopen the client's brief and apply the revised answers (fields edited by "
        "hand are left alone)",
        enabled_when=lambda w: w.document.project.brief is not None,
        group="brief",
        attr="act_revise_brief",
    ),
    Command(
        "scenario.brief_assumptions",
        "&What the Brief Assumed…",
        "scenario",
        _brief("show_assumptions"),
        status_tip="The inputs the brief set, each linked to its field",
        enabled_when=lambda w: w.document.project.brief is not None,
        group="brief",
        attr="act_brief_assumptions",
    ),
    # --- View ----------------------------------------------------------------------------
    Command(
        "view.chart_total",
        "Total Cost over the &Horizon",
        "view",
        _chart_mode("total"),
        status_tip="The chart shows the total cost over the planning horizon",
        group="chart",
        attr="act_mode_total",
        checked_group="chart_mode",
    ),
    Command(
        "view.chart_month",
        "Average Cost per &Month",
        "view",
        _chart_mode("per_month"),
        status_tip="The chart shows the average cost per month",
        group="chart",
        attr="act_mode_month",
        checked_group="chart_mode",
    ),
    Command("view.scorecard", "&Scorecard", "view", _tab(0), "Ctrl+1", group="tabs"),
    Command("view.breakdown", "Cost &Breakdown", "view", _tab(1), "Ctrl+2", group="tabs"),
    Command("view.compare", "&Compare Scenarios", "view", _tab(2), "Ctrl+3", group="tabs"),
    Command("view.sensitivity", "Sensi&tivity", "view", _tab(3), "Ctrl+4", group="tabs"),
    Command(
        "view.decision_map",
        "&Decision Map",
        "view",
        lambda w: w.decision_map.show(),
        "Ctrl+5",
        "Which strategy is recommended over any two inputs",
        group="tabs",
        attr="act_decision_map",
    ),
    Command(
        "view.catalog",
        "Price Catal&og",
        "view",
        shortcut="Ctrl+Shift+K",
        status_tip="Show or hide the price catalog",
        group="docks",
        action=lambda w: w.catalog_dock.toggleViewAction(),
    ),
    # --- Help ----------------------------------------------------------------------------
    Command(
        "help.methodology",
        "&Methodology…",
        "help",
        lambda w: w.show_methodology(),
        Key.HelpContents,
        "The formulas and sources",
        attr="act_methodology",
    ),
    Command(
        "help.about",
        "&About FTRAG Advisor",
        "help",
        lambda w: w.show_about(),
        status_tip="Version, Qt and price data",
        attr="act_about",
        role=QAction.MenuRole.AboutRole,
    ),
)


class CommandSet:
    """The QActions of one window, made from the declarations; builds its menus and toolbar."""

    def __init__(self, window: MainWindow, commands: Sequence[Command] = COMMANDS) -> None:
        ids = [c.id for c in commands]
        if len(set(ids)) != len(ids):
            raise ValueError("two commands share an id")
        known_menus = {menu for menu, _title in MENUS}
        for command in commands:
            if command.menu not in known_menus:
                raise ValueError(f"{command.id}: no menu {command.menu!r}")
        self.window = window
        self.commands = tuple(commands)
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self._groups: dict[str, QActionGroup] = {}
        for command in self.commands:
            action = self._make(command)
            self.actions[command.id] = action
            if command.attr:
                setattr(window, command.attr, action)

    def _make(self, command: Command) -> QAction:
        window = self.window
        if command.submenu is not None:
            menu = command.submenu(window)
            menu.setTitle(command.text)
            action = menu.menuAction()
        elif command.action is not None:
            action = command.action(window)
            action.setText(command.text)
        else:
            action = QAction(command.text, window)
        action.setObjectName(command.id)
        if command.shortcut is not None:
            if isinstance(command.shortcut, QKeySequence.StandardKey):
                action.setShortcuts(command.shortcut)  # every platform binding (Ctrl+Y too)
            else:
                action.setShortcut(QKeySequence(command.shortcut))
        if command.status_tip:
            action.setStatusTip(command.status_tip)
            if command.action is None:  # made elsewhere: keep its own (e.g. "Undo Edit …")
                action.setToolTip(command.status_tip)
        if command.icon is not None:
            action.setIcon(window.style().standardIcon(command.icon))
        action.setMenuRole(command.role)
        if command.checked_group:
            group = self._groups.get(command.checked_group)
            if group is None:
                group = self._groups[command.checked_group] = QActionGroup(window)
            action.setCheckable(True)
            group.addAction(action)
        if command.handler is not None:
            handler = command.handler
            action.triggered.connect(lambda _checked=False, h=handler: h(window))
        return action

    def action(self, command_id: str) -> QAction:
        return self.actions[command_id]

    def build_menus(self, bar: QMenuBar) -> dict[str, QMenu]:
        """One menu per entry of MENUS, its commands in declaration order, separators between
        groups."""
        for menu_id, title in MENUS:
            menu = bar.addMenu(title)
            menu.setObjectName(f"{menu_id}Menu")
            menu.setToolTipsVisible(True)
            group: str | None = None
            for command in self.commands:
                if command.menu != menu_id:
                    continue
                if group is not None and command.group != group:
                    menu.addSeparator()
                group = command.group
                action = self.actions[command.id]
                if command.submenu is not None:
                    menu.addMenu(command.submenu(self.window))
                else:
                    menu.addAction(action)
            self.menus[menu_id] = menu
        return self.menus

    def build_toolbar(self, bar: QToolBar) -> None:
        """The toolbar's commands in declaration order; a separator where the menu changes."""
        menu: str | None = None
        for command in self.commands:
            if not command.toolbar:
                continue
            if menu is not None and command.menu != menu:
                bar.addSeparator()
            menu = command.menu
            bar.addAction(self.actions[command.id])

    def update_enabled(self) -> None:
        """Re-evaluate every ``enabled_when`` (cheap: the window calls it after each change)."""
        for command in self.commands:
            if command.enabled_when is not None:
                self.actions[command.id].setEnabled(bool(command.enabled_when(self.window)))
