"""``ftrag report FILE -o OUT.pdf|OUT.docx [--full] [--scenario NAME ...] [--all-scenarios]
[--detail NAME ...] [--paper a4|letter]``.

The output's suffix chooses the format: a PDF, or an editable Word document (.docx) with the
same content.  The client summary by default; ``--full`` adds the technical appendix (formulas,
inputs, catalog provenance, methodology).  With more than DETAIL_LIMIT (12) scenarios the report
details only the ``--detail`` ones (the first by default) and compares all of them in one
table; ``--all-scenarios`` details every one.

The PDF is laid out by Qt, so this command lives on the GUI side (engine.cli never imports Qt);
gui.launcher routes ``report`` here.  It needs no display: without one (or always, when
QT_QPA_PLATFORM is unset) it renders with Qt's offscreen platform.  Bad input gives one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from engine.model.project import Project
    from gui.report.branding import ReportMode

EXIT_BAD_INPUT = 2
OUTPUT_SUFFIXES = (".pdf", ".docx")


class _CliError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    from gui.report.model import DETAIL_LIMIT

    parser = _Parser(
        prog="ftrag report",
        description="Write the recommendation report of a project file as a PDF or as an "
        "editable Word document (.docx), chosen by the output file's suffix.",
    )
    parser.add_argument("file", help="a .ftrag project file")
    parser.add_argument("-o", "--output", required=True, help="the .pdf or .docx file to write")
    parser.add_argument(
        "--full",
        action="store_true",
        help="the full report: the client summary plus the technical appendix "
        "(default: the client summary)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="only this scenario (repeat for several; default: all)",
    )
    parser.add_argument(
        "--all-scenarios",
        action="store_true",
        help=f"detail every scenario, however many (default: with more than {DETAIL_LIMIT} "
        "scenarios the report details only the --detail ones and compares all in one table)",
    )
    parser.add_argument(
        "--detail",
        action="append",
        metavar="NAME",
        help=f"with more than {DETAIL_LIMIT} scenarios, detail this one (repeat for several; "
        "default: the first)",
    )
    parser.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="paper size (default: from the locale — US Letter in the US and Canada, else A4)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[2:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        return _run(args)
    except _CliError as exc:
        from engine.cli import error_line

        print(f"error: {error_line(str(exc))}", file=sys.stderr)  # noqa: T201 - the output
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    from engine.fileformat import ProjectFileError, load_project

    output = Path(args.output)
    kind = output.suffix.lower()
    if kind not in OUTPUT_SUFFIXES:
        raise _CliError(f"{output}: the output must be a .pdf or .docx file")
    if output.is_dir():
        raise _CliError(f"{output}: is a folder")
    if not output.parent.is_dir():
        raise _CliError(f"{output}: the folder {output.parent} does not exist")
    if _read_only_file_system(output.parent):
        raise _CliError(
            f"{output}: cannot write the report there: {output.parent} is on a read-only "
            "file system (choose another folder with -o)"
        )
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        raise _CliError(str(exc)) from None

    _ensure_gui_application()
    from gui.report.render import ReportError, render_report

    if kind == ".docx":
        return _write_docx(args, project, output)
    try:
        result = render_report(
            project,
            output,
            scenario_names=args.scenario,
            paper=args.paper,
            source_name=_shown_name(Path(args.file).name),
            mode="full" if args.full else "summary",
            detail=args.detail,
            all_scenarios=args.all_scenarios,
        )
    except ReportError as exc:
        message = str(exc)
        # A problem with the output names the output (the message starts with it); a problem
        # with the project (an unknown scenario, inputs that cannot be evaluated) the input.
        shown = message if message.startswith(str(output)) else f"{args.file}: {message}"
        raise _CliError(shown) from None
    from engine.text import terminal_safe

    print(  # noqa: T201 - the command's output
        terminal_safe(f"wrote {output} ({result.pages} pages, inputs {result.digest[:8]})")
    )
    return 0


def _write_docx(args: argparse.Namespace, project: Project, output: Path) -> int:
    from gui.report.docx_writer import export_docx
    from gui.report.render import ReportError

    mode: ReportMode = "full" if args.full else "summary"
    try:
        export_docx(
            project,
            output,
            mode=mode,
            scenario_names=args.scenario,
            source_name=_shown_name(Path(args.file).name),
            paper=args.paper,
            detail=args.detail,
            all_scenarios=args.all_scenarios,
        )
    except ReportError as exc:
        raise _CliError(f"{args.file}: {exc}") from None
    print(f"wrote {output} ({mode} report, editable)")  # noqa: T201 - the command's output
    return 0


def _shown_name(name: str) -> str:
    """A file name for the footer: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become U+FFFD instead of breaking the text layout."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read_only_file_system(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): the write itself will say
        return False


def _ensure_gui_application() -> None:
    """A QGuiApplication for fonts and painting; offscreen unless a platform was chosen."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The instance must outlive rendering: keep it on the module.
    global _app
    _app = QGuiApplication(["ftrag report"])


_app: object = None
