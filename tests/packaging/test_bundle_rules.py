"""The spec's filters (packaging/bundle_rules.py) on hand-made TOC entries and on the installed
PySide6 files; and the bench's answer when there is no build.  No PyInstaller run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from bundle_rules import (  # noqa: E402
    drop_dangling_symlinks,
    elf_needed,
    keep_entry,
    needed_closure,
    strippable,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF / Linux rules")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6\\Qt6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/qml/QtQuick/qmldir", False),
        ("pyqtgraph/icons/peegee/peegee_512px.png", False),
        ("docx/templates/default.docx", True),
        ("docx/templates/default-footer.xml", True),
        ("docx/templates/default-docx-template/word/document.xml", False),
        ("lxml/etree.cpython-311-x86_64-linux-gnu.so", True),
        ("lxml/includes/libxml/tree.h", False),
        ("lxml/etree.pyx", False),
        ("pyqtgraph/icons/auto.png", True),
        ("resources/templates/seed-enterprise.ftrag", True),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ],
)
def test_keep_entry(dest: str, kept: bool) -> None:
    assert keep_entry(dest, linux=True) is kept


@pytest.mark.parametrize(
    "name",
    ["libstdc++.so.6", "libfontconfig.so.1", "libX11.so.6", "libxcb.so.1", "libcups.so.2"],
)
def test_the_desktops_own_libraries_are_not_bundled_on_linux(name: str) -> None:
    assert not keep_entry(name, linux=True)
    assert keep_entry(name, linux=False)


@pytest.mark.parametrize(
    "name", ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libssl.so.3", "libpython3.11.so.1.0"]
)
def test_libraries_minimal_systems_lack_stay_bundled(name: str) -> None:
    assert keep_entry(name, linux=True)


@linux_only
def test_elf_needed_lists_direct_dependencies_only() -> None:
    import PySide6

    qtsvg = Path(PySide6.__file__).parent / "QtSvg.abi3.so"
    needed = elf_needed(str(qtsvg))
    assert "libQt6Svg.so.6" in needed
    assert "libicudata.so.73" not in needed  # reached only through libQt6Core: not direct


@linux_only
def test_needed_closure_drops_what_nothing_links_to() -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent
    lib = qt / "Qt" / "lib"
    binaries = [
        ("PySide6/QtSvg.abi3.so", str(qt / "QtSvg.abi3.so"), "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Svg.so.6", str(lib / "libQt6Svg.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", str(lib / "libQt6Gui.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(lib / "libQt6Core.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", str(lib / "libQt6Network.so.6"), "BINARY"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    kept = needed_closure(binaries)
    names = {dest for dest, _, _ in kept}
    assert "PySide6/Qt/lib/libQt6Svg.so.6" in names
    assert "PySide6/Qt/lib/libQt6Core.so.6" in names
    assert "PySide6/Qt/lib/libQt6Network.so.6" not in names
    assert "libQt6Network.so.6" not in names


def test_dangling_symlinks_are_dropped() -> None:
    toc = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
    ]
    kept = drop_dangling_symlinks(toc, {"PySide6/Qt/lib/libQt6Core.so.6"})
    assert [dest for dest, _, _ in kept] == ["libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6"]


def test_wheel_libraries_are_never_stripped(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    for rel in (
        "numpy.libs/libscipy_openblas64_.so",
        "numpy/_core/_multiarray_umath.so",
        "PySide6/Qt/lib/libicuuc.so.73",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "pydantic_core/_pydantic_core.so",
    ):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(b"")
    python_lib = tmp_path / "python" / "libpython3.11.so.1.0"
    python_lib.parent.mkdir()
    python_lib.write_bytes(b"")
    assert not strippable(site / "numpy.libs/libscipy_openblas64_.so", site)
    assert not strippable(site / "PySide6/Qt/lib/libQt6Core.so.6", site)
    assert not strippable(site / "pydantic_core/_pydantic_core.so", site)
    assert strippable(site / "numpy/_core/_multiarray_umath.so", site)
    assert strippable(site / "PySide6/Qt/lib/libicuuc.so.73", site)
    assert strippable(python_lib, site)


def test_bench_without_a_build_returns_a_note(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from benchmarks import package_bench

    monkeypatch.setattr(package_bench, "EXE", tmp_path / "missing" / "ftrag-advisor")
    monkeypatch.setattr(package_bench, "WINDOWS_BUILD_JSON", tmp_path / "missing" / "build.json")
    rows = package_bench.package_rows()
    assert len(rows) == 2  # the Linux bundle, the Windows bundle (built under Wine)
    assert rows[0]["value"] == "no build"
    assert rows[1]["value"] == "no build"
