"""Offline, proven: evaluation, the GUI smoke test and a report run with every network call
refused (sockets blocked in each child process); any attempt is recorded and fails the test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.templates import template_path

ROOT = Path(__file__).resolve().parents[2]
NONET = Path(__file__).parent / "nonet"


def run_offline(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    log = tmp_path / "network-attempts.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(NONET), str(ROOT)]),
        "FTRAG_NONET_LOG": str(log),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),  # fresh settings and recovery folders
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "gui.launcher", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env=env,
    )
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network access attempted:\n{attempts}"
    return done


def test_the_guard_really_blocks(tmp_path: Path) -> None:
    log = tmp_path / "log"
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('192.0.2.1', 80), 1)\nexcept OSError:\n    pass\n"
    )
    env = {**os.environ, "PYTHONPATH": str(NONET), "FTRAG_NONET_LOG": str(log)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "create_connection" in log.read_text()


@pytest.mark.parametrize("template", ["support-assistant", "seed-enterprise"])
def test_evaluation_offline(tmp_path: Path, template: str) -> None:
    done = run_offline(tmp_path, "eval", str(template_path(template)), "--json", "--samples", "500")
    assert done.returncode == 0, done.stderr


@pytest.mark.gui
def test_gui_smoke_test_offline(tmp_path: Path) -> None:
    done = run_offline(tmp_path, "--smoke-test")
    assert done.returncode == 0, done.stderr
    assert "smoke test OK" in done.stdout


@pytest.mark.gui
def test_report_offline(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    done = run_offline(tmp_path, "report", str(template_path("support-assistant")), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_price_import_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing price data reads the file it is given and nothing else."""
    monkeypatch.setenv("FTRAG_DATA_DIR", str(tmp_path / "user-data"))
    data = tmp_path / "data.json"
    data.write_text(
        '[{"id": "openai", "name": "OpenAI", "api_pattern": "openai", "models": [{"id": '
        '"gpt-4o-mini", "match": {"equals": "gpt-4o-mini"}, "price_comments": "checked '
        '2026-12-01", "prices": {"input_mtok": 0.1, "output_mtok": 0.4}}]}]',
        encoding="utf-8",
    )
    done = run_offline(tmp_path, "prices", "import", str(data))
    assert done.returncode == 0, done.stderr
    assert "genai-prices data of 2026-12-01, imported" in done.stdout
