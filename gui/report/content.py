"""What the report says, as flowables: title block, executive summary, the consultant's notes,
a section per scenario, the assumptions, and the methodology.

Numbers are formatted by gui.format — the same functions, locale and rounding rule as the
screen — and every string from the project is laid out as plain text (gui.report.flow), so a
client called ``<img src=x>`` is printed as exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate, QLocale

from engine.evaluate import Curves
from engine.model.project import Project
from engine.model.results import ComplianceVerdict, Evaluation, Figure, StrategyResult
from engine.model.scenario import COMPLIANCE_ITEMS, CRITERIA, STRATEGIES, STRATEGY_NAMES, Scenario
from engine.report import (
    Assumption,
    AssumptionGroup,
    ReferenceEntry,
    assumptions,
    crossover_sentences,
    reference_data,
)
from engine.uncertainty import Uncertainty
from gui import format as fmt
from gui.charts.style import VERDICT_COLORS
from gui.forms.labels import choice_label, field_label, unit_text
from gui.report.branding import Branding, ReportMode
from gui.report.chart import paint_crossover_chart
from gui.report.flow import (
    INK,
    MUTED,
    Cell,
    CondPageBreak,
    Drawing,
    Flowable,
    KeepTogether,
    PageBreak,
    Panel,
    Paragraph,
    Row,
    Run,
    Spacer,
    Style,
    Table,
)
from gui.report.richtext import RichText

ACCENT = "#1F3A5F"
ACCENT_SOFT = "#EEF3F8"
HIGHLIGHT = "#F3F7FB"

BODY = Style(size=9.0)
BODY_BOLD = Style(size=9.0, bold=True)
SMALL = Style(size=7.5, color=MUTED)
CELL = Style(size=7.8, leading=1.2)
CELL_BOLD = Style(size=7.8, bold=True, leading=1.2)
CELL_MUTED = Style(size=6.9, color=MUTED, leading=1.2)
HEAD = Style(size=7.4, bold=True, color=INK, leading=1.2)
GROUP = Style(size=7.8, bold=True, color=ACCENT, leading=1.2)
H1 = Style(size=14.5, bold=True, color=ACCENT, leading=1.2)
H2 = Style(size=11.0, bold=True, color=ACCENT, leading=1.2)
H3 = Style(size=9.2, bold=True, color=INK, leading=1.2)
TITLE = Style(size=23.0, bold=True, color=ACCENT, leading=1.15)
SUBTITLE = Style(size=12.0, color=INK, leading=1.2)
KICKER = Style(size=7.6, bold=True, color="#4A6A8F", letter_spacing=112.0)
REC_NAME = Style(size=19.0, bold=True, color=ACCENT, leading=1.15)

CRITERION_NAMES = {
    "cost": "Cost",
    "latency": "Latency",
    "freshness": "Freshness",
    "compliance": "Compliance",
    "fit": "Fit",
}
KIND_TITLES = {
    "one_time": "One-time costs",
    "monthly": "Monthly costs (month 1, at today's volume)",
    "per_query": "Per-query costs",
    "per_retrain": "Per retrain",
}
VERDICT_TEXT = {
    "meets": ("✓", "Meets"),
    "needs_mitigation": ("⚠", "Needs mitigation"),
    "fails": ("✗", "Fails"),
}


@dataclass(frozen=True)
class ScenarioReport:
    scenario: Scenario
    evaluation: Evaluation
    curves: Curves
    #: The Monte Carlo analysis (seed 0), when the scenario has ranges.
    uncertainty: Uncertainty | None = None


@dataclass(frozen=True)
class ReportData:
    project: Project
    scenarios: list[ScenarioReport]
    source_name: str
    digest: str
    generated: date
    app_version: str
    price_data_version: str
    #: "summary" (what a client reads) or "full" (the summary plus the technical appendix).
    mode: ReportMode = "full"
    #: The consultant's firm branding (per user, from the preferences).
    branding: Branding = field(default_factory=Branding)

    @property
    def short_digest(self) -> str:
        return self.digest[:8]


def long_date(day: date) -> str:
    """The date as the locale writes it in full ("25 November 2026", "November 25, 2026")."""
    text: str = QLocale().toString(
        QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
    )
    return text


# --- small builders ---------------------------------------------------------------------------


def heading(number: str, text: str, level: int = 1) -> Paragraph:
    style = {1: H1, 2: H2, 3: H3}[level]
    runs: list[Run] = [(f"{number}  ", style)] if number else []
    runs.append((text, style))
    before, after = {1: (16.0, 7.0), 2: (12.0, 4.5), 3: (8.0, 3.0)}[level]
    return Paragraph(
        runs,
        style,
        space_before=before,
        space_after=after,
        keep_with_next=True,
        rule_below="#9FB0C4" if level == 1 else "",
    )


def para(text: str | Sequence[Run], style: Style = BODY, **kwargs: object) -> Paragraph:
    return Paragraph(text if isinstance(text, str) else list(text), style, **kwargs)  # type: ignore[arg-type]


def bullets(lines: Sequence[str], style: Style = BODY, bullet: str = "•") -> list[Flowable]:
    return [
        Paragraph([(line, style)], style, indent=11.0, bullet=bullet, space_after=2.5)
        for line in lines
        if line
    ]


def cell(text: str, style: Style = CELL, align: str = "left", **kwargs: object) -> Cell:
    return Cell([(text, style)], align=align, **kwargs)  # type: ignore[arg-type]


def cell_runs(runs: Sequence[Run], align: str = "left", **kwargs: object) -> Cell:
    return Cell(list(runs), align=align, **kwargs)  # type: ignore[arg-type]


def header_row(texts: Sequence[str], aligns: Sequence[str]) -> Row:
    return Row([cell(t, HEAD, a) for t, a in zip(texts, aligns, strict=True)], kind="header")


def group_row(text: str, columns: int, extra: str = "") -> Row:
    runs: list[Run] = [(text, GROUP)]
    if extra:
        runs.append((f"   {extra}", CELL_MUTED))
    return Row([Cell(runs, span=columns)], kind="group", keep_with_next=True)


_AS_OF = re.compile(r", as of (\d{4}-\d{2}-\d{2})$")


def input_text(name: str, value: float | str, unit: str) -> str:
    """One input of a figure.  A catalog entry's full source (often a paragraph) is printed
    once, in the reference data of Appendix A; here it is named with its as-of date."""
    if isinstance(value, str):
        as_of = _AS_OF.search(value)
        if name.endswith("source") and (value.startswith("catalog: ") or as_of):
            when = f", as of {as_of.group(1)}" if as_of else ""
            return f"{name}: catalog{when} (in full under Reference data, Appendix A)"
        return f"{name}: {value}"
    return f"{name} {fmt.quantity(value, unit)}"


def figure_inputs(figure: Figure) -> str:
    return " · ".join(input_text(i.name, i.value, i.unit) for i in figure.inputs)


def _how(figure: Figure) -> str:
    inputs = figure_inputs(figure)
    return f"{figure.formula} — {inputs}" if inputs else figure.formula


def formula_runs(figure: Figure, *, with_inputs: bool = True) -> list[Run]:
    runs: list[Run] = [(figure.formula, CELL)]
    details = figure_inputs(figure) if with_inputs else ""
    if figure.note:
        details = f"{details}\n{figure.note}" if details else figure.note
    if details:
        runs.append((f"\n{details}", CELL_MUTED))
    return runs


def crossover_lines(evaluation: Evaluation) -> list[str]:
    """As the scorecard words them (gui.views.scorecard), numbers in the locale."""
    return crossover_sentences(evaluation)


def margin_text(evaluation: Evaluation) -> str:
    rec = evaluation.recommendation
    if rec.strategy is None:
        return ""
    if rec.runner_up is None:
        return "the only strategy that meets every hard requirement"
    win = evaluation.strategies[rec.strategy].total_score
    other = evaluation.strategies[rec.runner_up].total_score
    return (
        f"leads {STRATEGY_NAMES[rec.runner_up]} by {fmt.points(rec.margin)} "
        f"({fmt.number(round(win, 1))} against {fmt.number(round(other, 1))} of 100)"
    )


def scenario_basics(evaluation: Evaluation, scenario: Scenario) -> str:
    q = scenario.workload.queries_per_month
    text = f"{fmt.volume(evaluation.queries_per_month)}"
    if q.has_range:
        low = fmt.count(q.low) if q.low is not None else "…"
        high = fmt.count(q.high) if q.high is not None else "…"
        text += f" (range {low} – {high})"
    growth = scenario.workload.monthly_growth_pct.likely
    if growth:
        text += f", growing {fmt.number(growth, '%/month')}"
    months = fmt.count(evaluation.horizon_months)
    return f"{text}; {months}-month horizon; prices in {evaluation.currency}."


# --- title block and executive summary --------------------------------------------------------


def title_block(data: ReportData) -> list[Flowable]:
    project = data.project
    items: list[Flowable] = [
        para("FINE-TUNING, RAG OR BOTH?  ·  RECOMMENDATION REPORT", KICKER, space_after=7.0),
        para(project.title, TITLE, space_after=5.0),
    ]
    if project.client:
        items.append(
            para(
                [("Prepared for ", SUBTITLE), (project.client, SUBTITLE)], SUBTITLE, space_after=3.0
            )
        )
    items.append(Spacer(8.0))
    names = ", ".join(s.scenario.name for s in data.scenarios)
    rows = [
        ("Client", project.client or "—"),
        ("Consultant", project.consultant or "—"),
        ("Date", long_date(data.generated)),
        ("Scenario" if len(data.scenarios) == 1 else "Scenarios", names),
        ("Project file", data.source_name),
        (
            "Inputs fingerprint",
            f"{data.short_digest}  (SHA-256 of the project's inputs: {data.digest})",
        ),
        ("Prepared with", f"FTRAG Advisor {data.app_version}; prices: {data.price_data_version}"),
    ]
    table_rows = [
        Row([cell(label, Style(size=7.8, color=MUTED, leading=1.2)), cell(value, CELL)])
        for label, value in rows
    ]
    items.append(Table([22, 78], table_rows, space_after=6.0))
    return items


def recommendation_panel(
    report: ScenarioReport, *, compact: bool = False, with_name: bool = False
) -> Panel:
    evaluation = report.evaluation
    rec = evaluation.recommendation
    kicker = "RECOMMENDATION"
    if with_name:
        kicker += f"  ·  {report.scenario.name.upper()}"
    items: list[Flowable] = [para(kicker, KICKER, space_after=2.0)]
    name_style = (
        REC_NAME if not compact else Style(size=14.0, bold=True, color=ACCENT, leading=1.15)
    )
    items.append(para(rec.name, name_style, space_after=2.0))
    margin = margin_text(evaluation)
    if margin:
        items.append(para(margin, Style(size=8.6, color=MUTED), space_after=5.0))
    if report.uncertainty is not None:
        from gui.uncertainty.text import recommended_share

        items.append(
            para(recommended_share(report.uncertainty, evaluation), BODY_BOLD, space_after=3.0)
        )
    items.append(para(rec.rationale, BODY, space_after=3.0))
    if not compact:
        items += bullets(rec.reasons, Style(size=8.6))
    for key in STRATEGIES:
        strategy = evaluation.strategies[key]
        if strategy.excluded:
            items.append(
                para(
                    [
                        (
                            f"{strategy.name} is excluded: ",
                            Style(size=8.4, bold=True, color="#A23B2A"),
                        ),
                        ("; ".join(strategy.exclusion_reasons), Style(size=8.4)),
                    ],
                    Style(size=8.4),
                    space_after=2.0,
                )
            )
    return Panel(items, space_after=8.0 if compact else 10.0)


def key_figures_table(evaluation: Evaluation) -> Table:
    currency = evaluation.currency
    rec = evaluation.recommendation.strategy
    months = fmt.count(evaluation.horizon_months)
    rows: list[Row] = []

    def highlight(key: str) -> str:
        return HIGHLIGHT if key == rec else ""

    specs: list[tuple[str, str, bool]] = [
        ("tco", f"Total cost over {months} months", True),
        ("one_time", "One-time cost", False),
        ("monthly_fixed", "Running cost, month 1", False),
        ("per_query", "Usage charges per query", False),
        ("latency_total", "Time to full answer (p50)", True),
        ("latency_ttft", "Time to first token (p50)", True),
        ("staleness_average", "Average staleness", True),
        ("staleness_worst", "Worst-case staleness", True),
    ]
    units = {
        "one_time": currency,
        "monthly_fixed": f"{currency}/month",
        "per_query": f"{currency}/query",
    }
    for key, label, bold_best in specs:
        values: list[float] = []
        texts: list[str] = []
        for strategy_key in STRATEGIES:
            strategy = evaluation.strategies[strategy_key]
            if key in units:
                value = float(getattr(strategy, key))
                texts.append(fmt.quantity(value, units[key]))
            else:
                figure: Figure = getattr(strategy, key)
                value = figure.value
                texts.append(fmt.figure_value(figure))
            values.append(value)
        best = min(values)
        cells = [cell(label, CELL_BOLD if key == "tco" else CELL)]
        for strategy_key, value, text in zip(STRATEGIES, values, texts, strict=True):
            is_best = bold_best and value == best and values.count(best) < len(values)
            cells.append(
                cell(
                    text,
                    CELL_BOLD if is_best else CELL,
                    "right",
                    background=highlight(strategy_key),
                )
            )
        rows.append(Row(cells))
    rows.append(
        Row(
            [cell("Retrains within the horizon", CELL)]
            + [
                cell(
                    fmt.count(evaluation.strategies[k].retrains),
                    CELL,
                    "right",
                    background=highlight(k),
                )
                for k in STRATEGIES
            ]
        )
    )
    rows.append(
        Row(
            [cell("Weighted score (of 100)", CELL_BOLD)]
            + [
                cell(
                    fmt.number(round(evaluation.strategies[k].total_score, 1))
                    + (" (excluded)" if evaluation.strategies[k].excluded else ""),
                    CELL_BOLD,
                    "right",
                    background=highlight(k),
                )
                for k in STRATEGIES
            ],
            kind="total",
        )
    )
    header = header_row(
        ["", *[STRATEGY_NAMES[k] + ("  ✓ recommended" if k == rec else "") for k in STRATEGIES]],
        ["left", "right", "right", "right"],
    )
    return Table([31, 23, 23, 23], rows, header=[header], space_after=4.0)


def decision(report: ScenarioReport, number: Callable[[], str], level: int) -> list[Flowable]:
    """Key figures, the score matrix, the crossovers and what would change the answer: the
    part of a scenario a decision-maker reads; the sections after it explain each score."""
    evaluation = report.evaluation
    rec = evaluation.recommendation
    items: list[Flowable] = [
        heading(number(), "Key figures", level),
        key_figures_table(evaluation),
        para(
            "Lowest value of each row in bold. Money is rounded for display, each figure on its "
            "own; totals are computed from unrounded values.",
            SMALL,
            space_after=6.0,
        ),
        heading(number(), "Scores and weights", level),
        *scores(evaluation, report.scenario),
        heading(number(), "Cost crossovers and payback", level),
        *bullets(crossover_lines(evaluation) + [p.label for p in evaluation.paybacks]),
        heading(number(), "What would change the answer", level),
        *bullets(rec.what_would_change or ["Nothing within the plausible ranges searched."]),
    ]
    return items


def executive_summary(data: ReportData, number: str) -> list[Flowable]:
    items: list[Flowable] = [heading(number, "Executive summary")]
    if len(data.scenarios) == 1:
        report = data.scenarios[0]
        items.append(
            para(
                [
                    ("Scenario “", SMALL),
                    (report.scenario.name, SMALL),
                    ("”: ", SMALL),
                    (scenario_basics(report.evaluation, report.scenario), SMALL),
                ],
                SMALL,
                space_after=4.0,
            )
        )
        items.append(recommendation_panel(report))
        items += decision(report, lambda: "", 3)
        return items
    winners = {s.evaluation.recommendation.name for s in data.scenarios}
    if len(winners) == 1:
        summary = (
            f"This report compares {fmt.count(len(data.scenarios))} scenarios. "
            f"{next(iter(winners))} is recommended in every one of them."
        )
    else:
        summary = (
            f"This report compares {fmt.count(len(data.scenarios))} scenarios; the recommendation "
            "depends on the scenario, as the table shows."
        )
    items.append(para(summary, BODY, space_after=6.0))
    items.append(comparison_table(data))
    for report in data.scenarios:
        items.append(recommendation_panel(report, compact=True, with_name=True))
    return items


def comparison_table(data: ReportData) -> Table:
    header = header_row(
        [
            "Scenario",
            "Queries per month",
            "Months",
            "Recommended",
            "Lead (points)",
            *[f"{STRATEGY_NAMES[k]} total" for k in STRATEGIES],
        ],
        ["left", "right", "right", "left", "right", "right", "right", "right"],
    )
    rows = []
    for report in data.scenarios:
        e = report.evaluation
        rec = e.recommendation
        cells = [
            cell(report.scenario.name, CELL_BOLD),
            cell(fmt.count(e.queries_per_month), CELL, "right"),
            cell(fmt.count(e.horizon_months), CELL, "right"),
            cell(rec.name, CELL_BOLD),
            cell(fmt.number(round(rec.margin, 1)) if rec.strategy else "—", CELL, "right"),
        ]
        tcos = [e.strategies[k].tco.value for k in STRATEGIES]
        best = min(tcos)
        for key, value in zip(STRATEGIES, tcos, strict=True):
            excluded = " (excl.)" if e.strategies[key].excluded else ""
            cells.append(
                cell(
                    fmt.money(value, e.currency) + excluded,
                    CELL_BOLD if value == best else CELL,
                    "right",
                    background=HIGHLIGHT if key == rec.strategy else "",
                )
            )
        rows.append(Row(cells))
    return Table([16, 10, 8, 15, 9, 14, 14, 14], rows, header=[header], space_after=4.0)


# --- a scenario's analysis --------------------------------------------------------------------


def scenario_section(
    data: ReportData, report: ScenarioReport, number: str, figure_number: int
) -> list[Flowable]:
    scenario, evaluation = report.scenario, report.evaluation
    multi = len(data.scenarios) > 1
    items: list[Flowable] = [CondPageBreak(260.0), heading(number, f"Scenario “{scenario.name}”")]
    items.append(para(scenario_basics(evaluation, scenario), SMALL, space_after=4.0))
    if scenario.description:
        items.append(para(scenario.description, BODY, space_after=6.0))
    sub = 0

    def next_number() -> str:
        nonlocal sub
        sub += 1
        return f"{number}.{sub}"

    if multi:
        items.append(recommendation_panel(report))
        items += decision(report, next_number, 2)

    u = report.uncertainty
    bands = (u.band_volumes, u.bands) if u is not None else None
    items.append(heading(next_number(), "Total cost against monthly volume", 2))
    items.append(
        KeepTogether(
            [
                Drawing(
                    lambda painter, dev, rect: paint_crossover_chart(
                        painter, dev, rect, report.curves, evaluation, bands=bands
                    ),
                    aspect=0.56,
                    space_before=2.0,
                ),
                para(
                    [
                        (f"Figure {figure_number}. ", Style(size=7.5, bold=True, color=MUTED)),
                        (
                            f"Total cost over {fmt.count(evaluation.horizon_months)} months "
                            "against monthly query volume (log scale); everything else as "
                            "entered. Dots mark where two strategies cost the same; the dotted "
                            "line is today's volume. Line styles tell the strategies apart in "
                            "grey-scale."
                            + (
                                " Shaded: P10–P90 of the total cost across the uncertainty "
                                "analysis's samples."
                                if bands is not None
                                else ""
                            ),
                            SMALL,
                        ),
                    ],
                    SMALL,
                    space_before=3.0,
                    space_after=8.0,
                ),
            ]
        )
    )
    if report.uncertainty is not None:
        from gui.report.uncertainty import uncertainty_section

        items += uncertainty_section(report.uncertainty, evaluation, next_number, figure_number)
    items.append(heading(next_number(), "Cost breakdown", 2))
    items.append(
        para(
            "Every cost component with its formula and the inputs that produced it. Money is "
            "rounded for display, each figure on its own; totals are computed from unrounded "
            "values. Monthly components are shown for month 1 at today's volume.",
            SMALL,
            space_after=4.0,
        )
    )
    for key in STRATEGIES:
        items += breakdown(evaluation, evaluation.strategies[key])
    items.append(heading(next_number(), "Latency", 2))
    items += latency(evaluation, scenario)
    items.append(heading(next_number(), "Freshness", 2))
    items += freshness(evaluation, scenario)
    items.append(heading(next_number(), "Compliance", 2))
    items += compliance(evaluation)
    items.append(heading(next_number(), "Fit", 2))
    items += fit(evaluation)
    notes = list(evaluation.warnings)
    for key in STRATEGIES:
        notes += [w for w in evaluation.strategies[key].warnings if w not in notes]
    if notes:
        items.append(heading("", "Notes from the calculation", 3))
        items += bullets(notes, Style(size=8.4))
    return items


def breakdown(evaluation: Evaluation, strategy: StrategyResult) -> list[Flowable]:
    months = fmt.count(evaluation.horizon_months)
    title = f"{strategy.name}: {fmt.figure_value(strategy.tco)} over {months} months"
    if strategy.excluded:
        title += " (excluded)"
    rows: list[Row] = []
    for kind, kind_title in KIND_TITLES.items():
        components = [c for c in strategy.components if c.kind == kind]
        if not components:
            continue
        rows.append(group_row(kind_title, 3))
        for component in components:
            name: list[Run] = [(component.figure.label, CELL)]
            if component.overridden:
                name.append(("\noverride typed in the project", CELL_MUTED))
            rows.append(
                Row(
                    [
                        cell_runs(name),
                        cell(fmt.figure_value(component.figure), CELL, "right"),
                        cell_runs(formula_runs(component.figure)),
                    ]
                )
            )
    if strategy.figures:
        rows.append(group_row("Derived quantities", 3))
        for figure in strategy.figures.values():
            rows.append(
                Row(
                    [
                        cell(figure.label),
                        cell(fmt.figure_value(figure), CELL, "right"),
                        cell_runs(formula_runs(figure)),
                    ]
                )
            )
    rows.append(
        Row(
            [
                cell(f"Total cost over {months} months", CELL_BOLD),
                cell(fmt.figure_value(strategy.tco), CELL_BOLD, "right"),
                cell_runs(formula_runs(strategy.tco)),
            ],
            kind="total",
        )
    )
    header = header_row(["Component", "Value", "Formula and inputs"], ["left", "right", "left"])
    return [
        heading("", title, 3),
        Table([24, 18, 58], rows, header=[header], space_after=8.0),
    ]


def _verdict_mark(met: bool) -> list[Run]:
    if met:
        return [("✓ meets target", Style(size=7.4, bold=True, color=VERDICT_COLORS["meets"]))]
    return [("✗ misses target", Style(size=7.4, bold=True, color=VERDICT_COLORS["fails"]))]


def latency(evaluation: Evaluation, scenario: Scenario) -> list[Flowable]:
    req = scenario.requirements
    ttft_target, total_target = req.ttft_target_s.likely, req.latency_target_s.likely
    intro = (
        f"Targets (p50): first token within {fmt.number(ttft_target, 's')}, full answer within "
        f"{fmt.number(total_target, 's')}. Score 100 at or under target, falling to 0 at three "
        "times the target; the worse of the two counts."
    )
    rows = []
    for key in STRATEGIES:
        s = evaluation.strategies[key]
        met = s.latency_ttft.value <= ttft_target and s.latency_total.value <= total_target
        score = s.scores["latency"]
        rows.append(
            Row(
                [
                    cell_runs([(s.name, CELL_BOLD), ("\n", CELL), *_verdict_mark(met)]),
                    cell(fmt.figure_value(s.latency_ttft), CELL, "right"),
                    cell(fmt.figure_value(s.latency_total), CELL, "right"),
                    cell(fmt.score(score.value), CELL_BOLD, "right"),
                    cell_runs(
                        [
                            (score.reason, CELL),
                            (f"\nFirst token: {_how(s.latency_ttft)}", CELL_MUTED),
                            (f"\nFull answer: {_how(s.latency_total)}", CELL_MUTED),
                        ]
                    ),
                ]
            )
        )
    header = header_row(
        ["Strategy", "First token", "Full answer", "Score", "Assessment and how it is computed"],
        ["left", "right", "right", "right", "left"],
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([15, 11, 11, 7, 56], rows, header=[header]),
    ]


def freshness(evaluation: Evaluation, scenario: Scenario) -> list[Flowable]:
    target = scenario.requirements.freshness_target_days.likely
    intro = (
        f"Target: no fact older than {fmt.number(target, 'days')} (worst case). Score 100 when "
        "the worst case meets the target, else 100 × target ÷ worst case."
    )
    rows = []
    for key in STRATEGIES:
        s = evaluation.strategies[key]
        met = s.staleness_worst.value <= target
        score = s.scores["freshness"]
        detail = f"\nAverage: {s.staleness_average.formula}; worst case: {_how(s.staleness_worst)}"
        if s.staleness_worst.note:
            detail += f". {s.staleness_worst.note}"
        rows.append(
            Row(
                [
                    cell_runs([(s.name, CELL_BOLD), ("\n", CELL), *_verdict_mark(met)]),
                    cell(fmt.figure_value(s.staleness_average), CELL, "right"),
                    cell(fmt.figure_value(s.staleness_worst), CELL, "right"),
                    cell(fmt.score(score.value), CELL_BOLD, "right"),
                    cell_runs([(score.reason, CELL), (detail, CELL_MUTED)]),
                ]
            )
        )
    header = header_row(
        ["Strategy", "Average", "Worst case", "Score", "Assessment and how it is computed"],
        ["left", "right", "right", "right", "left"],
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([15, 11, 11, 7, 56], rows, header=[header]),
    ]


def compliance(evaluation: Evaluation) -> list[Flowable]:
    by_item: dict[str, list[tuple[str, ComplianceVerdict]]] = {}
    for key in STRATEGIES:
        for verdict in evaluation.strategies[key].compliance:
            by_item.setdefault(verdict.item, []).append((key, verdict))
    if not by_item:
        return [para("No compliance requirement is ticked in this scenario.", BODY)]
    rows: list[Row] = []
    for item, verdicts in by_item.items():
        need = verdicts[0][1].need
        need_text = (
            "hard requirement: a failing strategy is excluded" if need == "hard" else "preferred"
        )
        rows.append(
            group_row(verdicts[0][1].requirement or COMPLIANCE_ITEMS.get(item, item), 3, need_text)
        )
        for key, verdict in verdicts:
            symbol, word = VERDICT_TEXT[verdict.verdict]
            color = VERDICT_COLORS[verdict.verdict]
            detail: list[Run] = [(verdict.reason, CELL)]
            if verdict.mitigation:
                detail.append(("\nMitigation: ", CELL_BOLD))
                detail.append((verdict.mitigation, CELL))
            if verdict.reference:
                detail.append((f"\nReference: {verdict.reference}", CELL_MUTED))
            rows.append(
                Row(
                    [
                        cell(STRATEGY_NAMES[key], CELL_BOLD),
                        cell(
                            f"{symbol} {word}", Style(size=7.8, bold=True, color=color, leading=1.2)
                        ),
                        cell_runs(detail),
                    ]
                )
            )
    header = header_row(
        ["Strategy", "Verdict", "Reason, mitigation and reference"], ["left", "left", "left"]
    )
    intro = (
        "Each ticked item is a requirement. Verdicts: ✓ meets, ⚠ needs mitigation (which, and "
        "what it costs), ✗ fails. Score: meets 100, needs mitigation 60, fails 0; hard items "
        "count double."
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([14, 17, 69], rows, header=[header]),
    ]


def fit(evaluation: Evaluation) -> list[Flowable]:
    indicators: dict[str, dict[str, tuple[float, str, str]]] = {}
    for key in STRATEGIES:
        for indicator in evaluation.strategies[key].fit:
            indicators.setdefault(indicator.key, {})[key] = (
                indicator.score,
                indicator.reason,
                indicator.label,
            )
    rows = []
    for per_strategy in indicators.values():
        label = next(iter(per_strategy.values()))[2]
        cells = [cell(label, CELL_BOLD)]
        for key in STRATEGIES:
            if key not in per_strategy:
                cells.append(cell("—", CELL_MUTED))
                continue
            score, reason, _ = per_strategy[key]
            cells.append(cell_runs([(fmt.score(score), CELL_BOLD), (f"  {reason}", CELL_MUTED)]))
        rows.append(Row(cells))
    rows.append(
        Row(
            [cell("Fit score", CELL_BOLD)]
            + [
                cell(fmt.score(evaluation.strategies[k].scores["fit"].value), CELL_BOLD)
                for k in STRATEGIES
            ],
            kind="total",
        )
    )
    header = header_row(["Indicator", *[STRATEGY_NAMES[k] for k in STRATEGIES]], ["left"] * 4)
    intro = (
        "Indicators from the seed article and the literature, each 0–100 with its reason; the "
        "fit score is their mean."
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([19, 27, 27, 27], rows, header=[header]),
    ]


def scores(evaluation: Evaluation, scenario: Scenario) -> list[Flowable]:
    weights = scenario.weights.as_dict()
    rec = evaluation.recommendation.strategy
    rows = []
    for criterion in CRITERIA:
        cells = [
            cell(CRITERION_NAMES[criterion], CELL),
            cell(fmt.number(weights[criterion]), CELL, "right"),
        ]
        for key in STRATEGIES:
            value = evaluation.strategies[key].scores[criterion].value
            cells.append(
                cell(fmt.score(value), CELL, "right", background=HIGHLIGHT if key == rec else "")
            )
        rows.append(Row(cells))
    rows.append(
        Row(
            [
                cell("Weighted total", CELL_BOLD),
                cell(fmt.number(sum(weights.values())), CELL_BOLD, "right"),
            ]
            + [
                cell(
                    fmt.number(round(evaluation.strategies[k].total_score, 1))
                    + (" (excluded)" if evaluation.strategies[k].excluded else ""),
                    CELL_BOLD,
                    "right",
                    background=HIGHLIGHT if k == rec else "",
                )
                for k in STRATEGIES
            ],
            kind="total",
        )
    )
    header = header_row(
        ["Criterion", "Weight", *[STRATEGY_NAMES[k] for k in STRATEGIES]],
        ["left", "right", "right", "right", "right"],
    )
    intro = (
        "Weighted total = Σ weight × score ÷ Σ weights. Each score's reason is in the sections "
        "above."
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([28, 12, 20, 20, 20], rows, header=[header]),
    ]


# --- assumptions ------------------------------------------------------------------------------

_NO_UNIT = {"fraction", ""}


def assumption_value(row: Assumption, currency: str) -> str:
    if isinstance(row.value, bool):
        return "Yes" if row.value else "No"
    if row.value is None:
        return "—"
    if isinstance(row.value, str):
        if row.name in ("currency",) or (
            row.path.startswith("serving.") and row.name == "api_model"
        ):
            return row.value
        if any(row.name.endswith(s) for s in ("model", "gpu", "store")):
            return row.value
        return choice_label(row.value)
    unit = unit_text(row.unit, currency)
    value: float | int = round(row.value) if row.integer else row.value
    if unit in _NO_UNIT:
        return fmt.number(value)
    return fmt.quantity(value, unit)


def assumption_notes(row: Assumption, currency: str) -> list[Run]:
    runs: list[Run] = []
    if row.low is not None or row.high is not None:
        unit = unit_text(row.unit, currency)
        ends = []
        for end in (row.low, row.high):
            if end is None:
                ends.append("…")
            elif fmt.money_unit(unit) is not None:
                ends.append(fmt.quantity(end, unit))
            else:
                ends.append(fmt.number(end))
        suffix = "" if fmt.money_unit(unit) is not None or unit in _NO_UNIT else f" {unit}"
        runs.append((f"range {ends[0]} – {ends[1]}{suffix}", CELL))
    if row.source:
        source = row.source
        if row.from_catalog:
            source = "catalog price: " + source.removeprefix("catalog: ")
        runs.append((("\n" if runs else "") + source, CELL_MUTED))
    return runs


def _same(a: Assumption, b: Assumption) -> bool:
    return (a.value, a.low, a.high, a.source) == (b.value, b.low, b.high, b.source)


def assumptions_section(
    data: ReportData,
    report: ScenarioReport,
    number: str,
    baseline: ScenarioReport | None = None,
) -> list[Flowable]:
    """Every input of the first scenario; for the others, only the inputs that differ from it
    (with its value beside them), so a reader sees at once what a scenario changes."""
    currency = data.project.currency
    groups: list[AssumptionGroup] = assumptions(data.project, report.scenario)
    before: dict[str, Assumption] = {}
    if baseline is not None:
        for group in assumptions(data.project, baseline.scenario):
            before.update({row.path: row for row in group.rows})
    rows: list[Row] = []
    for group in groups:
        shown = [r for r in group.rows if r.path not in before or not _same(r, before[r.path])]
        if not shown:
            continue
        rows.append(group_row(group.title, 3, group.note if baseline is None else ""))
        for row in shown:
            label = row.label or field_label(row.name)
            notes = assumption_notes(row, currency)
            if baseline is not None:
                old = before.get(row.path)
                was = assumption_value(old, currency) if old is not None else "not used"
                notes.append(
                    (("\n" if notes else "") + f"“{baseline.scenario.name}”: {was}", CELL_MUTED)
                )
            rows.append(
                Row(
                    [
                        cell(label),
                        cell(assumption_value(row, currency), CELL, "right"),
                        cell_runs(notes or [("", CELL)]),
                    ]
                )
            )
    title = f"Scenario “{report.scenario.name}”"
    if baseline is None:
        intro = (
            "Every input the evaluation uses, as entered (likely value; a range where one was "
            "given). Values marked “catalog price” were left empty and come from the catalog "
            "entry named, with its as-of date; the entries' sources follow the table."
        )
    else:
        intro = (
            f"Only the inputs that differ from scenario “{baseline.scenario.name}” (A.1); every "
            "other input is the same."
        )
    items: list[Flowable] = [
        heading(number, title, 2),
        para(intro, SMALL, space_after=3.0, keep_with_next=bool(rows)),
    ]
    if rows:
        header = header_row(["Input", "Value", "Range and source"], ["left", "right", "left"])
        items.append(Table([36, 24, 40], rows, header=[header]))
    else:
        items.append(para("No input differs.", BODY))
    entries = reference_data(data.project, report.scenario)
    if baseline is not None and entries == reference_data(data.project, baseline.scenario):
        return items
    if entries:
        items.append(heading("", "Reference data used", 3))
        items.append(reference_table(entries))
    return items


def reference_table(entries: list[ReferenceEntry]) -> Table:
    rows = []
    for entry in entries:
        name: list[Run] = [
            (entry.name, CELL_BOLD),
            (f"\n{entry.catalog} · {entry.entry_id}", CELL_MUTED),
        ]
        if entry.overridden:
            name.append(("\noverridden in this project", CELL_MUTED))
        figures = "\n".join(
            f"{label}: {fmt.quantity(value, unit)}" for label, value, unit in entry.figures
        )
        rows.append(
            Row(
                [
                    cell_runs(name),
                    cell(", ".join(entry.used_for), CELL),
                    cell(figures, CELL),
                    cell_runs([(entry.source, CELL_MUTED)]),
                    cell(entry.as_of or "—", CELL, "right"),
                ]
            )
        )
    header = header_row(
        ["Entry", "Used for", "Figures (USD)", "Source", "As of"],
        ["left", "left", "left", "left", "right"],
    )
    return Table([20, 14, 19, 36, 11], rows, header=[header])


# --- methodology and notes --------------------------------------------------------------------

_H1 = re.compile(r"<h1>.*?</h1>", re.IGNORECASE | re.DOTALL)
_CONTENTS = re.compile(r"<p><b>Contents:</b>.*?</p>", re.IGNORECASE | re.DOTALL)


def methodology(number: str) -> list[Flowable]:
    from gui.views.methodology import METHODOLOGY_HTML

    html = _CONTENTS.sub("", _H1.sub("", METHODOLOGY_HTML))
    return [
        PageBreak(),
        heading(number, "Methodology and references"),
        RichText(html, size_pt=8.4),
    ]


def notes_section(notes: str, number: str) -> list[Flowable]:
    items: list[Flowable] = [heading(number, "Consultant's notes")]
    for block in re.split(r"\n\s*\n", notes.strip()):
        items.append(para(block, BODY, space_after=5.0))
    return items


# --- the whole report -------------------------------------------------------------------------


def build_story(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = title_block(data)
    section = 0

    def next_section() -> str:
        nonlocal section
        section += 1
        return str(section)

    story += executive_summary(data, next_section())
    if data.project.notes.strip():
        story += notes_section(data.project.notes, next_section())
    for index, report in enumerate(data.scenarios, start=1):
        story.append(PageBreak())
        story += scenario_section(data, report, next_section(), index)
    story.append(PageBreak())
    story.append(heading("A", "Assumptions"))
    first = data.scenarios[0]
    for index, report in enumerate(data.scenarios, start=1):
        if index > 1:
            story.append(CondPageBreak(200.0))
        story += assumptions_section(
            data, report, f"A.{index}", baseline=None if index == 1 else first
        )
    story += methodology("B")
    return story
