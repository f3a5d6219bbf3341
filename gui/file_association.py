"""Windows: "Open .ftrag files with FTRAG Advisor", for the current user only.

Windows finds the program for a file type under ``HKEY_CURRENT_USER\\Software\\Classes``
(no administrator rights needed): ``.ftrag`` names a programmatic identifier, and that
identifier names the icon and the command that opens a file::

    .ftrag                                      (Default) = FTRAGAdvisor.Project
                                                Content Type = application/x-ftrag
    FTRAGAdvisor.Project                        (Default) = FTRAG Advisor project
    FTRAGAdvisor.Project\\DefaultIcon            (Default) = "C:\\…\\ftrag-advisor.exe",0
    FTRAGAdvisor.Project\\shell\\open\\command     (Default) = "C:\\…\\ftrag-advisor.exe" "%1"

The keys are written through QSettings (NativeFormat on Windows is the registry; a key's
default value is its "Default" entry), so the same code writes an INI file in the tests.
Preferences shows the choice on Windows only, for the packaged app (the .exe is what opens the
files).  The Linux bundle has desktop/install-desktop.sh; the macOS app declares the type in its
Info.plist.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QFormLayout

EXTENSION = ".ftrag"
PROG_ID = "FTRAGAdvisor.Project"
DESCRIPTION = "FTRAG Advisor project"
CONTENT_TYPE = "application/x-ftrag"
CLASSES_KEY = "HKEY_CURRENT_USER\\Software\\Classes"
OPTION_TEXT = "Open .ftrag files with FTRAG Advisor"


def registry_values(exe: str) -> dict[str, str]:
    """Every value written, as QSettings keys ("key/sub/Default" is a key's default value)."""
    return {
        f"{EXTENSION}/Default": PROG_ID,
        f"{EXTENSION}/Content Type": CONTENT_TYPE,
        f"{PROG_ID}/Default": DESCRIPTION,
        f"{PROG_ID}/DefaultIcon/Default": f'"{exe}",0',
        f"{PROG_ID}/shell/open/command/Default": f'"{exe}" "%1"',
    }


def classes_settings() -> QSettings:
    """The current user's file-type registrations (Windows registry)."""
    return QSettings(CLASSES_KEY, QSettings.Format.NativeFormat)


def app_executable() -> str | None:
    """The packaged app's .exe, or None when running from source (a python.exe would open the
    files with the wrong program)."""
    if sys.platform == "win32" and getattr(sys, "frozen", False):
        return sys.executable
    return None


def is_registered(settings: QSettings, exe: str) -> bool:
    return all(settings.value(key) == value for key, value in registry_values(exe).items())


def register(settings: QSettings, exe: str) -> None:
    for key, value in registry_values(exe).items():
        settings.setValue(key, value)
    settings.sync()
    _tell_the_shell()


def unregister(settings: QSettings) -> None:
    """Remove our identifier, and the .ftrag key while it still points at it (another
    program that took the extension over since is left alone)."""
    if settings.value(f"{EXTENSION}/Default") == PROG_ID:
        settings.remove(EXTENSION)
    settings.remove(PROG_ID)
    settings.sync()
    _tell_the_shell()


def _tell_the_shell() -> None:
    """Explorer re-reads file associations (SHChangeNotify SHCNE_ASSOCCHANGED)."""
    if sys.platform != "win32":
        return
    import ctypes

    shcne_assocchanged, shcnf_idlist = 0x08000000, 0
    ctypes.windll.shell32.SHChangeNotify(shcne_assocchanged, shcnf_idlist, None, None)  # type: ignore[attr-defined]


@dataclass
class AssociationOption:
    """The Preferences check box and what it changes when the dialog is accepted."""

    check: QCheckBox
    settings: QSettings
    exe: str

    def apply(self) -> None:
        wanted = self.check.isChecked()
        if wanted == is_registered(self.settings, self.exe):
            return
        if wanted:
            register(self.settings, self.exe)
        else:
            unregister(self.settings)


def add_preferences_row(
    form: QFormLayout, settings: QSettings | None = None, exe: str | None = None
) -> AssociationOption | None:
    """Adds the check box to the Preferences form where it applies (the packaged app on
    Windows, or whatever ``settings``/``exe`` a test passes); None elsewhere."""
    exe = exe or app_executable()
    if exe is None:
        return None
    store = settings or classes_settings()
    check = QCheckBox(OPTION_TEXT)
    check.setObjectName("fileAssociation")
    check.setToolTip(
        "Double-clicking a .ftrag file opens it in FTRAG Advisor (for your Windows account "
        "only; no administrator rights needed). Untick to remove the association."
    )
    check.setChecked(is_registered(store, exe))
    form.addRow(check)
    return AssociationOption(check, store, exe)
