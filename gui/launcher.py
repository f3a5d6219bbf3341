"""The ``ftrag`` console script: sub-commands go to the engine's CLI (no Qt loaded); anything
else (no arguments, a file name, --smoke-test) starts the desktop app."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from engine.cli import COMMANDS


def utf8_output() -> None:
    """stdout and stderr in UTF-8 whatever the console's code page: on Windows, output to a
    pipe or a file is otherwise in the ANSI code page (cp1252), where "→", "≤" or "⌈" in a
    result raise UnicodeEncodeError (the frozen app also runs in Python's UTF-8 mode)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")


def offscreen_fonts() -> None:
    """On Windows, Qt's offscreen platform (the report command, --smoke-test) finds no font
    folder of its own ("QFontDatabase: Cannot find font directory"): point it at the bundled
    fonts.  The native Windows platform ignores this variable."""
    if sys.platform == "win32" and "QT_QPA_FONTDIR" not in os.environ:
        from engine.catalog import RESOURCES

        os.environ["QT_QPA_FONTDIR"] = str(RESOURCES / "fonts")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    utf8_output()
    offscreen_fonts()
    if args and args[0] == "report":  # lays out a PDF with Qt, so it lives on the GUI side
        from gui.report.cli import main as report_main

        return report_main(args[1:])
    if args and (args[0] in COMMANDS or args[0] in ("-h", "--help", "--version")):
        from engine.cli import main as cli_main

        return cli_main(args)
    from gui.app import run  # Qt is imported only on this path

    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
