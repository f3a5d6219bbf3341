"""The methodology text (every formula the engine uses and where it comes from), kept as a
resource so Help → Methodology and the report's appendix print the same words.

It is our own static HTML (no project strings, no images, no links out of the page).
"""

from __future__ import annotations

from functools import cache

from engine.catalog import RESOURCES

METHODOLOGY_FILE = RESOURCES / "methodology.html"


@cache
def methodology_html() -> str:
    return METHODOLOGY_FILE.read_text(encoding="utf-8")
