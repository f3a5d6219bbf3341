"""The decision map in the report: which strategy is recommended over monthly volume and document
churn (the Decision map tab's default axes), today's inputs marked, and how far today is from the
nearest line on each axis.

* The full report's appendix has a section with every scenario's map.
* The client summary shows a scenario's map only when it *changes the story*: when a line lies
  within the plausible range of one of its inputs (engine.decision_map.story_changes — the
  input's own low–high range when the scenario gives one, else today ± 25 %).  A map whose
  lines are all far from today adds a picture, not a finding, and stays in the appendix.

A scenario's map is "Map N" (N: the scenario's number), in the summary and the appendix alike;
a map the summary already shows is referred to, not printed twice.
"""

from __future__ import annotations

from engine.decision_map import (
    Change,
    DecisionMap,
    MapAxis,
    changes_from_today,
    plausible_range,
    story_changes,
)
from engine.model.scenario import STRATEGY_NAMES
from engine.text import one_line
from gui import format as fmt
from gui.report.blocks import bullets, heading, para
from gui.report.decision_map import paint_decision_map
from gui.report.flow import MUTED, CondPageBreak, Drawing, Flowable, KeepTogether, Style
from gui.report.model import ReportData, ScenarioReport
from gui.report.styles import BODY, SMALL

MAP_ASPECT = 0.62


def in_summary(report: ScenarioReport) -> bool:
    """Whether the client summary shows this scenario's map (see the module docstring)."""
    m = report.decision_map
    return m is not None and bool(story_changes(m, report.scenario))


def _title(data: ReportData, report: ScenarioReport) -> str:
    if len(data.scenarios) > 1:
        return f"Where the answer changes: “{one_line(report.scenario.name)}”"
    return "Where the answer changes"


def map_figure(m: DecisionMap, number: int) -> Flowable:
    x = m.x.field.label[0].lower() + m.x.field.label[1:]
    y = m.y.field.label[0].lower() + m.y.field.label[1:]
    caption = (
        f"The strategy recommended at each {x} (across) and {y} (up), every other input as "
        "entered. Each region has a hatching of its own (fine-tuning diagonal lines, RAG dots, "
        "hybrid cross-hatching, none qualifies a grid) so the map reads in grey-scale; the "
        "black lines are where the recommendation changes; the star is today's inputs."
    )
    return KeepTogether(
        [
            Drawing(
                lambda painter, dev, rect: paint_decision_map(painter, dev, rect, m),
                aspect=MAP_ASPECT,
                max_height=330.0,
                space_before=2.0,
            ),
            para(
                [(f"Map {number}. ", Style(size=7.5, bold=True, color=MUTED)), (caption, SMALL)],
                SMALL,
                space_before=3.0,
                space_after=6.0,
            ),
        ]
    )


def _today(m: DecisionMap) -> str:
    key = m.today_strategy
    who = STRATEGY_NAMES[key] if key else "no strategy"
    return f"With today's inputs the recommendation is {who}."


def distance_lines(m: DecisionMap) -> list[str]:
    """How far today is from the nearest line along each axis, one sentence per line crossed
    (the scorecard's "distance to the line", in the report's words)."""
    changes = changes_from_today(m)
    if changes:
        return [_capital(c.sentence) + "." for c in changes]
    present = {int(w) for w in m.winner.ravel()}
    if len(present) == 1:
        return ["The recommendation is the same everywhere on this map."]
    return [
        "Moving either input alone from today's values, the recommendation stays the same "
        "across this map."
    ]


def _uniform(m: DecisionMap) -> bool:
    """One strategy (or none qualifying) over the whole map: a sentence says it, no figure."""
    return len({int(w) for w in m.winner.ravel()}) == 1


def _span(axis: MapAxis) -> str:
    label = axis.field.label[0].lower() + axis.field.label[1:]
    unit = f" {axis.field.unit}" if axis.field.unit else ""
    return f"{label} {fmt.number(axis.lo)} – {fmt.number(axis.hi)}{unit}"


def _same_everywhere(m: DecisionMap) -> str:
    key = m.today_strategy
    who = STRATEGY_NAMES[key] if key else "that no strategy qualifies"
    return (
        f"Over {_span(m.x)} and {_span(m.y)}, every other input as entered, the recommendation "
        f"stays {who}: neither input alone changes it in this range, so no map is drawn."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _why_shown(report: ScenarioReport, changes: list[Change]) -> str:
    parts = []
    for change in changes:
        low, high = plausible_range(report.scenario, change.field)
        label = change.field.label[0].lower() + change.field.label[1:]
        parts.append(f"{label} ({fmt.number(low)} – {fmt.number(high)})")
    unique = list(dict.fromkeys(parts))
    return (
        "The recommendation changes within the plausible range of "
        + " and of ".join(unique)
        + ", so it rests on a figure worth pinning down before deciding."
    )


def summary_maps(data: ReportData) -> list[Flowable]:
    """The client summary's maps: the scenarios where the map changes the story."""
    story: list[Flowable] = []
    for index, report in enumerate(data.scenarios, start=1):
        m = report.decision_map
        if m is None or not in_summary(report):
            continue
        story += [
            CondPageBreak(300.0),
            heading("", _title(data, report)),
            para(_today(m) + " " + _why_shown(report, story_changes(m, report.scenario)), BODY),
            map_figure(m, index),
            *bullets(distance_lines(m)),
        ]
    return story


def appendix_maps(data: ReportData, number: str) -> list[Flowable]:
    """The full report's section: every scenario's map (or where the summary shows it)."""
    reports = [(i, r) for i, r in enumerate(data.scenarios, start=1) if r.decision_map]
    if not reports:
        return []
    story: list[Flowable] = [
        CondPageBreak(300.0),
        heading(number, "Decision maps" if len(reports) > 1 else "Decision map"),
        para(
            "Which strategy is recommended over two inputs at once — monthly volume and how much "
            "of the knowledge base changes each month, the inputs a recommendation most often "
            "turns on — with every other input as entered. A map is shown in the summary when "
            "one of its lines lies within an input's plausible range (its entered low–high "
            "range, or ±25 % of today's value without one).",
            BODY,
            space_after=4.0,
        ),
    ]
    for index, report in reports:
        m = report.decision_map
        assert m is not None
        drawn = not _uniform(m) and not (in_summary(report) and data.mode == "full")
        if len(data.scenarios) > 1:
            # The scenario's heading never ends a page apart from its map.
            story.append(CondPageBreak(380.0 if drawn else 60.0))
            story.append(heading("", f"Scenario “{one_line(report.scenario.name)}”", 2))
        if _uniform(m):
            story.append(para(_today(m) + " " + _same_everywhere(m), BODY))
            continue
        if in_summary(report) and data.mode == "full":
            story.append(para(f"Map {index}, in the summary. " + _today(m), BODY))
        else:
            story += [para(_today(m), BODY), map_figure(m, index)]
        story += bullets(distance_lines(m))
    return story
