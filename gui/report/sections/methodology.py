"""Appendix B: the methodology, the same text as Help → Methodology."""

from __future__ import annotations

import re

from gui.methodology_text import methodology_html
from gui.report.blocks import (
    heading,
)
from gui.report.flow import (
    Flowable,
    PageBreak,
)
from gui.report.richtext import RichText

_H1 = re.compile(r"<h1>.*?</h1>", re.IGNORECASE | re.DOTALL)
_CONTENTS = re.compile(r"<p><b>Contents:</b>.*?</p>", re.IGNORECASE | re.DOTALL)


def methodology(number: str) -> list[Flowable]:
    html = _CONTENTS.sub("", _H1.sub("", methodology_html()))
    return [
        PageBreak(),
        heading(number, "Methodology and references"),
        RichText(html, size_pt=8.4),
    ]
