"""Reference-data entries (resources/catalogs/*.json), each with its source and as-of date.

A project may override any entry (or add one) for itself; the override travels in the file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from engine.model.base import Strict

_ID = Field(min_length=1, max_length=200, description="Stable identifier used in project files.")
_SOURCE = Field(min_length=1, max_length=2_000, description="Where the figures come from.")
_AS_OF = Field(
    pattern=r"^\d{4}-\d{2}-\d{2}$", description="Date the figures were published or checked."
)


class CatalogEntry(Strict):
    id: str = _ID
    name: str = Field(min_length=1, max_length=300)
    source: str = _SOURCE
    as_of: str = _AS_OF
    notes: str = Field(default="", max_length=5_000)
    estimate: bool = Field(
        default=False,
        description="True when the figures are our estimate rather than the vendor's published "
        "terms: shown as an estimate on screen and in reports.",
    )
    superseded_by: str = Field(
        default="",
        max_length=200,
        description="Id of the entry that replaces this one (kept so older projects still load).",
    )


class GpuEntry(CatalogEntry):
    peak_bf16_dense_tflops: float = Field(gt=0, le=1e6, description="Dense BF16 peak, TFLOP/s.")
    memory_gb: float = Field(gt=0, le=1e5, description="GPU memory, GB.")
    memory_bandwidth_tb_s: float = Field(gt=0, le=1e4, description="Memory bandwidth, TB/s.")
    on_demand_usd_per_hour: float = Field(ge=0, le=1e6, description="Typical on-demand $/GPU-h.")
    usd_per_hour_low: float | None = Field(
        default=None, ge=0, le=1e6, description="Lowest on-demand $/GPU-h observed."
    )
    usd_per_hour_high: float | None = Field(
        default=None, ge=0, le=1e6, description="Highest on-demand $/GPU-h observed."
    )
    nvlink: bool = Field(
        default=False,
        description="GPUs of a server talk over NVLink / Infinity Fabric (fast tensor "
        "parallelism); False means PCIe.",
    )
    link_bus_gb_s: float | None = Field(
        default=None,
        gt=0,
        le=1e5,
        description="All-reduce bus bandwidth between the GPUs of one server, GB/s (nccl-tests "
        "busbw); empty = 200 over NVLink, 20 over PCIe.",
    )


class BaseModelEntry(CatalogEntry):
    parameters_billion: float = Field(gt=0, le=1e5)
    context_window_tokens: int = Field(gt=0, le=100_000_000)
    layers: int = Field(gt=0, le=100_000)
    hidden_size: int = Field(gt=0, le=10_000_000)
    attention_heads: int = Field(gt=0, le=100_000)
    kv_heads: int = Field(gt=0, le=100_000)
    head_dim: int = Field(gt=0, le=100_000)
    license: str = Field(default="", max_length=300)


class VectorStoreEntry(CatalogEntry):
    self_hosted: bool
    minimum_monthly_usd: float = Field(ge=0, le=1e9)
    fixed_monthly_usd: float = Field(ge=0, le=1e9)
    storage_usd_per_gb_month: float = Field(ge=0, le=1e6)
    read_usd_per_million_units: float = Field(ge=0, le=1e6)
    read_units_per_query: float = Field(ge=0, le=1e6)
    write_usd_per_million_units: float = Field(ge=0, le=1e6)
    write_units_per_vector: float = Field(ge=0, le=1e6)
    typical_query_latency_ms: float = Field(ge=0, le=1e6)
    pricing_model: str = Field(default="", max_length=5_000)
    read_units_basis: Literal["fixed", "namespace_gb", "vector_gb_table"] = Field(
        default="fixed",
        description="How a query's read units are metered: a fixed number per query; "
        "read_units_per_gb × the namespace size (vectors + metadata, in GB); or the vendor's "
        "table of units per query against the GB of vectors scanned (log-log interpolated).",
    )
    read_units_per_gb: float = Field(default=0.0, ge=0, le=1e6)
    read_units_min_per_query: float = Field(default=0.0, ge=0, le=1e6)
    read_units_table: list[tuple[float, float]] = Field(
        default_factory=list,
        max_length=200,
        description="(GB of vectors scanned, read units per query) pairs, ascending.",
    )
    write_units_per_kb: float = Field(
        default=0.0,
        ge=0,
        le=1e6,
        description="Write units per KB of record written (vector + metadata); when above 0 it "
        "replaces write_units_per_vector (Pinecone: 1 WU per KB; Zilliz: 0.25 vCU per KB).",
    )
    usd_per_million_dimensions_month: float = Field(
        default=0.0,
        ge=0,
        le=1e6,
        description="Price per million stored vector dimensions per month (vectors × "
        "dimensions), as Weaviate bills.",
    )
    storage_bills_metadata: bool = Field(
        default=True,
        description="Storage is billed on the vectors and the text/metadata stored beside them; "
        "False: on the vectors only.",
    )


class EmbeddingModelEntry(CatalogEntry):
    provider: str = Field(min_length=1, max_length=200)
    usd_per_million_tokens: float = Field(ge=0, le=1e6)
    dimensions: int = Field(gt=0, le=1_000_000)
    max_input_tokens: int = Field(gt=0, le=100_000_000)
    self_hosted: bool
    typical_latency_ms: float = Field(ge=0, le=1e6)


class ApiOffering(CatalogEntry):
    """Where an API model is hosted (a provider's regional endpoint) and what it costs there."""

    provider: str = Field(min_length=1, max_length=200)
    api_model: str = Field(
        min_length=1, max_length=300, description="genai-prices model (provider:model) priced."
    )
    price_factor: float = Field(
        default=1.0, gt=0, le=100, description="× the genai-prices price (regional premium)."
    )
    region: str = Field(pattern=r"^(EU|US|own)$", description="Where data is processed.")
    retains_data: bool = Field(description="The provider keeps prompts/outputs for a while.")


class GpuOffer(CatalogEntry):
    """A GPU rented from a cloud in a region, at that cloud's price."""

    provider: str = Field(min_length=1, max_length=200)
    gpu: str = Field(min_length=1, max_length=200, description="GPU catalog id.")
    price_per_gpu_hour: float = Field(ge=0, le=1e6)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    region: str = Field(pattern=r"^(EU|US|own)$", description="Where the GPUs are.")


class CatalogOverrides(Strict):
    """Per-project replacements or additions to the shipped catalogs, keyed by entry id."""

    gpus: dict[str, GpuEntry] = Field(default_factory=dict)
    base_models: dict[str, BaseModelEntry] = Field(default_factory=dict)
    vector_stores: dict[str, VectorStoreEntry] = Field(default_factory=dict)
    embedding_models: dict[str, EmbeddingModelEntry] = Field(default_factory=dict)
    api_offerings: dict[str, ApiOffering] = Field(default_factory=dict)
    gpu_offers: dict[str, GpuOffer] = Field(default_factory=dict)
