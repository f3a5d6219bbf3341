"""The client summary's closing: the risks to the recommendation and the next steps, drawn from
the figures (how narrow the lead, how sure across the ranges, what compliance still needs,
where the cost order turns), and the assumptions that matter, one line each."""

from __future__ import annotations

from engine.assumptions import Assumption, assumptions
from engine.labels import field_label, unit_text
from engine.model.scenario import COMPLIANCE_ITEMS, OWNED_OFFER, STRATEGIES, STRATEGY_NAMES
from engine.text import one_line
from gui import format as fmt
from gui.report.blocks import bullets, heading, para
from gui.report.flow import Flowable
from gui.report.model import ReportData, ScenarioReport
from gui.report.sections.assumptions import assumption_value, range_ends
from gui.report.styles import BODY, SMALL
from gui.uncertainty.text import share

NARROW_LEAD = 3.0  # points of 100: below this a small change of weight can swap the answer
SURE_SHARE = 0.9  # recommended in at least this share of samples: no risk line about it
REACH_FACTOR = 3.0  # crossovers beyond 3× today's volume (and growth, and range) are no risk
# The inputs a client always wants to see, ranges or not.
KEY_PATHS = (
    "workload.queries_per_month",
    "workload.monthly_growth_pct",
    "workload.horizon_months",
    "knowledge.fact_change_interval_days",
    "fine_tuning.base_model",
)
KEY_SUFFIXES = (".api_model", ".gpu", ".vector_store", ".embedding_model")
OVERRIDES = "cost_overrides."


def within_reach(report: ScenarioReport) -> float:
    """The highest monthly volume this scenario can plausibly see: three times today's, the
    volume at the end of the horizon at the entered growth, or the top of its range."""
    workload = report.scenario.workload
    today = float(report.evaluation.queries_per_month)
    growth: float = (1.0 + float(workload.monthly_growth_pct.likely) / 100.0) ** float(
        workload.horizon_months.likely
    )
    high = float(workload.queries_per_month.high or 0.0)
    return max(REACH_FACTOR * today, today * growth, high)


def _next_crossover(report: ScenarioReport) -> tuple[float, str] | None:
    """The lowest volume above today's, and within reach, at which another strategy becomes
    cheaper than the recommended one."""
    evaluation = report.evaluation
    key = evaluation.recommendation.strategy
    reach = within_reach(report)
    found = [
        (c.queries_per_month, c.cheaper_above)
        for c in evaluation.crossovers
        if key in c.between
        and c.cheaper_above != key
        and evaluation.queries_per_month < c.queries_per_month <= reach
    ]
    return min(found) if found else None


def own_tco(report: ScenarioReport) -> float:
    key = report.evaluation.recommendation.strategy
    return report.evaluation.strategies[key].tco.value if key else 0.0


def risks(data: ReportData, report: ScenarioReport) -> list[str]:
    evaluation = report.evaluation
    rec = evaluation.recommendation
    key = rec.strategy
    if key is None:
        return ["No strategy meets every hard requirement: none can be recommended as entered."]
    name = STRATEGY_NAMES[key]
    lines: list[str] = []
    if rec.runner_up is not None and rec.margin < NARROW_LEAD:
        lines.append(
            f"The lead over {STRATEGY_NAMES[rec.runner_up]} is narrow ({fmt.points(rec.margin)}): "
            "a small change in the weights or inputs could change the answer."
        )
    u = report.uncertainty
    if u is not None and u.p_win.get(key, 0.0) < SURE_SHARE:
        others = sorted(
            ((k, p) for k, p in u.p_win.items() if k != key and p > 0), key=lambda kp: -kp[1]
        )
        line = (
            f"Across the input ranges {name} comes out on top in {share(u.p_win.get(key, 0.0))} "
            "of the samples"
        )
        if others:
            line += f"; {STRATEGY_NAMES[others[0][0]]} in {share(others[0][1])}"
        lines.append(line + ".")
    tcos = {k: evaluation.strategies[k].tco.value for k in STRATEGIES if k != key}
    cheaper = [
        k for k in tcos if not evaluation.strategies[k].excluded and tcos[k] < own_tco(report)
    ]
    if cheaper:
        cheapest = min(cheaper, key=lambda k: tcos[k])
        currency = evaluation.currency
        lines.append(
            f"{STRATEGY_NAMES[cheapest]} would cost less ({fmt.money(tcos[cheapest], currency)} "
            f"against {fmt.money(own_tco(report), currency)} over "
            f"{fmt.count(evaluation.horizon_months)} months): the recommendation rests on the "
            "other criteria and their weights."
        )
    pending = [
        v.requirement or COMPLIANCE_ITEMS.get(v.item, v.item)
        for v in evaluation.strategies[key].compliance
        if v.verdict != "meets"
    ]
    if pending:
        lines.append(
            f"{name} meets every compliance requirement only once its mitigations are in place: "
            + "; ".join(f"“{item}”" for item in pending)
            + "."
        )
    turn = _next_crossover(report)
    if turn is not None:
        volume, cheaper_above = turn
        lines.append(
            f"Above {fmt.volume(volume)} {STRATEGY_NAMES[cheaper_above]} becomes cheaper than "
            f"{name}."
        )
    lines.append(
        f"Prices are public list prices — price data {data.price_data_version} — so negotiated "
        "rates or price changes move every total."
    )
    return lines


def _in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Queries per month" → "queries per month" (an
    acronym such as "API" keeps its capitals)."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def next_steps(report: ScenarioReport) -> list[str]:
    evaluation = report.evaluation
    key = evaluation.recommendation.strategy
    if key is None:
        return [
            "Look for a set-up of each strategy that meets every must-have (another model, GPU "
            "offering or hosting region — the tool searches its catalogs for the cheapest), or "
            "revisit which requirements are must-haves; then re-run this analysis."
        ]
    name = STRATEGY_NAMES[key]
    steps: list[str] = []
    for verdict in evaluation.strategies[key].compliance:
        if verdict.verdict == "needs_mitigation" and verdict.mitigation:
            requirement = verdict.requirement or COMPLIANCE_ITEMS.get(verdict.item, verdict.item)
            steps.append(f"For “{requirement}”: {verdict.mitigation}")
    u = report.uncertainty
    if u is not None and u.tornado:
        movers = [_in_sentence(bar.label) for bar in u.tornado[:3]]
        listed = movers[0] if len(movers) == 1 else ", ".join(movers[:-1]) + " and " + movers[-1]
        steps.append(f"Firm up the inputs that move the decision most: {listed}.")
    else:
        steps.append(
            "Confirm the volume, growth and prices with the client's own figures; where they are "
            "uncertain, enter ranges to see how sure the answer is."
        )
    turn = _next_crossover(report)
    if turn is not None:
        steps.append(f"Re-run this analysis if monthly volume approaches {fmt.volume(turn[0])}.")
    steps.append(
        f"Check the latency and answer quality assumed here with a short pilot of {name} on "
        "real queries before committing."
    )
    return steps


def _merged(data: ReportData, per_scenario: list[list[str]]) -> list[str]:
    """Lines true of every scenario once; the others prefixed with their scenario's name."""
    if len(per_scenario) == 1:
        return per_scenario[0]
    common = [line for line in per_scenario[0] if all(line in ls for ls in per_scenario)]
    lines = list(common)
    for report, own in zip(data.scenarios, per_scenario, strict=True):
        name = one_line(report.scenario.name)
        lines += [f"“{name}”: {line}" for line in own if line not in common]
    return lines


def what_would_change(data: ReportData) -> list[Flowable]:
    none = "Nothing within the plausible ranges searched."
    lines = [r.evaluation.recommendation.what_would_change or [none] for r in data.scenarios]
    return [heading("", "What would change the answer", 2), *bullets(_merged(data, lines))]


def risks_and_next_steps(data: ReportData) -> list[Flowable]:
    return [
        heading("", "Risks and next steps"),
        heading("", "Risks", 3),
        *bullets(_merged(data, [risks(data, r) for r in data.scenarios])),
        heading("", "Next steps", 3),
        *bullets(_merged(data, [next_steps(r) for r in data.scenarios])),
    ]


# Where a strategy is hosted decides residency: shown when an offering is chosen.
HOSTING_SUFFIXES = (".api_offering", ".gpu_offering", ".training_gpu_offering")
# The client's own servers: every input that prices them, shown when a strategy runs on them.
OWNED = "owned_hardware."


def _on_own_servers(rows: list[Assumption]) -> bool:
    return any(row.path.endswith(HOSTING_SUFFIXES) and row.value == OWNED_OFFER for row in rows)


def _matters(row: Assumption, own_servers: bool) -> bool:
    if row.path.startswith(OWNED):
        return own_servers  # their GPU and costs price a strategy, or nothing at all
    if row.path.endswith(HOSTING_SUFFIXES):
        return bool(row.value)
    return (
        row.low is not None
        or row.high is not None
        or row.path in KEY_PATHS
        or row.path.endswith(KEY_SUFFIXES)
    )


def _line(row: Assumption, currency: str) -> str:
    label = row.label or field_label(row.name)
    parts = row.path.split(".")
    if parts[0] == "serving" and len(parts) == 3 and parts[1] in STRATEGY_NAMES:
        label = _qualified(label, STRATEGY_NAMES[parts[1]])  # each strategy serves on its own
    elif row.path.startswith(OWNED):
        label = _qualified("GPU" if row.name == "gpu" else label, "own servers")
    value = assumption_value(row, currency)
    if row.value == OWNED_OFFER:  # the lines that price them are in the same list
        value = "Own servers (the lines marked “own servers”)"
    text = f"{label}: {value}"
    money = fmt.money_unit(unit_text(row.unit, currency))
    if money is not None:  # the unit is on the value already
        ends = range_ends(row, lambda end: fmt.money(end, money[0]))
    else:
        ends = range_ends(row, fmt.count if row.integer else fmt.number)
    if ends is not None:
        text += f" (range {ends[0]} – {ends[1]})"
    return text


def _qualified(label: str, whose: str) -> str:
    """'Serving GPU (RAG)'; 'GPU offer (region, RAG)', not 'GPU offer (region) (RAG)'."""
    if label.endswith(")"):
        return f"{label[:-1]}, {whose})"
    return f"{label} ({whose})"


def key_assumptions(data: ReportData) -> list[Flowable]:
    currency = data.project.currency
    items: list[Flowable] = [heading("", "Assumptions that matter")]
    where = (
        "the technical appendix that follows (Appendix A lists every input)"
        if data.mode == "full"
        else "the full report's technical appendix"
    )
    items.append(
        para(
            "The inputs the answer depends on most, as entered (likely value; a range where one "
            f"was given). Every input, its source and every formula are in {where}.",
            SMALL,
            space_after=3.0,
        )
    )
    first: dict[str, str] = {}
    for index, report in enumerate(data.scenarios):
        every = [row for group in assumptions(data.project, report.scenario) for row in group.rows]
        own_servers = _on_own_servers(every)
        rows = [
            row for row in every if _matters(row, own_servers) or row.path.startswith(OVERRIDES)
        ]
        lines = {
            row.path: _line(row, currency) for row in rows if not row.path.startswith(OVERRIDES)
        }
        typed = sum(1 for row in rows if row.path.startswith(OVERRIDES))
        if typed:  # costs typed in instead of computed: the client should know they exist
            lines[OVERRIDES] = (
                f"Costs typed in instead of computed: {fmt.count(typed)} "
                f"(listed in {'Appendix A' if data.mode == 'full' else 'the full report'})"
            )
        if index == 0:
            first = lines
            shown = list(lines.values())
        else:
            shown = [line for path, line in lines.items() if first.get(path) != line]
        if len(data.scenarios) > 1:
            name = one_line(report.scenario.name)
            title = f"Scenario “{name}”" if index == 0 else f"“{name}” differs in"
            items.append(heading("", title, 3))
        items += bullets(shown or ["No input that matters differs."], BODY)
    return items
