"""`make install`: an `ftrag` launcher in a bin folder that runs this checkout's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "ftrag").exists(), reason="no .venv yet")
def test_make_install_puts_a_working_ftrag_on_the_path(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    # -o: the environment counts as installed (the test must not reinstall it)
    make = ["make", "--no-print-directory", "-o", ".venv/.installed"]
    done = subprocess.run(
        [*make, "install", f"BINDIR={bindir}"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    launcher = bindir / "ftrag"
    assert os.access(launcher, os.X_OK)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    shown = subprocess.run(
        ["ftrag", "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("FTRAG Advisor ")
    listed = subprocess.run(["ftrag", "templates"], cwd=tmp_path, env=env, capture_output=True)
    assert b"support-assistant" in listed.stdout
    subprocess.run([*make, "uninstall", f"BINDIR={bindir}"], cwd=ROOT, check=True)
    assert not launcher.exists()
