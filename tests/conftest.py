"""Test set-up shared by every suite.

FTRAG_BLOCK_QT=1 makes PySide6, shiboken6 and pyqtgraph unimportable, to prove the engine and its
tests need no Qt (`make engine-without-qt`)."""

from __future__ import annotations

import importlib.abc
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Price data a user imported on this machine must not leak into the tests: an empty folder.
os.environ.setdefault("FTRAG_DATA_DIR", tempfile.mkdtemp(prefix="ftrag-test-data-"))

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph")


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"{fullname} is blocked: the engine must run without Qt")
        return


if os.environ.get("FTRAG_BLOCK_QT") == "1":
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockQt())
