"""The consultant's firm branding printed on every report: firm name, logo, accent colour and a
footer line.  Stored per user (QSettings), never in the project file: a project sent to a
colleague prints with the colleague's firm.

A logo is read once, checked and kept as bytes, so a report never depends on the logo file still
being where it was: a broken, huge or unknown file is refused with the reason
(:class:`BrandingError`), and the previous branding stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtGui import QImage

ReportMode = Literal["summary", "full"]
"""*summary*: what a client reads (cover, recommendation, chart, key figures, compliance, what
would change the answer, next steps); *full*: the summary plus the technical appendix."""

REPORT_MODES: tuple[ReportMode, ...] = ("summary", "full")
REPORT_MODE_NAMES: dict[ReportMode, str] = {"summary": "Client summary", "full": "Full report"}

DEFAULT_ACCENT = "#1F3A5F"
MAX_LOGO_BYTES = 2 * 1024 * 1024  # a logo, not a photograph: 2 MB is generous for PNG or SVG
MAX_LOGO_PIXELS = 4096  # per side; larger images only slow the renderer down
MAX_FIRM_CHARS = 120
MAX_FOOTER_CHARS = 200
LogoFormat = Literal["png", "svg"]

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SETTINGS_GROUP = "report"


class BrandingError(ValueError):
    """A branding value or logo file that cannot be used; the message says why, in one line."""


def _one_line(text: str, limit: int) -> str:
    """Control characters (CR, LF, ESC …) become spaces: they must never reach a page."""
    cleaned = "".join(" " if (ord(c) < 32 or 127 <= ord(c) < 160) else c for c in text)
    return " ".join(cleaned.split())[:limit]


@dataclass(frozen=True)
class Branding:
    firm_name: str = ""
    logo: bytes | None = None
    logo_format: LogoFormat | None = None
    accent: str = DEFAULT_ACCENT
    footer: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "firm_name", _one_line(self.firm_name, MAX_FIRM_CHARS))
        object.__setattr__(self, "footer", _one_line(self.footer, MAX_FOOTER_CHARS))
        if not _HEX.match(self.accent):
            raise BrandingError(f"accent colour {self.accent!r} is not of the form #RRGGBB")
        if (self.logo is None) != (self.logo_format is None):
            raise BrandingError("a logo needs its format (png or svg)")

    @property
    def has_logo(self) -> bool:
        return self.logo is not None

    def logo_image(self, size: QSize | None = None) -> QImage:
        """The logo as an image (SVG rendered at ``size``, or 600 px wide by default)."""
        if self.logo is None or self.logo_format is None:
            return QImage()
        return decode_logo(self.logo, self.logo_format, size)


def decode_logo(data: bytes, fmt: LogoFormat, size: QSize | None = None) -> QImage:
    if fmt == "png":
        image = QImage()
        image.loadFromData(QByteArray(data), "PNG")
        return image
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        return QImage()
    natural = renderer.defaultSize()
    if size is None:
        width = 600
        height = max(1, round(width * natural.height() / max(1, natural.width())))
        size = QSize(width, height)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def read_logo(path: str | Path) -> tuple[bytes, LogoFormat]:
    """Read and check a logo file (PNG or SVG).  Raises :class:`BrandingError` with the reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise BrandingError(f"{path.name}: a logo must be a PNG or SVG file")
    try:
        if not path.is_file():
            raise BrandingError(f"{path.name}: not a regular file")
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise BrandingError(
                f"{path.name}: {size / 1_048_576:.1f} MB is too large for a logo "
                f"(at most {MAX_LOGO_BYTES // 1_048_576} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BrandingError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    fmt: LogoFormat = "png" if suffix == ".png" else "svg"
    check_logo(data, fmt, name=path.name)
    return data, fmt


def check_logo(data: bytes, fmt: LogoFormat, *, name: str = "logo") -> None:
    if len(data) > MAX_LOGO_BYTES:
        raise BrandingError(f"{name}: too large for a logo (at most 2 MB)")
    if fmt == "png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise BrandingError(f"{name}: not a PNG image")
        image = QImage()
        if not image.loadFromData(QByteArray(data), "PNG") or image.isNull():
            raise BrandingError(f"{name}: the PNG image is damaged and cannot be read")
        if max(image.width(), image.height()) > MAX_LOGO_PIXELS:
            raise BrandingError(
                f"{name}: {image.width()}×{image.height()} pixels is too large for a logo "
                f"(at most {MAX_LOGO_PIXELS} on a side)"
            )
        return
    from PySide6.QtSvg import QSvgRenderer

    head = data[:4096].lower()
    if b"<svg" not in data.lower() or b"<!entity" in head:
        raise BrandingError(f"{name}: not an SVG image (or one with entity definitions)")
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid() or renderer.defaultSize().isEmpty():
        raise BrandingError(f"{name}: the SVG image is damaged or has no size")


# --- per-user storage ----------------------------------------------------------------------


def load_branding(settings: QSettings | None = None) -> Branding:
    """The branding stored for this user; anything unreadable falls back to its default."""
    s = settings or QSettings()
    s.beginGroup(_SETTINGS_GROUP)
    try:
        firm = str(s.value("firm_name", "") or "")
        footer = str(s.value("footer", "") or "")
        accent = str(s.value("accent", DEFAULT_ACCENT) or DEFAULT_ACCENT)
        if not _HEX.match(accent):
            accent = DEFAULT_ACCENT
        raw = s.value("logo", None)
        fmt_value = str(s.value("logo_format", "") or "")
    finally:
        s.endGroup()
    logo: bytes | None = None
    fmt: LogoFormat | None = None
    if isinstance(raw, QByteArray | bytes | bytearray) and fmt_value in ("png", "svg"):
        data = bytes(raw.data()) if isinstance(raw, QByteArray) else bytes(raw)
        candidate: LogoFormat = "png" if fmt_value == "png" else "svg"
        try:
            check_logo(data, candidate)
        except BrandingError:
            pass  # a damaged stored logo is dropped rather than printed broken
        else:
            logo, fmt = data, candidate
    return Branding(firm_name=firm, logo=logo, logo_format=fmt, accent=accent, footer=footer)


def save_branding(branding: Branding, settings: QSettings | None = None) -> None:
    s = settings or QSettings()
    s.beginGroup(_SETTINGS_GROUP)
    try:
        s.setValue("firm_name", branding.firm_name)
        s.setValue("footer", branding.footer)
        s.setValue("accent", branding.accent)
        if branding.logo is not None and branding.logo_format is not None:
            s.setValue("logo", QByteArray(branding.logo))
            s.setValue("logo_format", branding.logo_format)
        else:
            s.remove("logo")
            s.remove("logo_format")
    finally:
        s.endGroup()
    s.sync()


def load_report_mode(settings: QSettings | None = None) -> ReportMode:
    """The report mode the user last chose (summary until they choose)."""
    value = str((settings or QSettings()).value(f"{_SETTINGS_GROUP}/mode", "summary"))
    return "full" if value == "full" else "summary"


def save_report_mode(mode: ReportMode, settings: QSettings | None = None) -> None:
    (settings or QSettings()).setValue(f"{_SETTINGS_GROUP}/mode", mode)


def without_logo(branding: Branding) -> Branding:
    return replace(branding, logo=None, logo_format=None)
