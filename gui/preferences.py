"""File → Preferences…: the autosave interval (General) and the firm branding printed on every
report (Report: firm name, logo, accent colour, footer line).

Preferences belong to the person, not to a project: they are kept in the app's settings
(``gui.files.settings``) and never written into a ``.ftrag`` file.  A logo is read and checked
when chosen (``read_logo``); a file that cannot be used is refused with the reason shown in the
dialog, and the logo chosen before stays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import files, recovery
from gui.files import shown_path
from gui.report.branding import (
    DEFAULT_ACCENT,
    MAX_FIRM_CHARS,
    MAX_FOOTER_CHARS,
    Branding,
    BrandingError,
    LogoFormat,
    load_branding,
    read_logo,
    save_branding,
)

LOGO_FILTER = "Logos (*.png *.svg);;PNG images (*.png);;SVG images (*.svg)"
LOGO_PREVIEW = QSize(200, 64)
PAGES = ("general", "report")


@dataclass(frozen=True)
class Preferences:
    autosave_minutes: int
    branding: Branding


def load_preferences() -> Preferences:
    return Preferences(recovery.autosave_minutes(), load_branding(files.settings()))


def apply_preferences(preferences: Preferences) -> None:
    """Store them (per user) and apply the autosave interval to every open window."""
    recovery.set_autosave_minutes(preferences.autosave_minutes)
    save_branding(preferences.branding, files.settings())


class PreferencesDialog(QDialog):
    """See the module docstring.  ``preferences()`` is what the dialog shows now."""

    def __init__(self, parent: QWidget | None, current: Preferences, page: str = "general"):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self._branding = current.branding
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(current.autosave_minutes), "&General")
        self.tabs.addTab(self._report_page(current.branding), "&Report")
        self.tabs.setCurrentIndex(PAGES.index(page) if page in PAGES else 0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)  # the footer line reads whole
        self._show_logo()
        self._show_accent()

    # --- pages -----------------------------------------------------------------------------

    def _general_page(self, minutes: int) -> QWidget:
        page = QWidget()
        self.autosave = QSpinBox()
        self.autosave.setRange(0, recovery.MAX_AUTOSAVE_MINUTES)
        self.autosave.setValue(minutes)
        self.autosave.setSuffix(" min")
        self.autosave.setSpecialValueText("Off")
        self.autosave.setAccessibleName("Autosave interval")
        self.autosave.setToolTip(
            "How often unsaved changes are copied to the recovery folder, so a crash loses at "
            "most this much work. 0 switches autosave off."
        )
        folder = QLabel(f"Copies are kept in {shown_path(recovery.recovery_folder())}")
        folder.setTextFormat(Qt.TextFormat.PlainText)
        folder.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Autosave unsaved changes every:", self.autosave)
        # The packaged app on Windows: "Open .ftrag files with FTRAG Advisor" (else no row).
        from gui.file_association import add_preferences_row

        self.association = add_preferences_row(form)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(folder)
        layout.addStretch(1)
        return page

    def _report_page(self, branding: Branding) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Printed on the cover and the page headers of every report (PDF and Word). "
            "Kept for you on this computer, not in the project file."
        )
        intro.setWordWrap(True)

        self.firm_name = QLineEdit(branding.firm_name)
        self.firm_name.setMaxLength(MAX_FIRM_CHARS)
        self.firm_name.setPlaceholderText("Your firm's name")
        self.firm_name.setAccessibleName("Firm name")

        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.logo_preview.setAccessibleName("Logo")
        self.choose_logo_button = QPushButton("C&hoose…")
        self.choose_logo_button.setToolTip(
            "A PNG or SVG file of at most 2 MB; it is copied into your settings, so the "
            "report does not depend on the file staying where it is."
        )
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton("Re&move")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        self.logo_problem = QLabel()
        self.logo_problem.setObjectName("logoProblem")
        self.logo_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.logo_problem.setWordWrap(True)
        self.logo_problem.setStyleSheet("color: #B3261E;")  # the platform's error red is absent
        self.logo_problem.hide()
        logo_box = QVBoxLayout()
        logo_box.addLayout(logo_row)
        logo_box.addWidget(self.logo_problem)

        self.accent_button = QPushButton()
        self.accent_button.setAccessibleName("Accent colour")
        self.accent_button.setToolTip("The colour of the report's headings and rules")
        self.accent_button.clicked.connect(self.choose_accent)
        self.accent_default_button = QPushButton("&Default")
        self.accent_default_button.clicked.connect(lambda: self._set_accent(DEFAULT_ACCENT))
        accent_row = QHBoxLayout()
        accent_row.addWidget(self.accent_button)
        accent_row.addWidget(self.accent_default_button)
        accent_row.addStretch(1)

        self.footer = QLineEdit(branding.footer)
        self.footer.setMaxLength(MAX_FOOTER_CHARS)
        self.footer.setPlaceholderText("e.g. Confidential — prepared for Example Insurance")
        self.footer.setAccessibleName("Footer line")

        form = QFormLayout()
        form.addRow("&Firm name:", self.firm_name)
        logo_label = QLabel("Logo:")
        logo_label.setBuddy(self.choose_logo_button)
        form.addRow(logo_label, logo_box)
        accent_label = QLabel("&Accent colour:")
        accent_label.setBuddy(self.accent_button)
        form.addRow(accent_label, accent_row)
        form.addRow("Footer &line:", self.footer)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # --- logo and colour -------------------------------------------------------------------

    def ask_logo_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the firm's logo", files.last_folder(), LOGO_FILTER
        )
        return path or None

    def choose_logo(self) -> None:
        path = self.ask_logo_path()
        if not path:
            return
        try:
            data, fmt = read_logo(path)
        except BrandingError as exc:
            self.logo_problem.setText(f"This logo cannot be used: {exc}")
            self.logo_problem.show()
            return  # the logo chosen before stays
        self._set_logo(data, fmt)

    def remove_logo(self) -> None:
        self._set_logo(None, None)

    def _set_logo(self, data: bytes | None, fmt: LogoFormat | None) -> None:
        self._branding = replace(self._branding, logo=data, logo_format=fmt)
        self.logo_problem.hide()
        self.logo_problem.clear()
        self._show_logo()

    def _show_logo(self) -> None:
        branding = self._branding
        self.remove_logo_button.setEnabled(branding.has_logo)
        if not branding.has_logo:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
            return
        image = branding.logo_image()
        inner = LOGO_PREVIEW - QSize(8, 8)
        pixmap = QPixmap.fromImage(image).scaled(
            inner, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.logo_preview.setText("")
        self.logo_preview.setPixmap(pixmap)

    def choose_accent(self) -> None:
        colour = QColorDialog.getColor(QColor(self._branding.accent), self, "Accent colour")
        if colour.isValid():
            self._set_accent(colour.name(QColor.NameFormat.HexRgb).upper())

    def _set_accent(self, accent: str) -> None:
        self._branding = replace(self._branding, accent=accent)
        self._show_accent()

    def _show_accent(self) -> None:
        accent = self._branding.accent
        swatch = QPixmap(28, 14)
        swatch.fill(QColor(accent))
        self.accent_button.setIcon(QIcon(swatch))
        self.accent_button.setIconSize(swatch.size())
        self.accent_button.setText(accent)
        self.accent_default_button.setEnabled(accent.upper() != DEFAULT_ACCENT.upper())

    # --- result ----------------------------------------------------------------------------

    def preferences(self) -> Preferences:
        branding = replace(
            self._branding, firm_name=self.firm_name.text(), footer=self.footer.text()
        )
        return Preferences(self.autosave.value(), branding)


def ask_preferences(
    parent: QWidget | None, current: Preferences, page: str = "general"
) -> Preferences | None:
    """The Preferences dialog; what the person set, or None when cancelled."""
    dialog = PreferencesDialog(parent, current, page)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        if dialog.association is not None:
            dialog.association.apply()  # per-user registry entries, written at once on OK
        return dialog.preferences()
    finally:
        dialog.deleteLater()
