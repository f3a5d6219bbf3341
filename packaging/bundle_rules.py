"""What the PyInstaller spec (packaging/ftrag.spec) keeps out of the bundle, as plain functions
over PyInstaller's TOC entries ``(dest_name, src_name, typecode)``, so they can be tested
without running PyInstaller (tests/packaging/test_bundle_rules.py).  No PyInstaller import.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

Entry = tuple[str, str, str]
IS_LINUX = sys.platform.startswith("linux")

# --- Qt plugins kept (directory → plugin base names, platform-neutral) --------------------
KEEP_PLUGINS = {
    # xcb: the real Linux desktop (X11, and Wayland through XWayland: Qt falls back to xcb
    # when no wayland plugin is present); offscreen: CI and --smoke-test; windows/cocoa.
    "platforms": {"qxcb", "qoffscreen", "qwindows", "qcocoa"},
    "xcbglintegrations": {"qxcb-glx-integration", "qxcb-egl-integration"},
    # native file dialogs through the desktop portal (Flatpak/GNOME/KDE); the GTK3 theme is
    # left out: it would drag GTK into the bundle.
    "platformthemes": {"qxdgdesktopportal"},
    # dead keys / compose sequences and IBus input methods (accents, CJK)
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    # SVG icons (QtSvg is bundled anyway); PNG support is built into QtGui
    "imageformats": {"qsvg"},
    "iconengines": {"qsvgicon"},
    # printing: CUPS on Linux, native elsewhere (QPdfWriter needs no plugin)
    "printsupport": {"cupsprintersupport", "windowsprintersupport", "cocoaprintersupport"},
    # native widget styles on Windows/macOS (Linux uses the built-in Fusion)
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"},
}
PLUGIN_RE = re.compile(
    r"(?:^|[/\\])plugins[/\\]([^/\\]+)[/\\](?:lib)?([^/\\]+?)(?:\.so|\.dll|\.dylib)$"
)


# --- Linux libraries taken from the user's system, not bundled ---------------------------
# Every desktop that can show a Qt window has these (the xcb platform plugin needs the X11/xcb
# stack anyway, and PyInstaller never bundles libxcb.so.1 itself).  Bundling the build host's
# copies only causes trouble: an old libstdc++ breaks the system's Mesa drivers ("GLIBCXX_…
# not found"), a bundled fontconfig misreads a newer system's font configuration, and libcups
# (Qt's CUPS print plugin) must match the system's CUPS and would bring GnuTLS, Kerberos and
# Avahi (~10 MB) with it.  What stays
# bundled: Qt, ICU, Python, OpenSSL (Python's _ssl is built against 3.x), numpy's OpenBLAS,
# and the small xcb-util libraries Qt's xcb plugin needs (libxcb-cursor0, -icccm4, -keysyms1,
# …), which minimal installs often lack ("could not load the Qt platform plugin xcb").
HOST_LIBS = re.compile(
    r"^lib(X11|X11-xcb|Xau|Xdmcp|xcb|xkbcommon|fontconfig|freetype|expat"
    r"|png16|brotli(common|dec|enc)|glib-2\.0|gthread-2\.0|gobject-2\.0|gio-2\.0|pcre2-8"
    r"|dbus-1|systemd|gcrypt|gpg-error|lz4|zstd|cap|bsd|md|stdc\+\+|gcc_s|GL|EGL|GLX|OpenGL"
    r"|GLdispatch|wayland-[a-z]+|cups)\.so(\.\d+)*$"
)


def keep_entry(dest: str, linux: bool = IS_LINUX) -> bool:
    """False for Qt plugins, translations, QML files and host libraries the app does not
    take from the bundle."""
    norm = dest.replace("\\", "/")
    if linux and HOST_LIBS.match(os.path.basename(norm)):
        return False
    if norm.startswith("pyqtgraph/icons/peegee/"):
        return False  # pyqtgraph's own logo, used only by pyqtgraph.mkQApp()
    if norm.startswith("docx/templates/default-docx-template/"):
        return False  # an unpacked copy of python-docx's default.docx, never read (~1 MB)
    if norm.startswith("lxml/") and (
        norm.startswith("lxml/includes/") or norm.endswith((".h", ".pxd", ".pyx", ".pxi"))
    ):
        return False  # lxml's C headers and Cython sources, for building against lxml
    if "/Qt/translations/" in norm or norm.startswith("PySide6/translations/"):
        return False  # the UI is English only; no QTranslator is installed
    if "/Qt/qml/" in norm or "/Qt/libexec/" in norm or "/Qt/metatypes/" in norm:
        return False
    m = PLUGIN_RE.search(norm)
    if m:
        kind, name = m.groups()
        return name in KEEP_PLUGINS.get(kind, ())
    return True


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED entries of an ELF file: its *direct* dependencies (PyInstaller's
    get_imports() asks ldd, which lists the whole transitive closure)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:  # 64-bit little-endian only
        raise ValueError("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    needed = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab_offset = sections[link][4]
        for pos in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                start = strtab_offset + value
                needed.append(data[start : data.index(b"\0", start)].decode())
    return needed


def needed_closure(binaries: list[Entry]) -> list[Entry]:
    """Drop shared libraries no remaining binary links to (the deps of dropped plugins and
    of host libraries)."""

    def is_library(dest: str) -> bool:
        base = os.path.basename(dest)
        return (
            "/plugins/" not in dest.replace("\\", "/")
            and re.match(r"lib.*\.so(\.\d+)*$", base) is not None
            and not base.startswith("libpython")
        )

    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    by_name = {os.path.basename(dest): (dest, src, kind) for dest, src, kind in files}
    roots = [entry for entry in files if not is_library(entry[0])]
    keep = {os.path.basename(dest) for dest, _, _ in roots}
    todo = [src for _, src, _ in roots]
    while todo:
        src = todo.pop()
        try:
            needed = elf_needed(src)
        except (OSError, ValueError, IndexError):  # not an ELF file we can read
            continue
        for base in needed:
            if base in by_name and base not in keep:
                keep.add(base)
                todo.append(by_name[base][1])
    dropped = sorted(b for b in by_name if b not in keep)
    if dropped:
        print(f"ftrag.spec: pruned {len(dropped)} unreferenced libraries: {', '.join(dropped)}")
    return [entry for entry in binaries if os.path.basename(entry[0]) in keep]


def strippable(source: Path, site: Path) -> bool:
    """Files outside site-packages (the interpreter's, the system's), Qt's ICU libraries and
    numpy's extension modules; never numpy.libs/ nor other wheels' vendored libraries."""
    if not source.is_file():
        return False
    return (
        not source.is_relative_to(site)
        or re.match(r"libicu(uc|i18n)\.so", source.name) is not None
        or source.is_relative_to(site / "numpy")
    )


def stripped_copies(binaries: list[Entry], workpath: str, site: Path) -> list[Entry]:
    """Strip symbols from the interpreter's own files (libpython, lib-dynload), the system and
    ICU libraries and numpy's extension modules (27 MB in all; libpython alone goes from 23 MB
    to 6 MB).  Not PyInstaller's strip=True: that also strips the wheels' auditwheel/patchelf-
    edited libraries, and a stripped numpy.libs/OpenBLAS no longer loads ("ELF load command
    address/offset not page-aligned").  The other wheel binaries ship stripped already."""
    if not shutil.which("strip"):
        print("ftrag.spec: no `strip` on this machine; binaries are bundled unstripped")
        return binaries
    cache = Path(workpath) / "stripped"
    out: list[Entry] = []
    saved = 0
    for dest, src, kind in binaries:
        if kind == "SYMLINK" or not strippable(Path(src).resolve(), site):
            out.append((dest, src, kind))
            continue
        source = Path(src).resolve()
        target = cache / dest
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            os.chmod(target, 0o755)
            subprocess.run(["strip", "--strip-unneeded", str(target)], check=True)
        saved += source.stat().st_size - target.stat().st_size
        out.append((dest, str(target), kind))
    print(f"ftrag.spec: stripping saved {saved / 1e6:.1f} MB")
    return out


def drop_dangling_symlinks(toc: Iterable[Entry], present: set[str]) -> list[Entry]:
    """SYMLINK entries (PyInstaller links top-level names to libraries in sub-folders) whose
    target was filtered out."""
    out = []
    for dest, src, kind in toc:
        if kind == "SYMLINK":
            target = os.path.normpath(os.path.join(os.path.dirname(dest), src))
            if target not in present:
                continue
        out.append((dest, src, kind))
    return out
