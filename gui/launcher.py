"""The ``ftrag`` console script: sub-commands go to the engine's CLI (no Qt loaded); anything
else (no arguments, a file name, --smoke-test) starts the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from engine.cli import COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
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
