"""Starts the desktop app (placeholder until the main window lands: prints the example's
evaluation so `make run` shows a live recommendation)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def run(argv: Sequence[str]) -> int:
    from engine.cli import main as cli_main
    from engine.templates import DEFAULT_TEMPLATE, template_path

    target = argv[0] if argv and not argv[0].startswith("-") else str(template_path(DEFAULT_TEMPLATE))
    print("The desktop window is not built yet; here is the evaluation:", file=sys.stderr)
    return cli_main(["eval", target])
