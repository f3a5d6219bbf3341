"""Reference data: the curated catalogs in resources/catalogs and API prices from genai-prices.

API prices come from engine.api_prices (the bundled genai-prices data, read offline), or from
a price file the user imported (engine.price_import); the caches here are kept per import
generation, so an import or its removal is seen on the next look-up.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from engine import price_import
from engine.api_prices import ApiPrice as ApiPrice  # re-exported: the catalog's API prices
from engine.api_prices import genai_prices_version, read_genai_prices
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


def shipped_catalogs() -> Catalogs:
    """The catalogs that ship with this version of the app (read once), with the entries of a
    catalog pack the user imported laid over them."""
    return _shipped_catalogs(price_import.generation())


@lru_cache(maxsize=1)
def _shipped_catalogs(generation: int) -> Catalogs:
    catalogs = Catalogs(
        _load("gpus.json", GpuEntry),
        _load("base_models.json", BaseModelEntry),
        _load("vector_stores.json", VectorStoreEntry),
        _load("embedding_models.json", EmbeddingModelEntry),
    )
    pack = price_import.imported_pack()
    if pack is None:
        return catalogs
    layered: dict[str, Catalog[Any]] = {}
    for name, entry_type in price_import.PACK_CATALOGS.items():
        base: Catalog[Any] = getattr(catalogs, name)
        entries = {item["id"]: entry_type.model_validate(item) for item in pack.get(name, [])}
        layered[name] = Catalog(base.name, pack["data_as_of"], {**base.entries, **entries})
    return Catalogs(**layered)


def catalogs_for(overrides: CatalogOverrides) -> Catalogs:
    return shipped_catalogs().with_overrides(overrides)


# --- API prices (genai-prices) -------------------------------------------------------------


API_PRICE_SNAPSHOT = CATALOG_DIR / "api_prices.json"


def price_data_version() -> str:
    """Which price data is in use, as reports and the About box print it."""
    return _price_data_version(price_import.generation())


@lru_cache(maxsize=1)
def _price_data_version(generation: int) -> str:
    imports = price_import.current_imports()
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


def api_models() -> Mapping[str, ApiPrice]:
    """Every API model with plain input/output token prices, keyed 'provider:model'.

    Read from resources/catalogs/api_prices.json, a flat extract of the installed genai-prices
    data (5 ms instead of the 0.3–0.4 s its data module takes to import); when the installed
    genai-prices is another version than the extract's, its data is read directly.
    """
    global _api_models_read_for
    generation = price_import.generation()
    models = _api_models(generation)
    _api_models_read_for = generation
    return models


_api_models_read_for: int | None = None


def api_models_loaded() -> bool:
    """Whether the API prices in use are in memory already (a look-up costs nothing)."""
    return _api_models_read_for == price_import.generation()


@lru_cache(maxsize=1)
def _api_models(generation: int) -> Mapping[str, ApiPrice]:
    imported = price_import.imported_api()
    if imported is not None:
        try:
            return {m["ref"]: ApiPrice(**m) for m in imported["models"]}
        except (TypeError, KeyError):
            pass  # an unreadable import falls back to the bundled data
    snapshot = _read_snapshot(API_PRICE_SNAPSHOT)
    if snapshot is not None:
        return snapshot
    return read_genai_prices(datetime.now(tz=UTC).date())


def _read_snapshot(path: Path) -> Mapping[str, ApiPrice] | None:
    """The extract's models by ref; None when it is missing, unreadable or of another
    genai-prices version.  Each model's line is parsed when it is first looked up: an
    evaluation needs a few of the ~2,000, and parsing them all took ~20 ms of the start."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    head, _, body = text.partition("\n")
    try:
        header = json.loads(head + "]}")
    except ValueError:
        header = None
    if not isinstance(header, dict):  # not the layout written below: read the whole file
        return _read_snapshot_whole(text)
    if header.get("genai_prices_version") != genai_prices_version():
        return None
    if not body.endswith(_MODELS_CLOSE):  # not the layout written below: read it whole
        return _read_snapshot_whole(text)
    lines: dict[str, str] = {}
    for line in body.removesuffix(_MODELS_CLOSE).split(",\n"):
        end = line.find('"', _REF_AT)
        if not line.startswith(_REF_OPENS) or end < 0 or "\\" in line[_REF_AT:end]:
            return _read_snapshot_whole(text)
        lines[line[_REF_AT:end]] = line
    return _SnapshotPrices(lines)


_REF_OPENS = '{"ref":"'  # each model's line, as `python -m engine.catalog` writes it
_REF_AT = len(_REF_OPENS)
_MODELS_CLOSE = "\n]}\n"  # after the last model's line


def _read_snapshot_whole(text: str) -> dict[str, ApiPrice] | None:
    try:
        raw = json.loads(text)
        if raw.get("genai_prices_version") != genai_prices_version():
            return None
        return {m["ref"]: ApiPrice(**m) for m in raw["models"]}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class _SnapshotPrices(Mapping[str, ApiPrice]):
    """The extract's models, each parsed from its own line on first look-up."""

    def __init__(self, lines: dict[str, str]) -> None:
        self._lines = lines
        self._parsed: dict[str, ApiPrice] = {}

    def __getitem__(self, ref: str) -> ApiPrice:
        price = self._parsed.get(ref)
        if price is None:
            try:
                price = ApiPrice(**json.loads(self._lines[ref]))
            except (ValueError, TypeError) as exc:
                raise CatalogError(
                    f"the bundled API price data is damaged at {ref!r} ({exc}); reinstall "
                    "the app, or type this model's prices instead"
                ) from None
            self._parsed[ref] = price
        return price

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


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


def api_price(ref: str) -> ApiPrice:
    try:
        return api_models()[ref]
    except KeyError:
        raise CatalogError(
            f"API model {ref!r} is not in the bundled price data ({price_data_version()}); "
            "type its prices instead"
        ) from None


if __name__ == "__main__":  # python -m engine.catalog: refresh the API price extract
    snapshot = price_snapshot(datetime.now(tz=UTC).date())
    models = snapshot.pop("models")
    head = json.dumps(snapshot, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(m, ensure_ascii=False, separators=(",", ":")) for m in models)
    API_PRICE_SNAPSHOT.write_text(f'{head}, "models": [\n{lines}\n]}}\n', encoding="utf-8")
    print(f"wrote {API_PRICE_SNAPSHOT}")  # noqa: T201
