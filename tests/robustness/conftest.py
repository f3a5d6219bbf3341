"""The robustness tests drive the real window with the GUI suite's fixtures."""

from tests.gui.conftest import (
    _no_modal_overwrite_question,
    _qt_test_mode,
    english,
    make_window,
    messages,
    window,
)

__all__ = [
    "_no_modal_overwrite_question",
    "_qt_test_mode",
    "english",
    "make_window",
    "messages",
    "window",
]
