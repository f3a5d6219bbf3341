"""How old the prices behind a figure are, judged at the project's date.

A figure rests on a catalog or API price when one of its inputs names where the price comes from
("catalog: …, as of 2026-05-01", "genai-prices: …, checked 2025-07-04").  A price older than six
months at the project's date is flagged on the figure, in the report's assumptions and in the
JSON, so nobody quotes a stale number without knowing it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from engine.model.results import Figure, PriceUsed

STALE_AFTER = timedelta(days=183)  # six months
_DATED = re.compile(r"(?:as of|checked) (\d{4}-\d{2}-\d{2})")


def today() -> date:
    return datetime.now(tz=UTC).date()


def project_date(text: str) -> date:
    """The project's date ("" = today)."""
    return date.fromisoformat(text) if text else today()


def dates_in(text: str) -> list[str]:
    return list(_dates(text))


@lru_cache(maxsize=1024)
def _dates(text: str) -> tuple[str, ...]:
    """The dates a text names, kept by text: an evaluation reads the same few price sources in
    many figures (engine.evaluate.clear_cache forgets them with everything else)."""
    return tuple(_DATED.findall(text))


def forget() -> None:
    _dates.cache_clear()


def is_stale(as_of: str, on: date) -> bool:
    try:
        return date.fromisoformat(as_of) + STALE_AFTER < on
    except ValueError:
        return False


def flag(as_of: str) -> str:
    """The words shown beside a stale price: 'price as of 2025-07 — check before quoting'."""
    return f"price as of {as_of[:7]} — check before quoting"


def flag_text(text: str, on: date) -> str:
    """``text`` with the flag appended when a date it names is stale ('' when none is)."""
    stale = [d for d in dates_in(text) if is_stale(d, on)]
    return flag(min(stale)) if stale else ""


def _dated(fig: Figure) -> list[tuple[str, str]]:
    """(source, date) of each dated price a figure's inputs name."""
    return [
        (item.value, as_of)
        for item in fig.inputs
        if isinstance(item.value, str)
        for as_of in _dates(item.value)
    ]


def prices_of(fig: Figure, on: date) -> list[PriceUsed]:
    """The dated prices a figure's inputs name."""
    return [
        PriceUsed(
            figure=fig.key,
            label=fig.label,
            source=source,
            as_of=as_of,
            stale=is_stale(as_of, on),
        )
        for source, as_of in _dated(fig)
    ]


def flagged(fig: Figure, on: date) -> Figure:
    """The figure with a note naming its oldest stale price (unchanged when none is stale)."""
    stale = [as_of for _, as_of in _dated(fig) if is_stale(as_of, on)]
    if not stale:
        return fig
    words = flag(min(stale))
    if words in fig.note:
        return fig
    sentence = f"{words[0].upper()}{words[1:]}."
    return replace(fig, note=f"{fig.note} {sentence}".strip())
