"""Runtime hook of the frozen app: stand-ins for PySide6.QtOpenGL and PySide6.QtOpenGLWidgets.

pyqtgraph imports both modules at import time (pyqtgraph/Qt/OpenGLHelpers.py, PlotCurveItem,
PColorMeshItem) but uses them only to draw through OpenGL, which FTRAG Advisor never turns on
(no ``useOpenGL``/``enableExperimental``).  The real bindings cost ~10 MB (QtOpenGL.abi3.so
alone is 8.9 MB), so the bundle leaves them out and this hook answers those two imports
with small modules: importing works, and any actual OpenGL use fails loudly with a clear
message instead of drawing nothing.

The hook only registers an import finder; nothing Qt is imported until pyqtgraph asks, so the
command-line sub-commands stay Qt-free.  tests/packaging/test_qt_modules.py runs the app from
source with this hook installed and the excluded modules blocked, the way the bundle runs.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types

STUBBED = ("PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets")
MESSAGE = "OpenGL drawing is not part of this build of FTRAG Advisor ({name} was left out)"


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name, MESSAGE.format(name=spec.name))
        module.__spec__ = spec
        if spec.name == "PySide6.QtOpenGLWidgets":
            from PySide6.QtWidgets import QWidget

            class QOpenGLWidget(QWidget):  # pyqtgraph subclasses it at import time
                def __init__(self, *args: object, **kwargs: object) -> None:
                    raise RuntimeError(MESSAGE.format(name=spec.name))

            QOpenGLWidget.__module__ = spec.name
            module.QOpenGLWidget = QOpenGLWidget  # type: ignore[attr-defined]

        def __getattr__(attr: str) -> object:
            if attr.startswith("__"):
                raise AttributeError(attr)
            raise AttributeError(f"{spec.name}.{attr}: " + MESSAGE.format(name=spec.name))

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class _StubFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname in STUBBED:
            return importlib.machinery.ModuleSpec(fullname, _StubLoader())
        return None


def install() -> None:
    if not any(isinstance(finder, _StubFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _StubFinder())


install()
