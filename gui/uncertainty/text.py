"""The uncertainty results in plain words, for the screen and the report alike.

Numbers go through gui.format (the user's locale, the app's rounding rules).  Values the
analysis *searched for* (flip points, break-even volumes) are rounded to three significant
digits first: more digits would claim a precision the ranges do not have.
"""

from __future__ import annotations

import math

from engine.labels import unit_text
from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from engine.uncertainty import InputFlip, TornadoBar, UncertainInput, Uncertainty
from gui import format as fmt

DISTRIBUTION_NAMES = {"triangular": "triangular", "pert": "PERT"}

NO_RANGES = "No input has a range."  # what an empty tornado says, unless told why


def significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits (0 and non-finite unchanged)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def share(probability: float) -> str:
    """A probability as a percentage a person reads: '87%', '<1%' (never a false 0 or 100)."""
    percent = probability * 100.0
    if 0 < percent < 0.5:
        return f"<{fmt.percent(1)}"
    if 99.5 <= percent < 100:
        return f">{fmt.percent(99)}"
    return fmt.percent(percent)


def sentence_label(label: str) -> str:
    """A field label inside a sentence: 'Labelling cost per example' → 'labelling cost per
    example'; acronyms keep their capitals ('GPU-hour price', 'API model')."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def input_label(path: tuple[str, ...], label: str) -> str:
    """An input's name as the results show it: a weight says it is one ('Weight of cost')."""
    if path and path[0] == "weights":
        return f"Weight of {sentence_label(label)}"
    return label


def value_text(value: float, unit: str, currency: str, *, integer: bool = False) -> str:
    """An input's value with its unit ('USD 4.10/example', '23,900 queries/month')."""
    shown = unit_text(unit, currency)
    number = float(round(value)) if integer else value
    return fmt.quantity(number, shown) if shown else fmt.number(number)


def range_text(item: UncertainInput | TornadoBar, currency: str) -> str:
    """'12,000 – 35,000 queries/month (likely 20,000)', 'USD 1.00 – USD 5.00/example (likely
    USD 2.00)': the unit once."""
    integer = bool(getattr(item, "integer", False))
    values = [float(round(v)) if integer else v for v in (item.low, item.high, item.likely)]
    unit = unit_text(item.unit, currency)
    money = fmt.money_unit(unit) if unit else None
    if money is not None:
        code, per = money
        low, high, likely = (fmt.money(v, code) for v in values)
        return f"{low} – {high}{f'/{per}' if per else ''} (likely {likely})"
    low, high, likely = (fmt.number(v) for v in values)
    spaced = f" {unit}" if unit and not unit.startswith(("%", "×")) else unit
    return f"{low} – {high}{spaced} (likely {likely})"


def method_text(u: Uncertainty) -> str:
    """'5,000 samples, triangular ranges, seed 0; 2 inputs have ranges.'"""
    n = len(u.inputs)
    inputs = f"{fmt.count(n)} input has a range" if n == 1 else f"{fmt.count(n)} inputs have ranges"
    return (
        f"{fmt.count(u.samples)} samples, {DISTRIBUTION_NAMES.get(u.distribution, u.distribution)}"
        f" distribution, seed {u.seed}; {inputs}."
    )


def recommended_share(u: Uncertainty, evaluation: Evaluation) -> str:
    """The banner line: 'RAG — recommended in 87% of 5,000 samples.' (with the most likely
    alternative when the recommendation wins in half the samples or fewer)."""
    key = evaluation.recommendation.strategy
    samples = fmt.count(u.samples)
    if key is None:
        return f"No strategy qualifies at the likely values ({samples} samples analysed)."
    name = STRATEGY_NAMES[key]
    text = f"{name} — recommended in {share(u.p_win.get(key, 0.0))} of {samples} samples"
    others = sorted(
        (k for k in STRATEGIES if k != key and u.p_win.get(k, 0.0) > 0),
        key=lambda k: -u.p_win[k],
    )
    if others and u.p_win.get(key, 0.0) <= 0.5:
        best = others[0]
        text += f"; {STRATEGY_NAMES[best]} in {share(u.p_win[best])}"
    return text + "."


def flip_sentence(flip: InputFlip, currency: str, integer: bool = False) -> str:
    """'RAG would be recommended if labelling cost per example rose above USD 4.10/example
    (likely USD 2.00/example).'"""
    direction = "rose above" if flip.value > flip.likely else "fell below"
    value = value_text(significant(flip.value), flip.unit, currency, integer=integer)
    if fmt.money_unit(unit_text(flip.unit, currency)) is not None:
        likely = value_text(flip.likely, flip.unit, currency, integer=integer)
    else:  # the unit was just said
        likely = fmt.number(float(round(flip.likely)) if integer else flip.likely)
    return (
        f"{STRATEGY_NAMES[flip.new_winner]} would be recommended if "
        f"{sentence_label(input_label(flip.path, flip.label))} {direction} {value} "
        f"(likely {likely})."
    )


def flip_sentences(u: Uncertainty, currency: str) -> list[str]:
    integers = {item.path: item.integer for item in u.inputs}
    return [flip_sentence(f, currency, integers.get(f.path, False)) for f in u.flips]


def crossover_sentences(u: Uncertainty) -> list[str]:
    """The distribution of each break-even volume, in words."""
    lines = []
    for i, a in enumerate(STRATEGIES):
        for b in STRATEGIES[i + 1 :]:
            pair = f"{a}|{b}"
            crossed = u.crossover_share.get(pair, 0.0)
            pct = u.crossover_percentiles.get(pair)
            names = f"{STRATEGY_NAMES[a]} and {STRATEGY_NAMES[b]}"
            if not pct or crossed <= 0:
                lines.append(
                    f"{names} never cost the same in any sample: one is cheaper at every volume."
                )
                continue
            median = fmt.volume(significant(pct[50]))
            low = fmt.count(significant(pct[10]))
            high = fmt.count(significant(pct[90]))
            if low == high and crossed >= 0.995:
                text = f"{names} break even at {median} in every sample"
            elif low == high:
                text = (
                    f"{names} break even at {median} in the {share(crossed)} of samples where "
                    "their curves cross; in the rest one is cheaper at every volume"
                )
            else:
                text = (
                    f"{names} break even at about {median} (median); 80% of samples between "
                    f"{low} and {high}"
                )
                if crossed < 0.995:
                    text += (
                        f". The curves cross in {share(crossed)} of samples; in the rest one is "
                        "cheaper at every volume"
                    )
            lines.append(text + ".")
    return lines


def tco_cells(u: Uncertainty, key: str, currency: str) -> tuple[str, str, str]:
    """P10, P50, P90 of a strategy's total cost."""
    pct = u.tco_percentiles[key]
    return (
        fmt.money(pct[10], currency),
        fmt.money(pct[50], currency),
        fmt.money(pct[90], currency),
    )


def tornado_base(evaluation: Evaluation) -> float:
    """The lead of the recommended strategy over the best alternative that is not excluded,
    at the likely values, in points: the tornado's centre line (the recommendation's own
    margin, measured as the engine measures each bar)."""
    rec = evaluation.recommendation
    return rec.margin if rec.strategy is not None and rec.runner_up is not None else 0.0


def tornado_empty_text(evaluation: Evaluation) -> str:
    """Why the tornado has no bars (the analysis ran, so some input has a range)."""
    rec = evaluation.recommendation
    if rec.strategy is None:
        return "No strategy qualifies: there is no lead to move."
    if rec.runner_up is None:
        return (
            f"{STRATEGY_NAMES[rec.strategy]} is the only strategy that meets every hard "
            "requirement: there is no lead to move."
        )
    return NO_RANGES


def tornado_bar_text(bar: TornadoBar, currency: str, recommended: str | None) -> str:
    """A bar in words (tooltips, accessibility)."""
    who = STRATEGY_NAMES.get(recommended or "", "the recommendation")
    parts = []
    for end, value, margin, winner in (
        ("low", bar.low, bar.margin_at_low, bar.winner_at_low),
        ("high", bar.high, bar.margin_at_high, bar.winner_at_high),
    ):
        value_words = value_text(value, bar.unit, currency)
        if winner == recommended:
            parts.append(f"at its {end} value ({value_words}) {who} leads by {fmt.points(margin)}")
        else:
            name = STRATEGY_NAMES.get(winner or "", "no strategy")
            parts.append(f"at its {end} value ({value_words}) {name} is recommended instead")
    return f"{input_label(bar.path, bar.label)}: " + "; ".join(parts) + "."
