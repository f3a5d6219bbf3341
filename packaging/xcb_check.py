"""Start the app on a plain X server (Xvfb), through Qt's real X11 platform plugin (xcb, not
offscreen), the way a desktop user starts it — run by CI (`make xcb-check`).

    .venv/bin/python packaging/xcb_check.py [--screen 1366x768] [--screenshot PATH]

Starts Xvfb on a free display (it picks one itself: ``-displayfd``), then with
QT_QPA_PLATFORM=xcb and a scratch HOME:
  * ``python -m gui.launcher --smoke-test`` on every template: the window shown, evaluated,
    every view rendered, one edit typed into a field redraws the chart;
  * the first-start window geometry: ``--smoke-test`` reports the window's size, which must be
    about 90% of the screen (at least 1280×720 where the screen allows) and never larger.
With ``--screenshot PATH`` it also saves the X screen while the window is up (a real xcb
rendering, for the eyes).  Exits non-zero, naming the failure, if anything goes wrong;
stderr must be empty (Qt's xcb plugin says nothing on a healthy start).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 180


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("xcb check: Xvfb is not installed (make ci-sysdeps installs it)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise SystemExit("xcb check: Xvfb did not start")
    return proc, f":{number}"


def environment(display: str, home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("QT_", "XDG_")) and k not in ("WAYLAND_DISPLAY", "DISPLAY")
    }
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(runtime),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def expected_size(width: int, height: int) -> tuple[int, int]:
    """The first-start size rule, restated here independently of the app's code."""
    w = max(round(width * 0.9), min(1280, width))
    h = max(round(height * 0.9), min(720, height))
    return min(w, width), min(h, height)


def run_smoke(args: list[str], env: dict[str, str]) -> tuple[bool, str]:
    command = [sys.executable, "-m", "gui.launcher", "--smoke-test", *args]
    try:
        proc = subprocess.run(
            command,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, f"timed out after {TIMEOUT_S} s"
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit status {proc.returncode}")
    if proc.stderr.strip():
        problems.append("stderr: " + proc.stderr.strip()[-1500:])
    if "smoke test OK" not in proc.stdout:
        problems.append("no 'smoke test OK' line")
    elif "(xcb platform)" not in proc.stdout:
        problems.append("did not run on the xcb platform: " + proc.stdout.strip())
    return not problems, proc.stdout.strip() if not problems else "; ".join(problems)


def screenshot(env: dict[str, str], path: Path) -> None:
    """Start the app normally (its first-start geometry), wait for the window, grab the screen."""
    code = (
        "import sys, time\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "time.sleep(0.2)\n"
        "ok = QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])\n"
        "sys.exit(0 if ok else 1)\n"
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "gui.launcher"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(12)  # the window, then the chart after the first paint
        subprocess.run([sys.executable, "-c", code, str(path)], env=env, check=True, timeout=60)
    finally:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screen", default="1366x768", help="Xvfb screen size, WIDTHxHEIGHT")
    parser.add_argument("--screenshot", type=Path, help="also save a screenshot of the screen")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.screen.lower().split("x"))

    templates = sorted((ROOT / "resources" / "templates").glob("*.ftrag"))
    started = time.perf_counter()
    xvfb, display = start_xvfb(width, height)
    failed = 0
    try:
        with tempfile.TemporaryDirectory(prefix="ftrag-xcb-") as scratch:
            env = environment(display, Path(scratch))
            print(
                f"xcb check on Xvfb {display} ({width}×{height}), QT_QPA_PLATFORM=xcb", flush=True
            )
            for template in templates:
                ok, text = run_smoke([str(template)], env)
                failed += not ok
                print(f"  {'ok  ' if ok else 'FAIL'} --smoke-test {template.name}: {text}")
                if ok:
                    found = re.search(r"window (\d+)×(\d+) on a (\d+)×(\d+) screen", text)
                    want = expected_size(width, height)
                    if not found:
                        failed += 1
                        print("  FAIL the smoke test did not report the window size")
                    elif (int(found[1]), int(found[2])) != want:
                        failed += 1
                        print(
                            f"  FAIL first-start window {found[1]}×{found[2]}, expected "
                            f"{want[0]}×{want[1]}"
                        )
            if args.screenshot:
                screenshot(env, args.screenshot)
                print(f"  screenshot: {args.screenshot}")
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    print(f"xcb check: {'FAILED' if failed else 'passed'} in {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
