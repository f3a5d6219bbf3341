"""Reference data: the curated catalogs in resources/catalogs and API prices from genai-prices.

genai-prices ships its price data compiled into the wheel; we read that bundled snapshot and
never call its network updater (``UpdatePrices``), so the app stays offline.  Its data module
takes ~0.4 s to import, so it is loaded lazily, on the first API price look-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

from engine.model.catalog_entries import (
    BaseModelEntry,
    CatalogEntry,
    CatalogOverrides,
    EmbeddingModelEntry,
    GpuEntry,
    VectorStoreEntry,
)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
CATALOG_DIR = RESOURCES / "catalogs"

E = TypeVar("E", bound=CatalogEntry)


class CatalogError(LookupError):
    """An id that no catalog entry (shipped or overridden) has."""


@dataclass(frozen=True)
class Catalog(Generic[E]):
    """One catalog: shipped entries with the project's overrides laid over them."""

    name: str
    version: str
    entries: Mapping[str, E]
    overridden: frozenset[str] = frozenset()

    def get(self, entry_id: str) -> E:
        try:
            return self.entries[entry_id]
        except KeyError:
            raise CatalogError(
                f"{self.name}: no entry {entry_id!r} (known: {', '.join(sorted(self.entries))})"
            ) from None

    def is_overridden(self, entry_id: str) -> bool:
        return entry_id in self.overridden

    def __iter__(self) -> Iterator[E]:
        return iter(self.entries.values())

    def with_overrides(self, overrides: Mapping[str, E]) -> Catalog[E]:
        if not overrides:
            return self
        return Catalog(
            self.name,
            self.version,
            {**self.entries, **overrides},
            self.overridden | frozenset(overrides),
        )


def _load(file_name: str, entry_type: type[E]) -> Catalog[E]:
    raw: dict[str, Any] = json.loads((CATALOG_DIR / file_name).read_text(encoding="utf-8"))
    entries = {}
    for item in raw["entries"]:
        entry = entry_type.model_validate(item)
        entries[entry.id] = entry
    return Catalog(raw["catalog"], raw["version"], entries)


@dataclass(frozen=True)
class Catalogs:
    gpus: Catalog[GpuEntry]
    base_models: Catalog[BaseModelEntry]
    vector_stores: Catalog[VectorStoreEntry]
    embedding_models: Catalog[EmbeddingModelEntry]

    def with_overrides(self, overrides: CatalogOverrides) -> Catalogs:
        return Catalogs(
            self.gpus.with_overrides(overrides.gpus),
            self.base_models.with_overrides(overrides.base_models),
            self.vector_stores.with_overrides(overrides.vector_stores),
            self.embedding_models.with_overrides(overrides.embedding_models),
        )


@cache
def shipped_catalogs() -> Catalogs:
    """The catalogs that ship with this version of the app (read once), with the entries of a
    catalog pack the user imported laid over them."""
    catalogs = Catalogs(
        _load("gpus.json", GpuEntry),
        _load("base_models.json", BaseModelEntry),
        _load("vector_stores.json", VectorStoreEntry),
        _load("embedding_models.json", EmbeddingModelEntry),
    )
    from engine.price_import import PACK_CATALOGS, imported_pack

    pack = imported_pack()
    if pack is None:
        return catalogs
    layered: dict[str, Catalog[Any]] = {}
    for name, entry_type in PACK_CATALOGS.items():
        base: Catalog[Any] = getattr(catalogs, name)
        entries = {item["id"]: entry_type.model_validate(item) for item in pack.get(name, [])}
        layered[name] = Catalog(base.name, pack["data_as_of"], {**base.entries, **entries})
    return Catalogs(**layered)


def catalogs_for(overrides: CatalogOverrides) -> Catalogs:
    return shipped_catalogs().with_overrides(overrides)


# --- API prices (genai-prices) -------------------------------------------------------------


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


API_PRICE_SNAPSHOT = CATALOG_DIR / "api_prices.json"


def genai_prices_version() -> str:
    try:
        return metadata.version("genai-prices")
    except metadata.PackageNotFoundError:  # pragma: no cover - frozen app without metadata
        return "unknown"


@cache
def price_data_version() -> str:
    """Which price data is in use, as reports and the About box print it."""
    from engine.price_import import current_imports

    imports = current_imports()
    api = next((i for i in imports if i.kind == "genai-prices"), None)
    text = (
        api.describe()
        if api is not None
        else f"genai-prices {genai_prices_version()} (bundled snapshot)"
    )
    for extra in imports:
        if extra.kind != "genai-prices":
            text += f"; {extra.describe()}"
    return text


@cache
def api_models() -> dict[str, ApiPrice]:
    """Every API model with plain input/output token prices, keyed 'provider:model'.

    Read from resources/catalogs/api_prices.json, a flat extract of the installed genai-prices
    data (5 ms instead of the 0.3–0.4 s its data module takes to import); when the installed
    genai-prices is another version than the extract's, its data is read directly.
    """
    from engine.price_import import imported_api

    imported = imported_api()
    if imported is not None:
        try:
            return {m["ref"]: ApiPrice(**m) for m in imported["models"]}
        except (TypeError, KeyError):
            pass  # an unreadable import falls back to the bundled data
    snapshot = _read_snapshot(API_PRICE_SNAPSHOT)
    if snapshot is not None:
        return snapshot
    return read_genai_prices(datetime.now(tz=UTC).date())


def _read_snapshot(path: Path) -> dict[str, ApiPrice] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if raw.get("genai_prices_version") != genai_prices_version():
        return None
    return {m["ref"]: ApiPrice(**m) for m in raw["models"]}


def price_snapshot(as_of: date) -> dict[str, Any]:
    """The extract written to API_PRICE_SNAPSHOT (``python -m engine.catalog`` refreshes it)."""
    models = read_genai_prices(as_of)
    return {
        "genai_prices_version": genai_prices_version(),
        "as_of": as_of.isoformat(),
        "note": "Generated from the genai-prices package by 'python -m engine.catalog'; "
        "prices in USD per million tokens, current at as_of. Do not edit by hand.",
        "models": [asdict(models[ref]) for ref in sorted(models)],
    }


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


def api_price(ref: str) -> ApiPrice:
    try:
        return api_models()[ref]
    except KeyError:
        raise CatalogError(
            f"API model {ref!r} is not in the bundled price data ({price_data_version()}); "
            "type its prices instead"
        ) from None


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


if __name__ == "__main__":  # python -m engine.catalog: refresh the API price extract
    snapshot = price_snapshot(datetime.now(tz=UTC).date())
    models = snapshot.pop("models")
    head = json.dumps(snapshot, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(m, ensure_ascii=False, separators=(",", ":")) for m in models)
    API_PRICE_SNAPSHOT.write_text(f'{head}, "models": [\n{lines}\n]}}\n', encoding="utf-8")
    print(f"wrote {API_PRICE_SNAPSHOT}")  # noqa: T201
