"""Output never depends on the console's code page: Windows writes pipes and files in the ANSI
code page (cp1252), where "→", "≤" or "⌈" in a result raise UnicodeEncodeError.  Simulated here
with PYTHONIOENCODING=cp1252; the `ftrag` entry point must still write every character."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "resources" / "templates" / "support-assistant.ftrag"


def _ftrag(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_eval_json_is_utf8_whatever_the_code_page() -> None:
    done = _ftrag("eval", str(TEMPLATE), "--json")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-800:]
    text = done.stdout.decode("utf-8")  # UTF-8, not cp1252
    assert any(ord(c) > 255 for c in text)  # characters cp1252 has no code for
    json.loads(text)


def test_smoke_test_line_is_utf8_whatever_the_code_page() -> None:
    done = _ftrag("--smoke-test")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-800:]
    assert "→" in done.stdout.decode("utf-8")
