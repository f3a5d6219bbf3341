"""Starts the desktop app: ``ftrag [FILE] [--template NAME] [--smoke-test]``.

Without a file the built-in example opens, so a first-time user sees a live recommendation
at once.  ``--smoke-test`` builds the real window off-screen, loads the file (or the example),
evaluates every scenario, renders the chart and every view, exports the chart, prints one line
and exits 0 — or non-zero, naming the failure (CI and the packaged app use it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from gui.errors import ExcInfo
    from gui.mainwindow import MainWindow

ORGANIZATION = "FTRAG Advisor"
APP_NAME = "FTRAG Advisor"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftrag",
        description="Fine-tune, RAG or both? The desktop advisor. "
        "(Sub-commands eval, report, new, schema run without a window; see 'ftrag --help'.)",
    )
    parser.add_argument("file", nargs="?", help="a .ftrag project to open")
    parser.add_argument(
        "--template", metavar="NAME", help="open a built-in example (when no FILE is given)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="build the window off-screen, evaluate and render everything, print one line, exit",
    )
    return parser


def _application(smoke_test: bool) -> QApplication:
    # pyqtgraph picks a binding by itself (PyQt6 first); pin it before anything imports it.
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    if smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.platform_check import check_xcb

    problem = check_xcb()
    if problem:  # instead of Qt's generic abort: which library, which package
        raise StartupProblem(problem)
    from PySide6.QtWidgets import QApplication

    from engine.version import APP_VERSION

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        with _platform_failure_said_in_one_line():
            app = QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(APP_VERSION)
    app.setDesktopFileName("ftrag-advisor")
    from PySide6.QtGui import QIcon

    from engine.catalog import RESOURCES

    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "ftrag-advisor.svg")))
    # Native style and the OS light/dark palette: Qt 6 follows both by default; nothing forced.
    return app


class StartupProblem(Exception):
    """The window cannot open on this machine; the message is the one line to show."""


@contextmanager
def _platform_failure_said_in_one_line() -> Iterator[None]:
    """While QApplication starts: Qt's messages are held back; if Qt gives up on its platform
    plugin (a fatal message, then abort), one line says why and the app exits with status 1
    instead.  Otherwise the held messages are passed on unchanged."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from gui.platform_check import qt_messages_line

    seen: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        seen.append(message)
        if kind == QtMsgType.QtFatalMsg:
            _say(qt_messages_line(seen) or "\n".join(seen), error=True)
            os._exit(1)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        if seen and sys.stderr is not None:
            sys.stderr.write("".join(line + "\n" for line in seen))


def run(argv: Sequence[str]) -> int:
    started = time.perf_counter()
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:  # --help, or a usage error argparse has already printed
        return int(exc.code or 0)
    try:
        app = _application(args.smoke_test)
    except StartupProblem as exc:
        _say(str(exc), error=True)
        return 1

    from gui.errors import ExceptionHooks, remove_logging, setup_logging

    handler = setup_logging()
    errors: list[ExcInfo] = []
    hooks = ExceptionHooks(show=not args.smoke_test, on_error=errors.append)
    try:
        if args.smoke_test:
            with _without_offscreen_noise():
                return _smoke_test(args, started, errors)
        window = _open_window(args)
        window.show()
        from PySide6.QtCore import QTimer

        # Copies left by a run that died are offered once the window is up.
        QTimer.singleShot(0, window, window.restore_recovery_copies)
        return int(app.exec())
    finally:
        hooks.restore()
        remove_logging(handler)


@contextmanager
def _without_offscreen_noise() -> Iterator[None]:
    """Drop the off-screen platform's "This plugin does not support …" warnings, so a CI check
    that fails on unexpected stderr lines sees only real problems; everything else passes."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(_kind: QtMsgType, _context: object, message: str) -> None:
        if message.startswith("This plugin does not support"):
            return
        if sys.stderr is not None:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _open_window(args: argparse.Namespace) -> MainWindow:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from engine.fileformat import ProjectFileError, load_project
    from engine.templates import DEFAULT_TEMPLATE, template_names
    from gui.mainwindow import MainWindow

    window = MainWindow()
    window.restore_layout()  # where the user left it; ~90% of the screen the first time
    problems: list[tuple[str, str]] = []
    if args.file:
        try:
            window.open_project(load_project(args.file), args.file)
            window.recent.add(args.file)
            return window
        except ProjectFileError as exc:
            problems.append(
                (
                    "Cannot open the project",
                    f"Could not open {exc.path or args.file}:\n{exc.reason}\n\n"
                    "The example project opens instead.",
                )
            )
    name = args.template or DEFAULT_TEMPLATE
    if name not in template_names():
        problems.append(
            (
                "Unknown template",
                f"There is no built-in example named “{name}” (there are: "
                f"{', '.join(template_names())}). The default example opens instead.",
            )
        )
        name = DEFAULT_TEMPLATE
    window.open_template(name)
    # Said once the window is up, so the message has the window behind it.
    for title, text in problems:
        QTimer.singleShot(
            0, lambda t=title, x=text: window.show_message(QMessageBox.Icon.Warning, t, x)
        )
    return window


def _smoke_test(args: argparse.Namespace, started: float, errors: list[ExcInfo]) -> int:
    from PySide6.QtWidgets import QApplication

    from engine.fileformat import ProjectFileError, load_project
    from engine.templates import DEFAULT_TEMPLATE, load_template
    from gui.errors import format_exception
    from gui.mainwindow import MainWindow

    def fail(reason: str) -> int:
        _say(f"ftrag smoke test FAILED: {reason}", error=True)
        return 1

    source = args.file or f"template {args.template or DEFAULT_TEMPLATE}"
    try:
        project = (
            load_project(args.file)
            if args.file
            else load_template(args.template or DEFAULT_TEMPLATE)
        )
    except (ProjectFileError, KeyError) as exc:
        return fail(f"cannot open {source}: {exc}")

    window = MainWindow()
    try:
        if QApplication.platformName() == "offscreen":
            window.resize(1366, 768)  # the offscreen screen is 800×600: render a real size
        else:
            window.apply_first_start_geometry()  # what a first start on this screen shows
        window.open_project(project, args.file)
        window.show()
        QApplication.processEvents()
        screen = window.screen().availableGeometry()
        window_size = (
            f"window {window.width()}×{window.height()} on a "
            f"{screen.width()}×{screen.height()} screen"
        )
        if window.document.evaluation is None:
            return fail(f"{source}: no live result ({window.document.evaluation_error})")
        if window.grab().isNull():
            return fail("the main window did not render")
        first_result = time.perf_counter() - started
        window.ensure_chart()
        QApplication.processEvents()
        chart_ready = time.perf_counter() - started

        problems: list[str] = []
        doc = window.document
        for index, scenario in enumerate(doc.project.scenarios):
            doc.switch_scenario(index)
            if doc.evaluation_error:
                problems.append(doc.evaluation_error)
            for tab in range(window.results.count()):
                window.results.setCurrentIndex(tab)
                QApplication.processEvents()
                if window.grab().isNull():
                    problems.append(f"{scenario.name}: view {tab} did not render")
        doc.switch_scenario(0)
        with tempfile.TemporaryDirectory(prefix="ftrag-smoke-") as folder:
            for kind in ("png", "svg", "csv"):
                path = Path(folder) / f"chart.{kind}"
                getattr(window.chart, f"export_{kind}")(path)
                if not path.is_file() or path.stat().st_size == 0:
                    problems.append(f"chart export to {kind.upper()} wrote nothing")
        redraw_ms, problem = _edit_and_redraw(window)
        if problem:
            problems.append(problem)
        window.show_methodology()
        QApplication.processEvents()
        if errors:
            problems.append(format_exception(errors[0]).strip().splitlines()[-1])
        if problems:
            return fail("; ".join(problems))
        evaluation = doc.evaluation
        assert evaluation is not None
        recommendation = evaluation.recommendation
        _say(
            f"ftrag smoke test OK: {source}: {len(doc.project.scenarios)} scenario(s), "
            f"'{evaluation.scenario}' → {recommendation.name}; first live result "
            f"{first_result * 1000:.0f} ms, chart {chart_ready * 1000:.0f} ms, "
            f"all views {(time.perf_counter() - started) * 1000:.0f} ms, "
            f"edit → redraw {redraw_ms:.0f} ms; {window_size} "
            f"({QApplication.platformName()} platform)"
        )
        return 0
    except Exception as exc:  # any failure is the smoke test's answer (traceback to stderr)
        import traceback

        traceback.print_exc(file=sys.stderr)
        return fail(f"{type(exc).__name__}: {exc}")
    finally:
        doc_clean = window.document.undo_stack
        doc_clean.setClean()  # the smoke test changed nothing worth a "save changes?" prompt
        window.close()
        window.deleteLater()
        QApplication.processEvents()


def _edit_and_redraw(window: MainWindow) -> tuple[float, str | None]:
    """One edit typed into a number field (monthly queries ×2) → a new evaluation and the
    chart's plot repaints (the today marker moves); then undone.  Returns the milliseconds
    and a problem, if any."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from gui.forms.fields import NumberField, format_number

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    chart = window.ensure_chart()
    counter = PaintCounter()
    viewport = chart._plot.viewport()
    viewport.installEventFilter(counter)
    try:
        window.inputs.setCurrentIndex(0)
        field = window.inputs.show_field("workload", "queries_per_month")
        if not isinstance(field, NumberField):
            return 0.0, f"queries per month is a {type(field).__name__}, not a number field"
        QApplication.processEvents()
        before = window.document.evaluation
        painted = counter.count
        field.setFocus()
        edit = field.lineEdit()
        edit.selectAll()
        start = time.perf_counter()
        edit.insert(format_number(field.value() * 2, locale_widget=field))  # as if typed
        deadline = start + 10.0
        while counter.count == painted and time.perf_counter() < deadline:
            QApplication.processEvents()
        elapsed = (time.perf_counter() - start) * 1000
        window.document.end_edit_burst()
        if counter.count == painted:
            return elapsed, "the chart did not repaint after an edit"
        if window.document.evaluation is before or window.document.evaluation is None:
            return elapsed, "an edit did not give a new live result"
        window.document.undo_stack.undo()
        QApplication.processEvents()
        return elapsed, None
    finally:
        viewport.removeEventFilter(counter)


def _say(line: str, *, error: bool = False) -> None:
    """One line to stdout/stderr (either may be None in a windowed frozen app)."""
    stream = sys.stderr if error else sys.stdout
    if stream is not None:
        stream.write(line + "\n")
        stream.flush()
