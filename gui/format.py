"""Numbers for people: every user-facing number in the GUI goes through here.

Formatting follows the default :class:`QLocale` (group and decimal separators, digits), never
Python's ``f"{x:,}"`` (which is always English).  Money has one rounding rule, applied the same
way everywhere on screen and in exports: decimal ROUND_HALF_UP to 2 decimals below 100, to whole
units from 100 up, so "USD 1,326,000" in en_US reads "USD 1.326.000" in de_DE.

The engine and the files stay locale-free; only what a person reads is formatted here.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6.QtCore import QLocale

from engine.model.results import Figure

DASH = "—"  # shown for values that are not finite numbers
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# A money unit is an ISO 4217 code, optionally per something: "USD", "USD/month", "EUR/GPU-hour".
_MONEY_UNIT = re.compile(r"^(?P<code>[A-Z]{3})(?:/(?P<per>.+))?$")
# Units written straight after the number, without a space.
_TIGHT_UNITS = ("%", "×")


def _loc() -> QLocale:
    return QLocale()


def _rounded(value: float, decimals: int) -> float:
    """ROUND_HALF_UP on the decimal text of ``value`` (what a person sees), not on binary."""
    try:
        quantum = Decimal(1).scaleb(-decimals)
        return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):
        return value


def _fixed(value: float, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` places, with the locale's separators."""
    text: str = _loc().toString(_rounded(value, decimals), "f", decimals)
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _significant_decimals(value: float, digits: int) -> int:
    """Decimals that show ``digits`` significant digits of ``value`` (≥ 0)."""
    if value == 0:
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def _strip_zeros(text: str) -> str:
    """'32.10' → '32.1', '20.00' → '20' in any locale (uses the locale's decimal point)."""
    point = _loc().decimalPoint()
    if point in text:
        text = text.rstrip(_loc().zeroDigit()).rstrip(point)
    return text


def _scientific(value: float, digits: int = 3) -> str:
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if abs(round(mantissa, digits - 1)) >= 10:  # 9.999e17 rounds to 10.0e17
        exponent += 1
        mantissa /= 10
    head = _strip_zeros(_fixed(mantissa, digits - 1))
    return f"{head} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def money_decimals(value: float) -> int:
    """The display rule for money: cents below 100, whole units from 100 up."""
    return 2 if abs(_rounded(value, 2)) < 100 else 0


def money(value: float, currency: str) -> str:
    """'USD 1,326,000', 'USD 47.73' (the one rounding rule for money on screen)."""
    if not _is_number(value):
        return f"{currency} {DASH}"
    return f"{currency} {_fixed(value, money_decimals(value))}"


def money_per_query(value: float, currency: str) -> str:
    """A small unit price with enough significant digits to be useful: 'USD 0.00074'."""
    if not _is_number(value):
        return f"{currency} {DASH}"
    if value == 0 or abs(value) >= 0.01:
        return money(value, currency)
    decimals = min(_significant_decimals(value, 2), 12)
    # Two significant digits, without trailing zeros beyond the cents: 0.0050 → 0.005.
    while decimals > 2 and _rounded(value, decimals - 1) == _rounded(value, decimals):
        decimals -= 1
    return f"{currency} {_fixed(value, decimals)}"


def money_compact(value: float, currency: str = "") -> str:
    """Short money for chart axes: '950', '12k', '1.5M', '2B' (locale digits and separators)."""
    if not _is_number(value):
        return DASH
    prefix = f"{currency} " if currency else ""
    magnitude = abs(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= threshold:
            scaled = value / threshold
            decimals = 0 if abs(scaled) >= 100 else 1 if abs(scaled) >= 10 else 2
            return f"{prefix}{_strip_zeros(_fixed(scaled, decimals))}{suffix}"
    decimals = 0 if magnitude >= 10 or magnitude == 0 else 2
    return f"{prefix}{_strip_zeros(_fixed(value, decimals))}"


def count(value: float) -> str:
    """A whole number with group separators: '17,045'."""
    if not _is_number(value):
        return DASH
    return _fixed(value, 0)


def volume(queries_per_month: float) -> str:
    """'17,045 queries/month'."""
    return f"{count(queries_per_month)} queries/month"


def volume_compact(queries_per_month: float) -> str:
    """Short volume for axis ticks: '1', '100', '10k', '1M', '10B'."""
    return money_compact(queries_per_month)


def number(value: float | int | str, unit: str = "") -> str:
    """A measured quantity with sensible significant digits and its unit.

    Three significant digits below 1,000 ('9.37 s', '32.1 tokens/s', '20 days'), whole numbers
    with group separators up to a billion ('2,900 tokens'), powers of ten beyond
    ('3.37 × 10¹⁷ FLOP').  Text values (a GPU's name, a price source) are returned as they are.
    """
    if isinstance(value, str):
        return f"{value} {unit}".strip() if unit else value
    if not _is_number(value):
        text = DASH
    else:
        magnitude = abs(value)
        if magnitude == 0:
            text = _fixed(0, 0)
        elif magnitude >= 1e9 or magnitude < 1e-6:
            text = _scientific(value)
        elif magnitude >= 1000 or (isinstance(value, int) and not isinstance(value, bool)):
            text = _fixed(value, 0)
        else:
            text = _strip_zeros(_fixed(value, _significant_decimals(value, 3)))
    if not unit:
        return text
    if unit.startswith(_TIGHT_UNITS):
        return f"{text}{unit}"
    return f"{text} {unit}"


def percent(value: float, decimals: int = 0) -> str:
    """A percentage given in percent (29.4 → '29.4%' / '29,4%')."""
    if not _is_number(value):
        return f"{DASH}%"
    return f"{_fixed(value, decimals)}%"


def points(value: float, decimals: int = 1) -> str:
    """Score points: '29.4 points'."""
    if not _is_number(value):
        return DASH
    return f"{_fixed(value, decimals)} points"


def score(value: float) -> str:
    """A 0–100 score as a whole number."""
    return count(value)


def money_unit(unit: str) -> tuple[str, str] | None:
    """('USD', 'month') for 'USD/month', ('USD', '') for 'USD'; None when not a money unit."""
    match = _MONEY_UNIT.match(unit)
    if match is None:
        return None
    return match["code"], match["per"] or ""


def quantity(value: float | int | str, unit: str) -> str:
    """Any value with its unit as it appears in a Figure: money units get the money rules."""
    if isinstance(value, str):
        return number(value, unit)
    parsed = money_unit(unit)
    if parsed is None:
        return number(value, unit)
    code, per = parsed
    if not per:
        return money(value, code)
    # Unit prices (per query, per GPU-hour, per million tokens) keep their significant digits.
    text = money_per_query(value, code)
    return f"{text}/{per}"


def figure_value(figure: Figure) -> str:
    """A Figure's value with its unit: 'USD 141,960', '9.37 s', 'USD 0.00074/query'."""
    return quantity(figure.value, figure.unit)
