"""The inputs of one scenario, grouped the way a consultant thinks.

Units are in the field names or in the ``unit`` metadata; every field has a description that the
forms show as a tooltip, saying what it means and where the default comes from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from engine.model.base import Estimate, Section, Strict, quantity
from engine.text import clean_name

STRATEGIES: tuple[str, ...] = ("fine_tuning", "rag", "hybrid")
STRATEGY_NAMES: dict[str, str] = {
    "fine_tuning": "Fine-tuning",
    "rag": "RAG",
    "hybrid": "Hybrid",
}
StrategyKey = Literal["fine_tuning", "rag", "hybrid"]


class Workload(Section):
    section_title = "Workload"

    queries_per_month: Estimate = quantity(
        20_000,
        unit="queries/month",
        le=1e13,
        label="Queries per month",
        description="Questions the system answers per month today (month 1 of the horizon). "
        "The crossover chart varies this; everything else stays as entered.",
    )
    prompt_tokens_per_query: Estimate = quantity(
        400,
        unit="tokens",
        ge=1,
        le=2_000_000,
        integer=True,
        label="Prompt tokens per query",
        description="System prompt + user question, before any retrieved context is added. "
        "A support question with a short system prompt is typically 200–600 tokens.",
    )
    output_tokens_per_query: Estimate = quantity(
        300,
        unit="tokens",
        ge=1,
        le=1_000_000,
        integer=True,
        label="Output tokens per query",
        description="Length of a typical answer. 300 tokens is about 225 English words.",
    )
    peak_to_average_load: Estimate = quantity(
        3.0,
        unit="×",
        ge=1,
        le=1000,
        decimals=2,
        label="Peak-to-average load",
        description="Busiest hour's query rate divided by the average rate over serving hours. "
        "Sizes self-hosted replicas. Office-hours traffic is typically 2–4×.",
    )
    monthly_growth_pct: Estimate = quantity(
        0.0,
        unit="%/month",
        le=100,
        decimals=2,
        label="Monthly growth",
        description="Compound growth of query volume per month over the horizon.",
    )
    horizon_months: Estimate = quantity(
        12,
        unit="months",
        ge=1,
        le=600,
        integer=True,
        label="Horizon",
        description="Period the total cost of ownership (TCO) is summed over. The seed article "
        "compares year-one totals, hence 12.",
    )
    engineering_rate_per_hour: Estimate = quantity(
        150.0,
        unit="money/hour",
        le=100_000,
        decimals=2,
        label="Engineering rate",
        description="Fully loaded cost of one engineering hour (in-house or contractor). "
        "Multiplies every engineering-hours input.",
    )


class Region(StrEnum):
    """Where data may be processed and stored (the residency requirement's R)."""

    own = "own"  # on-premise / own infrastructure only: no third-party processor
    eu = "EU"
    us = "US"


REGION_NAMES: dict[str, str] = {
    "own": "own infrastructure (no third-party processor)",
    "EU": "the EU / EEA",
    "US": "the United States",
}


class QueryVariety(StrEnum):
    narrow = "narrow"
    moderate = "moderate"
    broad = "broad"


class Knowledge(Section):
    section_title = "Knowledge & freshness"

    corpus_documents: Estimate = quantity(
        5_000,
        unit="documents",
        le=1e10,
        integer=True,
        label="Corpus documents",
        description="Documents the answers are drawn from (manuals, tickets, policies…).",
    )
    corpus_tokens: Estimate = quantity(
        10_000_000,
        unit="tokens",
        le=1e14,
        label="Corpus size",
        description="Total tokens in the corpus. Roughly 1.3 tokens per English word; a 10-page "
        "document is about 6,000 tokens.",
    )
    corpus_change_pct_per_month: Estimate = quantity(
        5.0,
        unit="%/month",
        le=100,
        decimals=2,
        label="Corpus changed per month",
        description="Share of the corpus added or edited each month; RAG re-embeds it. Web "
        "calculators use about 5%/month for living documentation.",
    )
    fact_change_interval_days: Estimate = quantity(
        30,
        unit="days",
        ge=0.01,
        le=36_500,
        decimals=2,
        label="Material facts change every",
        description="How often a fact that answers depend on changes (a price, a policy, a "
        "product version). Short intervals favour retrieval.",
    )
    training_examples: Estimate = quantity(
        5_000,
        unit="examples",
        le=1e10,
        integer=True,
        label="Labelled examples",
        description="Question/answer pairs available for supervised fine-tuning. Seed's rule of "
        "thumb: <100 risky, ~1,000 reliable, ≥10,000 excellent.",
    )
    tokens_per_example: Estimate = quantity(
        700,
        unit="tokens",
        ge=1,
        le=2_000_000,
        integer=True,
        label="Tokens per example",
        description="Prompt + answer tokens in one training example.",
    )
    labelling_cost_per_example: Estimate = quantity(
        2.0,
        unit="money/example",
        le=100_000,
        decimals=2,
        label="Labelling cost per example",
        description="Cost to collect, clean and review one training example. Seed: data "
        "preparation often exceeds GPU costs.",
    )
    data_preparation_lump_sum: Estimate = quantity(
        0.0,
        unit="money",
        le=1e12,
        decimals=2,
        label="Data preparation (lump sum)",
        description="A fixed data-preparation cost on top of the per-example cost (tooling, a "
        "data-cleaning contract…).",
    )
    out_of_domain_pct: Estimate = quantity(
        10.0,
        unit="%",
        le=100,
        decimals=1,
        label="Out-of-domain queries",
        description="Share of questions outside the documented domain. Fine-tuned models "
        "struggle on these (seed); retrieval degrades more gracefully.",
    )
    answers_in_documents_pct: Estimate = quantity(
        85.0,
        unit="%",
        le=100,
        decimals=1,
        label="Answers found in documents",
        description="Share of questions whose answer is written down in the corpus. RAG "
        "cannot answer what the documents do not contain.",
    )
    needs_fixed_style: bool = Field(
        default=False,
        description="Answers must follow a fixed format, tone or schema (forms, JSON, house "
        "style). Fine-tuning teaches behaviour well; retrieval does not.",
    )
    query_variety: QueryVariety = Field(
        default=QueryVariety.moderate,
        description="How varied the questions are. Fine-tuning suits repeating patterns; RAG "
        "suits wide-ranging questions (seed).",
    )


class FineTuneMethod(StrEnum):
    full = "full"
    lora = "lora"
    qlora = "qlora"


class TrainingVenue(StrEnum):
    gpus = "gpus"
    managed_api = "managed_api"


class FineTuningSetup(Section):
    section_title = "Fine-tuning setup"

    base_model: str = Field(
        default="llama-3.1-8b",
        min_length=1,
        max_length=200,
        description="Base model to fine-tune (from the base-model catalog): sets the parameter "
        "count used for training compute, memory and self-hosted serving.",
    )
    method: FineTuneMethod = Field(
        default=FineTuneMethod.lora,
        description="Full fine-tuning updates every weight (≈6·N FLOPs per token, ≈16 bytes of "
        "GPU memory per parameter); LoRA trains small adapters (≈4·N FLOPs/token, ≈2 "
        "bytes/param); QLoRA also quantises the frozen weights to 4 bits (≈0.6 bytes/param).",
    )
    activation_recomputation: bool = Field(
        default=False,
        description="Recompute activations in the backward pass to save memory: +2·N FLOPs per "
        "token (EleutherAI, Transformer Math 101).",
    )
    venue: TrainingVenue = Field(
        default=TrainingVenue.gpus,
        description="Train on own or rented GPUs (compute from FLOPs), or through a managed "
        "fine-tuning API billed per training token.",
    )
    training_gpu: str = Field(
        default="h100-sxm",
        min_length=1,
        max_length=200,
        description="GPU type for training (from the GPU catalog).",
    )
    training_gpu_count: Estimate = quantity(
        1,
        unit="GPUs",
        ge=1,
        le=100_000,
        integer=True,
        label="Training GPUs",
        description="GPUs used for training. If the training state (weights, gradients, "
        "optimizer, sharded across the GPUs) does not fit in their memory the engine raises the "
        "count to the smallest rentable count that fits (1, 2, 4 or whole 8-GPU servers), and "
        "says so wherever the count is shown.",
    )
    training_gpu_offering: str = Field(
        default="",
        max_length=200,
        description="A cloud's GPU offer in a region for training (regional offerings catalog): "
        "sets the price and where training data goes. Empty = the GPU catalog's price.",
    )
    managed_training_region: Region = Field(
        default=Region.us,
        description="Where the managed fine-tuning API processes the training data (most "
        "providers' fine-tuning runs in the US).",
    )
    training_gpu_hour_price: Estimate | None = Field(
        default=None,
        description="Price per GPU-hour for training; empty = the catalog's on-demand price.",
        json_schema_extra={"unit": "money/GPU-hour", "minimum": 0, "maximum": 1e6},
    )
    mfu: Estimate = quantity(
        0.40,
        unit="fraction",
        ge=0.01,
        le=1.0,
        decimals=2,
        step=0.05,
        label="Model FLOPs utilisation",
        description="Share of the GPU's peak FLOP/s actually achieved in training. Literature: "
        "0.35–0.5 for large-scale training (llm-analysis README); whitepaper peaks are never met.",
    )
    overhead_gpu_hours_per_run: Estimate = quantity(
        0.5,
        unit="GPU-hours",
        le=1e6,
        decimals=2,
        label="Job overhead per run",
        description="Start-up, checkpointing and evaluation time billed per training run on "
        "top of the pure compute.",
    )
    managed_price_per_million_training_tokens: Estimate = quantity(
        3.0,
        unit="money/M tokens",
        le=1e5,
        decimals=3,
        label="Managed API training price",
        description="Managed fine-tuning price per million training tokens (billed × epochs). "
        "OpenAI gpt-4o-mini fine-tuning: $3.00/M training tokens (openai.com/api/pricing).",
    )
    epochs: Estimate = quantity(
        3,
        unit="epochs",
        ge=1,
        le=1000,
        integer=True,
        label="Epochs",
        description="Passes over the training data. Seed: 1–5.",
    )
    trial_runs: Estimate = quantity(
        3,
        unit="runs",
        ge=1,
        le=1000,
        integer=True,
        label="Trial runs",
        description="Training runs per model delivered, including hyper-parameter search and "
        "failed runs. Multiplies training compute.",
    )
    engineering_hours: Estimate = quantity(
        80,
        unit="hours",
        le=1e7,
        label="Engineering (set-up)",
        description="Hours to build the training pipeline, evaluation and deployment once.",
    )
    retrain_interval_days: Estimate = quantity(
        90,
        unit="days",
        ge=1,
        le=36_500,
        decimals=1,
        label="Retrain every",
        description="How often the model is retrained to absorb new knowledge. Seed: yearly for "
        "stable domains, monthly or weekly for volatile ones.",
    )
    retrain_to_meet_freshness: bool = Field(
        default=False,
        description="Shorten the retrain interval as far as the freshness target needs (worst-"
        "case staleness = interval + lead time ≤ target); the extra retrains are costed.",
    )
    retrain_data_share_pct: Estimate = quantity(
        30.0,
        unit="%",
        le=100,
        decimals=1,
        label="Data retrained",
        description="Share of the training set that is new or relabelled and trained on at each "
        "retrain (incremental fine-tuning). Scales retrain compute and labelling.",
    )
    retrain_engineering_hours: Estimate = quantity(
        8,
        unit="hours",
        le=1e6,
        label="Engineering per retrain",
        description="Hours to run, evaluate and deploy one retrain.",
    )
    lead_time_days: Estimate = quantity(
        5,
        unit="days",
        le=3650,
        decimals=1,
        label="Retrain lead time",
        description="Days from new facts to a deployed model: collect and label data, train, "
        "evaluate, deploy. Adds to staleness.",
    )


class RagSetup(Section):
    section_title = "RAG setup"

    embedding_model: str = Field(
        default="openai-text-embedding-3-small",
        min_length=1,
        max_length=200,
        description="Embedding model (from the embedding catalog): price per token, vector "
        "dimensions, latency.",
    )
    embedding_price_per_million_tokens: Estimate | None = Field(
        default=None,
        description="Embedding price per million tokens; empty = the catalog's price.",
        json_schema_extra={"unit": "money/M tokens", "minimum": 0, "maximum": 1e5},
    )
    chunk_tokens: Estimate = quantity(
        500,
        unit="tokens",
        ge=16,
        le=100_000,
        integer=True,
        label="Chunk size",
        description="Tokens per indexed chunk. 256–1,024 is common.",
    )
    top_k: Estimate = quantity(
        5,
        unit="chunks",
        le=1000,
        integer=True,
        label="Chunks per prompt (top-k)",
        description="Retrieved chunks added to every prompt: each adds a chunk's tokens to the "
        "input bill and to prefill latency.",
    )
    vector_store: str = Field(
        default="pinecone-serverless",
        min_length=1,
        max_length=200,
        description="Vector store plan (from the vector-store catalog).",
    )
    metadata_bytes_per_chunk: Estimate = quantity(
        2_000,
        unit="bytes",
        le=1e7,
        integer=True,
        label="Stored text+metadata per chunk",
        description="Bytes stored beside each vector (the chunk text and its metadata). Adds "
        "to vector-store storage.",
    )
    embedding_server_gpus: Estimate = quantity(
        0.25,
        unit="GPUs",
        le=1000,
        decimals=2,
        label="Self-hosted embedding: GPU share",
        description="When the embedding model is self-hosted, the share of a GPU it keeps busy "
        "all month (priced like the strategy's serving GPU: its offer or the catalog; on owned "
        "servers it is counted with serving's GPUs before rounding up to whole servers). "
        "Assumption: a small embedding model fits on a quarter of a GPU shared with other "
        "services.",
    )
    hosted_services_region: Region = Field(
        default=Region.us,
        description="Where a hosted embedding API and a hosted vector store process the "
        "documents and questions (most offer EU regions: Pinecone, Qdrant Cloud and Weaviate "
        "Cloud on EU cloud regions; OpenAI embeddings through Azure's EU Data Zone). Self-hosted "
        "ones run with your serving.",
    )
    retrieval_latency_ms: Estimate | None = Field(
        default=None,
        description="Vector search latency seen by the application (p50); empty = the "
        "catalog's typical figure. Seed: 50–200 ms.",
        json_schema_extra={"unit": "ms", "minimum": 0, "maximum": 600_000},
    )
    retrieval_p95_factor: Estimate = quantity(
        2.0,
        unit="×",
        ge=1,
        le=100,
        decimals=2,
        label="Retrieval p95 ÷ p50",
        description="How much slower query embedding + vector search is for the slowest 1 "
        "query in 20 than for the median. Assumption: about 2× for a managed store; measure "
        "with the client's index.",
    )
    reindex_interval_days: Estimate = quantity(
        1,
        unit="days",
        ge=0.0001,
        le=36_500,
        decimals=3,
        label="Re-index every",
        description="How often changed documents are re-embedded and upserted (0.0007 days ≈ "
        "one minute, i.e. streaming).",
    )
    ingestion_lag_days: Estimate = quantity(
        0.5,
        unit="days",
        le=3650,
        decimals=2,
        label="Ingestion lag",
        description="Delay from a document changing to it being searchable in a re-index run.",
    )
    engineering_hours: Estimate = quantity(
        120,
        unit="hours",
        le=1e7,
        label="Engineering (set-up)",
        description="Hours to build ingestion, chunking, retrieval, evaluation and citations.",
    )


class HybridSetup(Section):
    section_title = "Hybrid setup"

    top_k: Estimate = quantity(
        3,
        unit="chunks",
        le=1000,
        integer=True,
        label="Chunks per prompt (top-k)",
        description="Hybrid retrieves facts but the fine-tuned model already knows the domain's "
        "style and vocabulary, so it usually needs fewer chunks than plain RAG.",
    )
    training_share_pct: Estimate = quantity(
        100.0,
        unit="%",
        le=100,
        decimals=1,
        label="Training data used",
        description="Share of the labelled examples used to fine-tune the hybrid's model "
        "(a style/format-only run needs fewer). Scales its compute and labelling.",
    )
    retrain_interval_days: Estimate = quantity(
        365,
        unit="days",
        ge=1,
        le=36_500,
        decimals=1,
        label="Retrain every",
        description="Facts come through retrieval, so the hybrid's model is retrained only for "
        "drift in behaviour or style: yearly is typical.",
    )


def _hours(label: str, description: str) -> Any:
    return Field(
        default=None,
        description=f"{description} Empty = the default sized by the strategy and the "
        "compliance items ticked (its source is shown beside it).",
        json_schema_extra={"unit": "hours", "minimum": 0, "maximum": 1e7, "label": label},
    )


def _fte(label: str, description: str) -> Any:
    return Field(
        default=None,
        description=f"{description} As a fraction of one full-time role (0.25 = a quarter of "
        "a person's year). Empty = the default sized by the strategy and the compliance items "
        "ticked (its source is shown beside it).",
        json_schema_extra={"unit": "FTE", "minimum": 0, "maximum": 1000, "label": label},
    )


# One-time activities and ongoing roles of the people side, in form order.
ONE_TIME_ACTIVITIES: dict[str, str] = {
    "data_pipeline_hours": "Data pipeline / ingestion",
    "evaluation_hours": "Evaluation set and red-teaming",
    "security_review_hours": "Security and compliance review",
    "integration_hours": "Integration",
}
ONGOING_ROLES: dict[str, str] = {
    "operations_fte": "Operations / on-call",
    "monitoring_fte": "Evaluation and monitoring",
    "curation_fte": "Content curation",
    "retraining_fte": "Retraining",
}


class StrategyEffort(Section):
    """One strategy's people effort: one-time activities in hours, ongoing roles in FTE."""

    data_pipeline_hours: Estimate | None = _hours(
        "Data pipeline / ingestion",
        "Hours to build the pipeline that turns the client's documents or examples into "
        "training data or an index (parsing, cleaning, access metadata).",
    )
    evaluation_hours: Estimate | None = _hours(
        "Evaluation set and red-teaming",
        "Hours to build a test set of questions with reference answers and to red-team the "
        "system (prompt injection, leakage, harmful answers) before launch.",
    )
    security_review_hours: Estimate | None = _hours(
        "Security and compliance review",
        "Hours of security, privacy (DPIA) and compliance review before go-live.",
    )
    integration_hours: Estimate | None = _hours(
        "Integration",
        "Hours to integrate with the client's applications, identity and logging.",
    )
    operations_fte: Estimate | None = _fte(
        "Operations / on-call",
        "Running the service: deployments, incidents, on-call, capacity.",
    )
    monitoring_fte: Estimate | None = _fte(
        "Evaluation and monitoring",
        "Watching answer quality: re-running the evaluation set, reviewing flagged answers.",
    )
    curation_fte: Estimate | None = _fte(
        "Content curation",
        "Keeping the knowledge right: removing outdated documents, fixing sources, labelling "
        "new examples.",
    )
    retraining_fte: Estimate | None = _fte(
        "Retraining",
        "Preparing, running and validating retrains of a fine-tuned model (on top of each "
        "retrain's own engineering hours).",
    )


class People(Section):
    section_title = "People & operations"

    include: bool = Field(
        default=True,
        description="Count the people effort below in every strategy's cost. Off for the seed "
        "article's scenarios (its figures have no people in them) and for projects saved "
        "before this section existed.",
    )
    ml_ops_in_house: bool = Field(
        default=True,
        description="The client already runs ML systems in production (on-call, deployments, "
        "GPU capacity). Without such a team, self-hosted serving and retraining need more "
        "running effort (a new hire or a managed-service contract), and the defaults say so.",
    )
    loaded_annual_cost: Estimate = quantity(
        150_000,
        unit="money/year",
        le=1e9,
        label="Loaded cost of a role",
        description="Fully loaded yearly cost of one full-time person (salary, taxes, "
        "benefits, overhead). Assumption: EUR/USD 120–180k for an ML or platform engineer in "
        "Western Europe or the US; set the client's figure.",
    )
    fine_tuning: StrategyEffort = Field(
        default_factory=StrategyEffort, description="People effort of fine-tuning."
    )
    rag: StrategyEffort = Field(default_factory=StrategyEffort, description="People effort of RAG.")
    hybrid: StrategyEffort = Field(
        default_factory=StrategyEffort, description="People effort of the hybrid."
    )

    def for_strategy(self, key: str) -> StrategyEffort:
        effort: StrategyEffort = getattr(self, key)
        return effort


OWNED_OFFER = "owned"  # the GPU offer id that means "our own servers" (Owned hardware section)


class OwnedHardware(Section):
    """Servers the client buys and runs: an effective cost per GPU-hour, with the capex shown."""

    section_title = "Owned hardware"

    gpu: str = Field(
        default="h100-sxm",
        min_length=1,
        max_length=200,
        description="GPU type in the servers (from the GPU catalog). Pick the GPU offer 'Own "
        "servers' on the Serving or Fine-tuning page to use them.",
    )
    server_price: Estimate = quantity(
        300_000,
        unit="money",
        le=1e9,
        label="Server purchase price",
        description="Price of one server with its GPUs, networking and storage. Assumption: an "
        "8× H100 SXM server lists at about USD 250–350k; get the vendor's quote.",
    )
    gpus_per_server: Estimate = quantity(
        8,
        unit="GPUs",
        ge=1,
        le=64,
        integer=True,
        label="GPUs per server",
        description="GPUs in one server.",
    )
    amortisation_months: Estimate = quantity(
        36,
        unit="months",
        ge=1,
        le=240,
        integer=True,
        label="Amortisation period",
        description="Months the purchase is written off over (3–5 years is usual for servers). "
        "A horizon shorter than this carries only its share of the capex.",
    )
    power_kw: Estimate = quantity(
        10.2,
        unit="kW",
        le=1000,
        decimals=2,
        label="Power per server",
        description="Power drawn by one server under load. NVIDIA DGX H100: 10.2 kW maximum "
        "(DGX H100 datasheet); typical draw is lower.",
    )
    pue: Estimate = quantity(
        1.4,
        unit="×",
        ge=1,
        le=5,
        decimals=2,
        label="PUE",
        description="Power usage effectiveness of the data centre (total ÷ IT power). Uptime "
        "Institute's 2023 survey average: 1.58; modern colocation 1.2–1.4.",
    )
    price_per_kwh: Estimate = quantity(
        0.20,
        unit="money/kWh",
        le=100,
        decimals=3,
        label="Electricity price",
        description="Price of one kWh. Assumption: EU non-household electricity is about "
        "EUR 0.15–0.25/kWh (Eurostat); US industrial about USD 0.08.",
    )
    hosting_per_month: Estimate = quantity(
        1_500,
        unit="money/month",
        le=1e9,
        label="Hosting / colocation",
        description="Rack space, cooling and network per server per month (colocation or the "
        "client's own data centre).",
    )
    support_per_month: Estimate = quantity(
        1_000,
        unit="money/month",
        le=1e9,
        label="Support and maintenance",
        description="Hardware support contract and spares per server per month.",
    )


class ServingMode(StrEnum):
    api = "api"
    self_hosted = "self_hosted"


class Availability(StrEnum):
    always_on = "always_on"
    business_hours = "business_hours"


class ServingOption(Section):
    """How one strategy's answers are generated: a priced API, or our own GPUs."""

    mode: ServingMode = Field(
        default=ServingMode.api,
        description="API: pay per token to a provider. Self-hosted: rent GPUs and run the "
        "model yourself (replicas sized from peak load).",
    )
    api_model: str = Field(
        default="openai:gpt-4o-mini",
        min_length=1,
        max_length=300,
        description="API model as provider:model from the genai-prices catalog; its prices are "
        "used unless typed below.",
    )
    api_offering: str = Field(
        default="",
        max_length=200,
        description="A provider's regional endpoint for the model (regional offerings catalog, "
        "e.g. Azure OpenAI EU Data Zone, Claude on AWS Bedrock Frankfurt, Mistral La "
        "Plateforme): sets where data is processed, whether it is kept, and the regional price. "
        "Empty = the provider's default endpoint (US for most providers).",
    )
    api_input_price_per_million: Estimate | None = Field(
        default=None,
        description="Typed input price per million tokens; empty = the catalog's price.",
        json_schema_extra={"unit": "money/M tokens", "minimum": 0, "maximum": 1e5},
    )
    api_output_price_per_million: Estimate | None = Field(
        default=None,
        description="Typed output price per million tokens; empty = the catalog's price.",
        json_schema_extra={"unit": "money/M tokens", "minimum": 0, "maximum": 1e5},
    )
    api_price_multiplier: Estimate = quantity(
        1.0,
        unit="×",
        ge=0,
        le=100,
        decimals=2,
        label="Price multiplier",
        description="Multiplies the catalog prices. Fine-tuned models on provider APIs cost "
        "more: OpenAI ft:gpt-4o-mini is 2× the base price (genai-prices data).",
    )
    api_time_to_first_token_s: Estimate = quantity(
        0.5,
        unit="s",
        le=600,
        decimals=3,
        label="Time to first token",
        description="Provider's queueing + network time before prefill (p50). Typical 0.2–1 s.",
    )
    api_prefill_tokens_per_s: Estimate = quantity(
        5_000,
        unit="tokens/s",
        ge=1,
        le=1e8,
        label="Prefill rate",
        description="Prompt tokens the provider processes per second (p50).",
    )
    api_decode_tokens_per_s: Estimate = quantity(
        80,
        unit="tokens/s",
        ge=0.1,
        le=1e6,
        decimals=1,
        label="Decode rate",
        description="Output tokens per second per request (p50). Published figures for small "
        "hosted models are 50–150 tokens/s.",
    )
    api_p95_factor: Estimate = quantity(
        2.0,
        unit="×",
        ge=1,
        le=100,
        decimals=2,
        label="Provider p95 ÷ p50",
        description="How much slower the provider's slowest 1 query in 20 is than its median "
        "(time to first token, prefill and decode together). Assumption: public latency "
        "trackers show hosted models' p95 at about 1.5–3× the median; use the provider's SLA "
        "or a load test.",
    )
    self_hosted_model: str = Field(
        default="llama-3.1-8b",
        min_length=1,
        max_length=200,
        description="Model served when self-hosting RAG (fine-tuning and hybrid serve their "
        "fine-tuned base model).",
    )
    gpu: str = Field(
        default="l40s",
        min_length=1,
        max_length=200,
        description="GPU type for self-hosted serving (from the GPU catalog).",
    )
    gpu_offering: str = Field(
        default="",
        max_length=200,
        description="A cloud's GPU offer in a region (regional offerings catalog, e.g. Scaleway "
        "H100 in Paris, priced in EUR): sets the price and where the GPUs are. Empty = the GPU "
        "catalog's price (a US cloud), hosted wherever you run them.",
    )
    gpu_hour_price: Estimate | None = Field(
        default=None,
        description="Price per GPU-hour for serving; empty = the catalog's on-demand price.",
        json_schema_extra={"unit": "money/GPU-hour", "minimum": 0, "maximum": 1e6},
    )
    gpus_per_replica: Estimate | None = Field(
        default=None,
        description="GPUs one replica runs on (tensor-parallel degree); empty = the smallest "
        "count that divides the model's attention heads and holds the weights, the KV cache of "
        "every concurrent request and a 2 GiB runtime reserve in 90% of each GPU's memory "
        "(vLLM's default gpu_memory_utilization). A count too small, or one the model's heads "
        "cannot be split over, is raised, and the figure says so.",
        json_schema_extra={"unit": "GPUs", "minimum": 1, "maximum": 1024, "integer": True},
    )
    bytes_per_parameter: Estimate = quantity(
        2.0,
        unit="bytes",
        ge=0.25,
        le=4,
        decimals=2,
        step=0.5,
        label="Bytes per weight",
        description="Serving precision: 2 for 16-bit, 1 for 8-bit, 0.5 for 4-bit quantisation.",
    )
    availability: Availability = Field(
        default=Availability.always_on,
        description="Always on (730 h/month, at least one replica) or business hours only "
        "(220 h/month: 10 h × 22 days).",
    )
    concurrent_streams_per_replica: Estimate = quantity(
        16,
        unit="streams",
        ge=1,
        le=4096,
        integer=True,
        label="Concurrent requests per replica",
        description="Requests one replica serves at once (continuous batching). Decode is "
        "memory-bound, so batching multiplies throughput until compute or KV memory runs out.",
    )
    target_utilisation: Estimate = quantity(
        0.75,
        unit="fraction",
        ge=0.05,
        le=0.95,
        decimals=2,
        step=0.05,
        label="Target utilisation at peak",
        description="Share of a replica's time it may be busy in the peak hour; replicas = "
        "⌈peak queries/s × busy time per query ÷ this⌉. Queueing theory (M/D/1): the average "
        "wait is 1.5 busy times at 0.75 but 4.5 at 0.9, so 0.7–0.8 is the usual target.",
    )
    bandwidth_efficiency: Estimate = quantity(
        0.6,
        unit="fraction",
        ge=0.01,
        le=1.0,
        decimals=2,
        step=0.05,
        label="Memory-bandwidth efficiency",
        description="Share of peak memory bandwidth achieved in decode (llm-analysis: 0.9 is an "
        "aggressive target; KV-cache reads and overheads lower it).",
    )
    inference_mfu: Estimate = quantity(
        0.5,
        unit="fraction",
        ge=0.01,
        le=1.0,
        decimals=2,
        step=0.05,
        label="Prefill FLOPs utilisation",
        description="Share of peak FLOP/s achieved in prefill (llm-analysis: up to 0.7 for "
        "inference).",
    )


# Which ServingOption inputs apply in which mode (the forms grey out, and the report leaves out,
# the inputs of the mode not chosen).
SERVING_API_FIELDS: tuple[str, ...] = (
    "api_model",
    "api_offering",
    "api_input_price_per_million",
    "api_output_price_per_million",
    "api_price_multiplier",
    "api_time_to_first_token_s",
    "api_prefill_tokens_per_s",
    "api_decode_tokens_per_s",
    "api_p95_factor",
)
SERVING_SELF_HOSTED_FIELDS: tuple[str, ...] = (
    "self_hosted_model",
    "gpu",
    "gpu_offering",
    "gpu_hour_price",
    "gpus_per_replica",
    "bytes_per_parameter",
    "availability",
    "concurrent_streams_per_replica",
    "target_utilisation",
    "bandwidth_efficiency",
    "inference_mfu",
)


def _serving_default(mode: ServingMode, api_model: str, multiplier: float = 1.0) -> ServingOption:
    return ServingOption(
        mode=mode, api_model=api_model, api_price_multiplier=Estimate(likely=multiplier)
    )


class Serving(Strict):
    fine_tuning: ServingOption = Field(
        default_factory=lambda: _serving_default(ServingMode.self_hosted, "openai:gpt-4o-mini"),
        description="How the fine-tuned model is served.",
    )
    rag: ServingOption = Field(
        default_factory=lambda: _serving_default(ServingMode.api, "openai:gpt-4o-mini"),
        description="How RAG answers are generated.",
    )
    hybrid: ServingOption = Field(
        default_factory=lambda: _serving_default(ServingMode.self_hosted, "openai:gpt-4o-mini"),
        description="How the hybrid's fine-tuned model is served.",
    )

    def for_strategy(self, key: str) -> ServingOption:
        option: ServingOption = getattr(self, key)
        return option


class Need(StrEnum):
    not_required = "not_required"
    preferred = "preferred"
    hard = "hard"


COMPLIANCE_ITEMS: dict[str, str] = {
    "cite_sources": "Answers must cite their sources (audit trail)",
    "data_residency": "Data must stay in region (see the region setting)",
    "right_to_erasure": "Right to erasure of personal data (GDPR Art. 17)",
    "access_control": "Per-user / per-tenant access control on documents",
    "regulated_training_data": "Training data contains personal or regulated data",
    "reproducibility": "Outputs must be reproducible and versioned (model risk management)",
    "vendor_deprecation": "Vendor model deprecation must not break the system",
}


def _need(item: str, help_text: str) -> Any:
    return Field(
        default=Need.not_required,
        description=f"{COMPLIANCE_ITEMS[item]}. {help_text}",
    )


class Compliance(Strict):
    cite_sources: Need = _need(
        "cite_sources", "Retrieval keeps the passage behind each answer; weights do not."
    )
    data_residency: Need = _need(
        "data_residency",
        "Met by anything hosted in the required region (own infrastructure, the EU or the US) "
        "that does not retain the data; fails whatever sends data elsewhere.",
    )
    right_to_erasure: Need = _need(
        "right_to_erasure",
        "Deleting a document is immediate; removing it from weights needs a retrain.",
    )
    access_control: Need = _need(
        "access_control",
        "Retrieval can filter documents per user; a fine-tuned model cannot "
        "un-know what it was trained on.",
    )
    regulated_training_data: Need = _need(
        "regulated_training_data", "Fine-tuned models can memorise and regurgitate training data."
    )
    reproducibility: Need = _need(
        "reproducibility", "Every answer must be traceable to a pinned model and data version."
    )
    vendor_deprecation: Need = _need(
        "vendor_deprecation", "Managed fine-tunes die with their base model."
    )


class TargetNeed(StrEnum):
    """How a numeric target counts: not at all, in the score, or as a must that excludes."""

    off = "off"
    prefer = "prefer"
    must = "must"


def _target_need(what: str, default: TargetNeed = TargetNeed.prefer) -> Any:
    return Field(
        default=default,
        description=f"How the {what} target counts: 'prefer' scores a miss lower; 'must' "
        "excludes any strategy that misses it from the recommendation; 'off' ignores it.",
    )


class Requirements(Section):
    section_title = "Requirements & compliance"

    latency_target_s: Estimate = quantity(
        4.0,
        unit="s",
        ge=0.01,
        le=3600,
        decimals=2,
        label="Full-answer latency target",
        description="Acceptable p50 time to the complete answer.",
    )
    latency_need: TargetNeed = _target_need("full-answer (p50)")
    ttft_target_s: Estimate = quantity(
        1.5,
        unit="s",
        ge=0.01,
        le=3600,
        decimals=2,
        label="Time-to-first-token target",
        description="Acceptable p50 time until the answer starts streaming.",
    )
    ttft_need: TargetNeed = _target_need("time-to-first-token (p50)")
    latency_p95_target_s: Estimate = quantity(
        8.0,
        unit="s",
        ge=0.01,
        le=3600,
        decimals=2,
        label="Full-answer p95 target",
        description="Acceptable 95th-percentile time to the complete answer (1 query in 20 may "
        "be slower). Service-level agreements are usually written on p95, not the median.",
    )
    latency_p95_need: TargetNeed = _target_need("full-answer p95", TargetNeed.off)
    freshness_target_days: Estimate = quantity(
        7,
        unit="days",
        ge=0.001,
        le=36_500,
        decimals=2,
        label="Maximum acceptable staleness",
        description="Oldest a fact may be in an answer (worst case) before it counts as stale.",
    )
    data_region: Region = Field(
        default=Region.own,
        description="Where data may go when 'data stays in region' is ticked: own "
        "infrastructure only (no third-party processor, the strictest), or a region (EU, US) — "
        "met by any API offering or GPU hosted there that does not retain the data.",
    )
    compliance: Compliance = Field(
        default_factory=Compliance,
        description="The compliance checklist: each ticked item is a requirement; 'hard' "
        "excludes a strategy that fails it.",
    )


class Weights(Section):
    section_title = "Criteria weights"

    cost: Estimate = quantity(
        35, unit="points", le=100, label="Cost", description="Weight of total cost of ownership."
    )
    latency: Estimate = quantity(
        15, unit="points", le=100, label="Latency", description="Weight of answer latency."
    )
    freshness: Estimate = quantity(
        15, unit="points", le=100, label="Freshness", description="Weight of knowledge freshness."
    )
    compliance: Estimate = quantity(
        20,
        unit="points",
        le=100,
        label="Compliance",
        description="Weight of the compliance checklist.",
    )
    fit: Estimate = quantity(
        15,
        unit="points",
        le=100,
        label="Fit",
        description="Weight of the fit indicators (examples, variety, style, documents).",
    )

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("at least one criterion weight must be above zero")
        return self

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name).likely for name in CRITERIA}


CRITERIA: tuple[str, ...] = ("cost", "latency", "freshness", "compliance", "fit")

# Every cost component that can be given a flat override, by strategy.  The engine computes all
# of them; an override replaces the computed figure (the seed article works this way).
COST_COMPONENTS: dict[str, tuple[str, str, str]] = {
    # id: (label, kind, unit)  kind ∈ one_time | monthly | per_query | per_retrain
    "training_compute": ("Training compute", "one_time", "money"),
    "data_preparation": ("Data preparation", "one_time", "money"),
    "engineering": ("Engineering set-up", "one_time", "money"),
    "corpus_embedding": ("Embedding the corpus", "one_time", "money"),
    "retrain": ("Each retrain", "per_retrain", "money/retrain"),
    "vector_store": ("Vector store", "monthly", "money/month"),
    "reembedding": ("Re-embedding changed documents", "monthly", "money/month"),
    "serving": ("Self-hosted serving (GPUs)", "monthly", "money/month"),
    "query_embedding": ("Query embedding", "per_query", "money/query"),
    "retrieval": ("Vector search reads", "per_query", "money/query"),
    "generation": ("Generation (API tokens)", "per_query", "money/query"),
    "build_effort": ("People: build activities", "one_time", "money"),
    "retrieval_servers": ("Self-hosted embedding (server share)", "monthly", "money/month"),
    "operations": ("People: ongoing operations", "monthly", "money/month"),
}

STRATEGY_COMPONENTS: dict[str, tuple[str, ...]] = {
    "fine_tuning": (
        "training_compute",
        "data_preparation",
        "engineering",
        "retrain",
        "serving",
        "generation",
        "build_effort",
        "operations",
    ),
    "rag": (
        "corpus_embedding",
        "engineering",
        "vector_store",
        "reembedding",
        "serving",
        "query_embedding",
        "retrieval",
        "generation",
        "retrieval_servers",
        "build_effort",
        "operations",
    ),
    "hybrid": (
        "training_compute",
        "data_preparation",
        "engineering",
        "corpus_embedding",
        "retrain",
        "vector_store",
        "reembedding",
        "serving",
        "query_embedding",
        "retrieval",
        "generation",
        "retrieval_servers",
        "build_effort",
        "operations",
    ),
}

OVERRIDE_KEYS: frozenset[str] = frozenset(
    f"{s}.{c}" for s, comps in STRATEGY_COMPONENTS.items() for c in comps
)


class Scenario(Strict):
    name: str = Field(
        default="Base case",
        min_length=1,
        max_length=200,
        description="Short name of the scenario (e.g. 'today', 'in two years', 'pessimistic').",
    )
    description: str = Field(
        default="", max_length=20_000, description="What this scenario assumes."
    )
    workload: Workload = Field(default_factory=Workload)
    knowledge: Knowledge = Field(default_factory=Knowledge)
    fine_tuning: FineTuningSetup = Field(default_factory=FineTuningSetup)
    rag: RagSetup = Field(default_factory=RagSetup)
    hybrid: HybridSetup = Field(default_factory=HybridSetup)
    serving: Serving = Field(default_factory=Serving)
    people: People = Field(default_factory=People)
    owned_hardware: OwnedHardware = Field(default_factory=OwnedHardware)
    requirements: Requirements = Field(
        default_factory=Requirements,
        description="The requirements this scenario is judged against: the project's, unless "
        "own_requirements is set (then this scenario's own, shown as an override).",
    )
    own_requirements: bool = Field(
        default=False,
        description="This scenario overrides the project's requirements with its own.",
    )
    weights: Weights = Field(
        default_factory=Weights,
        description="The criteria weights: the project's, unless own_weights is set.",
    )
    own_weights: bool = Field(
        default=False,
        description="This scenario overrides the project's criteria weights with its own.",
    )
    reviewed: bool = Field(
        default=True,
        description="False for a scenario that came from a template and has not been opened "
        "yet: its inputs are the template's, not the client's.",
    )
    cost_overrides: dict[str, float] = Field(
        default_factory=dict,
        description="Flat figures that replace computed cost components, keyed "
        "'strategy.component' (e.g. 'rag.generation': 0.11 per query). The seed article's "
        "scenarios are entered this way.",
    )

    @field_validator("name", mode="before")
    @classmethod
    def _visible_name(cls, value: object) -> object:
        """One spelling per name: NFC; invisible characters (zero-width, bidi, controls,
        line breaks) refused, so no two scenarios can look alike (engine.text)."""
        return clean_name(value) if isinstance(value, str) else value

    @field_validator("cost_overrides")
    @classmethod
    def _known_components(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - OVERRIDE_KEYS)
        if unknown:
            raise ValueError(
                f"unknown cost component {unknown[0]!r}; known: {', '.join(sorted(OVERRIDE_KEYS))}"
            )
        for key, number in value.items():
            if not 0 <= number <= 1e15:
                raise ValueError(f"override {key!r} = {number:g} is outside 0 – 1e15")
        return value
