"""The bundled API price extract, read lazily (one model's line parsed when it is looked up):
the same prices, in the same order, as reading the whole file; a damaged line is named when
it is looked up; a file in another JSON layout is still read whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.api_prices import ApiPrice, genai_prices_version
from engine.catalog import API_PRICE_SNAPSHOT, CatalogError, _read_snapshot


def _whole(path: Path) -> dict[str, ApiPrice]:
    return {m["ref"]: ApiPrice(**m) for m in json.loads(path.read_text("utf-8"))["models"]}


def test_the_lazy_read_gives_every_price_of_the_whole_read_in_order() -> None:
    lazy = _read_snapshot(API_PRICE_SNAPSHOT)
    whole = _whole(API_PRICE_SNAPSHOT)
    assert lazy is not None and len(whole) > 1000
    assert list(lazy) == list(whole) and len(lazy) == len(whole)
    assert dict(lazy.items()) == whole


def _write(path: Path, models: list[str], version: str | None = None) -> Path:
    head = json.dumps({"genai_prices_version": version or genai_prices_version(), "as_of": "x"})
    path.write_text(head[:-1] + ', "models": [\n' + ",\n".join(models) + "\n]}\n", "utf-8")
    return path


GOOD = (
    '{"ref":"p:m","provider":"P","model":"m","name":"M","input_per_million_usd":1.0,'
    '"output_per_million_usd":2.0,"context_window":null,"checked":""}'
)


def test_a_damaged_line_is_named_when_it_is_looked_up(tmp_path: Path) -> None:
    damaged = '{"ref":"p:broken","provider":"P","model":"broken","name":'
    prices = _read_snapshot(_write(tmp_path / "x.json", [GOOD, damaged]))
    assert prices is not None and list(prices) == ["p:m", "p:broken"]
    assert prices["p:m"].output_per_million_usd == 2.0
    with pytest.raises(CatalogError, match="damaged at 'p:broken'"):
        prices["p:broken"]


def test_another_layout_is_read_whole_and_another_version_not_at_all(tmp_path: Path) -> None:
    pretty = tmp_path / "pretty.json"
    raw = {"genai_prices_version": genai_prices_version(), "models": [json.loads(GOOD)]}
    pretty.write_text(json.dumps(raw, indent=2), "utf-8")
    assert _read_snapshot(pretty) == {"p:m": ApiPrice(**json.loads(GOOD))}
    assert _read_snapshot(_write(tmp_path / "old.json", [GOOD], version="0.0.0")) is None
    assert _read_snapshot(tmp_path / "missing.json") is None
