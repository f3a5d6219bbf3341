"""The Windows build's own rules, checked without Wine (the build itself runs in CI:
`make package-windows smoke-windows`)."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging" / "windows"))
import build_windows  # noqa: E402

sys.path.remove(str(ROOT / "packaging" / "windows"))

SPEC = (ROOT / "packaging" / "ftrag.spec").read_text()


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_wheels_cover_every_runtime_dependency_with_the_linux_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    reqs = build_windows.requirements()
    assert declared <= {_name(r) for r in reqs}  # python-docx, openpyxl, … included
    assert "pyinstaller" in {_name(r) for r in reqs}
    for req in reqs:
        try:
            installed = metadata.version(_name(req))
        except metadata.PackageNotFoundError:
            continue
        assert req.endswith(f"=={installed}"), f"{req}: not the version the Linux build uses"


def test_frozen_app_runs_in_utf8_mode() -> None:
    # exactly this key: "X utf8_mode=1" is silently ignored by the bootloader
    assert '[("X utf8=1", None, "OPTION")]' in SPEC
    assert "utf8_mode" not in SPEC.replace("X utf8_mode=1", "")


def test_only_backports_zstd_is_excluded() -> None:
    assert '"backports.zstd"' in SPEC
    assert not re.search(r'"backports"\s*,', SPEC)


def test_setuptools_new_enough_for_the_licence_expression() -> None:
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]
    (setuptools,) = [r for r in build["requires"] if r.startswith("setuptools")]
    low = re.search(r">=\s*(\d+)", setuptools)
    assert low is not None and int(low.group(1)) >= 77


def test_the_zip_is_named_for_windows_x86_64() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert build_windows.zip_path().name == f"ftrag-advisor-{version}-windows-x86_64.zip"


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (an orphan nobody has reaped yet)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def test_smoke_runs_wait_for_the_program_not_for_its_inherited_pipes(tmp_path: Path) -> None:
    """Under Wine, the desktop process the first window starts keeps the program's output
    pipes open: the smoke test must still finish each run when the program exits."""
    import signal

    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import smoke_test
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    pid_file = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys; "
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
        f"open({str(pid_file)!r}, 'w').write(str(p.pid)); "
        "print('done → ok'); sys.stderr.write('note\\n')"
    )
    finished = smoke_test.run_captured([sys.executable, "-c", code], dict(os.environ), 60)
    grandchild = int(pid_file.read_text())
    try:
        # Ordering, not a stopwatch: the run was over while the grandchild, which holds the
        # program's pipes, was still running.
        assert _running(grandchild)
    finally:
        with contextlib.suppress(OSError):
            os.kill(grandchild, signal.SIGTERM)
    assert finished.returncode == 0
    assert finished.stdout == "done → ok\n"
    assert finished.stderr == "note\n"
