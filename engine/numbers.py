"""Numbers for people: every number a person reads goes through here — the engine's sentences
(reasons, crossover labels), the GUI, the report.

The *rules* live here, locale-free: money is rounded ROUND_HALF_UP (on the decimal text, not the
binary value) to 2 decimals below 100 and to whole units from 100 up, so printed tables add up
the way they are shown; measured quantities keep three significant digits; huge values use powers
of ten.  How a rounded number is *written* — group and decimal separators, digits — is the job of
a :class:`Renderer`.  The default writes the C/English way ("1,326,000.50"), which the CLI and the
files use whatever the machine's locale; the desktop app installs a QLocale renderer
(gui/format.py), so the same sentences read "1.326.000,50" on a German laptop.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Protocol

from engine.model.results import Figure


class Renderer(Protocol):
    @property
    def decimal_point(self) -> str: ...

    @property
    def zero_digit(self) -> str: ...

    def fixed(self, value: float, decimals: int) -> str:
        """``value`` (already rounded) with exactly ``decimals`` decimals and group separators."""
        ...


class CRenderer:
    """English digits and separators: 1,234,567.89 (the CLI, the files, the tests)."""

    decimal_point = "."
    zero_digit = "0"

    def fixed(self, value: float, decimals: int) -> str:
        return f"{value:,.{decimals}f}"


_renderer: Renderer = CRenderer()


def set_renderer(renderer: Renderer) -> None:
    """Install how numbers are written for the rest of this process (the desktop app does)."""
    global _renderer
    _renderer = renderer


@contextmanager
def rendering(renderer: Renderer) -> Iterator[None]:
    """Write numbers with ``renderer`` inside the block."""
    global _renderer
    previous, _renderer = _renderer, renderer
    try:
        yield
    finally:
        _renderer = previous


_MILLISECOND = 0.0005  # from here up, sub-second times are written to the millisecond
DASH = "—"  # shown for values that are not finite numbers
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# A money unit is an ISO 4217 code, optionally per something: "USD", "USD/month", "EUR/GPU-hour".
_MONEY_UNIT = re.compile(r"^(?P<code>[A-Z]{3})(?:/(?P<per>.+))?$")
# Plural units read as singular after exactly "1": 1 day, 1 GPU.
_SINGULAR = {
    unit + "s": unit
    for unit in (
        "day",
        "hour",
        "month",
        "GPU",
        "replica",
        "retrain",
        "token",
        "example",
        "vector",
        "point",
        "chunk",
    )
}
# Units written straight after the number, without a space.
_TIGHT_UNITS = ("%", "×")


def _rounded(value: float, decimals: int) -> float:
    """ROUND_HALF_UP on the decimal text of ``value`` (what a person sees), not on binary.

    Kept by value for non-zero floats (``float`` itself: an int, a numpy float or -0.0 would
    share a key with a different number type or sign): an evaluation rounds the same prices,
    token counts and totals again on every edit, and the decimal arithmetic costs ~3 µs."""
    if type(value) is float and value:
        return _rounded_float(value, decimals)
    return _round_half_up(value, decimals)


@lru_cache(maxsize=4096)
def _rounded_float(value: float, decimals: int) -> float:
    return _round_half_up(value, decimals)


def forget() -> None:
    """Forget the kept roundings (engine.evaluate.clear_cache: nothing kept from before)."""
    _rounded_float.cache_clear()


def _round_half_up(value: float, decimals: int) -> float:
    try:
        quantum = Decimal(1).scaleb(-decimals)
        return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):
        return value


# Beyond this, writing every digit says nothing (and ints beyond float range cannot be
# written with float formatting at all): such values are written as powers of ten.
_FIXED_LIMIT = 1e21


def _fixed(value: float, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` places, with the locale's separators."""
    if abs(value) >= _FIXED_LIMIT:
        return _scientific(value)
    rounded = _rounded(value, decimals) + 0.0  # -0.0 (or a tiny negative) shows as 0
    return _renderer.fixed(rounded, decimals)


def _is_number(value: object) -> bool:
    """A finite int or float.  Every int is finite, however many digits it has (it must not
    be converted to float to find out: beyond 1.8e308 that conversion fails)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _significant_decimals(value: float, digits: int) -> int:
    """Decimals that show ``digits`` significant digits of ``value`` (≥ 0)."""
    if value == 0:
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def _strip_zeros(text: str) -> str:
    """'32.10' → '32.1', '20.00' → '20' in any locale (uses the locale's decimal point)."""
    point = _renderer.decimal_point
    if point in text:
        text = text.rstrip(_renderer.zero_digit).rstrip(point)
    return text


def _exponent_and_mantissa(value: float) -> tuple[int, float]:
    """value = mantissa × 10**exponent with 1 ≤ |mantissa| < 10, for every float class
    (subnormals included: 10**-324 is 0.0 in floats, so floats go through Decimal) and for
    ints of any length (exact integer arithmetic, no conversion of the whole int to text)."""
    if isinstance(value, int):
        magnitude = abs(value)
        exponent = max(0, int(math.log10(magnitude)))
        while magnitude // 10**exponent >= 10:
            exponent += 1
        while exponent > 0 and magnitude // 10**exponent < 1:
            exponent -= 1
        return exponent, value / 10**exponent
    exact = Decimal(repr(float(value)))
    exponent = exact.adjusted()
    return exponent, float(exact.scaleb(-exponent))


def _scientific(value: float, digits: int = 3) -> str:
    exponent, mantissa = _exponent_and_mantissa(value)
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
    if abs(value) >= 1e15:  # beyond a quadrillion, digits stop meaning anything
        return f"{currency} {_scientific(value)}"
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
    if magnitude >= _FIXED_LIMIT:
        return f"{prefix}{_scientific(value)}"
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

    Three significant digits below 1,000 ('9.37 s', '32.1 tokens/s', '20 days'; seconds below one
    to the millisecond, '0.036 s'), whole numbers
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
        elif unit == "s" and _MILLISECOND <= magnitude < 1:
            # Sub-second times to the millisecond, so a column reads alike ("0.036 s" beside
            # "0.307 s", not "0.0355 s"): nobody perceives, or measures, a tenth of one.
            text = _strip_zeros(_fixed(value, 3))
        else:
            text = _strip_zeros(_fixed(value, _significant_decimals(value, 3)))
    if not unit:
        return text
    if text == _fixed(1, 0) and unit in _SINGULAR:
        unit = _SINGULAR[unit]
    if unit.startswith(_TIGHT_UNITS):
        return f"{text}{unit}"
    return f"{text} {unit}"


def approximate(value: float, unit: str = "", digits: int = 3) -> str:
    """A value found on a grid or by interpolation, to ``digits`` significant digits whatever
    its size: '105,000' for 105,269 (the last three digits were never known)."""
    if not _is_number(value) or value == 0:
        return number(value, unit)
    exponent = math.floor(math.log10(abs(value)))
    return number(float(round(value, digits - 1 - exponent)), unit)


def fixed(value: float, decimals: int = 1) -> str:
    """A plain number with a fixed number of decimals: '67.0', '96.4' (scores, totals)."""
    if not _is_number(value):
        return DASH
    return _fixed(value, decimals)


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
