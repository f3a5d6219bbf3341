"""Autosave and crash recovery on the real window: copies of unsaved changes in the recovery
folder, "did that run die?" decided by its lock (never by time), the restore offer at the next
start (Restore / Discard / Later), clean exits that leave nothing behind, and the
unexpected-error dialog's "Save Recovery Copy"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

import gui.app
import gui.errors
import gui.files
import gui.recovery
from engine.fileformat import load_project
from engine.model.base import Estimate
from engine.templates import load_template
from engine.version import APP_VERSION
from gui.mainwindow import MainWindow
from gui.recovery import (
    DISCARD,
    LATER,
    MANIFEST_FORMAT,
    RESTORE,
    Orphan,
    RestoreDialog,
    find_orphans,
    live_managers,
)
from tests.gui.conftest import Messages

pytestmark = pytest.mark.gui

PEAK = ("workload", "peak_to_average_load", "likely")
Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own recovery folder and settings file."""
    where = tmp_path / "recovery"
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(gui.files, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: where)
    return where


def new_window(qtbot: QtBot) -> MainWindow:
    """A real window on the example (not shown, no chart: recovery needs neither)."""
    built = MainWindow()
    qtbot.addWidget(built)
    built.open_template()
    return built


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, messages: Messages) -> MainWindow:
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda _self: Button.Discard)
    return new_window(qtbot)


class Offer:
    """Stands in for the restore dialog: records what was offered, answers ``answer``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
        self.answer = answer
        self.offered: list[list[str]] = []
        monkeypatch.setattr(gui.recovery, "ask_restore", self._ask)

    def _ask(self, _parent: object, orphans: list[Orphan]) -> str:
        self.offered.append([o.describe() for o in orphans])
        return self.answer


def dead_pid() -> int:
    """The id of a process that has ended (a child, started and reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def stale(lock_text: str) -> str:
    """A lock file as Qt wrote it (pid, program, host, machine and boot ids), its process id
    swapped for one that has ended: what a crashed run leaves behind."""
    lines = lock_text.splitlines()
    lines[0] = str(dead_pid())
    return "\n".join(lines) + "\n"


def crash(window: MainWindow, *, stale_lock: bool = True) -> Path:
    """What a crash leaves: the window's copy and manifest, and its lock file naming a
    process that no longer runs (or no lock file at all).  Returns the copy's path."""
    manager = window.recovery
    copy, lock = manager.copy_path, manager.lock_path
    written = lock.read_text(encoding="utf-8")
    assert written.startswith(f"{os.getpid()}\n")  # Qt's lock, held by this live process
    manager.abandon()  # lets go of the lock without any of the clean-exit tidying
    if stale_lock:
        lock.write_text(stale(written), encoding="utf-8")
    return copy


def session_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def edited(window: MainWindow, tmp_path: Path, title: str = "<b>Acme</b> & Co") -> Path:
    """The window's project saved as a client file, then edited (two unsaved changes)."""
    original = tmp_path / "client.ftrag"
    assert window.save_to(original)
    window.document.set_field(("title",), title)
    window.document.set_field(PEAK, 4.0)
    return original


# --- autosave -----------------------------------------------------------------------------


def test_autosave_copies_only_unsaved_changes(
    window: MainWindow, qtbot: QtBot, folder: Path, tmp_path: Path
) -> None:
    manager = window.recovery
    written: list[object] = []
    manager.autosaved.connect(written.append)
    assert manager.interval_minutes() == 1  # every minute by default
    assert manager.autosave_now() is None  # nothing unsaved: nothing written
    assert session_files(folder) == []

    original = edited(window, tmp_path)
    copy = manager.autosave_now()
    assert copy == folder / f"{manager.session}.ftrag"
    assert session_files(folder) == sorted(
        f"{manager.session}.{x}" for x in ("ftrag", "json", "lock")
    )
    assert load_project(copy) == window.document.project
    manifest = json.loads(manager.manifest_path.read_text(encoding="utf-8"))
    assert manifest["format"] == MANIFEST_FORMAT and manifest["session"] == manager.session
    assert manifest["original_path"] == str(original) and manifest["title"] == "<b>Acme</b> & Co"
    assert manifest["pid"] == os.getpid() and manifest["app_version"] == APP_VERSION
    assert manifest["saved_at"].endswith("+00:00")

    assert manager.autosave_now() is None and len(written) == 1  # unchanged since: not rewritten
    window.document.set_field(PEAK, 5.0)
    assert manager.autosave_now() == copy and len(written) == 2
    assert load_project(copy).scenarios[0].workload.peak_to_average_load == Estimate(likely=5.0)

    assert window.save()  # saved: the copy goes (the window's lock stays while it lives)
    assert session_files(folder) == [f"{manager.session}.lock"]
    window.document.set_field(PEAK, 6.0)
    assert manager.autosave_now() == copy
    window.document.undo_stack.undo()  # back to what is in the file: nothing to recover
    qtbot.waitUntil(lambda: not copy.exists(), timeout=2000)


def test_a_window_destroyed_without_closing_keeps_its_copy(qtbot: QtBot, folder: Path) -> None:
    """Not a clean exit (the app quit without closing the window): the copy stays, to be
    offered at the next start."""
    doomed = MainWindow()
    doomed.open_template()
    doomed.document.set_field(PEAK, 4.0)
    copy = doomed.recovery.autosave_now()
    assert copy is not None
    manager = doomed.recovery
    destroyed: list[object] = []
    doomed.destroyed.connect(lambda *_args: destroyed.append(True))
    doomed.deleteLater()
    del doomed
    qtbot.waitUntil(lambda: bool(destroyed), timeout=2000)
    qtbot.wait(10)
    assert copy.exists() and manager.manifest_path.exists()
    assert manager not in live_managers()  # nothing can save through it any more


def test_a_failing_autosave_is_reported_not_raised(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: blocker / "recovery")
    failures: list[str] = []
    window.recovery.autosaveFailed.connect(failures.append)
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now() is None
    assert len(failures) == 1 and "Autosave failed" in failures[0] and str(blocker) in failures[0]
    assert window.statusBar().currentMessage() == failures[0]
    assert window.isWindowModified()


def test_a_live_windows_copy_is_never_offered(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    offer = Offer(monkeypatch, RESTORE)
    second = new_window(qtbot)  # another instance starting while the first runs
    assert find_orphans() == []
    assert second.restore_recovery_copies() == []
    assert offer.offered == [] and not second.document.is_modified()
    assert window.recovery.copy_path.exists()


# --- after a crash ------------------------------------------------------------------------


@pytest.mark.parametrize("stale_lock", [True, False], ids=["stale-lock", "no-lock"])
def test_crash_recovery_end_to_end(
    stale_lock: bool,
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    folder: Path,
    tmp_path: Path,
) -> None:
    original = edited(window, tmp_path)
    edits = window.document.project
    assert window.recovery.autosave_now()  # the timer's slot
    crashed_session = window.recovery.session
    crash(window, stale_lock=stale_lock)

    offer = Offer(monkeypatch, RESTORE)
    restarted = new_window(qtbot)  # the next start, on the example
    assert restarted.restore_recovery_copies() == []  # restored here, no extra window

    assert len(offer.offered) == 1 and len(offer.offered[0]) == 1
    line = offer.offered[0][0]
    assert line.startswith("<b>Acme</b> & Co — from ") and str(original) in line
    doc = restarted.document
    assert doc.project == edits  # every unsaved edit is back
    assert doc.is_modified() and restarted.isWindowModified()
    assert restarted.windowTitle() == "<b>Acme</b> & Co (recovered)[*] — FTRAG Advisor"
    assert doc.path == original  # Save goes back to the client's file
    assert load_project(original) != edits
    # The copy now belongs to the restoring window; the dead run's files and lock are gone.
    assert not any(name.startswith(crashed_session) for name in session_files(folder))
    assert load_project(restarted.recovery.copy_path) == edits
    assert find_orphans() == []  # and it is not offered to a third instance

    assert restarted.save()
    assert load_project(original) == edits
    assert not restarted.recovery.copy_path.exists()  # saved: the copy has done its job
    assert restarted.windowTitle() == "<b>Acme</b> & Co[*] — FTRAG Advisor"
    assert not restarted.isWindowModified()


def test_discard_deletes_the_copies(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    crash(window)
    offer = Offer(monkeypatch, DISCARD)
    restarted = new_window(qtbot)
    assert restarted.restore_recovery_copies() == []
    assert len(offer.offered) == 1
    assert session_files(folder) == []
    assert not restarted.document.is_modified()
    restarted.restore_recovery_copies()
    assert len(offer.offered) == 1  # gone for good: not offered again


def test_later_keeps_the_copies_for_the_next_start(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    copy = crash(window)
    offer = Offer(monkeypatch, LATER)
    restarted = new_window(qtbot)
    restarted.restore_recovery_copies()
    assert copy.exists() and not restarted.document.is_modified()
    restarted.restore_recovery_copies()  # the next start asks again
    assert len(offer.offered) == 2
    offer.answer = RESTORE
    restarted.restore_recovery_copies()
    assert restarted.document.scenario.workload.peak_to_average_load == Estimate(likely=4.0)


def test_several_crashed_windows_and_unsaved_work_here(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, second = window, new_window(qtbot)
    first.document.set_field(("title",), "First")
    second.document.set_field(("title",), "Second")
    for crashed in (first, second):
        assert crashed.recovery.autosave_now()
        crash(crashed)
    offer = Offer(monkeypatch, RESTORE)
    restarted = new_window(qtbot)
    restarted.document.set_field(PEAK, 9.0)  # unsaved work here is never replaced
    opened = restarted.restore_recovery_copies()
    for extra in opened:
        qtbot.addWidget(extra)
    assert len(offer.offered[0]) == 2
    assert sorted(w.document.project.title for w in opened) == ["First", "Second"]
    assert all(w.document.is_modified() and "(recovered)" in w.windowTitle() for w in opened)
    assert all(w.recovery.copy_path.exists() for w in opened)
    assert restarted.document.scenario.workload.peak_to_average_load == Estimate(likely=9.0)
    assert "(recovered)" not in restarted.windowTitle()


def test_a_command_line_file_is_not_replaced_by_another_projects_copy(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    crash(window)
    Offer(monkeypatch, RESTORE)
    restarted = new_window(qtbot)
    opened_file = tmp_path / "asked-for.ftrag"
    assert restarted.save_to(opened_file)  # as if started with `ftrag asked-for.ftrag`
    opened = restarted.restore_recovery_copies()
    for extra in opened:
        qtbot.addWidget(extra)
    assert len(opened) == 1 and restarted.document.path == opened_file
    assert opened[0].document.is_modified()


def _dead_session(folder: Path, copy: bytes, manifest: bytes | None) -> str:
    """Files a dead run left, written by hand."""
    session = "0123456789abcdef0123456789abcdef"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{session}.ftrag").write_bytes(copy)
    if manifest is not None:
        (folder / f"{session}.json").write_bytes(manifest)
    probe = QLockFile(str(folder / "probe.lock"))
    assert probe.tryLock(0)
    text = (folder / "probe.lock").read_text(encoding="utf-8")
    probe.unlock()
    (folder / f"{session}.lock").write_text(stale(text), encoding="utf-8")
    return session


def test_an_unreadable_copy_is_set_aside_not_offered_forever(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, messages: Messages, folder: Path
) -> None:
    session = _dead_session(folder, b'{"format": "ftrag", "proj', None)
    offer = Offer(monkeypatch, RESTORE)
    assert window.restore_recovery_copies() == []
    assert "cannot be read" in offer.offered[0][0]
    assert not window.document.is_modified()
    assert session_files(folder) == [f"{session}.unreadable.ftrag"]  # kept for salvage
    assert messages.shown[-1][1] == "Some copies cannot be restored"
    assert str(folder / f"{session}.unreadable.ftrag") in messages.shown[-1][2]
    window.restore_recovery_copies()
    assert len(offer.offered) == 1


DAMAGED_MANIFESTS = [
    None,
    b"not json",
    b"[1, 2]",
    b'{"format": "ftrag-recovery", "original_path": "relative", "saved_at": 5}',
    b'{"format": "ftrag-recovery", "original_path": "/a\\u0000b", "saved_at": "yesterday"}',
]


def test_a_damaged_manifest_still_restores_the_copy(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    window.document.set_field(PEAK, 4.0)
    copy = window.recovery.autosave_now()
    assert copy is not None
    data, base = copy.read_bytes(), load_template()
    offer = Offer(monkeypatch, RESTORE)
    for manifest in DAMAGED_MANIFESTS:
        window.document.load(base)  # what a fresh start shows; this window's copy goes
        _dead_session(folder, data, manifest)
        window.restore_recovery_copies()
        assert window.document.is_modified() and window.document.path is None, manifest
        assert window.document.scenario.workload.peak_to_average_load == Estimate(likely=4.0)
        assert "never saved" in offer.offered[-1][0]
    assert len(offer.offered) == len(DAMAGED_MANIFESTS)


def test_two_starting_instances_do_not_both_claim_a_copy(window: MainWindow, folder: Path) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    crash(window)
    claimed = find_orphans()
    assert len(claimed) == 1
    assert find_orphans() == []  # the first instance holds the dead run's lock now
    claimed[0].keep_for_later()
    assert len(find_orphans()) == 1


# --- clean exits --------------------------------------------------------------------------


def test_a_clean_exit_removes_its_copies(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, folder: Path, tmp_path: Path
) -> None:
    original = edited(window, tmp_path)
    assert window.recovery.autosave_now()
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda _self: Button.Cancel)
    assert not window.close()  # still open, still unsaved: the copy stays
    assert window.recovery.copy_path.exists()
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda _self: Button.Save)
    assert window.close()
    assert load_project(original).title == "<b>Acme</b> & Co"
    assert session_files(folder) == []  # copy, manifest and lock


def test_discarding_on_exit_removes_the_copy(window: MainWindow, folder: Path) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    assert window.close()  # the fixture answers Discard
    assert session_files(folder) == []


# --- dialogs ------------------------------------------------------------------------------


def test_the_error_dialog_saves_a_recovery_copy(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    window.document.set_field(PEAK, 4.0)
    boxes: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        boxes.append(box)
        for button in box.buttons():
            if button.text() == "Save &Recovery Copy":
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        gui.errors.show_exception((RuntimeError, exc, exc.__traceback__))
    assert len(boxes) == 2
    copy = window.recovery.copy_path
    assert load_project(copy) == window.document.project
    said = boxes[1].text()
    assert "A recovery copy of your project was saved" in said and str(copy) in said
    assert boxes[1].textFormat().name == "PlainText"
    assert window.isWindowModified()  # the project itself is still unsaved


def test_the_restore_dialog_lists_copies_as_plain_text(
    window: MainWindow, qtbot: QtBot, folder: Path, tmp_path: Path
) -> None:
    edited(window, tmp_path, title="<img src=x>\nline two")
    assert window.recovery.autosave_now()
    crash(window)
    orphans = find_orphans()
    try:
        dialog = RestoreDialog(orphans)
        qtbot.addWidget(dialog)
        item = dialog.list.item(0).text()
        assert item.startswith("<img src=x> line two — from ")
        buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
        for label, choice in (
            ("&Discard", DISCARD),
            ("Decide &Later", LATER),
            ("&Restore", RESTORE),
        ):
            buttons[label].click()
            assert dialog.choice == choice
    finally:
        for orphan in orphans:
            orphan.keep_for_later()


def test_the_app_offers_recovery_once_its_window_is_up(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.set_field(PEAK, 4.0)
    assert window.recovery.autosave_now()
    crash(window)
    offer = Offer(monkeypatch, RESTORE)
    started: list[MainWindow] = []
    real_open_window = gui.app._open_window

    def open_window(args: object) -> MainWindow:
        built = real_open_window(args)  # type: ignore[arg-type]
        qtbot.addWidget(built)
        started.append(built)
        return built

    def event_loop(_app: QApplication) -> int:
        qtbot.waitUntil(lambda: bool(offer.offered), timeout=3000)
        return 0

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    names = app.organizationName(), app.applicationName()
    monkeypatch.setattr(gui.app, "_open_window", open_window)
    monkeypatch.setattr(QApplication, "exec", event_loop)
    try:
        assert gui.app.run([]) == 0
    finally:
        app.setOrganizationName(names[0])
        app.setApplicationName(names[1])
    assert len(offer.offered) == 1
    restored = started[0].document
    assert restored.is_modified()
    assert restored.scenario.workload.peak_to_average_load == Estimate(likely=4.0)


def test_leftover_temporary_files_are_swept_at_start(
    window: MainWindow, folder: Path, tmp_path: Path
) -> None:
    """Finding: hidden .NAME.ftrag.*.tmp files (MBs each) stayed after crashed saves."""
    projects = tmp_path / "projects"
    projects.mkdir()
    gui.files.RecentFiles().add(projects / "client.ftrag")
    folder.mkdir(parents=True, exist_ok=True)
    old = 1_000_000_000.0  # 2001: well past the safe age
    leftovers = [
        projects / ".client.ftrag.k3j4h5g6.tmp",
        projects / ".client.ftrag.bak.a1b2c3d4.tmp",
        folder / f".{'a' * 32}.ftrag.q1w2e3r4.tmp",
        folder / f".{'a' * 32}.json.q1w2e3r4.tmp",
    ]
    keep = [projects / "client.ftrag", projects / "notes.tmp", projects / ".client.ftrag.new.tmp"]
    for path in leftovers + keep:
        path.write_text("x")
        os.utime(path, (old, old))
    young = projects / ".client.ftrag.zzzzzzzz.tmp"
    young.write_text("a save in another window, right now")
    window.restore_recovery_copies()
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in [*keep, young])


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_recovery_copies_stay_private(window: MainWindow, folder: Path) -> None:
    window.document.set_field(PEAK, 4.0)
    copy = window.recovery.write_copy()
    assert copy.stat().st_mode & 0o777 == 0o600
