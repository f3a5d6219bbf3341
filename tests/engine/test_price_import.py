"""Offline price updates: a genai-prices data file or a catalog pack is validated, stored per
user, named wherever the price data is named, and removing it restores the bundled snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import price_import
from engine.catalog import api_price, price_data_version, shipped_catalogs
from engine.evaluate import evaluate
from engine.model import Project, Scenario
from engine.price_import import PriceImportError, import_file, remove_imports


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("FTRAG_DATA_DIR", str(folder))
    price_import.refresh()
    yield folder
    monkeypatch.undo()
    price_import.refresh()


GENAI_DATA = [
    {
        "id": "openai",
        "name": "OpenAI",
        "api_pattern": "https://api\\\\.openai\\\\.com",
        "models": [
            {
                "id": "gpt-4o-mini",
                "match": {"equals": "gpt-4o-mini"},
                "name": "GPT-4o mini",
                "context_window": 128000,
                "price_comments": "checked 2026-12-01",
                "prices": {"input_mtok": 0.10, "output_mtok": 0.40},
            }
        ],
    }
]


def test_a_genai_prices_file_replaces_the_bundled_api_prices_until_removed(
    tmp_path: Path,
) -> None:
    bundled = api_price("openai:gpt-4o-mini").input_per_million_usd
    source = tmp_path / "data.json"
    source.write_text(json.dumps(GENAI_DATA), encoding="utf-8")
    imported = import_file(source)
    assert imported.kind == "genai-prices"
    assert imported.data_as_of == "2026-12-01"
    assert price_data_version() == "genai-prices data of 2026-12-01, imported"
    assert api_price("openai:gpt-4o-mini").input_per_million_usd == 0.10
    ev = evaluate(Project(scenarios=[Scenario()]))
    assert ev.price_data_version == "genai-prices data of 2026-12-01, imported"
    assert remove_imports() == [price_import.API_FILE]
    assert "bundled snapshot" in price_data_version()
    assert api_price("openai:gpt-4o-mini").input_per_million_usd == bundled


def test_a_catalog_pack_adds_and_replaces_entries(tmp_path: Path) -> None:
    h100 = shipped_catalogs().gpus.get("h100-sxm").model_dump()
    h100.update(on_demand_usd_per_hour=2.49, as_of="2026-12-01", source="our 2026-12 survey")
    pack = {
        "format": "ftrag-catalog-pack",
        "version": 1,
        "as_of": "2026-12-01",
        "source": "firm price survey",
        "gpus": [h100],
    }
    source = tmp_path / "pack.json"
    source.write_text(json.dumps(pack), encoding="utf-8")
    import_file(source)
    assert shipped_catalogs().gpus.get("h100-sxm").on_demand_usd_per_hour == 2.49
    assert "catalog pack of 2026-12-01 (pack.json), imported" in price_data_version()
    remove_imports()
    assert shipped_catalogs().gpus.get("h100-sxm").on_demand_usd_per_hour == 2.99


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something"}', "nor a catalog pack"),
        (json.dumps([{"id": "x"}]), "not valid genai-prices data"),
        (
            json.dumps(
                {
                    "format": "ftrag-catalog-pack",
                    "version": 1,
                    "as_of": "2026-12-01",
                    "gpus": [{"id": "bad", "name": "bad", "source": "s", "as_of": "2026-12-01"}],
                }
            ),
            "gpus.0.peak_bf16_dense_tflops",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_changes(
    tmp_path: Path, user_dir: Path, content: str, reason: str
) -> None:
    before = price_data_version()
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(PriceImportError, match=reason):
        import_file(source)
    assert price_data_version() == before
    assert not user_dir.exists() or not any(user_dir.iterdir())


def test_cli_imports_shows_and_removes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    source = tmp_path / "data.json"
    source.write_text(json.dumps(GENAI_DATA), encoding="utf-8")
    assert main(["prices", "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert "price data in use: genai-prices data of 2026-12-01, imported" in out
    assert main(["prices", "show"]) == 0
    assert "imported" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert main(["prices", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.json: not valid genai-prices data") and "unchanged" in err
    assert err.count("\n") == 1
    assert main(["prices", "remove"]) == 0
    assert "bundled snapshot" in capsys.readouterr().out
