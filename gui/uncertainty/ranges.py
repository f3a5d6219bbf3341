"""What happens to a low–high range when its likely value is edited (no Qt: pure rules).

The range stays as the consultant entered it.  Only when the new likely value falls outside it
is it widened, just enough to include the value (low = min(low, likely), high = max(high,
likely)); the form says so beside the field.  The comparison is made against the estimate as it
was when the typing burst began, so typing "40000" over a range of 12,000 – 35,000 widens it to
12,000 – 40,000, not down to the "4" typed on the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model.base import Estimate


@dataclass(frozen=True)
class RangeEdit:
    """A new likely value applied to an estimate: the estimate's new fields, and whether the
    range had to be widened to include it."""

    likely: float
    low: float | None
    high: float | None
    widened: bool

    def as_dict(self) -> dict[str, float | None]:
        return {"likely": self.likely, "low": self.low, "high": self.high}


def with_likely(origin: Estimate, likely: float) -> RangeEdit:
    """``origin`` (the estimate as entered) with a new likely value; see the module docstring."""
    low, high = origin.low, origin.high
    widened = False
    if low is not None and likely < low:
        low, widened = likely, True
    if high is not None and likely > high:
        high, widened = likely, True
    return RangeEdit(likely, low, high, widened)


def range_ends(estimate: Estimate) -> tuple[float, float]:
    """The (low, high) the uncertainty analysis samples: a missing end is the likely value."""
    low = estimate.low if estimate.low is not None else estimate.likely
    high = estimate.high if estimate.high is not None else estimate.likely
    return low, high
