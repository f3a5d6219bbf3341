"""The File menu on the real window: the prompt before losing work (each of Save / Discard /
Cancel, for close, New, Open, Open Recent and a drop), Open Recent, drag-and-drop, Revert, save
errors that keep the work, and bad files that leave the open project untouched."""

from __future__ import annotations

import argparse
import errno
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

import engine.fileformat
import gui.recovery
from engine.fileformat import MAX_FILE_BYTES, load_project, save_project
from engine.model.base import Estimate
from engine.model.project import Project
from engine.templates import load_template
from gui import files
from gui.app import _open_window
from gui.document import ProjectDocument
from gui.files import MAX_RECENT, RecentFiles, RecentMenu, TemplateDialog, recent_labels
from gui.mainwindow import MainWindow
from gui.preferences import PreferencesDialog
from gui.recovery import RecoveryManager
from tests.gui.conftest import Messages

pytestmark = pytest.mark.gui

PEAK = ("workload", "peak_to_average_load", "likely")
Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own settings file (recent files, preferences) and recovery folder: the
    test-mode QSettings are shared by every test process on the machine."""
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(files, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: tmp_path / "recovery")


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, messages: Messages) -> MainWindow:
    """The real window on the example, not shown and without the chart (file handling needs
    neither; a third of the cost).  Closing it at the end discards unsaved changes."""
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda _self: Button.Discard)
    built = MainWindow()
    qtbot.addWidget(built)
    built.open_template()
    return built


def saved(path: Path, template: str = "support-assistant") -> Path:
    save_project(load_template(template), path)
    return path


class Prompt:
    """Stands in for the "save changes?" question: answers ``answer``, counts the asks."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: Button) -> None:
        self.answer = answer
        self.asked = 0
        monkeypatch.setattr(MainWindow, "ask_save_changes", lambda _window: self._ask())

    def _ask(self) -> Button:
        self.asked += 1
        return self.answer


def drop_files(window: MainWindow, paths: list[str] | list[QUrl]) -> bool:
    """Drag files over the window and drop them, as a file manager does (QMimeData with
    URLs); True if the window accepted the drag."""
    mime = QMimeData()
    mime.setUrls([p if isinstance(p, QUrl) else QUrl.fromLocalFile(p) for p in paths])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    accepted = enter.isAccepted()
    QApplication.sendEvent(window, drop)
    return accepted


# --- the File menu ------------------------------------------------------------------------


def test_file_menu_has_every_command(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts[:4] == ["&New from Template…", "New from a &Brief…", "&Open…", "Open &Recent"]
    for expected in ("&Save", "Save &As…", "Re&vert", "Pre&ferences…", "&Quit"):
        assert expected in texts
    assert any("PNG" in t for t in texts)  # the exports stay
    recent = next(a for a in window.file_menu.actions() if a.text() == "Open &Recent")
    assert recent.menu() is window.recent_menu


# --- the prompt before losing work: every operation × every answer ------------------------

KINDS = ["close", "new", "open", "recent", "drop"]


def _operate(
    kind: str,
    window: MainWindow,
    other: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    prompt: Prompt,
) -> None:
    if kind == "close":
        window.closed = window.close()  # type: ignore[attr-defined]
    elif kind == "new":
        monkeypatch.setattr(MainWindow, "ask_template", lambda _self: "seed-small-company")
        window.act_new.trigger()
    elif kind == "open":
        monkeypatch.setattr(MainWindow, "ask_open_path", lambda _self: str(other))
        window.act_open.trigger()
    elif kind == "recent":
        window.recent.add(other)
        window.recent_menu.rebuild()
        window.recent_menu.file_actions()[0].trigger()
    elif kind == "drop":
        assert drop_files(window, [str(other)])
        qtbot.waitUntil(lambda: prompt.asked == 1, timeout=2000)
    else:
        raise AssertionError(kind)


def _done(kind: str, window: MainWindow, other: Path) -> bool:
    """Whether the operation went ahead."""
    doc = window.document
    if kind == "close":
        return bool(getattr(window, "closed", False))
    if kind == "new":
        return doc.project.title == load_template("seed-small-company").title and doc.path is None
    return doc.path == other and doc.project.title == load_template("seed-enterprise").title


def _dirty(window: MainWindow, base: Project, current: Path | None, peak: float = 4.0) -> None:
    """``base`` open (and on disk at ``current``), with one unsaved edit."""
    if current is not None:
        save_project(base, current)
    window.document.load(base, current)
    window.document.set_field(PEAK, peak)
    assert window.isWindowModified()


@pytest.mark.parametrize("kind", KINDS)
def test_unsaved_changes_prompt(
    kind: str,
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    current = tmp_path / "current.ftrag"
    other = saved(tmp_path / "other.ftrag", "seed-enterprise")
    base = load_template()
    for answer in (Button.Cancel, Button.Discard, Button.Save):
        if kind == "close" and answer != Button.Cancel:
            window = MainWindow()  # the previous one has closed
            qtbot.addWidget(window)
        _dirty(window, base, current)
        prompt = Prompt(monkeypatch, answer)

        _operate(kind, window, other, qtbot, monkeypatch, prompt)

        assert prompt.asked == 1, answer
        on_disk = load_project(current).scenarios[0].workload.peak_to_average_load
        if answer == Button.Cancel:
            assert not _done(kind, window, other)
            assert window.isWindowModified()  # the edit is still there, unsaved
            assert window.document.path == current
            assert window.document.scenario.workload.peak_to_average_load == Estimate(likely=4.0)
            assert on_disk != Estimate(likely=4.0)
        else:
            assert _done(kind, window, other), answer
            assert (on_disk == Estimate(likely=4.0)) == (answer == Button.Save), answer
            assert not window.isWindowModified() or kind == "close"


def test_a_save_that_fails_or_is_cancelled_stops_the_operation(
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
    tmp_path: Path,
) -> None:
    other = saved(tmp_path / "other.ftrag", "seed-enterprise")
    base = load_template()
    prompt = Prompt(monkeypatch, Button.Save)
    folder = tmp_path / "gone"
    for kind in KINDS:
        # Never saved: Save asks for a name, and the person cancels that dialog.
        monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: None)
        _dirty(window, base, None)
        prompt.asked = 0
        _operate(kind, window, other, qtbot, monkeypatch, prompt)
        assert prompt.asked == 1
        assert not _done(kind, window, other) and window.isWindowModified(), kind

        # Saved before, but its folder has gone since: the save fails, says why, nothing goes.
        folder.mkdir()
        _dirty(window, base, folder / "p.ftrag", peak=5.0)
        (folder / "p.ftrag").unlink()
        folder.rmdir()
        prompt.asked = 0
        shown = len(messages.shown)
        _operate(kind, window, other, qtbot, monkeypatch, prompt)
        assert prompt.asked == 1
        assert not _done(kind, window, other) and window.isWindowModified(), kind
        assert len(messages.shown) == shown + 1
        assert messages.shown[-1][1] == "Cannot save the project"
        assert str(folder / "p.ftrag") in messages.shown[-1][2]
        assert window.document.scenario.workload.peak_to_average_load == Estimate(likely=5.0)


def test_a_clean_project_is_replaced_without_asking(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prompt = Prompt(monkeypatch, Button.Cancel)
    other = saved(tmp_path / "other.ftrag", "seed-enterprise")
    assert window.open_file(other)
    assert prompt.asked == 0 and window.document.path == other


# --- save errors: the file is named, the reason given, the work kept ------------------------


def _fail_replace(monkeypatch: pytest.MonkeyPatch) -> str:
    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(engine.fileformat, "REPLACE_ATTEMPTS", 2)
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    monkeypatch.setattr(os, "replace", locked)  # the file is held by another program
    return "Permission denied"


def _fail_disk_full(monkeypatch: pytest.MonkeyPatch) -> str:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    return "No space left on device"


FAILURES = ["folder named like the file", "under a file", "locked", "disk full", "read-only"]


def test_a_failed_save_names_the_file_and_keeps_the_work(
    window: MainWindow,
    messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    doc = window.document
    base = load_template()
    as_root = os.name != "posix" or os.geteuid() == 0  # chmod does not stop root (CI)
    tried = []
    for failure in FAILURES:
        if failure == "read-only" and as_root:
            continue  # the other cases inject the same failure without chmod
        case = tmp_path / failure.replace(" ", "-")
        case.mkdir()
        existing = case / "client.ftrag"
        _dirty(window, base, existing)
        doc.undo_stack.undo()
        assert window.save_to(existing)  # a second save leaves a .bak
        doc.set_field(PEAK, 4.0)
        before = existing.read_bytes()
        backup = existing.with_name("client.ftrag.bak").read_bytes()
        target = existing
        with monkeypatch.context() as patch:
            if failure == "folder named like the file":
                target = case / "folder.ftrag"
                target.mkdir()
                reason = "a folder has this name"
            elif failure == "under a file":
                target = existing / "inside.ftrag"
                reason = "cannot write in this folder"
            elif failure == "locked":
                reason = _fail_replace(patch)
            elif failure == "disk full":
                reason = _fail_disk_full(patch)
            else:
                case.chmod(0o500)
                reason = "cannot write in this folder"
            try:
                assert not window.save_to(target)
            finally:
                case.chmod(0o700)
        tried.append(failure)

        icon, title, text = messages.shown[-1]
        assert icon == QMessageBox.Icon.Warning and title == "Cannot save the project"
        assert str(target) in text and reason in text, failure
        assert window.isWindowModified() and "[*]" in window.windowTitle()
        assert doc.is_modified() and doc.path == existing
        assert doc.scenario.workload.peak_to_average_load == Estimate(likely=4.0)
        assert existing.read_bytes() == before  # the old file and its backup are untouched
        assert existing.with_name("client.ftrag.bak").read_bytes() == backup
        assert not list(case.rglob("*.tmp"))  # no temporary file left behind
    assert len(tried) >= 4


def test_save_as_adds_the_suffix_and_remembers_the_file(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: str(tmp_path / "R&D plan"))
    assert window.save_as()
    target = tmp_path / "R&D plan.ftrag"
    assert target.is_file() and window.document.path == target
    assert window.recent.paths() == [str(target)]


# --- bad files: named with the reason; what is open stays untouched ------------------------


BAD_FILES = [
    b'{"format": "ftrag", "schema_version": 1, "proj',
    b'{"format": "ftrag", "schema_version": 99, "project": {}}',
    b"\xff\xfe{\x00}\x00",
    b"[" * 100_000,
    None,  # larger than the limit
]


def test_a_bad_file_leaves_the_open_project_untouched(
    window: MainWindow,
    messages: Messages,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    doc = window.document
    current = tmp_path / "current.ftrag"
    _dirty(window, load_template(), current)
    project, steps = doc.project, doc.undo_stack.count()
    prompt = Prompt(monkeypatch, Button.Discard)
    bad = tmp_path / "bad <b>&amp; x.ftrag"
    window.recent.add(bad)
    for content in BAD_FILES:
        if content is None:
            with bad.open("wb") as handle:
                handle.truncate(MAX_FILE_BYTES + 1)
        else:
            bad.write_bytes(content)
        del messages.shown[:]

        assert not window.open_file(bad)
        assert drop_files(window, [str(bad)])  # accepted (a .ftrag), refused once read
        qtbot.waitUntil(lambda: len(messages.shown) == 2, timeout=2000)
        window.recent_menu.rebuild()
        window.recent_menu.file_actions()[0].trigger()

        assert len(messages.shown) == 3
        for icon, title, text in messages.shown:
            assert icon == QMessageBox.Icon.Warning and title == "Cannot open the project"
            assert f"Could not open {bad}:" in text
        assert prompt.asked == 0  # a bad file never even asks about the unsaved changes
        assert doc.project is project and doc.undo_stack.count() == steps
        assert doc.path == current and window.isWindowModified()
        assert window.windowTitle().startswith("Customer-support assistant[*]")


def test_a_missing_recent_file_is_removed_with_a_message(
    window: MainWindow, messages: Messages, tmp_path: Path
) -> None:
    gone = saved(tmp_path / "gone.ftrag")
    window.recent.add(gone)
    window.recent_menu.rebuild()
    action = window.recent_menu.file_actions()[0]
    gone.unlink()  # deleted while the menu was open
    action.trigger()
    _icon, _title, text = messages.shown[-1]
    assert str(gone) in text and "no such file" in text
    assert "removed from the recent files" in text
    assert window.recent.paths() == []


# --- Open Recent --------------------------------------------------------------------------


def test_recent_files_newest_first_without_duplicates(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: str(tmp_path / "c"))
    a, b = saved(tmp_path / "a.ftrag"), saved(tmp_path / "b.ftrag")
    assert window.open_file(a)
    assert window.open_file(b)
    assert window.save_as()  # saving under a name counts too
    c = tmp_path / "c.ftrag"
    assert window.recent.paths() == [str(c), str(b), str(a)]
    assert window.open_file(a)  # again: moves to the top, once
    assert window.recent.paths() == [str(a), str(c), str(b)]
    window.recent_menu.rebuild()
    actions = window.recent_menu.file_actions()
    assert [x.text() for x in actions] == ["&1 a.ftrag", "&2 c.ftrag", "&3 b.ftrag"]
    assert [x.data() for x in actions] == [str(a), str(c), str(b)]
    assert all(x.isEnabled() for x in actions)
    assert actions[2].toolTip() == str(b)
    actions[2].trigger()
    assert window.document.path == b
    # Another window sees the same list (QSettings).
    assert RecentFiles().paths()[0] == str(b)


@pytest.fixture
def menu(qtbot: QtBot) -> tuple[RecentMenu, list[str]]:
    """File → Open Recent on its own; what it would open is recorded."""
    opened: list[str] = []
    recent_menu = RecentMenu(RecentFiles(), opened.append)
    qtbot.addWidget(recent_menu)
    return recent_menu, opened


def test_recent_files_keep_the_latest_ten(
    menu: tuple[RecentMenu, list[str]], tmp_path: Path
) -> None:
    recent_menu, opened = menu
    paths = [tmp_path / f"p{i:02}.ftrag" for i in range(MAX_RECENT + 3)]
    for path in paths:
        path.write_bytes(b"{}")
        recent_menu.recent.add(path)
    assert recent_menu.recent.paths() == [str(p) for p in reversed(paths)][:MAX_RECENT]
    recent_menu.rebuild()
    texts = [a.text() for a in recent_menu.file_actions()]
    assert len(texts) == MAX_RECENT
    assert texts[0] == "&1 p12.ftrag" and texts[8] == "&9 p04.ftrag" and texts[9] == "10 p03.ftrag"
    recent_menu.file_actions()[1].trigger()
    assert opened == [str(paths[-2])]


def test_missing_recent_files_are_greyed_and_can_be_removed(
    menu: tuple[RecentMenu, list[str]], tmp_path: Path
) -> None:
    recent_menu, _opened = menu
    here, gone = tmp_path / "here.ftrag", tmp_path / "gone.ftrag"
    here.write_bytes(b"{}")
    recent_menu.recent.add(here)
    recent_menu.recent.add(gone)
    recent_menu.aboutToShow.emit()  # rebuilt each time it opens
    first, second = recent_menu.file_actions()
    assert first.text() == "&1 gone.ftrag (not found)" and not first.isEnabled()
    assert "no longer there" in first.toolTip()
    assert second.isEnabled()
    assert recent_menu.act_remove_missing.isEnabled()
    recent_menu.act_remove_missing.trigger()
    assert [a.data() for a in recent_menu.file_actions()] == [str(here)]
    assert not recent_menu.act_remove_missing.isEnabled()
    recent_menu.act_clear.trigger()
    assert RecentFiles().paths() == [] and recent_menu.file_actions() == []
    assert any(a.text() == "No Recent Files" and not a.isEnabled() for a in recent_menu.actions())
    assert not recent_menu.act_clear.isEnabled()


def test_recent_names_are_shown_literally(
    menu: tuple[RecentMenu, list[str]], tmp_path: Path
) -> None:
    recent_menu, opened = menu
    odd = [
        tmp_path / "R&D <b>bold &amp; <i>x.ftrag",
        tmp_path / "tab\there\nnewline.ftrag",
        tmp_path / "one" / "same.ftrag",
        tmp_path / "two" / "same.ftrag",
    ]
    for path in reversed(odd):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"{}")
        recent_menu.recent.add(path)
    recent_menu.rebuild()
    texts = [a.text() for a in recent_menu.file_actions()]
    assert texts[0] == "&1 R&&D <b>bold &&amp; <i>x.ftrag"  # '&' is not a mnemonic here
    assert texts[1] == "&2 tab\N{REPLACEMENT CHARACTER}here\N{REPLACEMENT CHARACTER}newline.ftrag"
    assert texts[2:] == ["&3 same.ftrag (one)", "&4 same.ftrag (two)"]
    recent_menu.file_actions()[0].trigger()
    assert opened == [str(odd[0])]  # the real name, not the one shown
    long_name = recent_labels(["/x/" + "n" * 200 + ".ftrag"])[0]
    assert long_name.endswith("nn.ftrag") and "…" in long_name and len(long_name) < 70


def test_odd_values_in_the_settings_are_tolerated(tmp_path: Path) -> None:
    settings = files.settings()
    settings.setValue(files.RECENT_KEY, str(tmp_path / "one.ftrag"))  # INI: a list of one
    assert RecentFiles().paths() == [str(tmp_path / "one.ftrag")]
    settings.setValue(files.RECENT_KEY, [str(tmp_path / "x"), str(tmp_path / "y" / ".." / "x")])
    assert RecentFiles().paths() == [str(tmp_path / "x")]  # one file, two spellings


# --- drag-and-drop --------------------------------------------------------------------------


def test_dropping_a_project_opens_it(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = saved(tmp_path / "dropped.ftrag", "seed-enterprise")
    assert drop_files(window, [str(path)])
    qtbot.waitUntil(lambda: window.document.path == path, timeout=2000)
    assert window.document.project == load_project(path)
    assert not window.isWindowModified()
    assert window.recent.paths() == [str(path)]


def test_drops_that_are_not_one_local_project_are_refused(
    window: MainWindow, qtbot: QtBot, messages: Messages, tmp_path: Path
) -> None:
    a, b = saved(tmp_path / "a.ftrag"), saved(tmp_path / "b.ftrag")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "dir.ftrag").mkdir()
    refused = {
        "two projects": [QUrl.fromLocalFile(str(a)), QUrl.fromLocalFile(str(b))],
        "another kind of file": [QUrl.fromLocalFile(str(tmp_path / "notes.txt"))],
        "a web link": [QUrl("https://example.com/evil.ftrag")],
        "nothing": [],
    }
    project = window.document.project
    for what, urls in refused.items():
        assert not drop_files(window, urls), what
    qtbot.wait(10)
    assert window.document.project is project and not messages.shown
    # A folder named like a project passes the drag, and is refused (with why) once read.
    assert drop_files(window, [QUrl.fromLocalFile(str(tmp_path / "dir.ftrag"))])
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=2000)
    assert "is a folder" in messages.shown[0][2]
    assert window.document.project is project and window.document.path is None


# --- Revert, New, ftrag FILE, Preferences -----------------------------------------------------


def test_revert_reloads_the_saved_file_after_confirming(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, messages: Messages, tmp_path: Path
) -> None:
    doc = window.document
    assert not window.act_revert.isEnabled()  # no file yet
    path = tmp_path / "p.ftrag"
    assert window.save_to(path)
    assert not window.act_revert.isEnabled()  # nothing to revert
    doc.set_field(PEAK, 4.0)
    assert window.act_revert.isEnabled()
    monkeypatch.setattr(MainWindow, "ask_revert", lambda _self: False)
    window.act_revert.trigger()
    assert doc.is_modified() and doc.scenario.workload.peak_to_average_load == Estimate(likely=4.0)
    monkeypatch.setattr(MainWindow, "ask_revert", lambda _self: True)
    window.act_revert.trigger()
    assert not doc.is_modified() and doc.path == path
    assert doc.project == load_project(path)
    assert not window.act_revert.isEnabled()
    # A file that cannot be read any more: said so, and the changes stay.
    doc.set_field(PEAK, 4.0)
    path.write_text("{", encoding="utf-8")
    assert not window.revert()
    assert messages.shown[-1][1] == "Cannot revert" and str(path) in messages.shown[-1][2]
    assert doc.is_modified() and doc.scenario.workload.peak_to_average_load == Estimate(likely=4.0)


def test_new_lists_the_templates_by_title(qtbot: QtBot) -> None:
    dialog = TemplateDialog()
    qtbot.addWidget(dialog)
    titles = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Customer-support assistant" in titles and "Seed scenario 2: enterprise" in titles
    assert dialog.chosen() == "support-assistant"  # the default example is preselected
    dialog.list.setCurrentRow(titles.index("Seed scenario 2: enterprise"))
    assert dialog.chosen() == "seed-enterprise"
    assert "Deploybase" in dialog.notes.text()
    assert dialog.notes.textFormat() == Qt.TextFormat.PlainText


def test_cancelling_new_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.set_field(PEAK, 4.0)
    prompt = Prompt(monkeypatch, Button.Discard)
    monkeypatch.setattr(MainWindow, "ask_template", lambda _self: None)
    window.act_new.trigger()
    assert prompt.asked == 0 and window.document.is_modified()


def test_the_command_line_file_opens_and_is_remembered(
    qtbot: QtBot, messages: Messages, tmp_path: Path
) -> None:
    path = saved(tmp_path / "cli.ftrag", "seed-small-company")
    window = _open_window(argparse.Namespace(file=str(path), template=None))
    qtbot.addWidget(window)
    assert window.document.path == path and not window.isWindowModified()
    assert window.recent.paths() == [str(path)]
    assert not messages.shown


def answer_preferences(monkeypatch: pytest.MonkeyPatch, minutes: int | None) -> None:
    """The Preferences dialog, answered: the autosave interval set and OK (None: Cancel)."""

    def exec_(dialog: PreferencesDialog) -> int:
        if minutes is None:
            return int(QDialog.DialogCode.Rejected.value)
        dialog.autosave.setValue(minutes)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(PreferencesDialog, "exec", exec_)


def test_preferences_set_the_autosave_interval(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = RecoveryManager(ProjectDocument())  # another open window's
    assert window.recovery.interval_minutes() == 1  # the default: every minute
    answer_preferences(monkeypatch, 5)
    window.act_preferences.trigger()
    assert gui.recovery.autosave_minutes() == 5
    assert window.recovery.interval_minutes() == other.interval_minutes() == 5
    answer_preferences(monkeypatch, 0)
    window.act_preferences.trigger()
    assert window.recovery.interval_minutes() == other.interval_minutes() == 0  # off
    answer_preferences(monkeypatch, None)
    window.act_preferences.trigger()  # cancelled: unchanged
    assert gui.recovery.autosave_minutes() == 0
    other.shutdown()


def test_every_dialog_helper_is_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        boxes.append(box)
        return int(Button.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert files.ask_save_changes(None, "<b>Acme</b>\n&Co") == Button.Cancel
    assert not files.ask_revert(None, Path("/tmp/<i>x</i>.ftrag"))
    assert all(b.textFormat() == Qt.TextFormat.PlainText for b in boxes)
    assert "“<b>Acme</b> &Co”" in boxes[0].text()
    assert "/tmp/<i>x</i>.ftrag" in boxes[1].text()


# --- save what you can open; links; read-only; other writers (through the File menu) -------

ASK_CHANGED = MainWindow.ask_changed_on_disk  # the real question (conftest answers Cancel)


def answer_box(label: str, seen: list[str] | None = None) -> None:
    """Click ``label`` on the next modal message box as soon as it is shown (the way a person
    answers it); its text goes to ``seen``."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            if seen is not None:
                seen.append(box.text())
            for button in box.buttons():
                if button.text().replace("&", "") == label:
                    button.click()
                    return
            raise AssertionError(f"no {label!r} in {[b.text() for b in box.buttons()]}")
        QTimer.singleShot(10, click)

    QTimer.singleShot(0, click)


def test_file_save_refuses_a_project_it_could_not_open_again(
    window: MainWindow, messages: Messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Failed before: File → Save wrote the file (then refused on open) and showed Saved."""
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    window.document.set_field(PEAK, 4.0)
    before = path.read_bytes()
    monkeypatch.setattr(engine.fileformat, "MAX_FILE_BYTES", len(before) - 1)
    window.act_save.trigger()
    _icon, title, text = messages.shown[-1]
    assert title == "Cannot save the project" and "too large to save" in text
    assert window.document.is_modified() and path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_autosave_refuses_an_oversized_copy_with_the_reason(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.set_field(PEAK, 4.0)
    failures: list[str] = []
    window.recovery.autosaveFailed.connect(failures.append)
    monkeypatch.setattr(engine.fileformat, "MAX_FILE_BYTES", 1000)
    assert window.recovery.autosave_now() is None
    assert failures and "too large to save" in failures[0]
    assert not window.recovery.copy_path.exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_read_only_file_offers_save_as(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Failed before: a 0444 file was overwritten silently."""
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    path.chmod(0o444)
    window.document.set_field(PEAK, 4.0)
    before = path.read_bytes()
    copy = tmp_path / "copy.ftrag"
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: str(copy))
    seen: list[str] = []
    answer_box("Save As…", seen)
    window.act_save.trigger()
    assert seen and "read-only" in seen[0]
    assert path.read_bytes() == before
    assert window.document.path == copy and not window.document.is_modified()
    assert load_project(copy).scenarios[0].workload.peak_to_average_load == Estimate(likely=4.0)


@pytest.mark.parametrize("answer", ["Overwrite", "Save As…", "Reload", "Cancel"])
def test_save_asks_when_another_program_changed_the_file(
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answer: str,
) -> None:
    """Failed before: Save overwrote the other writer's version without a word."""
    monkeypatch.setattr(MainWindow, "ask_changed_on_disk", ASK_CHANGED)
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    window.document.set_field(PEAK, 4.0)
    theirs = load_template().model_copy(update={"title": "Their version"})
    save_project(theirs, path)  # another program saves the same file
    copy = tmp_path / "mine.ftrag"
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda _self: str(copy))
    seen: list[str] = []
    answer_box(answer, seen)
    window.act_save.trigger()
    assert seen and "changed by another program" in seen[0]
    on_disk = load_project(path)
    if answer == "Overwrite":
        assert on_disk.scenarios[0].workload.peak_to_average_load == Estimate(likely=4.0)
        assert load_project(tmp_path / "client.ftrag.bak").title == "Their version"
        assert not window.document.is_modified()
    elif answer == "Save As…":
        assert on_disk.title == "Their version"
        assert window.document.path == copy and not window.document.is_modified()
    elif answer == "Reload":
        assert on_disk.title == "Their version"
        assert window.document.project.title == "Their version"
        assert not window.document.is_modified()
    else:
        assert on_disk.title == "Their version" and window.document.is_modified()
    # Asked once per change: after Overwrite or Reload, the next save goes straight through.
    if answer in ("Overwrite", "Reload"):
        window.document.set_field(PEAK, 5.0)
        window.act_save.trigger()
        assert load_project(path).scenarios[0].workload.peak_to_average_load == Estimate(likely=5.0)


def _notice(window: MainWindow, name: str) -> QMessageBox | None:
    box = window.findChild(QMessageBox, name)
    return box if isinstance(box, QMessageBox) and box.isVisible() else None


def test_a_change_on_disk_is_offered_for_reload_when_clean(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    save_project(load_template().model_copy(update={"title": "Changed elsewhere"}), path)
    qtbot.waitUntil(lambda: _notice(window, "changedOnDisk") is not None, timeout=5000)
    box = _notice(window, "changedOnDisk")
    assert box is not None and "reload" in box.text().lower()
    assert window.document.project.title != "Changed elsewhere"  # not reloaded by itself
    next(b for b in box.buttons() if b.text() == "&Reload").click()
    assert window.document.project.title == "Changed elsewhere"
    assert not window.document.is_modified()


def test_a_change_on_disk_is_told_but_not_reloaded_when_dirty(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    window.document.set_field(PEAK, 4.0)
    save_project(load_template().model_copy(update={"title": "Changed elsewhere"}), path)
    qtbot.waitUntil(lambda: _notice(window, "changedOnDisk") is not None, timeout=5000)
    box = _notice(window, "changedOnDisk")
    assert box is not None and "unsaved changes here are kept" in box.text()
    assert not any(b.text() == "&Reload" for b in box.buttons())
    assert window.document.is_modified()
    assert window.document.scenario.workload.peak_to_average_load == Estimate(likely=4.0)


def test_our_own_save_does_not_count_as_another_writer(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    window.document.set_field(PEAK, 4.0)
    window.act_save.trigger()
    qtbot.wait(300)
    assert _notice(window, "changedOnDisk") is None
    assert not window.document.is_modified()


def test_two_windows_on_one_file_are_told_of_each_other(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Failed before: the second window opened the file without a word."""
    path = saved(tmp_path / "client.ftrag")
    assert window.open_file(path)
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.open_file(path)
    box = _notice(second, "alsoOpen")
    assert box is not None and "also open in another window" in box.text()
    assert _notice(window, "alsoOpen") is None
    window.disk.close()  # the first window lets go: a third one is not warned
    third = MainWindow()
    qtbot.addWidget(third)
    second.disk.close()
    assert third.open_file(path)
    assert _notice(third, "alsoOpen") is None


def test_a_fifo_named_like_a_project_is_refused_from_open_and_recent(
    window: MainWindow, messages: Messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.ftrag"
    os.mkfifo(fifo)
    monkeypatch.setattr(MainWindow, "ask_open_path", lambda _self: str(fifo))
    window.act_open.trigger()
    assert "FIFO" in messages.shown[-1][2]
    assert drop_files(window, [str(fifo)])
    QApplication.processEvents()
    assert "FIFO" in messages.shown[-1][2]


def test_a_failed_export_leaves_the_previous_one(
    window: MainWindow, messages: Messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Failed before: a failing export truncated the previous file (or left a 0-byte one)."""
    target = tmp_path / "chart.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    window.act_export_csv.trigger()
    previous = target.read_bytes()
    assert previous

    def failing(self: object, path: str) -> None:
        Path(path).write_bytes(b"")  # opened, then the disk filled up
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(window.chart), "export_csv", failing)
    window.act_export_csv.trigger()
    assert messages.shown[-1][1] == "Export failed"
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir() if "chart" in p.name) == ["chart.csv"]
    fresh = tmp_path / "fresh.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(fresh), ""))
    window.act_export_csv.trigger()
    assert not fresh.exists()  # no empty file either


# --- scenario names at their limits (through the Scenario menu) -----------------------------


def test_duplicate_at_the_name_limit_and_add_at_the_scenario_limit(
    window: MainWindow, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding: a 194+ character name then Duplicate raised ValidationError; so did Add and
    Duplicate at 1,000 scenarios."""
    long_name = "N" * 200
    monkeypatch.setattr(MainWindow, "ask_text", lambda *_a: long_name)
    window.act_rename_scenario.trigger()
    assert window.document.scenario.name == long_name
    index = window.document.scenario_index
    window.act_duplicate_scenario.trigger()
    window.document.switch_scenario(index)
    window.act_duplicate_scenario.trigger()
    names = [s.name for s in window.document.project.scenarios]
    assert len(set(names)) == len(names) and all(len(n) <= 200 for n in names)
    assert names[-2].endswith(" (copy)") and names[-1].endswith(" (copy) 2")

    project = window.document.project
    full = project.model_copy(
        update={
            "scenarios": [
                s.model_copy(update={"name": f"S{i}"})
                for i, s in enumerate([project.scenarios[0]] * 1000)
            ]
        }
    )
    window.document.load(Project.model_validate(full.model_dump()))
    shown = len(messages.shown)
    window.act_add_scenario.trigger()
    window.act_duplicate_scenario.trigger()
    assert len(window.document.project.scenarios) == 1000
    assert [m[1] for m in messages.shown[shown:]] == [
        "Cannot add a scenario",
        "Cannot duplicate the scenario",
    ]
    assert "at most 1,000 scenarios" in messages.shown[-1][2]


def test_a_name_with_an_invisible_character_is_refused_with_the_reason(
    window: MainWindow, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = window.document.scenario.name
    monkeypatch.setattr(MainWindow, "ask_text", lambda *_a: "Caf\u00e9\u200b")
    window.act_rename_scenario.trigger()
    assert window.document.scenario.name == before
    assert "U+200B ZERO WIDTH SPACE" in messages.shown[-1][2]
    monkeypatch.setattr(MainWindow, "ask_text", lambda *_a: "Cafe\u0301")
    window.act_rename_scenario.trigger()
    assert window.document.scenario.name == "Caf\u00e9"


@pytest.mark.skipif(os.name != "posix", reason="byte file names")
def test_open_recent_keeps_a_file_name_that_is_not_utf8(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Finding: such a file showed as '(not found)' in Open Recent."""
    path = tmp_path / os.fsdecode(b"client-\xe9t\xe9.ftrag")
    saved(path)
    assert window.open_file(path)
    window.recent_menu.rebuild()
    action = window.recent_menu.file_actions()[0]
    assert action.isEnabled() and "not found" not in action.text()
    assert "\N{REPLACEMENT CHARACTER}" in action.text()
    window.document.set_field(PEAK, 4.0)
    window.document.undo_stack.setClean()
    window.open_template()
    action.trigger()
    assert window.document.path == path
