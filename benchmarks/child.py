"""Runs one measurement in a fresh interpreter, as a user's start would be.

The child starts cold (imports, caches and Qt are new) but with compiled bytecode, as an
installed app has it: a development shell that sets PYTHONDONTWRITEBYTECODE would otherwise
make every start recompile whichever modules were edited since their bytecode was written."""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_compiled = False


def _compile_once() -> None:
    global _compiled
    if not _compiled:
        for package in ("engine", "gui", "benchmarks"):
            compileall.compile_dir(ROOT / package, quiet=1)
        _compiled = True


def run_child(module: str, *args: str, timeout: float = 600) -> dict[str, Any]:
    """``python -m module args…`` offscreen; its last line of output is the JSON result."""
    _compile_once()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYQTGRAPH_QT_LIB": "PySide6"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
