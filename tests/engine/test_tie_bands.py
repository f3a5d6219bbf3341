"""Near-ties: curves that weave inside a narrow band are said once, as one band."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.crossover import TIE_TOLERANCE, find_crossovers, find_tie_bands
from engine.evaluate import evaluate
from engine.report import crossover_sentences, evaluation_json
from tests.claims_assistant import claims_assistant_project

Array = Any


class Curve:
    """Stands in for a CostModel: the search only asks for tco(volumes)."""

    def __init__(self, fn: Callable[[Array], Array]) -> None:
        self.fn = fn

    def tco(self, q: Array) -> Array:
        return np.asarray(self.fn(np.asarray(q, dtype=float)), dtype=float)


def _models(ft: Callable[[Array], Array], rag: Callable[[Array], Array]) -> dict[str, Any]:
    never = Curve(lambda q: 1e30 + 0 * q)  # hybrid: always dearest, crosses nothing
    return {"fine_tuning": Curve(ft), "rag": Curve(rag), "hybrid": never}


def _base(q: Array) -> Array:
    return 1e6 + 0.01 * q


def _weaving(q: Array) -> Array:
    """Fine-tuning × (1 + a slow trend through zero at 4.5M + a ±0.6 % wobble of period 0.05
    decades): within 2 % of fine-tuning from about 1M to 20M, crossing many times near 4.5M."""
    x = np.log10(q)
    trend = 0.02 * (x - np.log10(4.5e6))
    wobble = 0.006 * np.sin(2 * np.pi * x / 0.05)
    return _base(q) * (1 + trend + wobble)


def test_weaving_curves_give_one_band_with_every_crossing_in_it() -> None:
    models = _models(_base, _weaving)
    crossings = find_crossovers(models)
    assert len(crossings) >= 5  # the weave the search sees, exactly
    marked, bands = find_tie_bands(models, crossings)
    assert len(bands) == 1
    (band,) = bands
    assert band.between == ("fine_tuning", "rag")
    assert band.crossings == len(crossings)
    assert band.low == crossings[0].queries_per_month
    assert band.high == crossings[-1].queries_per_month
    assert 2e6 < band.low < 4.5e6 < band.high < 1e7
    assert band.cheaper_below == "rag" and band.cheaper_above == "fine_tuning"
    assert 0 < band.largest_gap <= TIE_TOLERANCE
    assert all(c.in_tie_band for c in marked)
    assert [c.queries_per_month for c in marked] == [c.queries_per_month for c in crossings]


def test_two_clean_crossings_far_apart_stay_two_crossings() -> None:
    # RAG dips 10 % below fine-tuning between 10³ and 10⁹ queries/month: two real changes.
    def rag(q: Array) -> Array:
        x = np.log10(q)
        return 1e6 * (1 + 0.1 * (x - 3) * (x - 9) / 9)

    models = _models(lambda q: 1e6 + 0 * q, rag)
    crossings = find_crossovers(models)
    assert len(crossings) == 2
    marked, bands = find_tie_bands(models, crossings)
    assert bands == []
    assert not any(c.in_tie_band for c in marked)


def test_a_weave_wider_than_the_band_is_every_crossing() -> None:
    # RAG steps 5 % either side of fine-tuning every 0.2 decades: between two crossings the
    # curves part by more than the tolerance, so each crossing is its own.
    def rag(q: Array) -> Array:
        return _base(q) * (1 + 0.05 * np.sign(np.sin(2 * np.pi * (np.log10(q) + 0.05) / 0.4)))

    models = _models(_base, rag)
    crossings = find_crossovers(models)
    assert len(crossings) >= 50
    marked, bands = find_tie_bands(models, crossings)
    assert bands == []
    assert not any(c.in_tie_band for c in marked)


def test_two_separate_weaves_of_one_pair_are_two_bands() -> None:
    def rag(q: Array) -> Array:
        x = np.log10(q)
        # Within 0.6 % near 10⁴ and near 10⁸; 30 % apart in between.
        trend = 0.3 * np.minimum(1.0, np.minimum(np.abs(x - 4), np.abs(x - 8)) / 1.0)
        return _base(q) * (1 + trend * np.sign(x - 6) + 0.006 * np.sin(2 * np.pi * x / 0.05))

    models = _models(_base, rag)
    _, bands = find_tie_bands(models, find_crossovers(models))
    assert len(bands) == 2
    assert bands[0].high < 1e5 and bands[1].low > 1e7


def test_the_claims_assistant_weave_is_said_once() -> None:
    # A self-hosted claims assistant whose fine-tuning and hybrid curves weave as replicas step
    # (with today's catalog: three crossings between ~629,000 and ~648,000 queries/month).
    project = claims_assistant_project()
    e = evaluate(project)
    assert len(e.tie_bands) == 1
    (band,) = e.tie_bands
    woven = [c for c in e.crossovers if c.in_tie_band]
    assert band.crossings == len(woven) >= 3  # all still reported exactly, marked
    assert set(band.between) == {p for c in woven for p in c.between}
    assert band.low == min(c.queries_per_month for c in woven)
    assert band.high == max(c.queries_per_month for c in woven)
    assert band.largest_gap < TIE_TOLERANCE
    sentences = crossover_sentences(e)
    tied = [line for line in sentences if "effectively tied" in line]
    assert len(tied) == 1
    assert "within 2% of each other" in tied[0]
    assert f"cross {band.crossings} times" in tied[0]
    # The crossings outside the band are still said one by one; those inside are not.
    assert len(sentences) == 1 + len(e.crossovers) - len(woven)
    change = e.recommendation.what_would_change
    assert sum("effectively tied" in line for line in change) <= 1

    block = evaluation_json(e)
    assert len(block["crossovers"]) == len(e.crossovers)
    assert sum(c["in_tie_band"] for c in block["crossovers"]) == len(woven)
    (tie,) = block["tie_bands"]
    assert tie["between"] == list(band.between)
    assert tie["low_queries_per_month"] == band.low
    assert tie["high_queries_per_month"] == band.high
    assert tie["crossings"] == band.crossings
    assert tie["tolerance"] == TIE_TOLERANCE


# Templates whose curves legitimately come within the tie tolerance of each other (with today's
# catalog eu-insurer-claims has a fine-tuning/hybrid near-tie between ~2.48M and ~2.57M
# queries/month).  Every other built-in template must cross cleanly.
TEMPLATES_WITH_NEAR_TIES = {"eu-insurer-claims"}


def test_the_templates_have_clean_crossings_only() -> None:
    from engine.templates import load_template, template_names

    names = template_names()
    assert set(names) >= TEMPLATES_WITH_NEAR_TIES
    for name in names:
        project = load_template(name)
        for scenario in project.scenarios:
            e = evaluate(project, scenario)
            if name not in TEMPLATES_WITH_NEAR_TIES:
                assert e.tie_bands == [], (name, scenario.name)
            woven = [c for c in e.crossovers if c.in_tie_band]
            # Any near-tie is well formed: it holds exactly the crossings marked inside it, all
            # between its pair, within the tolerance, and it is said once.
            for band in e.tie_bands:
                inside = [c for c in woven if band.low <= c.queries_per_month <= band.high]
                assert band.crossings == len(inside) >= 2, (name, band)
                assert all(set(c.between) <= set(band.between) for c in inside), (name, band)
                assert band.low == min(c.queries_per_month for c in inside)
                assert band.high == max(c.queries_per_month for c in inside)
                assert 0 < band.largest_gap <= TIE_TOLERANCE == band.tolerance
            assert sum(b.crossings for b in e.tie_bands) == len(woven), name
            sentences = crossover_sentences(e)
            expected = len(e.crossovers) - len(woven) + len(e.tie_bands)
            assert len(sentences) == max(1, expected), (name, scenario.name)
            assert sum("effectively tied" in line for line in sentences) == len(e.tie_bands)
