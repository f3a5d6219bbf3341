"""The start-up check of Qt's X11 platform plugin (gui.platform_check) and the Makefile's
system-library list it shares its facts with."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gui import platform_check as pc

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux ELF files")

# What Qt 6.11 prints on a machine without libxcb-icccm4 (captured on Debian 12): it names
# xcb-cursor0 although that one is installed, and never the library really missing.
QT_ABORT = [
    "From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin.",
    'Could not load the Qt platform plugin "xcb" in "" even though it was found.',
    "This application failed to start because no Qt platform plugin could be initialized. "
    "Reinstalling the application may fix this problem.",
]


def test_loader_error_names_the_library() -> None:
    error = "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
    assert pc.missing_from_loader_error(error) == ["libxcb-icccm.so.4"]
    assert pc.missing_from_loader_error("undefined symbol: foo") == []


def test_ldd_output_lists_every_missing_library_once() -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f)\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibxcb-icccm.so.4 => not found\n"
    )
    assert pc.missing_from_ldd(output) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libxcb-ewmh.so.2", "libxcb-ewmh2"),  # not in the table: Debian's naming rule
        ("libfoo-1.so.3", "libfoo-1-3"),
    ],
)
def test_debian_package(soname: str, package: str) -> None:
    assert pc.debian_package(soname) == package


def test_problem_line_is_one_line_naming_libraries_and_packages() -> None:
    line = pc.problem_line(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert "\n" not in line
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in line
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in line


def test_qt_message_fallbacks() -> None:
    generic = pc.qt_messages_line(QT_ABORT)
    assert generic is not None
    assert "xcb" in generic
    assert "QT_DEBUG_PLUGINS=1" in generic
    assert "\n" not in generic
    no_display = pc.qt_messages_line(["could not connect to display :99", *QT_ABORT[1:]])
    assert no_display is not None
    assert "no X display at :99" in no_display
    loader = pc.qt_messages_line(
        [
            "Cannot load library /x/libqxcb.so: (libxcb-icccm.so.4: cannot open shared "
            "object file: No such file or directory)",
            *QT_ABORT[1:],
        ]
    )
    assert loader is not None
    assert "sudo apt install libxcb-icccm4" in loader
    assert pc.qt_messages_line(["some unrelated warning"]) is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb;offscreen"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, True),
    ],
)
@linux_only
def test_uses_xcb(env: dict[str, str], expected: bool) -> None:
    assert pc.uses_xcb(env) is expected


def _with_broken_dependency(tmp_path: Path) -> Path:
    """A real shared library whose first dependency's name is changed to one that does not
    exist (same length, so the ELF stays valid): the loader must refuse it."""
    source = next(
        Path(d) / "libxcb-shape.so.0"
        for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib")
        if (Path(d) / "libxcb-shape.so.0").is_file()
    )
    data = source.read_bytes()
    assert data.count(b"\0libxcb.so.1\0") == 1
    broken = tmp_path / "libbroken.so"
    broken.write_bytes(data.replace(b"\0libxcb.so.1\0", b"\0libxqz.so.1\0"))
    return broken


@linux_only
def test_missing_libraries_of_a_real_library(tmp_path: Path) -> None:
    plugin = pc.xcb_plugin()
    assert plugin is not None, "PySide6 ships libqxcb.so"
    broken = _with_broken_dependency(tmp_path)
    assert pc.missing_libraries(broken) == ["libxqz.so.1"]
    line = pc.problem_line(pc.missing_libraries(broken))
    assert "sudo apt install libxqz1" in line


@linux_only
def test_the_plugin_loads_here() -> None:
    """`make sysdeps` installed everything the xcb plugin links (CI runs it first)."""
    plugin = pc.xcb_plugin()
    assert plugin is not None
    assert pc.missing_libraries(plugin) == []
    assert pc.check_xcb({"QT_QPA_PLATFORM": "xcb"}) is None


def _makefile_sysdeps() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    found = re.search(r"^SYSLIBS\s*:=((?:.*\\\n)*.*)$", text, flags=re.MULTILINE)
    assert found, "Makefile has a SYSLIBS list"
    return set(found.group(1).replace("\\\n", " ").split())


@linux_only
@pytest.mark.skipif(not shutil.which("readelf"), reason="needs readelf (binutils)")
def test_makefile_installs_what_the_xcb_plugin_links() -> None:
    """Every system library the plugin, its QPA library, QtGui/QtWidgets and the printing
    plugin link directly is in the table, and its package is in `make sysdeps`."""
    plugin = pc.xcb_plugin()
    assert plugin is not None
    qt = plugin.parents[2]
    files = [
        plugin,
        qt / "lib" / "libQt6XcbQpa.so.6",
        qt / "lib" / "libQt6Gui.so.6",
        qt / "lib" / "libQt6Widgets.so.6",
        qt / "lib" / "libQt6PrintSupport.so.6",
        qt / "plugins" / "printsupport" / "libcupsprintersupport.so",
        *sorted((qt / "plugins" / "xcbglintegrations").glob("*.so")),
    ]
    needed: set[str] = set()
    for file in files:
        out = subprocess.run(["readelf", "-d", str(file)], capture_output=True, text=True).stdout
        needed |= set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out))
    system = {
        n
        for n in needed
        if not re.match(r"lib(Qt6|icu|c\.|m\.|pthread|dl\.|rt\.|gcc_s|stdc\+\+)|ld-linux", n)
    }
    assert system - set(pc.SONAME_PACKAGES) == set(), "add these to SONAME_PACKAGES"
    packages = {pc.SONAME_PACKAGES[n] for n in system}
    assert packages - _makefile_sysdeps() == set(), "add these to the Makefile's SYSLIBS"
