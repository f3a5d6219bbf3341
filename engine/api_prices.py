"""API prices as the genai-prices package has them: its bundled data read into plain
per-million-token prices.

genai-prices ships its price data compiled into the wheel; we read that bundled snapshot and
never call its network updater (``UpdatePrices``), so the app stays offline.  Its data module
takes ~0.4 s to import, so it is loaded lazily.  Both the catalog (engine.catalog) and a price
file the user imports (engine.price_import) read prices through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from typing import Any


@dataclass(frozen=True, slots=True)
class ApiPrice:
    """Per-million-token USD prices of one API model, as the bundled genai-prices data has them."""

    ref: str
    provider: str
    model: str
    name: str
    input_per_million_usd: float
    output_per_million_usd: float
    context_window: int | None
    checked: str


def genai_prices_version() -> str:
    try:
        return metadata.version("genai-prices")
    except metadata.PackageNotFoundError:  # pragma: no cover - frozen app without metadata
        return "unknown"


def read_genai_prices(as_of: date, providers: Any = None) -> dict[str, ApiPrice]:
    """Every model's plain input/output token prices from genai-prices' bundled data.

    Models priced only per request, per image, or with long-context tiers are kept at their
    base tier.  Models with no token price on ``as_of`` are left out.
    """
    if providers is None:
        from genai_prices.data import providers  # ~0.4 s import: keep it off the start-up path

    now = datetime.combine(as_of, datetime.min.time(), tzinfo=UTC)
    out: dict[str, ApiPrice] = {}
    for provider in providers:
        for model in provider.models:
            prices = _current_prices(model.prices, now)
            if prices is None:
                continue
            inp = _as_float(getattr(prices, "input_mtok", None))
            outp = _as_float(getattr(prices, "output_mtok", None))
            if inp is None or outp is None:
                continue
            ref = f"{provider.id}:{model.id}"
            out[ref] = ApiPrice(
                ref=ref,
                provider=provider.name,
                model=model.id,
                name=model.name or model.id,
                input_per_million_usd=inp,
                output_per_million_usd=outp,
                context_window=model.context_window,
                checked=_checked_date(model.price_comments),
            )
    return out


def _current_prices(prices: Any, now: datetime) -> Any:
    if not isinstance(prices, list):
        return prices
    chosen = None
    for conditional in prices:  # ConditionalPrice, ordered oldest first
        constraint = conditional.constraint
        start = getattr(constraint, "start_date", None)
        if start is None or start <= now.date():
            chosen = conditional.prices
    return chosen


def _as_float(value: Any) -> float | None:
    if value is None:
        return None
    base = getattr(value, "base", value)  # TieredPrices → its base tier
    try:
        return float(base)
    except (TypeError, ValueError):
        return None


def _checked_date(comment: str | None) -> str:
    found: list[str] = re.findall(r"\d{4}-\d{2}-\d{2}", comment or "")
    return max(found, default="")
