"""The consultant's notes, paragraph by paragraph."""

from __future__ import annotations

import re

from gui.report.blocks import (
    heading,
    para,
)
from gui.report.flow import (
    Flowable,
)
from gui.report.styles import (
    BODY,
)


def notes_section(notes: str, number: str) -> list[Flowable]:
    items: list[Flowable] = [heading(number, "Consultant's notes")]
    for block in re.split(r"\n\s*\n", notes.strip()):
        items.append(para(block, BODY, space_after=5.0))
    return items
