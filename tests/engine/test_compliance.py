"""The compliance checklist: verdicts per strategy, exclusions and the compliance score."""

from __future__ import annotations

from typing import Any

import pytest

from engine.catalog import Catalog, Catalogs
from engine.compliance import (
    RULES,
    compliance_score,
    compliance_verdicts,
    excluded_by_compliance,
)
from engine.context import Context
from engine.model.catalog_entries import EmbeddingModelEntry, VectorStoreEntry
from engine.model.results import ComplianceVerdict
from engine.model.scenario import COMPLIANCE_ITEMS, Scenario

STRATEGIES = ("fine_tuning", "rag", "hybrid")
_META: dict[str, Any] = {"source": "test fixture", "as_of": "2025-01-01"}


def _embedding(entry_id: str, name: str, self_hosted: bool) -> EmbeddingModelEntry:
    return EmbeddingModelEntry(
        id=entry_id,
        name=name,
        provider="test",
        usd_per_million_tokens=0.0 if self_hosted else 0.02,
        dimensions=1024,
        max_input_tokens=8192,
        self_hosted=self_hosted,
        typical_latency_ms=20,
        **_META,
    )


def _vector_store(entry_id: str, name: str, self_hosted: bool) -> VectorStoreEntry:
    return VectorStoreEntry(
        id=entry_id,
        name=name,
        self_hosted=self_hosted,
        minimum_monthly_usd=0,
        fixed_monthly_usd=0,
        storage_usd_per_gb_month=0.3,
        read_usd_per_million_units=8,
        read_units_per_query=1,
        write_usd_per_million_units=2,
        write_units_per_vector=1,
        typical_query_latency_ms=30,
        **_META,
    )


def _catalog(name: str, entries: list[Any]) -> Catalog[Any]:
    return Catalog(name, "test", {e.id: e for e in entries})


CATALOGS = Catalogs(
    gpus=_catalog("gpus", []),
    base_models=_catalog("base_models", []),
    vector_stores=_catalog(
        "vector_stores",
        [
            _vector_store("hosted-store", "Hosted Store", self_hosted=False),
            _vector_store("own-store", "Own Store", self_hosted=True),
        ],
    ),
    embedding_models=_catalog(
        "embedding_models",
        [
            _embedding("api-embed", "Api Embed", self_hosted=False),
            _embedding("own-embed", "Own Embed", self_hosted=True),
        ],
    ),
)

ALL_SELF_HOSTED: dict[str, Any] = {
    "rag": {"embedding_model": "own-embed", "vector_store": "own-store"},
    "serving": {s: {"mode": "self_hosted"} for s in STRATEGIES},
    "fine_tuning": {"venue": "gpus"},
}
ALL_API: dict[str, Any] = {
    "rag": {"embedding_model": "api-embed", "vector_store": "hosted-store"},
    "serving": {s: {"mode": "api", "api_model": "openai:gpt-4o-mini"} for s in STRATEGIES},
    "fine_tuning": {"venue": "managed_api"},
}


def make_ctx(setup: dict[str, Any], **needs: str) -> Context:
    """A context from a set-up (nested dicts) and the ticked checklist items."""
    data = {**setup, "requirements": {"compliance": needs}}
    return Context(Scenario.model_validate(data), CATALOGS, "USD", 1.0)


def verdict_of(ctx: Context, strategy: str, item: str) -> ComplianceVerdict:
    (found,) = [c for c in compliance_verdicts(ctx, strategy) if c.item == item]
    return found


def all_hard(setup: dict[str, Any]) -> Context:
    return make_ctx(setup, **dict.fromkeys(COMPLIANCE_ITEMS, "hard"))


# --- shape ----------------------------------------------------------------------------------


def test_every_checklist_item_has_a_rule() -> None:
    assert set(RULES) == set(COMPLIANCE_ITEMS)


def test_nothing_ticked_gives_no_verdicts_and_full_score() -> None:
    ctx = make_ctx(ALL_API)
    for strategy in STRATEGIES:
        verdicts = compliance_verdicts(ctx, strategy)
        assert verdicts == []
        assert compliance_score(verdicts) == (100.0, "No compliance requirements ticked.")
        assert excluded_by_compliance(verdicts) == []


def test_only_ticked_items_in_checklist_order() -> None:
    ctx = make_ctx(ALL_API, vendor_deprecation="preferred", cite_sources="hard")
    verdicts = compliance_verdicts(ctx, "rag")
    assert [(c.item, c.need) for c in verdicts] == [
        ("cite_sources", "hard"),
        ("vendor_deprecation", "preferred"),
    ]
    assert verdicts[0].requirement == COMPLIANCE_ITEMS["cite_sources"]


@pytest.mark.parametrize("setup", [ALL_API, ALL_SELF_HOSTED], ids=["api", "self_hosted"])
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_verdict_is_explained(setup: dict[str, Any], strategy: str) -> None:
    for c in compliance_verdicts(all_hard(setup), strategy):
        assert c.reason[0].isupper()
        assert c.reason.endswith(".")
        assert "\n" not in c.reason
        assert c.reference
        if c.verdict == "needs_mitigation":
            assert c.mitigation, c.item
        if c.verdict == "meets":
            assert not c.mitigation, c.item


# --- the rules ------------------------------------------------------------------------------


def test_cite_sources_fails_fine_tuning_whatever_the_need() -> None:
    for need in ("preferred", "hard"):
        ctx = make_ctx(ALL_SELF_HOSTED, cite_sources=need)
        assert verdict_of(ctx, "fine_tuning", "cite_sources").verdict == "fails"
        assert verdict_of(ctx, "rag", "cite_sources").verdict == "meets"
        assert verdict_of(ctx, "hybrid", "cite_sources").verdict == "meets"
    preferred = make_ctx(ALL_SELF_HOSTED, cite_sources="preferred")
    assert "does not exclude" in verdict_of(preferred, "fine_tuning", "cite_sources").reason


def test_hard_cite_sources_excludes_fine_tuning_with_a_reason() -> None:
    ctx = make_ctx(ALL_SELF_HOSTED, cite_sources="hard")
    reasons = excluded_by_compliance(compliance_verdicts(ctx, "fine_tuning"))
    assert reasons == [
        "fails a hard requirement: Answers must cite their sources (audit trail) — fine-tuned "
        "weights cannot point to the passage behind an answer"
    ]  # a clause: joined with others by "; " and ended once (".;" once printed in the report)
    assert excluded_by_compliance(compliance_verdicts(ctx, "rag")) == []


def test_preferred_failure_does_not_exclude() -> None:
    ctx = make_ctx(ALL_SELF_HOSTED, cite_sources="preferred")
    assert excluded_by_compliance(compliance_verdicts(ctx, "fine_tuning")) == []


def test_data_residency_fails_rag_with_an_api_embedding_model_only() -> None:
    setup = {
        **ALL_SELF_HOSTED,
        "rag": {"embedding_model": "api-embed", "vector_store": "own-store"},
    }
    found = verdict_of(make_ctx(setup, data_residency="hard"), "rag", "data_residency")
    assert found.verdict == "fails"
    assert "Api Embed embedding API" in found.reason
    assert "Own Store" not in found.reason  # only the offending part is named
    assert "self-host the embedding model" in found.mitigation


def test_data_residency_meets_when_everything_is_self_hosted() -> None:
    ctx = make_ctx(ALL_SELF_HOSTED, data_residency="hard")
    for strategy in STRATEGIES:
        assert verdict_of(ctx, strategy, "data_residency").verdict == "meets"


def test_data_residency_names_every_third_party_part() -> None:
    ctx = make_ctx(ALL_API, data_residency="hard")
    hybrid = verdict_of(ctx, "hybrid", "data_residency")
    assert hybrid.verdict == "fails"
    for part in ("openai:gpt-4o-mini API", "managed fine-tuning API", "Api Embed", "Hosted Store"):
        assert part in hybrid.reason
    fine_tuning = verdict_of(ctx, "fine_tuning", "data_residency")
    assert "Api Embed" not in fine_tuning.reason  # fine-tuning does not embed anything


def test_managed_training_alone_breaks_residency_for_trained_strategies() -> None:
    setup = {**ALL_SELF_HOSTED, "fine_tuning": {"venue": "managed_api"}}
    ctx = make_ctx(setup, data_residency="hard")
    assert verdict_of(ctx, "fine_tuning", "data_residency").verdict == "fails"
    assert verdict_of(ctx, "hybrid", "data_residency").verdict == "fails"
    assert verdict_of(ctx, "rag", "data_residency").verdict == "meets"


def test_right_to_erasure() -> None:
    ctx = make_ctx(ALL_SELF_HOSTED, right_to_erasure="hard")
    assert verdict_of(ctx, "rag", "right_to_erasure").verdict == "meets"
    fine_tuning = verdict_of(ctx, "fine_tuning", "right_to_erasure")
    assert fine_tuning.verdict == "needs_mitigation"
    assert "retrain" in fine_tuning.mitigation
    assert "GDPR Art. 17" in fine_tuning.reference
    # Training data not ticked as personal: the hybrid's personal data is only in its documents.
    assert verdict_of(ctx, "hybrid", "right_to_erasure").verdict == "meets"
    personal = make_ctx(ALL_SELF_HOSTED, right_to_erasure="hard", regulated_training_data="hard")
    assert verdict_of(personal, "hybrid", "right_to_erasure").verdict == "needs_mitigation"


def test_erasure_mitigation_depends_on_the_retrain_cadence() -> None:
    slow = make_ctx(ALL_SELF_HOSTED, right_to_erasure="hard")
    assert "SISA" in verdict_of(slow, "fine_tuning", "right_to_erasure").mitigation
    fast_setup = {
        **ALL_SELF_HOSTED,
        "fine_tuning": {"retrain_interval_days": 14, "lead_time_days": 3},
    }
    fast = make_ctx(fast_setup, right_to_erasure="hard")
    mitigation = verdict_of(fast, "fine_tuning", "right_to_erasure").mitigation
    assert "next scheduled retrain" in mitigation
    assert "no extra cost" in mitigation


def test_access_control_fails_fine_tuning_only() -> None:
    ctx = make_ctx(ALL_API, access_control="hard")
    fine_tuning = verdict_of(ctx, "fine_tuning", "access_control")
    assert fine_tuning.verdict == "fails"
    assert "adapter per tenant" in fine_tuning.mitigation
    assert verdict_of(ctx, "rag", "access_control").verdict == "meets"
    assert verdict_of(ctx, "hybrid", "access_control").verdict == "meets"


def test_regulated_training_data() -> None:
    ctx = make_ctx(ALL_SELF_HOSTED, regulated_training_data="hard")
    assert verdict_of(ctx, "rag", "regulated_training_data").verdict == "meets"
    for strategy in ("fine_tuning", "hybrid"):
        found = verdict_of(ctx, strategy, "regulated_training_data")
        assert found.verdict == "needs_mitigation"
        assert "Carlini" in found.reference
        assert "extraction" in found.mitigation
    assert "5,000 examples" in verdict_of(ctx, "fine_tuning", "regulated_training_data").reason
    managed = make_ctx(
        {**ALL_SELF_HOSTED, "fine_tuning": {"venue": "managed_api"}}, regulated_training_data="hard"
    )
    mitigation = verdict_of(managed, "fine_tuning", "regulated_training_data").mitigation
    assert "data processing agreement" in mitigation


def test_hybrid_trained_on_nothing_has_no_memorisation_risk() -> None:
    setup = {**ALL_SELF_HOSTED, "hybrid": {"training_share_pct": 0}}
    ctx = make_ctx(setup, regulated_training_data="hard")
    assert verdict_of(ctx, "hybrid", "regulated_training_data").verdict == "meets"


def test_reproducibility() -> None:
    own = make_ctx(ALL_SELF_HOSTED, reproducibility="hard")
    assert verdict_of(own, "fine_tuning", "reproducibility").verdict == "meets"
    for strategy in ("rag", "hybrid"):  # the index changes even when everything is self-hosted
        found = verdict_of(own, strategy, "reproducibility")
        assert found.verdict == "needs_mitigation"
        assert "snapshot the index per release" in found.mitigation.lower()
    api = make_ctx(ALL_API, reproducibility="hard")
    fine_tuning = verdict_of(api, "fine_tuning", "reproducibility")
    assert fine_tuning.verdict == "needs_mitigation"
    assert "pin the dated model snapshot" in fine_tuning.mitigation.lower()


def test_vendor_deprecation() -> None:
    own = make_ctx(ALL_SELF_HOSTED, vendor_deprecation="hard")
    for strategy in STRATEGIES:
        assert verdict_of(own, strategy, "vendor_deprecation").verdict == "meets"
    api = make_ctx(ALL_API, vendor_deprecation="hard")
    assert verdict_of(api, "fine_tuning", "vendor_deprecation").verdict == "fails"
    # The hybrid can fall back to plain RAG on the successor model while it re-fine-tunes.
    hybrid = verdict_of(api, "hybrid", "vendor_deprecation")
    assert hybrid.verdict == "needs_mitigation"
    assert "fall back to plain rag" in hybrid.mitigation.lower()
    rag = verdict_of(api, "rag", "vendor_deprecation")
    assert rag.verdict == "needs_mitigation"
    assert "nothing to retrain" in rag.mitigation
    assert "re-embed the corpus" in rag.mitigation  # the API embedding model can be retired too
    assert "OpenAI model deprecations" in rag.reference


def test_own_fine_tune_served_by_an_api_needs_mitigation_only() -> None:
    setup = {**ALL_SELF_HOSTED, "serving": {"fine_tuning": {"mode": "api"}}}
    found = verdict_of(
        make_ctx(setup, vendor_deprecation="hard"), "fine_tuning", "vendor_deprecation"
    )
    assert found.verdict == "needs_mitigation"
    assert "re-deploy" in found.mitigation


def test_verdict_does_not_depend_on_the_need() -> None:
    for setup in (ALL_API, ALL_SELF_HOSTED):
        hard = all_hard(setup)
        preferred = make_ctx(setup, **dict.fromkeys(COMPLIANCE_ITEMS, "preferred"))
        for strategy in STRATEGIES:
            assert [c.verdict for c in compliance_verdicts(hard, strategy)] == [
                c.verdict for c in compliance_verdicts(preferred, strategy)
            ]


# --- score ----------------------------------------------------------------------------------


def _verdict(verdict: str, need: str, item: str = "cite_sources") -> ComplianceVerdict:
    return ComplianceVerdict(
        **{
            "item": item,
            "requirement": COMPLIANCE_ITEMS[item],
            "need": need,
            "verdict": verdict,
            "reason": "Because.",
            "reference": "Test.",
        }  # type: ignore[arg-type]
    )


def test_compliance_score_weights_hard_items_double() -> None:
    assert compliance_score([_verdict("meets", "hard")])[0] == 100.0
    assert compliance_score([_verdict("needs_mitigation", "preferred")])[0] == 60.0
    assert compliance_score([_verdict("fails", "hard")])[0] == 0.0
    # (2 × 100 + 1 × 0) / 3
    mixed = [_verdict("meets", "hard"), _verdict("fails", "preferred", "data_residency")]
    score, reason = compliance_score(mixed)
    assert score == pytest.approx(200 / 3)
    assert "Meets 1 of 2" in reason
    assert "fails data residency (preferred)" in reason


def test_scores_rank_the_strategies_sensibly() -> None:
    ctx = make_ctx(ALL_API, cite_sources="hard", access_control="hard")
    scores = {s: compliance_score(compliance_verdicts(ctx, s))[0] for s in STRATEGIES}
    assert scores == {"fine_tuning": 0.0, "rag": 100.0, "hybrid": 100.0}


def test_shipped_catalog_defaults_work() -> None:
    """The default scenario's catalog ids exist in the shipped catalogs (when they are there)."""
    from engine.catalog import CATALOG_DIR, shipped_catalogs

    if not (CATALOG_DIR / "embedding_models.json").exists():
        pytest.skip("shipped catalogs not written yet")
    scenario = Scenario.model_validate(
        {"requirements": {"compliance": dict.fromkeys(COMPLIANCE_ITEMS, "hard")}}
    )
    ctx = Context(scenario, shipped_catalogs(), "USD", 1.0)
    rag = {c.item: c.verdict for c in compliance_verdicts(ctx, "rag")}
    assert rag["data_residency"] == "fails"  # defaults: API generation, API embeddings, Pinecone
    assert rag["cite_sources"] == "meets"
