"""Words the forms show for fields and choices that carry no ``label`` metadata in the models.

Quantity fields declare their label in the engine (``quantity(label=...)``); the rest (choices,
switches, catalog ids) are named here, in the consultant's words.
"""

from __future__ import annotations

from engine.model.scenario import COMPLIANCE_ITEMS

FIELD_LABELS: dict[str, str] = {
    # Knowledge
    "needs_fixed_style": "Fixed style or format",
    "query_variety": "Query variety",
    # Fine-tuning
    "base_model": "Base model",
    "method": "Method",
    "activation_recomputation": "Activation recomputation",
    "venue": "Trains on",
    "training_gpu": "Training GPU",
    "training_gpu_hour_price": "Training GPU-hour price",
    "retrain_to_meet_freshness": "Retrain to meet freshness",
    # RAG
    "embedding_model": "Embedding model",
    "embedding_price_per_million_tokens": "Embedding price",
    "vector_store": "Vector store",
    "retrieval_latency_ms": "Retrieval latency",
    # Serving
    "mode": "Serving",
    "api_model": "API model",
    "api_input_price_per_million": "Input price",
    "api_output_price_per_million": "Output price",
    "self_hosted_model": "Self-hosted model",
    "gpu": "Serving GPU",
    "gpu_hour_price": "GPU-hour price",
    "gpus_per_replica": "GPUs per replica",
    "api_offering": "Hosted at",
    "gpu_offering": "GPU offer (region)",
    "training_gpu_offering": "Training GPU offer (region)",
    "managed_training_region": "Managed training runs in",
    "hosted_services_region": "Hosted embedding/vector store in",
    "availability": "Availability",
    # Project and scenario
    "title": "Project title",
    "client": "Client",
    "consultant": "Consultant",
    "quote_date": "Quote date",
    "notes": "Notes",
    "currency": "Currency",
    "usd_exchange_rate": "Exchange rate",
    "name": "Scenario name",
    "description": "Scenario description",
    # Requirements
    "latency_need": "Full-answer target is",
    "ttft_need": "First-token target is",
    "latency_p95_need": "p95 target is",
    "data_region": "Data must stay in",
    "own_requirements": "Override",
    "own_weights": "Override",
    # People
    "include": "People costs",
    "ml_ops_in_house": "ML operations in-house",
    **COMPLIANCE_ITEMS,
}

#: Check-box captions (the row label says what; the box says when it applies).
CHECKBOX_TEXT: dict[str, str] = {
    "needs_fixed_style": "Required",
    "activation_recomputation": "On (+2·N FLOPs/token)",
    "retrain_to_meet_freshness": "Shorten the interval",
    "include": "Counted in the cost",
    "ml_ops_in_house": "The client runs ML systems in production",
    "own_requirements": "Own for this scenario",
    "own_weights": "Own for this scenario",
}

CHOICE_LABELS: dict[str, str] = {
    # QueryVariety
    "narrow": "Narrow (repeating patterns)",
    "moderate": "Moderate",
    "broad": "Broad (wide-ranging questions)",
    # FineTuneMethod
    "full": "Full fine-tuning",
    "lora": "LoRA",
    "qlora": "QLoRA (4-bit base)",
    # TrainingVenue
    "gpus": "Own or rented GPUs",
    "managed_api": "Managed fine-tuning API",
    # ServingMode
    "api": "Provider API (pay per token)",
    "self_hosted": "Self-hosted on GPUs",
    # Availability
    "always_on": "Always on (730 h/month)",
    "business_hours": "Business hours (220 h/month)",
    # Need (compliance)
    "not_required": "Not required",
    "preferred": "Preferred",
    "hard": "Hard requirement",
    # TargetNeed (latency targets)
    "off": "Off (ignored)",
    "prefer": "Prefer (scores)",
    "must": "Must (excludes)",
    # Region (data residency)
    "own": "Own infrastructure only",
    "EU": "The EU / EEA",
    "US": "The United States",
}

#: Extra words shown under a refused value, for fields whose rule is a pattern.
ERROR_HINTS: dict[str, str] = {
    "currency": "Use a three-letter ISO 4217 code in capitals, such as USD, EUR or GBP.",
}


#: The GPU offer of the client's own servers (priced by the Owned hardware inputs), as shown.
OWN_SERVERS = "Own servers (see Owned hardware)"


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def choice_label(value: str) -> str:
    return CHOICE_LABELS.get(value) or value.replace("_", " ").capitalize()


def unit_text(unit: str, currency: str) -> str:
    """A unit as shown beside a field: 'money' is the project's currency."""
    return unit.replace("money", currency) if unit else ""


def field_place(path: str) -> str:
    """Where a field is, in the form's words: a dotted path as the .ftrag file writes it
    ("workload.queries_per_month", "serving.rag.mode", "project.title") → "Workload ›
    Queries per month", "RAG setup › Serving", "Project › Project title".  An unknown path is
    returned as it is."""
    from pydantic import BaseModel

    from engine.model.project import Project
    from engine.model.scenario import STRATEGY_NAMES, Scenario

    parts = path.split(".")
    model: type[BaseModel] = Scenario
    section = ""
    if parts[0] == "project":
        parts, model, section = parts[1:], Project, "Project"
    elif parts[0] in Project.model_fields and parts[0] not in Scenario.model_fields:
        model = Project
    label = ""
    for i, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            return path
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        label = str(extra.get("label") or field_label(part))
        if i > 0 and parts[i - 1] == "serving" and part in STRATEGY_NAMES:
            section = f"{STRATEGY_NAMES[part]} setup"
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            title = getattr(annotation, "section_title", None)
            if isinstance(title, str) and title:
                section = title
            model = annotation
    if not section:
        return label
    return f"{section} › {label}"
