"""The report's pure data about a scenario's inputs: the assumption tables (every input with
where its value came from), the reference data behind the catalog choices, and the inputs
fingerprint printed on every page.  No Qt: the PDF and Word renderers (gui.report) and the
spreadsheet (engine.spreadsheet) lay it out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from engine import numbers as nf
from engine.display import (
    SERVING_MODE_FIELDS,
    TRAINING_VENUE_FIELDS,
)
from engine.model.base import Estimate, field_meta
from engine.model.catalog_entries import (
    BaseModelEntry,
    CatalogEntry,
    EmbeddingModelEntry,
    GpuEntry,
    VectorStoreEntry,
)
from engine.model.project import Project
from engine.model.scenario import (
    COMPLIANCE_ITEMS,
    COST_COMPONENTS,
    OWNED_OFFER,
    STRATEGIES,
    STRATEGY_NAMES,
    FineTuningSetup,
    HybridSetup,
    Knowledge,
    OwnedHardware,
    People,
    RagSetup,
    Requirements,
    Scenario,
    ServingOption,
    Weights,
    Workload,
)
from engine.price_age import flag_text, project_date
from engine.regions import Offerings, offerings_for

if TYPE_CHECKING:
    from engine.catalog import Catalog


def inputs_digest(project: Project) -> str:
    """SHA-256 (hex) of the project's canonical JSON: every input, title and notes included,
    the save time and app version excluded, so a printed page ties to the file it came from
    and the digest changes exactly when an input does."""
    canonical = json.dumps(
        project.model_dump(mode="json"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Assumption:
    """One input as the consultant entered it (values raw; the renderer formats them).

    ``value`` is the likely value of a number, the text of a choice or catalog id, a bool for a
    switch, or None for a price left empty (the catalog's price is used: see ``source``).
    """

    path: str  # "workload.queries_per_month"
    name: str  # the field name: "queries_per_month"
    label: str  # the model's label metadata ("" when the field has none)
    value: float | str | bool | None
    low: float | None = None
    high: float | None = None
    unit: str = ""  # as declared: "money/hour" means the project currency per hour
    integer: bool = False
    source: str = ""  # where a catalog-derived value comes from, with its as-of date
    is_number: bool = False
    from_catalog: bool = False  # an input left empty: ``value`` is the catalog's figure


@dataclass(frozen=True, slots=True, kw_only=True)
class AssumptionGroup:
    title: str
    rows: list[Assumption]
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceEntry:
    """A catalog entry a scenario uses, with its source and as-of date."""

    catalog: str  # "GPU", "Base model", "Vector store", "Embedding model", "API model"
    entry_id: str
    name: str
    used_for: list[str]
    figures: list[tuple[str, float, str]]  # (label, value, unit) — USD prices as catalogued
    source: str
    as_of: str
    overridden: bool = False


# Inputs that only apply to one training venue or one serving mode: the report lists what the
# scenario actually uses and says that the rest was left out.
_MANAGED_ONLY = frozenset(TRAINING_VENUE_FIELDS["managed_api"])
_GPUS_ONLY = frozenset(TRAINING_VENUE_FIELDS["gpus"])
_API_ONLY = frozenset(SERVING_MODE_FIELDS["api"])
_SELF_HOSTED_ONLY = frozenset(SERVING_MODE_FIELDS["self_hosted"])


def _catalog_source(entry: CatalogEntry, overridden: bool) -> str:
    if overridden:
        return f"catalog: {entry.name} (overridden in this project), as of {entry.as_of}"
    return f"catalog: {entry.name}, as of {entry.as_of}"


def _section_rows(
    section: BaseModel,
    prefix: str,
    skip: frozenset[str],
    sources: dict[str, str],
    catalog_values: dict[str, float] | None = None,
) -> list[Assumption]:
    rows = []
    for name in type(section).model_fields:
        if name in skip:
            continue
        value = getattr(section, name)
        meta = field_meta(type(section), name)
        path = f"{prefix}.{name}"
        common = {
            "path": path,
            "name": name,
            "label": str(meta.get("label", "")),
            "unit": str(meta.get("unit", "")),
            "integer": bool(meta.get("integer", False)),
            "source": sources.get(name, ""),
        }
        if isinstance(value, Estimate):
            rows.append(
                Assumption(
                    value=value.likely,
                    low=value.low,
                    high=value.high,
                    is_number=True,
                    **common,  # type: ignore[arg-type]
                )
            )
        elif value is None and catalog_values and name in catalog_values:
            rows.append(
                Assumption(
                    value=catalog_values[name],
                    is_number=True,
                    from_catalog=True,
                    **common,  # type: ignore[arg-type]
                )
            )
        elif value is None or isinstance(value, bool | str):
            rows.append(Assumption(value=value, **common))  # type: ignore[arg-type]
    return rows


def assumptions(project: Project, scenario: Scenario) -> list[AssumptionGroup]:
    """Every input of one scenario that the evaluation uses, grouped as the forms group them,
    with the source and as-of date of every value that comes from a catalog."""
    from engine.catalog import catalogs_for

    cats = catalogs_for(project.catalog_overrides)

    def source(catalog: Catalog[Any], entry_id: str) -> str:
        try:
            entry = catalog.get(entry_id)
        except LookupError:
            return "not in the catalog"
        return _catalog_source(entry, catalog.is_overridden(entry_id))

    def catalog_figure(catalog: Catalog[Any], entry_id: str, attribute: str) -> dict[str, float]:
        try:
            return {"value": float(getattr(catalog.get(entry_id), attribute))}
        except LookupError:
            return {}

    rate = project.usd_exchange_rate
    s = scenario
    ft = s.fine_tuning
    ft_skip = _MANAGED_ONLY if ft.venue.value == "gpus" else _GPUS_ONLY
    ft_sources = {
        "base_model": source(cats.base_models, ft.base_model),
        "training_gpu": source(cats.gpus, ft.training_gpu),
    }
    ft_values: dict[str, float] = {}
    if ft.training_gpu_hour_price is None:
        ft_sources["training_gpu_hour_price"] = ft_sources["training_gpu"]
        found = catalog_figure(cats.gpus, ft.training_gpu, "on_demand_usd_per_hour")
        if found:
            ft_values["training_gpu_hour_price"] = found["value"] * rate
        offered = _offer_price(project, s, ft.training_gpu, ft.training_gpu_offering)
        if offered is not None:  # a regional offer's (or the own servers') price is used
            ft_values["training_gpu_hour_price"], ft_sources["training_gpu_hour_price"] = offered
    rag_sources = {
        "embedding_model": source(cats.embedding_models, s.rag.embedding_model),
        "vector_store": source(cats.vector_stores, s.rag.vector_store),
    }
    rag_values: dict[str, float] = {}
    if s.rag.embedding_price_per_million_tokens is None:
        rag_sources["embedding_price_per_million_tokens"] = rag_sources["embedding_model"]
        found = catalog_figure(
            cats.embedding_models, s.rag.embedding_model, "usd_per_million_tokens"
        )
        if found:
            rag_values["embedding_price_per_million_tokens"] = found["value"] * rate
    if s.rag.retrieval_latency_ms is None:
        rag_sources["retrieval_latency_ms"] = rag_sources["vector_store"]
        found = catalog_figure(cats.vector_stores, s.rag.vector_store, "typical_query_latency_ms")
        if found:
            rag_values["retrieval_latency_ms"] = found["value"]

    project_rows = [Assumption(path="currency", name="currency", label="", value=project.currency)]
    if project.currency != "USD" or rate != 1.0:
        project_rows.append(
            Assumption(
                path="usd_exchange_rate",
                name="usd_exchange_rate",
                label="",
                value=rate,
                unit=f"{project.currency} per USD",
                is_number=True,
            )
        )
    groups = [
        AssumptionGroup(title="Project", rows=project_rows),
        AssumptionGroup(
            title=Workload.section_title,
            rows=_section_rows(s.workload, "workload", frozenset(), {}),
        ),
        AssumptionGroup(
            title=Knowledge.section_title,
            rows=_section_rows(s.knowledge, "knowledge", frozenset(), {}),
        ),
        AssumptionGroup(
            title=FineTuningSetup.section_title,
            rows=_section_rows(ft, "fine_tuning", ft_skip, ft_sources, ft_values),
            note="Inputs of the other training venue are not used and not listed.",
        ),
        AssumptionGroup(
            title=RagSetup.section_title,
            rows=_section_rows(s.rag, "rag", frozenset(), rag_sources, rag_values),
        ),
        AssumptionGroup(
            title=HybridSetup.section_title,
            rows=_section_rows(s.hybrid, "hybrid", frozenset(), {}),
        ),
    ]
    for key in STRATEGIES:
        option = s.serving.for_strategy(key)
        api = option.mode.value == "api"
        skip = _SELF_HOSTED_ONLY if api else _API_ONLY
        if key != "rag":  # fine-tuning and hybrid serve their own fine-tuned base model
            skip = skip | {"self_hosted_model"}
        serving_sources: dict[str, str] = {}
        serving_values: dict[str, float] = {}
        if api:
            api_source, prices = _api_model_source(option.api_model)
            factor, offering_source = _api_offering(project, s, option)
            if offering_source:
                api_source = offering_source
                prices = (_times(prices[0], factor), _times(prices[1], factor))
            serving_sources["api_model"] = api_source
            for price, usd in zip(
                ("api_input_price_per_million", "api_output_price_per_million"),
                prices,
                strict=True,
            ):
                if getattr(option, price) is None:
                    serving_sources[price] = api_source
                    if usd is not None:
                        serving_values[price] = usd * rate
        else:
            serving_sources["gpu"] = source(cats.gpus, option.gpu)
            serving_sources["self_hosted_model"] = source(
                cats.base_models, option.self_hosted_model
            )
            if option.gpu_hour_price is None:
                serving_sources["gpu_hour_price"] = serving_sources["gpu"]
                found = catalog_figure(cats.gpus, option.gpu, "on_demand_usd_per_hour")
                if found:
                    serving_values["gpu_hour_price"] = found["value"] * rate
                offered = _offer_price(project, s, option.gpu, option.gpu_offering)
                if offered is not None:
                    serving_values["gpu_hour_price"], serving_sources["gpu_hour_price"] = offered
        groups.append(
            AssumptionGroup(
                title=f"Serving: {STRATEGY_NAMES[key]}",
                rows=_section_rows(option, f"serving.{key}", skip, serving_sources, serving_values),
                note="Inputs of the other serving mode are not used and not listed.",
            )
        )
    groups += _people_and_hardware(project, s)
    req = s.requirements
    groups.append(
        AssumptionGroup(
            title=Requirements.section_title
            + (" — this scenario's own (override)" if s.own_requirements else " — the project's"),
            rows=_section_rows(req, "requirements", frozenset({"compliance"}), {})
            + [
                Assumption(
                    path=f"requirements.compliance.{item}",
                    name=item,
                    label=text,
                    value=getattr(req.compliance, item).value,
                )
                for item, text in COMPLIANCE_ITEMS.items()
            ],
        )
    )
    groups.append(
        AssumptionGroup(
            title=Weights.section_title
            + (" — this scenario's own (override)" if s.own_weights else " — the project's"),
            rows=_section_rows(s.weights, "weights", frozenset(), {}),
        )
    )
    if s.cost_overrides:
        groups.append(
            AssumptionGroup(
                title="Cost overrides (flat figures replacing computed components)",
                rows=[
                    Assumption(
                        path=f"cost_overrides.{key}",
                        name=key,
                        label=f"{STRATEGY_NAMES[key.split('.')[0]]}: "
                        f"{COST_COMPONENTS[key.split('.')[1]][0]}",
                        value=number,
                        unit=COST_COMPONENTS[key.split(".")[1]][2],
                        is_number=True,
                        source="override typed in the project",
                    )
                    for key, number in sorted(s.cost_overrides.items())
                ],
            )
        )
    used = _counts_used(project, scenario)
    on = project_date(project.quote_date)
    groups = [
        AssumptionGroup(
            title=g.title,
            rows=[_with_price_age(_with_count_used(row, used), on) for row in g.rows],
            note=g.note,
        )
        for g in groups
    ]
    return [g for g in groups if g.rows]


# GPU counts the engine may derive or raise: input path → the figure that holds the count used.
_COUNT_FIGURES = {
    "fine_tuning.training_gpu_count": ("fine_tuning", "training_gpus"),
    "serving.fine_tuning.gpus_per_replica": ("fine_tuning", "serving_gpus_per_replica"),
    "serving.rag.gpus_per_replica": ("rag", "serving_gpus_per_replica"),
    "serving.hybrid.gpus_per_replica": ("hybrid", "serving_gpus_per_replica"),
}


def _counts_used(project: Project, scenario: Scenario) -> dict[str, float]:
    """The GPU counts the evaluation uses, by input path (empty when it cannot evaluate)."""
    from engine.costs import cost_models
    from engine.evaluate import context_for

    try:
        models = cost_models(context_for(project, scenario))
    except (LookupError, ArithmeticError, OverflowError, ValueError):
        return {}
    found = {}
    for path, (strategy, key) in _COUNT_FIGURES.items():
        fig = models[strategy].figures.get(key)
        if fig is not None:
            found[path] = float(fig.value)
    return found


# Choices whose catalog entry carries the prices used (the vector store's plan; an API model).
_PRICED_CHOICES = frozenset({"vector_store", "api_model"})


def _with_price_age(row: Assumption, on: date) -> Assumption:
    """A row whose value is a catalog or API price more than six months old says so."""
    priced = (row.from_catalog and "price" in row.name) or row.name in _PRICED_CHOICES
    if not row.source or not priced:
        return row
    words = flag_text(row.source, on)
    if not words or words in row.source:
        return row
    return replace(row, source=f"{row.source} — {words}")


def _with_count_used(row: Assumption, used: dict[str, float]) -> Assumption:
    """A GPU-count row showing the count the engine used: derived when left empty, raised when
    the count typed does not fit."""
    count = used.get(row.path)
    if count is None:
        return row
    if row.value is None:
        return replace(
            row,
            value=count,
            is_number=True,
            unit="GPUs",
            integer=True,
            source="left empty: derived by the engine (smallest count that fits the model)",
        )
    if isinstance(row.value, float | int) and count > row.value:
        return replace(
            row,
            value=count,
            low=None,
            high=None,
            source=f"raised by the engine from the {nf.number(row.value)} typed: the model "
            "does not fit on fewer",
        )
    return row


def _people_and_hardware(project: Project, s: Scenario) -> list[AssumptionGroup]:
    """People and operations (each empty input shown at its default, with the default's
    source), and the owned servers when a strategy uses them."""
    from engine.evaluate import context_for
    from engine.people import default_effort

    groups: list[AssumptionGroup] = []
    people = s.people
    if people.include:
        ctx = context_for(project, s)
        groups.append(
            AssumptionGroup(
                title=People.section_title,
                rows=_section_rows(people, "people", frozenset(STRATEGIES), {}),
            )
        )
        for key in STRATEGIES:
            effort = people.for_strategy(key)
            sources: dict[str, str] = {}
            values: dict[str, float] = {}
            for name in type(effort).model_fields:
                if getattr(effort, name) is None:
                    default = default_effort(ctx, key, name)
                    values[name] = default.value
                    sources[name] = f"default ({default.why}): {default.source}"
            groups.append(
                AssumptionGroup(
                    title=f"{People.section_title}: {STRATEGY_NAMES[key]}",
                    rows=_section_rows(effort, f"people.{key}", frozenset(), sources, values),
                )
            )
    else:
        groups.append(
            AssumptionGroup(
                title=People.section_title,
                rows=[],
                note="People effort is not counted in this scenario (switched off).",
            )
        )
    owned = (
        any(s.serving.for_strategy(k).gpu_offering == OWNED_OFFER for k in STRATEGIES)
        or s.fine_tuning.training_gpu_offering == OWNED_OFFER
    )
    if owned:
        groups.append(
            AssumptionGroup(
                title=OwnedHardware.section_title,
                rows=_section_rows(s.owned_hardware, "owned_hardware", frozenset(), {}),
            )
        )
    return groups


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _offer_price(
    project: Project, scenario: Scenario, gpu_id: str, offer_id: str
) -> tuple[float, str] | None:
    """The GPU-hour price the evaluation uses for a regional offer or the own servers, and its
    source, as the engine's context states them; None without an offer (the catalog's price)."""
    if not offer_id:
        return None
    from engine.evaluate import context_for

    try:
        ctx = context_for(project, scenario)
        return ctx.gpu_hour_price(ctx.gpu(gpu_id), None, offer_id)
    except (LookupError, ValueError, ArithmeticError):
        return None


def _api_offering(project: Project, scenario: Scenario, option: ServingOption) -> tuple[float, str]:
    """(price factor, source) of a regional API offering; (1, "") without one."""
    if not option.api_offering:
        return 1.0, ""
    offers = offerings_for(project.catalog_overrides)
    offering = offers.api.get(option.api_offering)
    if offering is None:
        return 1.0, ""
    source = (
        f"{offering.name}: {offering.price_factor:g} × the genai-prices list price "
        f"({offering.source}, as of {offering.as_of})"
    )
    return offering.price_factor, source


def _api_model_source(ref: str) -> tuple[str, tuple[float | None, float | None]]:
    """Where an API model's prices come from, and its (input, output) USD per million tokens."""
    from engine.catalog import api_price, price_data_version

    try:
        price = api_price(ref)
    except LookupError:
        return f"not in {price_data_version()}", (None, None)
    checked = f", checked {price.checked}" if price.checked else ""
    return (
        f"genai-prices: {price.provider} {price.name}{checked}",
        (price.input_per_million_usd, price.output_per_million_usd),
    )


def reference_data(project: Project, scenario: Scenario) -> list[ReferenceEntry]:
    """The catalog entries a scenario draws figures from, each once, with what uses it."""
    from engine.catalog import api_price, catalogs_for, price_data_version

    cats = catalogs_for(project.catalog_overrides)
    s = scenario
    uses: dict[tuple[str, str], list[str]] = {}

    def use(catalog: str, entry_id: str, what: str) -> None:
        uses.setdefault((catalog, entry_id), []).append(what)

    if s.fine_tuning.venue.value == "gpus":
        use("gpus", s.fine_tuning.training_gpu, "training")
        if s.fine_tuning.training_gpu_offering:
            use("gpu_offers", s.fine_tuning.training_gpu_offering, "training")
    use("base_models", s.fine_tuning.base_model, "fine-tuning base model")
    use("embedding_models", s.rag.embedding_model, "embeddings")
    use("vector_stores", s.rag.vector_store, "vector store")
    for key in STRATEGIES:
        option = s.serving.for_strategy(key)
        name = STRATEGY_NAMES[key]
        if option.mode.value == "api":
            use("api", option.api_model, f"{name} serving")
            if option.api_offering:
                use("api_offers", option.api_offering, f"{name} serving")
        else:
            use("gpus", option.gpu, f"{name} serving")
            if option.gpu_offering:
                use("gpu_offers", option.gpu_offering, f"{name} serving")
            if key == "rag":
                use("base_models", option.self_hosted_model, "RAG serving model")

    out: list[ReferenceEntry] = []
    offers = offerings_for(project.catalog_overrides)
    for (catalog, entry_id), used_for in uses.items():
        if catalog in ("api_offers", "gpu_offers"):
            found = _offering_entry(offers, catalog, entry_id, used_for)
            if found is not None:
                out.append(found)
            continue
        if catalog == "api":
            try:
                price = api_price(entry_id)
            except LookupError:
                continue
            out.append(
                ReferenceEntry(
                    catalog="API model",
                    entry_id=entry_id,
                    name=f"{price.provider} {price.name}",
                    used_for=used_for,
                    figures=[
                        ("input", price.input_per_million_usd, "USD/M tokens"),
                        ("output", price.output_per_million_usd, "USD/M tokens"),
                    ],
                    source=price_data_version(),
                    as_of=price.checked,
                )
            )
            continue
        cat: Catalog[Any] = getattr(cats, catalog)
        try:
            entry = cat.get(entry_id)
        except LookupError:
            continue
        out.append(
            ReferenceEntry(
                catalog=_CATALOG_NAMES[catalog],
                entry_id=entry_id,
                name=entry.name,
                used_for=used_for,
                figures=_entry_figures(entry),
                source=("Estimate (not the vendor's published terms) — " if entry.estimate else "")
                + entry.source,
                as_of=entry.as_of,
                overridden=cat.is_overridden(entry_id),
            )
        )
    return out


def _offering_entry(
    offers: Offerings, catalog: str, entry_id: str, used_for: list[str]
) -> ReferenceEntry | None:
    """A regional offering a scenario uses (where it is hosted and at what price), as the
    report's price list shows it (the client's own servers are priced by the Owned hardware
    inputs, which the assumptions list)."""
    if entry_id == OWNED_OFFER:
        return None  # priced by the Owned hardware inputs, listed with the assumptions
    if catalog == "api_offers":
        api = offers.api.get(entry_id)
        if api is None:
            return None
        return ReferenceEntry(
            catalog="API offering (region)",
            entry_id=entry_id,
            name=api.name,
            used_for=used_for,
            figures=[("× list price", api.price_factor, "")],
            source=api.source,
            as_of=api.as_of,
            overridden=entry_id in offers.overridden,
        )
    gpu = offers.gpu.get(entry_id)
    if gpu is None:
        return None
    return ReferenceEntry(
        catalog="GPU offer (region)",
        entry_id=entry_id,
        name=gpu.name,
        used_for=used_for,
        figures=[("price", gpu.price_per_gpu_hour, f"{gpu.currency}/GPU-hour")],
        source=gpu.source,
        as_of=gpu.as_of,
        overridden=entry_id in offers.overridden,
    )


_CATALOG_NAMES = {
    "gpus": "GPU",
    "base_models": "Base model",
    "vector_stores": "Vector store",
    "embedding_models": "Embedding model",
}


def _entry_figures(entry: CatalogEntry) -> list[tuple[str, float, str]]:
    if isinstance(entry, GpuEntry):
        return [
            ("peak dense BF16", entry.peak_bf16_dense_tflops, "TFLOP/s"),
            ("memory", entry.memory_gb, "GB"),
            ("bandwidth", entry.memory_bandwidth_tb_s, "TB/s"),
            ("on demand", entry.on_demand_usd_per_hour, "USD/GPU-hour"),
            *(
                [("lowest seen", entry.usd_per_hour_low, "USD/GPU-hour")]
                if entry.usd_per_hour_low is not None
                else []
            ),
            *(
                [("highest seen", entry.usd_per_hour_high, "USD/GPU-hour")]
                if entry.usd_per_hour_high is not None
                else []
            ),
        ]
    if isinstance(entry, BaseModelEntry):
        return [
            ("parameters", entry.parameters_billion, "billion"),
            ("context", entry.context_window_tokens, "tokens"),
        ]
    if isinstance(entry, VectorStoreEntry):
        return [
            ("fixed", entry.fixed_monthly_usd, "USD/month"),
            ("minimum", entry.minimum_monthly_usd, "USD/month"),
            ("storage", entry.storage_usd_per_gb_month, "USD/GB-month"),
            ("reads", entry.read_usd_per_million_units, "USD/M units"),
            *(
                [("read units per GB of index", entry.read_units_per_gb, "units/query")]
                if entry.read_units_basis == "namespace_gb"
                else []
            ),
            *(
                [("dimensions", entry.usd_per_million_dimensions_month, "USD/M dims-month")]
                if entry.usd_per_million_dimensions_month
                else []
            ),
        ]
    if isinstance(entry, EmbeddingModelEntry):
        return [
            ("price", entry.usd_per_million_tokens, "USD/M tokens"),
            ("dimensions", entry.dimensions, ""),
        ]
    return []
