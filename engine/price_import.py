"""Offline price updates: a newer genai-prices data file or a catalog pack, imported by the user.

Nothing is ever fetched: the user downloads a file (e.g. genai-prices' ``prices/data.json``) and
imports it with *File → Import Price Data…* or ``ftrag prices import FILE``.  The file is
validated completely before anything is stored — a bad file is refused with the reason and the
current data stays as it was — then kept per user.  The bundled snapshot stays the default:
removing the import restores it.

Two kinds of file are accepted:

- a **genai-prices data file**: the JSON array of providers that genai-prices publishes
  (validated with genai-prices' own parser); its API prices replace the bundled snapshot;
- a **catalog pack**: ``{"format": "ftrag-catalog-pack", "version": 1, "as_of": "YYYY-MM-DD",
  "source": "...", "gpus": [...], "base_models": [...], "vector_stores": [...],
  "embedding_models": [...]}``, each entry validated like a catalog entry in a project file;
  its entries are laid over the shipped catalogs (same id: replaced; new id: added).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.api_prices import read_genai_prices
from engine.fileformat import write_bytes_atomically
from engine.model.catalog_entries import (
    BaseModelEntry,
    EmbeddingModelEntry,
    GpuEntry,
    VectorStoreEntry,
)

PACK_FORMAT = "ftrag-catalog-pack"
PACK_VERSION = 1
MAX_IMPORT_BYTES = 50 * 1024**2
API_FILE = "imported_api_prices.json"
PACK_FILE = "imported_catalog_pack.json"
PACK_CATALOGS: dict[str, type[Any]] = {
    "gpus": GpuEntry,
    "base_models": BaseModelEntry,
    "vector_stores": VectorStoreEntry,
    "embedding_models": EmbeddingModelEntry,
}


class PriceImportError(ValueError):
    """A file that cannot be imported: the message says why (nothing was changed)."""


@dataclass(frozen=True)
class ImportedData:
    kind: str  # "genai-prices" | "catalog pack"
    file_name: str
    data_as_of: str  # the newest price date in the data (or the pack's as_of)
    imported_at: str  # ISO date
    entries: int

    def describe(self) -> str:
        if self.kind == "genai-prices":
            return f"genai-prices data of {self.data_as_of}, imported"
        return f"catalog pack of {self.data_as_of} ({self.file_name}), imported"


def data_dir() -> Path:
    """Where imported price data is kept, per user (FTRAG_DATA_DIR overrides)."""
    override = os.environ.get("FTRAG_DATA_DIR")
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming"))
        return base / "FTRAG Advisor"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "FTRAG Advisor"
    return Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "ftrag-advisor"


# --- reading a candidate file ----------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise PriceImportError(f"{path.name}: larger than {MAX_IMPORT_BYTES // 1024**2} MB")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise PriceImportError(f"{path.name}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise PriceImportError(f"{path.name}: not UTF-8 text") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        reason = str(exc).splitlines()[0][:200]
        raise PriceImportError(f"{path.name}: not valid JSON ({reason})") from None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def validate_api_data(raw: Any, file_name: str) -> dict[str, Any]:
    """A genai-prices provider array → our flat price extract (raises PriceImportError)."""
    if not isinstance(raw, list):
        raise PriceImportError(
            f"{file_name}: neither a genai-prices data file (a JSON array of providers) nor a "
            f'catalog pack ("format": "{PACK_FORMAT}")'
        )
    try:
        from genai_prices.types import _providers_from_raw  # the package's own validator

        providers = _providers_from_raw(raw)
    except Exception as exc:  # any parse failure is a refused file
        reason = " ".join(str(exc).split())[:300]
        raise PriceImportError(f"{file_name}: not valid genai-prices data ({reason})") from None
    today = datetime.now(tz=UTC).date()
    models = read_genai_prices(today, providers)
    if not models:
        raise PriceImportError(f"{file_name}: holds no model with token prices")
    checked = [m.checked for m in models.values() if m.checked]
    return {
        "kind": "genai-prices",
        "file_name": file_name,
        "data_as_of": max(checked, default=today.isoformat()),
        "imported_at": today.isoformat(),
        "models": [asdict(models[ref]) for ref in sorted(models)],
    }


def validate_pack(raw: Any, file_name: str) -> dict[str, Any]:
    """A catalog pack, every entry validated (raises PriceImportError naming the first fault)."""
    if not isinstance(raw, dict) or raw.get("format") != PACK_FORMAT:
        raise PriceImportError(
            f'{file_name}: not a catalog pack (missing "format": "{PACK_FORMAT}")'
        )
    version = raw.get("version")
    if version != PACK_VERSION or isinstance(version, bool):
        raise PriceImportError(f"{file_name}: catalog pack version {version!r} is not supported")
    unknown = sorted(set(raw) - {"format", "version", "as_of", "source", *PACK_CATALOGS})
    if unknown:
        raise PriceImportError(f"{file_name}: {unknown[0][:100]}: unknown field")
    as_of = raw.get("as_of")
    try:
        date.fromisoformat(str(as_of))
    except ValueError:
        raise PriceImportError(f'{file_name}: "as_of" must be a date (YYYY-MM-DD)') from None
    source = raw.get("source", "")
    if not isinstance(source, str) or len(source) > 2_000:
        raise PriceImportError(f'{file_name}: "source" must be a text of at most 2,000 characters')
    out: dict[str, Any] = {
        "kind": "catalog pack",
        "file_name": file_name,
        "data_as_of": str(as_of),
        "imported_at": datetime.now(tz=UTC).date().isoformat(),
        "source": source,
    }
    count = 0
    for name, entry_type in PACK_CATALOGS.items():
        items = raw.get(name, [])
        if not isinstance(items, list):
            raise PriceImportError(f"{file_name}: {name} must be a list of entries")
        checked = []
        for i, item in enumerate(items):
            try:
                checked.append(entry_type.model_validate(item).model_dump())
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in (name, i, *first["loc"]))
                raise PriceImportError(f"{file_name}: {where}: {first['msg']}") from None
        out[name] = checked
        count += len(checked)
    if not count:
        raise PriceImportError(f"{file_name}: the pack has no entries")
    return out


def import_file(path: str | os.PathLike[str]) -> ImportedData:
    """Validate ``path`` and store it as the user's price data (replacing an earlier import of
    the same kind).  Raises PriceImportError without changing anything when it is refused."""
    p = Path(path)
    raw = _read_json(p)
    if isinstance(raw, dict) and raw.get("format") == PACK_FORMAT:
        data, target = validate_pack(raw, p.name), PACK_FILE
    else:
        data, target = validate_api_data(raw, p.name), API_FILE
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(
            folder / target, json.dumps(data, ensure_ascii=False).encode("utf-8")
        )
    except OSError as exc:
        raise PriceImportError(f"cannot store the imported data in {folder}: {exc}") from None
    refresh()
    return _summary(data)


def remove_imports() -> list[str]:
    """Delete every imported file (the bundled snapshot applies again); what was removed."""
    removed = []
    for name in (API_FILE, PACK_FILE):
        target = data_dir() / name
        if target.exists():
            target.unlink()
            removed.append(name)
    refresh()
    return removed


_generation = 0


def generation() -> int:
    """How many times the imported data may have changed: price data derived from it
    elsewhere (engine.catalog) is cached per generation."""
    return _generation


def refresh() -> None:
    """Forget cached price data so the next look-up reads the current files."""
    global _generation
    _generation += 1
    imported_api.cache_clear()
    imported_pack.cache_clear()


# --- what is imported now --------------------------------------------------------------------


def _load_stored(name: str) -> dict[str, Any] | None:
    try:
        raw = json.loads((data_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


def _summary(data: dict[str, Any]) -> ImportedData:
    entries = len(data.get("models", [])) + sum(len(data.get(n, [])) for n in PACK_CATALOGS)
    return ImportedData(
        kind=str(data.get("kind", "")),
        file_name=str(data.get("file_name", "")),
        data_as_of=str(data.get("data_as_of", "")),
        imported_at=str(data.get("imported_at", "")),
        entries=entries,
    )


@cache
def imported_api() -> dict[str, Any] | None:
    """The stored genai-prices import (None when there is none or it cannot be read)."""
    data = _load_stored(API_FILE)
    if data is None or not isinstance(data.get("models"), list):
        return None
    return data


@cache
def imported_pack() -> dict[str, Any] | None:
    """The stored catalog pack (None when there is none or it cannot be read)."""
    data = _load_stored(PACK_FILE)
    if data is None or data.get("kind") != "catalog pack":
        return None
    return data


def current_imports() -> list[ImportedData]:
    found = []
    for data in (imported_api(), imported_pack()):
        if data is not None:
            found.append(_summary(data))
    return found
