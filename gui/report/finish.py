"""The last pass over a built story, before it is laid out (or written as DOCX):

* the firm's accent colour replaces the house accent and its tints (gui.report.styles);
* catalog ids that engine texts carry ("h100-sxm", "openai:gpt-4o-mini") become the catalog
  entries' names ("NVIDIA H100 SXM5 80GB", "OpenAI gpt-4o-mini"): a client reads names.

Both walk every text run, cell and container, so no section can forget them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from engine.assumptions import reference_data
from gui.report.flow import Cell, Flowable, KeepTogether, Panel, Paragraph, Row, Run, Style, Table
from gui.report.model import ReportData
from gui.report.styles import accent_palette

# An id is a whole token: not part of a longer id, a word, a file name or a URL path.
_BEFORE = r"(?<![\w.:/-])"
_AFTER = r"(?![\w:/]|[.-]\w)"


def catalog_names(data: ReportData) -> dict[str, str]:
    """Every catalog id the report's scenarios use → the entry's display name."""
    names: dict[str, str] = {}
    for report in data.scenarios:
        for entry in reference_data(data.project, report.scenario):
            if entry.entry_id and entry.name and entry.entry_id != entry.name:
                names[entry.entry_id] = entry.name
    return names


def name_replacer(names: Mapping[str, str]) -> Callable[[str], str]:
    """A function that writes each id in ``names`` found in a text as its name."""
    if not names:
        return lambda text: text
    ids = sorted(names, key=len, reverse=True)  # "openai:gpt-4o-mini" before "gpt-4o-mini"
    pattern = re.compile(_BEFORE + "(" + "|".join(re.escape(i) for i in ids) + ")" + _AFTER)
    return lambda text: pattern.sub(lambda m: names[m.group(1)], text)


def finish_story(story: list[Flowable], data: ReportData) -> list[Flowable]:
    palette = accent_palette(data.branding.accent)
    rename = name_replacer(catalog_names(data))

    def color(value: str) -> str:
        return palette.get(value, value) if value else value

    def style(s: Style) -> Style:
        new = color(s.color)
        return s if new == s.color else replace(s, color=new)

    def runs(items: list[Run]) -> list[Run]:
        return [(rename(text), style(s)) for text, s in items]

    def cell(c: Cell) -> Cell:
        return replace(c, runs=runs(c.runs), background=color(c.background))

    def row(r: Row) -> Row:
        return replace(r, cells=[cell(c) for c in r.cells], background=color(r.background))

    def visit(item: Flowable) -> None:
        if isinstance(item, Paragraph):
            item.runs = runs(item.runs)
            item.style = style(item.style)
            item.rule_below = color(item.rule_below)
        elif isinstance(item, Table):
            item.rows = [row(r) for r in item.rows]
            item.header = [row(r) for r in item.header]
        elif isinstance(item, KeepTogether):
            if isinstance(item, Panel):
                item.background = color(item.background)
                item.accent = color(item.accent)
            for inner in item.items:
                visit(inner)

    for item in story:
        visit(item)
    return story
