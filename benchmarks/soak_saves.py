"""Soak: kill -9 the app at random moments while it saves a large project through File → Save.

    nice -n 19 python -m benchmarks.soak_saves [--kills 200] [--scenarios 200] [--seed 1]

Not part of `make test` (it takes minutes).  Each round is one app process with the real main
window (offscreen) on the project file: it opens the file, then edits and saves through the
File → Save menu action as fast as it can; the soak kills it with SIGKILL at a random moment
(uniform in 0 … --max-delay seconds after the file is open, which spans several saves, so the
kill lands at a uniformly random point of a save), then checks that the file and its .bak both
load.  At the end it runs the app's start-up sweep (gui.recovery.sweep_leftovers, with the
soak's recent files) as the next start an hour later would, and checks that no temporary
file is left.  Prints one line of figures; exit status 1 if a file did not load or a
temporary file survived.

Where the time went: a fresh interpreter per round spent ~1.5 s importing Qt, the GUI and
the engine before the window existed — more than the saves the round is about.  The rounds
are therefore forked from a *zygote*, one process that has imported everything (and has no
QApplication, no window, no thread of Qt) and forks one app per round: each round still
creates its own QApplication and main window, opens the file from disk and saves through
the menu, so what is killed is a whole app in the middle of a real save.  Settings and the
recovery folder are the soak's own (XDG_CONFIG_HOME / XDG_DATA_HOME), never the user's.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.model.project import Project

ZYGOTE = r"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from gui.mainwindow import MainWindow
from gui import files
from gui.app import APP_NAME, ORGANIZATION
from engine.templates import load_template
load_template("support-assistant")  # read-only caches (catalog, prices) as a warm start has
MainWindow.ask_changed_on_disk = lambda self: files.OVERWRITE
path = ("workload", "peak_to_average_load", "likely")
print("zygote", flush=True)
for command in sys.stdin:
    pid = os.fork()
    if pid == 0:  # one app: its own QApplication and window, the file opened from disk
        app = QApplication(["ftrag-soak"])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(ORGANIZATION)
        window = MainWindow()
        assert window.open_file(sys.argv[1])
        print(f"ready {os.getpid()}", flush=True)
        value = 2.0
        while True:
            value = 2.0 if value >= 9.0 else value + 0.5
            window.document.set_field(path, value)
            window.act_save.trigger()
            print("saved", flush=True)
    print(f"child {pid}", flush=True)
    os.waitpid(pid, 0)
    print(f"reaped {pid}", flush=True)
"""

NEXT_START = r"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from gui.app import APP_NAME, ORGANIZATION
app = QApplication(["ftrag-soak"])
app.setApplicationName(APP_NAME)
app.setOrganizationName(ORGANIZATION)
from gui.recovery import sweep_leftovers
print(len(sweep_leftovers()), flush=True)
"""


def _large_project(scenarios: int) -> Project:
    from engine.model.project import Project
    from engine.templates import load_template

    base = load_template("support-assistant")
    template = base.scenarios[0]
    many = [
        template.model_copy(update={"name": f"Scenario {i}", "description": "lorem ipsum " * 200})
        for i in range(scenarios)
    ]
    return Project.model_validate(base.model_copy(update={"scenarios": many}).model_dump())


def _deadline(text: str | None) -> float | None:
    """The epoch time of today's HH:MM UTC (None when not given)."""
    if not text:
        return None
    hours, minutes = (int(part) for part in text.split(":"))
    now = time.gmtime()
    midnight = time.time() - (now.tm_hour * 3600 + now.tm_min * 60 + now.tm_sec)
    return midnight + hours * 3600 + minutes * 60


def _temp_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.endswith(".tmp")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="kill -9 the app at random moments during File → Save of a large project; "
        "then check every file and .bak loads and the next start sweeps the temporary files. "
        "Run it under `nice -n 19` on a shared machine; about 3 s per kill on an idle one.",
    )
    parser.add_argument("--kills", type=int, default=200, help="rounds (default 200)")
    parser.add_argument("--scenarios", type=int, default=200, help="scenarios (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the kill moments")
    parser.add_argument(
        "--max-delay",
        type=float,
        default=1.5,
        help="kill at a uniform moment in 0 … this many seconds after the file is open "
        "(default 1.5: several saves of the 200-scenario project)",
    )
    parser.add_argument(
        "--stop-at",
        metavar="HH:MM",
        help="stop starting new rounds at this UTC time and report the kills done so far",
    )
    args = parser.parse_args(argv)
    stop_at = _deadline(args.stop_at)

    from engine.fileformat import ProjectFileError, load_project, save_project

    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="ftrag-soak-"))
    home = folder / "home"
    files_folder = folder / "files"
    files_folder.mkdir(parents=True)
    path = files_folder / "large.ftrag"
    project = _large_project(args.scenarios)
    save_project(project, path)
    save_project(project, path)  # a .bak from the start
    size = path.stat().st_size
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "OPENBLAS_NUM_THREADS": "1",  # no BLAS threads in the process that forks
    }
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(path)],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert zygote.stdin is not None
    assert zygote.stdout is not None
    if zygote.stdout.readline().strip() != "zygote":
        zygote.kill()
        print("the app could not be imported")
        return 1
    unloadable: list[str] = []
    saves = 0
    killed_in_first_save = 0
    leftovers_seen: set[str] = set()  # distinct temporary files that kills left behind
    started = time.perf_counter()
    kills = 0
    loaded: set[str] = set()  # SHA-256 of every file content that loaded
    for _ in range(args.kills):
        if stop_at is not None and time.time() >= stop_at:
            break
        zygote.stdin.write("go\n")
        zygote.stdin.flush()
        pid = int(zygote.stdout.readline().split()[1])  # "child PID"
        line = zygote.stdout.readline()  # "ready PID": the file is open, saving starts now
        if not line.startswith("ready"):
            unloadable.append(f"the app did not start: {line!r}")
            break
        time.sleep(rng.uniform(0.0, args.max_delay))
        os.kill(pid, signal.SIGKILL)
        saved_here = 0
        for out in zygote.stdout:  # everything the app wrote before it died, then "reaped"
            if out.startswith("reaped"):
                break
            saved_here += out.startswith("saved")
        saves += saved_here
        killed_in_first_save += saved_here == 0
        for candidate in (path, path.with_name(path.name + ".bak")):
            # The .bak is usually the very bytes of a file already loaded in an earlier
            # round: those bytes load (loading is a function of the bytes); others are loaded.
            digest = hashlib.sha256(candidate.read_bytes()).hexdigest()
            if digest in loaded:
                continue
            try:
                load_project(candidate)
            except ProjectFileError as exc:
                unloadable.append(str(exc))
            else:
                loaded.add(digest)
        leftovers_seen |= _temp_files(files_folder)
        kills += 1
        if kills % 5 == 0:
            elapsed = time.perf_counter() - started
            print(
                f"  {kills} kills, {elapsed:.0f} s ({elapsed / kills:.1f} s a kill), "
                f"unloadable {len(unloadable)}",
                file=sys.stderr,
                flush=True,
            )
    zygote.stdin.close()
    zygote.wait()
    # The next start, an hour later (past the sweep's safe age): the app's start-up sweep
    # removes what the killed saves left beside the recent file.
    hour_ago = time.time() - 3601
    for name in _temp_files(files_folder):
        os.utime(files_folder / name, (hour_ago, hour_ago))
    swept = subprocess.run(
        [sys.executable, "-c", NEXT_START],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    remaining = sorted(_temp_files(files_folder))
    print(
        f"kills={kills} scenarios={args.scenarios} file_bytes={size} "
        f"saves_completed={saves} killed_during_first_save={killed_in_first_save} "
        f"unloadable={len(unloadable)} temp_files_left_by_kills={len(leftovers_seen)} "
        f"swept_at_next_start={swept.stdout.strip() or swept.stderr.strip()[-200:]} "
        f"temp_files_after_next_start={len(remaining)} "
        f"seconds={time.perf_counter() - started:.0f}"
    )
    for problem in unloadable[:5]:
        print("  ", problem)
    if unloadable or remaining or swept.returncode:
        print(f"   the files are kept in {folder}")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
