"""`make package`: build the one-folder app with PyInstaller and write the download archive.

    .venv/bin/python packaging/build.py [--if-needed] [--no-archive] [--dist DIR]
                                        [--archive-dir DIR]

Writes dist/ftrag-advisor/ (the app: run dist/ftrag-advisor/ftrag-advisor),
dist/ftrag-advisor-<version>-linux-x86_64.tar.xz (Linux; .zip elsewhere) and
dist/ftrag-advisor-build.json (build time, sizes by component; read by `make bench`), then
prints the sizes.  ``--if-needed`` skips the build when the bundle is newer than every source
file (engine/, gui/, resources/, packaging/, pyproject.toml).
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from sizes import COMPONENTS, bundle_size, components, mb  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
NAME = "ftrag-advisor"
BUNDLE = DIST / NAME
EXE = BUNDLE / (NAME + (".exe" if sys.platform == "win32" else ""))
REPORT = DIST / f"{NAME}-build.json"
ARCHIVE_DIR = DIST


def set_dist(dist: Path, archive_dir: Path | None) -> None:
    """Build into another folder (the Windows build under Wine uses dist/windows/)."""
    global DIST, WORK, BUNDLE, EXE, REPORT, ARCHIVE_DIR
    DIST = dist
    WORK = ROOT / "build" / f"pyinstaller-{dist.name}" if dist != ROOT / "dist" else WORK
    BUNDLE = DIST / NAME
    EXE = BUNDLE / EXE.name
    REPORT = DIST / f"{NAME}-build.json"
    ARCHIVE_DIR = archive_dir or DIST


SOURCES = ("engine", "gui", "resources", "packaging", "pyproject.toml")

# The xcb-util libraries Qt's xcb platform plugin links to.  PyInstaller bundles them when the
# build machine has them (minimal desktops often lack them); we install them on a Debian-like
# build machine when allowed (root + apt-get), as the Makefile's sysdeps target does.
XCB_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxkbcommon-x11-0",
)


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("ftrag-advisor")
    except metadata.PackageNotFoundError:
        import tomllib

        return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def platform_tag() -> str:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(
        sys.platform, sys.platform
    )
    machine = platform.machine().lower().replace("amd64", "x86_64")  # Windows says AMD64
    return f"{system}-{machine}"


def archive_path() -> Path:
    suffix = ".tar.xz" if sys.platform.startswith("linux") else ".zip"
    return ARCHIVE_DIR / f"{NAME}-{version()}-{platform_tag()}{suffix}"


def up_to_date() -> bool:
    if not EXE.is_file():
        return False
    built = EXE.stat().st_mtime
    for source in SOURCES:
        path = ROOT / source
        candidates = path.rglob("*") if path.is_dir() else [path]
        for file in candidates:
            if "__pycache__" in file.parts or not file.is_file():
                continue
            if file.stat().st_mtime > built:
                return False
    return True


def ensure_build_packages() -> None:
    """binutils (PyInstaller needs objcopy on Linux; the spec strips with strip) and the xcb
    libraries to bundle, installed when missing and allowed (root + apt-get)."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg"):
        return
    missing = [] if shutil.which("objcopy") and shutil.which("strip") else ["binutils"]
    missing += [
        p
        for p in XCB_PACKAGES
        if subprocess.run(["dpkg", "-s", p], capture_output=True, check=False).returncode != 0
    ]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing build packages: {' '.join(missing)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            stdout=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        if result.returncode == 0:
            return
    print(
        f"note: missing on this machine: {' '.join(missing)} (binutils is required; the xcb "
        "libraries are then not bundled, and users need them installed to open the window)",
        flush=True,
    )


def run_pyinstaller() -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(HERE / "ftrag.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = int(os.environ.get("SOURCE_DATE_EPOCH", info.mtime))
    return info


def write_archive(target: Path) -> float:
    """tar.xz at xz's highest preset (-9e) on Linux; zip elsewhere.  Entries sorted, owners
    dropped, so two builds of the same files give the same archive."""
    started = time.perf_counter()
    tmp = target.with_name(target.name + ".part")
    app = DIST / "FTRAG Advisor.app"
    if sys.platform == "darwin" and app.is_dir():
        # the .app, with its symlinks, permissions and signatures kept (ditto, as Finder does)
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(app), str(tmp)], check=True)
    elif target.suffix == ".zip":
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(BUNDLE.rglob("*")):
                zf.write(path, path.relative_to(DIST).as_posix())
    else:
        preset = 9 | lzma.PRESET_EXTREME
        with (
            lzma.open(tmp, "wb", preset=preset) as xz,
            tarfile.open(fileobj=xz, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            for path in [BUNDLE, *sorted(BUNDLE.rglob("*"))]:
                tar.add(
                    path, path.relative_to(DIST).as_posix(), recursive=False, filter=_tar_filter
                )
    tmp.replace(target)
    return time.perf_counter() - started


def size_table(parts: dict[str, int], total: int) -> str:
    width = max(len(c) for c in COMPONENTS)
    lines = [
        f"  {c:{width}s} {mb(parts[c]):>10s}  {100 * parts[c] / total:4.1f}%" for c in COMPONENTS
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--if-needed", action="store_true", help="skip an up-to-date build")
    parser.add_argument("--no-archive", action="store_true", help="do not write the archive")
    parser.add_argument("--dist", type=Path, help="build into this folder (default: dist/)")
    parser.add_argument("--archive-dir", type=Path, help="write the archive here (default: --dist)")
    args = parser.parse_args(argv)
    if args.dist or args.archive_dir:
        set_dist((args.dist or DIST).resolve(), args.archive_dir and args.archive_dir.resolve())

    archive = archive_path()
    if args.if_needed and up_to_date() and (args.no_archive or archive.is_file()):
        print(f"{BUNDLE.relative_to(ROOT)} is up to date")
        return 0
    ensure_build_packages()
    for old in ARCHIVE_DIR.glob(f"{NAME}-*-{platform_tag()}.*"):
        old.unlink()
    print(f"building {NAME} {version()} with PyInstaller …", flush=True)
    build_s = run_pyinstaller()
    archive_s = 0.0
    if not args.no_archive:
        print(f"writing {archive.name} …", flush=True)
        archive_s = write_archive(archive)

    total = bundle_size(BUNDLE)
    parts = components(BUNDLE, EXE.name)
    report = {
        "version": version(),
        "platform": platform_tag(),
        "python": platform.python_version(),
        "pyinstaller_seconds": round(build_s, 1),
        "archive_seconds": round(archive_s, 1),
        "bundle": BUNDLE.relative_to(ROOT).as_posix()
        if BUNDLE.is_relative_to(ROOT)
        else str(BUNDLE),
        "bundle_bytes": total,
        "bundle_files": sum(1 for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()),
        "components_bytes": parts,
        "archive": archive.name if archive.is_file() else None,
        "archive_bytes": archive.stat().st_size if archive.is_file() else None,
    }
    REPORT.write_text(json.dumps(report, indent=2) + "\n")

    print(f"\nbuilt {BUNDLE}/ in {build_s:.0f} s (archive {archive_s:.0f} s)")
    print(f"  unpacked: {mb(total)} in {report['bundle_files']} files (target ≤ 170 MB)")
    if archive.is_file():
        size = mb(archive.stat().st_size)
        print(f"  archive:  {size}  {archive.name} (target ≤ 60 MB)")
    print(size_table(parts, total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
