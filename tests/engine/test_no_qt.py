"""engine/ must never import Qt or pyqtgraph (it runs and is tested without Qt): checked in
the source and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN = {"PySide6", "shiboken6", "pyqtgraph", "gui", "PyQt5", "PyQt6"}


def test_no_qt_import_statement_in_engine() -> None:
    offenders = []
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_evaluating_every_template_loads_no_qt_module() -> None:
    code = (
        "import sys\n"
        "from engine.cli import main\n"
        "from engine.templates import template_names, template_path\n"
        "for n in template_names():\n"
        "    assert main(['eval', str(template_path(n)), '--json']) == 0\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}]\n"
        f"assert not bad, bad\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
