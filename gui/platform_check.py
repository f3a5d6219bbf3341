"""Before the first window: can Qt's X11 platform plugin load on this machine?

Qt answers a missing system library with a generic abort ("Could not load the Qt platform
plugin "xcb" … Reinstalling the application may fix this problem", and since 6.5 always names
xcb-cursor0, whichever library is really missing).  This module asks the dynamic loader
itself, before QApplication exists: it loads the plugin the way Qt would (``dlopen``), and when
that fails it names every library the plugin cannot find and the package that provides it, in
one line.  Nothing here imports Qt.

Used by gui.app on Linux only, and only when Qt would pick the xcb plugin.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# The system libraries Qt's xcb platform plugin (libqxcb.so and libQt6XcbQpa.so it links),
# QtGui, QtPrintSupport's CUPS plugin and the GL integrations link directly, with the Debian /
# Ubuntu package of each (from `readelf -d` on the PySide6 wheel's files and `dpkg -S`; the
# Makefile's `sysdeps` installs exactly these packages, and a test keeps the two in step).
SONAME_PACKAGES: Mapping[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libcups.so.2": "libcups2",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that provides a shared library: from the table above, else
    by Debian's naming rule (libfoo.so.4 → libfoo4, libfoo-x11.so.0 → libfoo-x11-0)."""
    known = SONAME_PACKAGES.get(soname)
    if known:
        return known
    match = re.fullmatch(r"(lib[\w.+-]+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if not match:
        return soname
    stem, major = match.groups()
    stem = stem.lower()
    return f"{stem}-{major}" if stem[-1].isdigit() else f"{stem}{major}"


def missing_from_loader_error(error: str) -> list[str]:
    """The library names in a dynamic loader error, e.g. ``libxcb-icccm.so.4: cannot open
    shared object file: No such file or directory``."""
    found = re.findall(r"(lib[\w.+-]+?\.so(?:\.\d+)*): cannot open shared object file", error)
    return list(dict.fromkeys(found))


def missing_from_ldd(output: str) -> list[str]:
    """Every ``libfoo.so.N => not found`` line of ``ldd`` output, in order, once each."""
    names = re.findall(r"^\s*(\S+)\s+=>\s+not found", output, flags=re.MULTILINE)
    return list(dict.fromkeys(names))


def problem_line(missing: list[str], plugin: str = "xcb") -> str:
    """One line for the person starting the app: which libraries, which packages."""
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    several = len(missing) > 1
    return (
        f"FTRAG Advisor cannot open its window: Qt's X11 display plugin ({plugin}) needs "
        f"{', '.join(missing)}, not installed on this system. Install with: "
        f"sudo apt install {packages} (Debian/Ubuntu; elsewhere, the package"
        f"{'s' if several else ''} providing {'these libraries' if several else 'it'})."
    )


def qt_messages_line(messages: list[str]) -> str | None:
    """The one line for Qt's own platform-plugin failure messages (the fallback when the
    loader check passed but Qt still gave up, e.g. no X server to talk to)."""
    text = "\n".join(messages)
    if "platform plugin" not in text:
        return None
    display = re.search(r"could not connect to display\s*(\S*)", text)
    if display:
        where = display.group(1) or os.environ.get("DISPLAY", "")
        return (
            f"FTRAG Advisor cannot open its window: no X display at {where or '(DISPLAY unset)'}"
            ". Start it from a desktop session, or set DISPLAY (the command-line tools "
            "`ftrag eval`, `ftrag report` work without one)."
        )
    missing = [n for m in messages for n in missing_from_loader_error(m)]
    if missing:
        return problem_line(missing)
    plugin = re.search(r'platform plugin "(\w+)"', text)
    name = plugin.group(1) if plugin else "display"
    return (
        f"FTRAG Advisor cannot open its window: Qt could not load its {name} display plugin. "
        f"Run with QT_DEBUG_PLUGINS=1 to see why."
    )


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will try its xcb plugin first: on Linux, when QT_QPA_PLATFORM asks for it,
    or when it is unset outside a Wayland session."""
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if platform:
        return platform.split(";")[0].split(":")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def xcb_plugin() -> Path | None:
    """libqxcb.so of the PySide6 in use (the wheel's, or the frozen bundle's copy)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        plugin = Path(location) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries ``plugin`` needs that the loader cannot find (empty: it loads).
    The loader names only the first; ``ldd`` (when present) names them all."""
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
        return []
    except OSError as exc:
        first = missing_from_loader_error(str(exc))
    ldd = shutil.which("ldd")
    if ldd:
        try:
            output = subprocess.run(
                [ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False
            ).stdout
            every = missing_from_ldd(output)
            if every:
                return every
        except (OSError, subprocess.SubprocessError):
            pass
    return first or [plugin.name]


def check_xcb(environ: Mapping[str, str] | None = None) -> str | None:
    """The one-line problem when Qt's xcb plugin cannot load here, else None."""
    env = os.environ if environ is None else environ
    if not uses_xcb(env):
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None  # a build without the plugin: Qt says so itself
    missing = missing_libraries(plugin)
    return problem_line(missing) if missing else None
