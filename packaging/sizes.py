"""Size of the one-folder bundle, in total and by component (used by packaging/build.py and
benchmarks/package_bench.py).

Sizes are apparent file sizes in bytes (symbolic links count zero), and "MB" means 10^6 bytes.
Python modules live compressed inside the executable's embedded archive (PYZ); when PyInstaller
is importable (the `.[package]` extra) those entries are attributed to their package too,
otherwise the whole executable counts as "Python + stdlib".
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

COMPONENTS = (
    "Qt (libraries incl. ICU, plugins, PySide6)",
    "Python + stdlib",
    "numpy (incl. OpenBLAS)",
    "app data (resources + genai-prices data)",
    "other (pydantic, pyqtgraph, app code, licences…)",
)
QT, PYTHON, NUMPY, DATA, OTHER = COMPONENTS

# Python's own extension-module dependencies (OpenSSL, libffi, zlib, lzma, bz2, uuid).
_PYTHON_LIBS = re.compile(r"^lib(python|ssl|crypto|ffi|z|lzma|bz2|uuid|mpdec)[.\d-]*\.so")
_QT_LIBS = re.compile(r"^lib(Qt6|icu|pyside6|shiboken6|xcb|xkbcommon)")


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:.1f} MB"


def files(bundle: Path) -> Iterator[tuple[Path, int]]:
    for folder, _dirs, names in os.walk(bundle):
        for name in names:
            path = Path(folder) / name
            if not path.is_symlink():
                yield path, path.stat().st_size


def bundle_size(bundle: Path) -> int:
    return sum(size for _path, size in files(bundle))


def _component_of_file(rel: str) -> str:
    parts = rel.split("/")
    top = parts[1] if parts[0] == "_internal" and len(parts) > 1 else parts[0]
    if top in ("PySide6", "shiboken6") or _QT_LIBS.match(top):
        return QT
    if top.startswith("numpy"):
        return NUMPY
    if top == "resources":
        return DATA
    if top.startswith("python3") or top == "base_library.zip" or _PYTHON_LIBS.match(top):
        return PYTHON
    return OTHER


def _component_of_module(name: str) -> str:
    top = name.split(".")[0]
    if top in ("PySide6", "shiboken6", "shibokensupport"):
        return QT
    if top == "numpy":
        return NUMPY
    if name == "genai_prices.data":
        return DATA
    if top in sys.stdlib_module_names or top.startswith("pyimod"):
        return PYTHON
    return OTHER


def _executable_split(exe: Path) -> dict[str, int] | None:
    """Bytes of the executable by component, read from its embedded archive."""
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        return None
    try:
        pkg = CArchiveReader(str(exe))
        out = dict.fromkeys(COMPONENTS, 0)
        archived = 0
        for name, (_off, length, _full, _flag, typecode) in pkg.toc.items():
            archived += length
            if typecode == "z":  # the PYZ: per-module compressed entries
                pyz = pkg.open_embedded_archive(name)
                inner = 0
                for module, (_kind, _pos, mod_length) in pyz.toc.items():
                    out[_component_of_module(module)] += mod_length
                    inner += mod_length
                out[PYTHON] += length - inner  # the PYZ's own table of contents
            else:  # bootstrap scripts, the entry script, options
                out[PYTHON if name.startswith("pyi") else OTHER] += length
        out[PYTHON] += exe.stat().st_size - archived  # the bootloader itself
        return out
    except Exception:  # an archive layout this PyInstaller does not read
        return None


def components(bundle: Path, exe_name: str = "ftrag-advisor") -> dict[str, int]:
    out = dict.fromkeys(COMPONENTS, 0)
    exe = bundle / exe_name
    split = _executable_split(exe) if exe.is_file() else None
    for path, size in files(bundle):
        rel = path.relative_to(bundle).as_posix()
        if split is not None and path == exe:
            continue
        out[PYTHON if path == exe else _component_of_file(rel)] += size
    for key, value in (split or {}).items():
        out[key] += value
    return out
