"""The client summary's recommendation: which strategy, why (in plain words, from the figures),
how sure, and — for several scenarios — how they compare."""

from __future__ import annotations

from engine.display import reasons_text
from engine.model.results import Evaluation, Figure
from engine.model.scenario import CRITERIA, STRATEGIES, STRATEGY_NAMES, Scenario, TargetNeed
from engine.text import one_line
from gui import format as fmt
from gui.report.blocks import bullets, heading, para, scenario_basics
from gui.report.flow import MUTED, Flowable, Panel, Style
from gui.report.model import ReportData, ScenarioReport
from gui.report.sections.detail import detail_note
from gui.report.sections.key_figures import comparison_table
from gui.report.styles import ACCENT, BODY, BODY_BOLD, KICKER, REC_NAME, SMALL, WARNING_RED
from gui.uncertainty.text import recommended_share


def _others(evaluation: Evaluation, key: str) -> list[str]:
    return [k for k in STRATEGIES if k != key and not evaluation.strategies[k].excluded]


def latency_sentence(timings: tuple[tuple[str, Figure, float, TargetNeed], ...]) -> str:
    """How fast the answer comes, against the targets that count: a miss is named with its
    target ("the full answer after 2.89 s against a 2 s target"), a target that is off is not
    mentioned, and what meets its target says so."""
    missed, met = [], []
    for what, figure, target, need in timings:
        when = f"{what} after {fmt.figure_value(figure)}"
        if need == TargetNeed.off:
            met.append(when)
        elif figure.value > target:
            missed.append(f"{when} against a {fmt.number(target, 's')} target")
        else:
            met.append(f"{when} (target {fmt.number(target, 's')})")
    if missed:
        return f"It is slower than asked: {'; '.join(missed)}" + (
            f". Within target: {', '.join(met)}." if met else "."
        )
    return f"It answers fast enough: {', '.join(met)}."


def plain_reasons(evaluation: Evaluation, scenario: Scenario) -> list[str]:
    """Why the recommended strategy, criterion by criterion, in the order of how much each
    contributes to its lead: what it costs, how fast it answers, how fresh its facts are, and
    what compliance asks of it."""
    key = evaluation.recommendation.strategy
    if key is None:
        return []
    s = evaluation.strategies[key]
    currency = evaluation.currency
    months = fmt.count(evaluation.horizon_months)
    others = _others(evaluation, key)
    req = scenario.requirements
    said: dict[str, str] = {}

    tcos = {k: evaluation.strategies[k].tco.value for k in others}
    if others and s.tco.value <= min(tcos.values()):
        rest = ", ".join(
            f"{fmt.money(v, currency)} for {STRATEGY_NAMES[k]}"
            for k, v in sorted(tcos.items(), key=lambda kv: kv[1])
        )
        # A strategy ruled out by a must may cost less: then "least" is of those that qualify.
        cheaper_ruled_out = any(
            evaluation.strategies[k].tco.value < s.tco.value
            for k in STRATEGIES
            if k != key and k not in others
        )
        least = "least of the strategies that qualify" if cheaper_ruled_out else "least"
        said["cost"] = (
            f"It costs {least}: {fmt.money(s.tco.value, currency)} over {months} months, "
            f"against {rest}."
        )
    elif others:
        cheapest = min(tcos, key=lambda k: tcos[k])
        said["cost"] = (
            f"It is not the cheapest: {fmt.money(s.tco.value, currency)} over {months} months, "
            f"against {fmt.money(tcos[cheapest], currency)} for {STRATEGY_NAMES[cheapest]}."
        )
    said["latency"] = latency_sentence(
        (
            ("first words", s.latency_ttft, req.ttft_target_s.likely, req.ttft_need),
            ("the full answer", s.latency_total, req.latency_target_s.likely, req.latency_need),
        )
    )
    worst, target = s.staleness_worst, req.freshness_target_days.likely
    if worst.value <= target:
        said["freshness"] = (
            f"Its answers stay current: no fact older than {fmt.figure_value(worst)} "
            f"(target {fmt.number(target, 'days')})."
        )
    else:
        said["freshness"] = (
            f"Its answers can lag: facts up to {fmt.figure_value(worst)} old, beyond the "
            f"{fmt.number(target, 'days')} target."
        )
    verdicts = [v.verdict for v in s.compliance]
    if verdicts:
        mitigations = verdicts.count("needs_mitigation")
        if mitigations == 0 and "fails" not in verdicts:
            said["compliance"] = "It meets every compliance requirement as it stands."
        elif "fails" not in verdicts:
            said["compliance"] = (
                "It meets the compliance requirements once "
                + ("one mitigation is" if mitigations == 1 else f"{fmt.count(mitigations)} are")
                + " in place (see Next steps)."
            )
        else:
            said["compliance"] = "It fails a preferred compliance requirement (see the verdicts)."
    runner = evaluation.recommendation.runner_up
    weights = scenario.weights.as_dict()

    def lead(criterion: str) -> float:
        if runner is None:
            return weights[criterion] * s.scores[criterion].value
        other = evaluation.strategies[runner].scores[criterion].value
        return weights[criterion] * (s.scores[criterion].value - other)

    order = sorted((c for c in CRITERIA if c in said), key=lambda c: -lead(c))
    return [said[c] for c in order]


def client_panel(report: ScenarioReport, *, with_name: bool) -> Panel:
    evaluation = report.evaluation
    rec = evaluation.recommendation
    kicker = "RECOMMENDATION"
    if with_name:
        kicker += f"  ·  {one_line(report.scenario.name).upper()}"
    items: list[Flowable] = [para(kicker, KICKER, space_after=2.0)]
    name_style = REC_NAME if not with_name else Style(size=15.0, bold=True, color=ACCENT)
    items.append(para(rec.name, name_style, space_after=2.0))
    if rec.strategy is not None:
        if rec.runner_up is None:
            lead = "the only strategy that meets every hard requirement"
        else:
            lead = (
                f"ahead of {STRATEGY_NAMES[rec.runner_up]} by {fmt.points(rec.margin)} of 100 "
                "on the weighted criteria"
            )
        items.append(para(lead, Style(size=8.6, color=MUTED), space_after=4.0))
    if report.uncertainty is not None:
        items.append(
            para(recommended_share(report.uncertainty, evaluation), BODY_BOLD, space_after=3.0)
        )
    reasons = plain_reasons(evaluation, report.scenario)
    items += bullets(reasons or [rec.rationale], Style(size=8.8))
    for key in STRATEGIES:
        strategy = evaluation.strategies[key]
        if strategy.excluded:
            items.append(
                para(
                    [
                        (
                            f"{strategy.name} is ruled out: ",
                            Style(size=8.4, bold=True, color=WARNING_RED),
                        ),
                        (reasons_text(strategy.exclusion_reasons), Style(size=8.4)),
                    ],
                    Style(size=8.4),
                    space_after=2.0,
                )
            )
    return Panel(items, space_after=8.0)


def recommendation_summary(data: ReportData) -> list[Flowable]:
    items: list[Flowable] = [heading("", "Our recommendation")]
    if data.scenario_count == 1:
        report = data.scenarios[0]
        items.append(
            para(
                [
                    ("Scenario “", SMALL),
                    (one_line(report.scenario.name), SMALL),
                    ("”: ", SMALL),
                    (scenario_basics(report.evaluation, report.scenario), SMALL),
                ],
                SMALL,
                space_after=4.0,
            )
        )
        items.append(client_panel(report, with_name=False))
        return items
    winners = {s.evaluation.recommendation.name for s in data.compared}
    count = fmt.count(data.scenario_count)
    if len(winners) == 1:
        summary = f"We compared {count} scenarios: {next(iter(winners))} is recommended in each."
    else:
        summary = (
            f"We compared {count} scenarios; the recommendation depends on the scenario, as the "
            "table shows."
        )
    items.append(para(summary, BODY, space_after=5.0))
    items += detail_note(data)  # before the table: what follows covers only some scenarios
    items.append(comparison_table(data))
    if data.detail_limited:
        items.append(
            para(
                "Volumes and totals rounded to three significant digits (k thousand, M million, "
                "B billion, T trillion); the lowest total of each row in bold, the recommended "
                "strategy shaded.",
                SMALL,
                space_after=6.0,
            )
        )
    for report in data.scenarios:
        items.append(client_panel(report, with_name=True))
    return items
