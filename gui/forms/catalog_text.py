"""How catalog entries read in pickers and tables, and the catalog figures an empty optional
field stands for (shown greyed out so the person sees what the engine will use).

Figures are looked up through the engine (its catalogs and its USD→currency conversion); the GUI
only formats them.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.catalog import CatalogError, api_price, catalogs_for
from engine.context import Context
from engine.evaluate import context_for
from engine.model.catalog_entries import (
    BaseModelEntry,
    CatalogEntry,
    EmbeddingModelEntry,
    GpuEntry,
    VectorStoreEntry,
)
from engine.model.scenario import ServingOption
from engine.people import default_effort
from engine.regions import offerings_for
from gui.document import ProjectDocument
from gui.forms.api_models import api_prices_loaded

#: Which catalog each id field picks from.
CATALOG_OF_FIELD: dict[str, str] = {
    "base_model": "base_models",
    "self_hosted_model": "base_models",
    "training_gpu": "gpus",
    "gpu": "gpus",
    "embedding_model": "embedding_models",
    "vector_store": "vector_stores",
    "api_offering": "api_offerings",
    "gpu_offering": "gpu_offers",
    "training_gpu_offering": "gpu_offers",
}

_NO_OFFERING: dict[str, tuple[str, str]] = {
    "api_offerings": (
        "Provider's default endpoint",
        "region as the provider's default (US for most)",
    ),
    "gpu_offers": ("GPU catalog price", "a US cloud's price; region not said"),
}


def _offering_entries(
    document: ProjectDocument, catalog_name: str
) -> list[tuple[str, str, str, str]]:
    """Regional offerings: the 'no offering' choice first, then every offering with its region."""
    offers = offerings_for(document.project.catalog_overrides)
    name, figures = _NO_OFFERING[catalog_name]
    out = [("", name, figures, "No regional offering: " + figures)]
    if catalog_name == "api_offerings":
        for entry in offers.api.values():
            kept = "keeps prompts a while" if entry.retains_data else "keeps no data"
            figures = (
                f"{entry.region} · {entry.api_model} × {entry.price_factor:g} · {kept} · "
                f"as of {entry.as_of}"
            )
            tip = f"{entry.name} ({entry.id})\nSource: {entry.source}\n\n{entry.notes}"
            out.append((entry.id, entry.name, figures, tip))
    else:
        out.append(
            (
                "owned",
                "Own servers",
                "priced on the Owned hardware page · on premises",
                "The client's own servers: an effective cost per GPU-hour from the purchase "
                "price, amortisation, power, hosting and support (People page's neighbour: "
                "Owned hardware); serving pays for whole servers, idle GPUs included.",
            )
        )
        for offer in offers.gpu.values():
            figures = (
                f"{offer.region} · {offer.gpu} · {offer.currency} "
                f"{offer.price_per_gpu_hour:,.2f}/GPU-h · as of {offer.as_of}"
            )
            tip = f"{offer.name} ({offer.id})\nSource: {offer.source}\n\n{offer.notes}"
            out.append((offer.id, offer.name, figures, tip))
    return out


def _price(usd: float, currency: str, rate: float, decimals: int = 2, suffix: str = "") -> str:
    """A catalog price in the project currency, with the USD source figure beside it."""
    source = f"${usd:,.{decimals}f}{suffix}"
    if currency == "USD":
        return source
    return f"{currency} {usd * rate:,.{decimals}f}{suffix} ({source})"


def entry_figures(entry: CatalogEntry, currency: str = "USD", rate: float = 1.0) -> str:
    """The figures that matter when choosing an entry; prices in the project currency with the
    catalog's USD figure beside them."""
    if isinstance(entry, GpuEntry):
        return (
            f"{_price(entry.on_demand_usd_per_hour, currency, rate, suffix='/h')} · "
            f"{entry.memory_gb:g} GB · {entry.peak_bf16_dense_tflops:,.0f} TFLOP/s"
        )
    if isinstance(entry, BaseModelEntry):
        return f"{entry.parameters_billion:g} B params · {entry.context_window_tokens:,} ctx"
    if isinstance(entry, EmbeddingModelEntry):
        hosted = "self-hosted" if entry.self_hosted else entry.provider
        price = _price(entry.usd_per_million_tokens, currency, rate, 3, "/M tokens")
        return f"{price} · {entry.dimensions} dims · {hosted}"
    if isinstance(entry, VectorStoreEntry):
        if entry.self_hosted:
            return f"self-hosted · {_price(entry.fixed_monthly_usd, currency, rate, 0, '/month')}"
        estimate = " · estimate" if entry.estimate else ""
        minimum = _price(entry.minimum_monthly_usd, currency, rate, 0, "/month")
        if entry.usd_per_million_dimensions_month:
            per_dims = _price(
                entry.usd_per_million_dimensions_month, currency, rate, 3, "/M dims-month"
            )
            return f"min {minimum} · {per_dims}{estimate}"
        return (
            f"min {minimum} · "
            f"{_price(entry.storage_usd_per_gb_month, currency, rate, 2, '/GB')}{estimate}"
        )
    return ""


def picker_entries(
    document: ProjectDocument, catalog_name: str
) -> Callable[[], list[tuple[str, str, str, str]]]:
    """A function giving (id, name, figures, tooltip) for every entry of one catalog, with the
    project's overrides applied and marked."""
    state: dict[str, object] = {}

    def entries() -> list[tuple[str, str, str, str]]:
        overrides = document.project.catalog_overrides
        if catalog_name in _NO_OFFERING:
            if state.get("overrides") is not overrides:
                state["overrides"] = overrides
                state["entries"] = _offering_entries(document, catalog_name)
            listed = state["entries"]
            assert isinstance(listed, list)
            return listed
        project = document.project
        key = (project.currency, project.usd_exchange_rate)
        # The same list until the overrides or the currency change.
        if state.get("overrides") is overrides and state.get("money") == key:
            cached = state["entries"]
            assert isinstance(cached, list)
            return cached
        catalogs = catalogs_for(overrides)
        catalog = getattr(catalogs, catalog_name)
        out = []
        for entry in catalog:
            marker = " (project override)" if catalog.is_overridden(entry.id) else ""
            figures = f"{entry_figures(entry, *key)} · as of {entry.as_of}"
            tip = f"{entry.name} ({entry.id})\nSource: {entry.source}\nAs of: {entry.as_of}"
            if entry.notes:
                tip += f"\n\n{entry.notes}"
            out.append((entry.id, f"{entry.name}{marker}", figures, tip))
        state["overrides"], state["entries"], state["money"] = overrides, out, key
        return out

    return entries


def default_figure(
    document: ProjectDocument, path: tuple[str | int, ...]
) -> Callable[[], float | None] | None:
    """For an optional field, a function giving the figure the engine uses when it is empty."""
    name = str(path[-1])

    def context() -> Context:
        return context_for(document.project, document.scenario)

    def serving_option() -> ServingOption:
        return document.scenario.serving.for_strategy(str(path[-2]))

    def guarded(lookup: Callable[[], float]) -> Callable[[], float | None]:
        def run() -> float | None:
            try:
                return float(lookup())
            except (CatalogError, KeyError, ValueError, AttributeError):
                return None

        return run

    if path[0] == "cost_overrides":
        strategy, component = name.split(".", 1)

        def computed() -> float | None:
            evaluation = document.evaluation
            if evaluation is None:
                return None
            for item in evaluation.strategies[strategy].components:
                if item.key == component:
                    return item.figure.value
            return None

        return computed
    if name == "gpus_per_replica":
        strategy = str(path[-2])

        def derived() -> float | None:
            evaluation = document.evaluation
            if evaluation is None:
                return None
            fig = evaluation.strategies[strategy].figures.get("serving_gpus_per_replica")
            return None if fig is None else float(fig.value)

        return derived
    if path[0] == "people" and len(path) == 3:
        strategy = str(path[1])
        return guarded(lambda: default_effort(context(), strategy, name).value)
    if name == "training_gpu_hour_price":
        return guarded(
            lambda: context().gpu_hour_price(
                context().gpu(document.scenario.fine_tuning.training_gpu),
                None,
                document.scenario.fine_tuning.training_gpu_offering,
            )[0]
        )
    if name == "gpu_hour_price":
        return guarded(
            lambda: context().gpu_hour_price(
                context().gpu(serving_option().gpu), None, serving_option().gpu_offering
            )[0]
        )
    if name == "embedding_price_per_million_tokens":
        return guarded(
            lambda: context().from_usd(
                context()
                .catalogs.embedding_models.get(document.scenario.rag.embedding_model)
                .usd_per_million_tokens
            )
        )
    if name == "retrieval_latency_ms":
        return guarded(
            lambda: (
                context()
                .catalogs.vector_stores.get(document.scenario.rag.vector_store)
                .typical_query_latency_ms
            )
        )
    if name in ("api_input_price_per_million", "api_output_price_per_million"):
        attribute = "input_per_million_usd" if "input" in name else "output_per_million_usd"

        def api() -> float | None:
            if not api_prices_loaded():  # never pay the price-data load just for a grey hint
                return None
            try:
                price = api_price(serving_option().api_model)
            except CatalogError:
                return None
            return float(context().from_usd(getattr(price, attribute)))

        return api
    return None
