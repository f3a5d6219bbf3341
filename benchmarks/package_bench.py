"""Bundle size and frozen start time, read from an existing build (`make package`).

``package_rows()`` never builds: with no dist/ftrag-advisor/ it returns one note row.  Sizes are
apparent file sizes (symbolic links count zero), MB = 10^6 bytes.  Start times come from the
last `make smoke-frozen` (dist/ftrag-advisor-smoke.json) when it ran on the current build;
otherwise they are measured here (median of 3 ``--smoke-test`` runs, frozen and from source).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "ftrag-advisor"
EXE = BUNDLE / "ftrag-advisor"
BUILD_JSON = DIST / "ftrag-advisor-build.json"
SMOKE_JSON = DIST / "ftrag-advisor-smoke.json"
# The Windows bundle built and smoke-tested under Wine (`make package-windows smoke-windows`)
WINDOWS_BUILD_JSON = DIST / "ftrag-advisor-windows-build.json"
WINDOWS_SMOKE_JSON = DIST / "ftrag-advisor-windows-smoke.json"

UNPACKED_TARGET = 170e6
ARCHIVE_TARGET = 60e6
START_RATIO_TARGET = 1.5

Row = dict[str, object]


def _packaging() -> object:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import sizes
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    return sizes


def _fresh(path: Path) -> bool:
    """Written after the current build's executable."""
    return path.is_file() and path.stat().st_mtime >= EXE.stat().st_mtime


def _start_times() -> dict[str, object] | None:
    if _fresh(SMOKE_JSON):
        timing = json.loads(SMOKE_JSON.read_text()).get("timing")
        if isinstance(timing, dict) and "ratio" in timing:
            return timing
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import smoke_test
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    timing = smoke_test.timing(BUNDLE, repeat=3)
    return timing if "ratio" in timing else None


def windows_rows() -> list[Row]:
    """The Windows zip's size and the frozen smoke test's timing under Wine, from the JSON the
    last `make package-windows` / `make smoke-windows` wrote (never built here)."""
    if not WINDOWS_BUILD_JSON.is_file():
        return [
            {
                "name": "Windows bundle (Wine)",
                "value": "no build",
                "target": "run `make package-windows` first",
            }
        ]
    build = json.loads(WINDOWS_BUILD_JSON.read_text())
    unpacked, archive = int(build["bundle_bytes"]), int(build["archive_bytes"])
    rows: list[Row] = [
        {
            "name": "Windows bundle size unpacked",
            "value": f"{unpacked / 1e6:.1f} MB",
            "target": "≤ 170 MB" + ("" if unpacked <= UNPACKED_TARGET else "  (OVER)"),
        },
        {
            "name": f"Windows zip {build['archive']}",
            "value": f"{archive / 1e6:.1f} MB",
            "target": "≤ 60 MB" + ("" if archive <= ARCHIVE_TARGET else "  (OVER)"),
        },
        {
            "name": "Windows build under Wine (make package-windows)",
            "value": f"{build['seconds']:.0f} s",
            "target": ", ".join(f"{k} {v:.0f} s" for k, v in build["steps_seconds"].items()),
        },
    ]
    if WINDOWS_SMOKE_JSON.is_file():
        smoke = json.loads(WINDOWS_SMOKE_JSON.read_text())
        rows.append(
            {
                "name": "Windows frozen smoke test under Wine (make smoke-windows)",
                "value": f"{smoke.get('wine_seconds', 0):.0f} s",
                "target": f"{smoke['passed']} passed, {smoke['failed']} failed",
            }
        )
        timing = smoke.get("timing")
        if isinstance(timing, dict) and "frozen_s" in timing:
            rows.append(
                {
                    "name": "Windows start to exit, --smoke-test, frozen / source (Wine)",
                    "value": f"{timing['frozen_s']:.2f} / {timing['source_s']:.2f} s",
                    "target": f"{timing['ratio']:.2f}× source; first live result "
                    f"{timing['frozen_first_result_ms']} ms frozen",
                }
            )
    return rows


def package_rows(measure_start: bool = True) -> list[Row]:
    return linux_rows(measure_start) + windows_rows()


def linux_rows(measure_start: bool = True) -> list[Row]:
    if not EXE.is_file():
        return [
            {
                "name": "bundle (PyInstaller)",
                "value": "no build",
                "target": "run `make package` first: dist/ftrag-advisor/ is missing",
            }
        ]
    sizes = _packaging()
    total = sizes.bundle_size(BUNDLE)  # type: ignore[attr-defined]
    rows: list[Row] = [
        {
            "name": "bundle size unpacked",
            "value": sizes.mb(total),  # type: ignore[attr-defined]
            "target": "≤ 170 MB" + ("" if total <= UNPACKED_TARGET else "  (OVER)"),
        }
    ]
    archives = sorted(DIST.glob("ftrag-advisor-*-linux-*.tar.xz")) + [
        a for a in sorted(DIST.glob("ftrag-advisor-*-*.zip")) if "-windows-" not in a.name
    ]
    archive = next((a for a in archives if _fresh(a)), None)
    if archive is not None:
        size = archive.stat().st_size
        rows.append(
            {
                "name": f"archive {archive.name}",
                "value": sizes.mb(size),  # type: ignore[attr-defined]
                "target": "≤ 60 MB" + ("" if size <= ARCHIVE_TARGET else "  (OVER)"),
            }
        )
    else:
        rows.append({"name": "archive", "value": "not built", "target": "≤ 60 MB (`make package`)"})
    for component, size in sizes.components(BUNDLE).items():  # type: ignore[attr-defined]
        rows.append(
            {
                "name": f"  size: {component}",
                "value": sizes.mb(size),  # type: ignore[attr-defined]
                "target": f"{100 * size / total:.0f}% of the bundle",
            }
        )
    if _fresh(BUILD_JSON):
        build = json.loads(BUILD_JSON.read_text())
        rows.append(
            {
                "name": "PyInstaller build time",
                "value": f"{build['pyinstaller_seconds']:.0f} s",
                "target": f"+ archive {build['archive_seconds']:.0f} s (xz -9e)"
                if build.get("archive_seconds")
                else "",
            }
        )
    if measure_start:
        timing = _start_times()
        if timing is None:
            rows.append({"name": "frozen start", "value": "failed", "target": "≤ 1.5× source"})
        else:
            ratio = float(timing["ratio"])  # type: ignore[arg-type]
            rows += [
                {
                    "name": "start to exit, --smoke-test, frozen (median of 3)",
                    "value": f"{timing['frozen_s']:.2f} s",
                    "target": f"{ratio:.2f}× source (≤ 1.5×)"
                    + ("" if ratio <= START_RATIO_TARGET else "  (OVER)"),
                },
                {
                    "name": "start to exit, --smoke-test, from source (median of 3)",
                    "value": f"{timing['source_s']:.2f} s",
                    "target": "python -m gui.launcher",
                },
                {
                    "name": "first live result in-app: frozen / source",
                    "value": f"{timing['frozen_first_result_ms']} / "
                    f"{timing['source_first_result_ms']} ms",
                    "target": "as the app reports it",
                },
            ]
    return rows


if __name__ == "__main__":
    for row in package_rows():
        print(f"{row['name']!s:60s} {row['value']!s:>14s}  {row['target']}")
