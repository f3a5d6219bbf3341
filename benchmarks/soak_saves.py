"""Soak: kill -9 the app at random moments while it saves a large project through File → Save.

    python -m benchmarks.soak_saves [--kills 50] [--scenarios 200] [--seed 1]

Not part of `make test` (it takes minutes).  Each round starts a child process with the real
main window (offscreen) on the project file, which edits and saves through the menu action as
fast as it can; the parent kills it with SIGKILL after a random delay, then checks that the
file and its .bak both load.  At the end it runs the start-up sweep as the next start would
(after the safe age) and checks that no temporary file is left.  Prints one line of figures.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.mainwindow import MainWindow
from gui import files
MainWindow.ask_changed_on_disk = lambda self: files.OVERWRITE
window = MainWindow()
assert window.open_file(sys.argv[1])
path = ("workload", "peak_to_average_load", "likely")
value = 2.0
print("ready", flush=True)
while True:
    value = 2.0 if value >= 9.0 else value + 0.5
    window.document.set_field(path, value)
    window.act_save.trigger()
    print("saved", flush=True)
"""


def _large_project(scenarios: int) -> object:
    from engine.model.project import Project
    from engine.templates import load_template

    base = load_template("support-assistant")
    template = base.scenarios[0]
    many = [
        template.model_copy(update={"name": f"Scenario {i}", "description": "lorem ipsum " * 200})
        for i in range(scenarios)
    ]
    return Project.model_validate(base.model_copy(update={"scenarios": many}).model_dump())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--scenarios", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from engine.fileformat import ProjectFileError, load_project, save_project, sweep_temp_files

    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="ftrag-soak-"))
    path = folder / "large.ftrag"
    project = _large_project(args.scenarios)
    save_project(project, path)
    save_project(project, path)  # a .bak from the start
    size = path.stat().st_size
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    unloadable: list[str] = []
    saves = 0
    leftovers_seen: set[str] = set()  # distinct temporary files that kills left behind
    started = time.perf_counter()
    for _ in range(args.kills):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert child.stdout is not None
        line = child.stdout.readline()  # "ready": the window is up, saving starts now
        if line.strip() != "ready":
            child.kill()
            child.wait()
            unloadable.append(f"child did not start: {line!r}")
            continue
        time.sleep(rng.uniform(0.05, 3.0))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        saves += sum(1 for out in child.stdout if out.startswith("saved"))
        for candidate in (path, path.with_name(path.name + ".bak")):
            try:
                load_project(candidate)
            except ProjectFileError as exc:
                unloadable.append(str(exc))
        leftovers_seen |= {p.name for p in folder.iterdir() if p.name.endswith(".tmp")}
    # The next start, past the safe age: the sweep removes what the killed saves left.
    removed = sweep_temp_files(folder, older_than_s=0)
    remaining = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    print(
        f"kills={args.kills} file_bytes={size} saves_completed={saves} "
        f"unloadable={len(unloadable)} temp_files_left_by_kills={len(leftovers_seen)} "
        f"swept={len(removed)} temp_files_after_next_start={len(remaining)} "
        f"seconds={time.perf_counter() - started:.0f}"
    )
    for problem in unloadable[:5]:
        print("  ", problem)
    return 1 if unloadable or remaining else 0


if __name__ == "__main__":
    raise SystemExit(main())
