"""Reference-data entries (resources/catalogs/*.json), each with its source and as-of date.

A project may override any entry (or add one) for itself; the override travels in the file.
"""

from __future__ import annotations

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


class GpuEntry(CatalogEntry):
    peak_bf16_dense_tflops: float = Field(gt=0, le=1e6, description="Dense BF16 peak, TFLOP/s.")
    memory_gb: float = Field(gt=0, le=1e5, description="GPU memory, GB.")
    memory_bandwidth_tb_s: float = Field(gt=0, le=1e4, description="Memory bandwidth, TB/s.")
    on_demand_usd_per_hour: float = Field(ge=0, le=1e6, description="Typical on-demand $/GPU-h.")


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
