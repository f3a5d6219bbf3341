"""Vector-store bills follow each vendor's published metering rule (sources in
resources/catalogs/vector_stores.json):

- Pinecone serverless (docs.pinecone.io, understanding cost): a query uses read units in
  proportion to the namespace size — 1 RU per GB of records, at least 0.25 RU — at $16 per
  million RUs (Standard, AWS us-east-1); an upsert uses 1 WU per KB.
- Zilliz serverless (docs.zilliz.com, serverless cluster cost): vCUs per search from the
  vendor's table against the vectors scanned, at least 6; $4 per million vCUs.
- Weaviate (docs.weaviate.io billing): stored objects × dimensions × price per million
  dimensions per month, at least the plan's minimum; stored text is not billed.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.costs import cost_models
from engine.evaluate import context_for, evaluate
from engine.model import Project, Scenario

# A record of exactly 10,000 bytes: 1,536 dims × 4 bytes (text-embedding-3-small) + 3,856
# bytes of text and metadata. 500-token chunks, so corpus tokens ÷ 500 = records.
RECORD_BYTES = 10_000


def rag_components(store: str, records: float, embedding: str, metadata: int) -> dict:
    s = Scenario.model_validate(
        {
            "knowledge": {"corpus_tokens": records * 500, "corpus_change_pct_per_month": 0},
            "rag": {
                "vector_store": store,
                "embedding_model": embedding,
                "chunk_tokens": 500,
                "metadata_bytes_per_chunk": metadata,
            },
        }
    )
    rag = cost_models(context_for(Project(scenarios=[s]), s))["rag"]
    return {c.key: c for c in rag.components}


@pytest.mark.parametrize(
    ("index_bytes", "read_units"),
    [
        (10e6, 0.25),  # 10 MB: 0.01 RU by size, raised to the 0.25 RU floor
        (10e9, 10.0),  # 10 GB: 10 RU
        (100e9, 100.0),  # 100 GB: 100 RU
    ],
)
def test_pinecone_read_cost_is_proportional_to_the_namespace(
    index_bytes: float, read_units: float
) -> None:
    records = index_bytes / RECORD_BYTES
    comps = rag_components(
        "pinecone-serverless", records, "openai-text-embedding-3-small", RECORD_BYTES - 6144
    )
    # read cost per query = RUs × $16 ÷ 1e6: $0.000004, $0.00016, $0.0016
    assert comps["retrieval"].amount == pytest.approx(read_units * 16 / 1e6)
    ru = {i.name: i.value for i in comps["retrieval"].figure.inputs}["read units"]
    assert ru == pytest.approx(read_units)


def test_pinecone_storage_and_writes_follow_record_size() -> None:
    # 1 M records of 10 KB: 10 GB × $0.33 = $3.30/month storage; re-writing 10 % a month is
    # 100,000 records × 10 WU (1 WU per KB) = 1 M WU × $4/M = $4.
    s = Scenario.model_validate(
        {
            "knowledge": {"corpus_tokens": 1e6 * 500, "corpus_change_pct_per_month": 10},
            "rag": {"chunk_tokens": 500, "metadata_bytes_per_chunk": RECORD_BYTES - 6144},
        }
    )
    ev = evaluate(Project(scenarios=[s]))
    store = next(c for c in ev.strategies["rag"].components if c.key == "vector_store")
    inputs = {i.name: i.value for i in store.figure.inputs}
    assert inputs["storage"] == pytest.approx(3.30)
    assert inputs["writes"] == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("vectors", "embedding", "vcu"),
    [
        (1e6, "nomic-embed-text-v1.5-self-hosted", 15),  # 1 M × 768-dim: 15 M vCU per 1 M reads
        (1e7, "openai-text-embedding-3-small", 75),  # 10 M × 1536-dim: 75 M per 1 M reads
        (1e3, "nomic-embed-text-v1.5-self-hosted", 6),  # tiny: the 6-vCU minimum
    ],
)
def test_zilliz_read_cost_follows_its_published_table(
    vectors: float, embedding: str, vcu: float
) -> None:
    comps = rag_components("zilliz-serverless", vectors, embedding, 2000)
    assert comps["retrieval"].amount == pytest.approx(vcu * 4 / 1e6, rel=1e-6)


def test_weaviate_bills_dimensions_not_text_with_its_minimum() -> None:
    # 1 M objects × 1,536 dims = 1,536 M dims × $0.095 per M = $145.92/month; text not billed.
    big = rag_components(
        "weaviate-serverless-standard", 1e6, "openai-text-embedding-3-small", 50_000
    )
    assert big["vector_store"].amount == pytest.approx(145.92)
    # 10,000 objects: $1.46 of dimensions, topped up to the $25 minimum.
    small = rag_components(
        "weaviate-serverless-standard", 1e4, "openai-text-embedding-3-small", 50_000
    )
    assert small["vector_store"].monthly_fn is not None
    assert small["vector_store"].monthly(np.array([[1.0]]))[0, 0] == pytest.approx(25.0)


def test_estimated_entries_say_so() -> None:
    comps = rag_components("qdrant-cloud", 1e4, "openai-text-embedding-3-small", 2000)
    assert comps["vector_store"].figure.note.startswith("Estimate:")
    names = {i.name: i.value for i in comps["retrieval"].figure.inputs}
    assert str(names["store"]).endswith("(estimate)")
    sourced = rag_components("pinecone-serverless", 1e4, "openai-text-embedding-3-small", 2000)
    assert sourced["vector_store"].figure.note == ""
