"""The cheapest setup that meets the requirements, per strategy.

For each strategy the solver searches the catalogs — API models (genai-prices) and regional
offerings; self-hosted base model × GPU × GPU offer (catalog price, a regional cloud, or the
client's own servers) × bytes per weight × concurrent streams; embedding model × vector store —
for the lowest total cost of ownership that meets every *must*: hard compliance items (data
residency in particular), and latency targets marked *must* (p50 full answer, p50 first token,
p95 full answer).

How it stays fast (the whole bundled catalog in well under a second):

1. *Screen, vectorised.*  A strategy's TCO is a sum of components, and the choices touch
   separate ones: the serving choice sets the serving/generation components (and the operations
   effort's default), the retrieval choice the embedding/vector-store components, the base model
   the training components.  Each part is priced by the engine's own component functions — the
   self-hosted ones once per (model, GPU, offer) on a column of 12 bytes-per-weight × streams
   settings, as the Monte Carlo pass does — and the parts are added for every combination with
   numpy, with the latencies (additive by construction: retrieval + generation) and the regions.
2. *Verify exactly.*  The cheapest feasible combinations are applied to the scenario and run
   through the full evaluation; only those the evaluation does not exclude are offered.  So what
   the solver shows is what the scorecard will show after "Apply".

The screen leaves flat cost overrides alone (an overridden component costs the same whatever is
chosen).  Fine-tuning and hybrid keep their provider API model when served by an API (a
fine-tuned model lives with the provider it was trained on); their self-hosted search varies the
base model, which also changes training cost.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine import numbers as nf
from engine.catalog import CatalogError, api_models
from engine.compliance import compliance_verdicts, excluded_by_compliance
from engine.context import Context, prompt_tokens, v
from engine.costs import (
    Component,
    _people_components,
    _retrieval_components,
    _serving_components,
    _training_components,
    cost_models,
    effective_retrain_interval,
    fine_tuning_cost,
    growth_vector,
    hybrid_cost,
    rag_cost,
    tco_figure,
)
from engine.evaluate import EvaluationError, context_for, evaluate
from engine.latency import latency_figures, p95_figure
from engine.model.base import Estimate
from engine.model.project import Project
from engine.model.scenario import (
    OWNED_OFFER,
    REGION_NAMES,
    STRATEGIES,
    STRATEGY_NAMES,
    Need,
    Scenario,
    ServingMode,
    TargetNeed,
)
from engine.regions import default_api_hosting
from engine.scoring import latency_exclusions, latency_targets

Array = NDArray[np.float64]
StopFn = Callable[[], bool]

BYTES_PER_WEIGHT = (2.0, 1.0, 0.5)
STREAMS = (8.0, 16.0, 32.0, 64.0)
VERIFY = 12  # cheapest screened combinations verified by a full evaluation, per strategy
SERVING_KEYS = frozenset({"serving", "generation", "operations"})
RETRIEVAL_KEYS = frozenset(
    {
        "corpus_embedding",
        "vector_store",
        "reembedding",
        "query_embedding",
        "retrieval",
        "retrieval_servers",  # priced at the current serving GPU's rate in the screen
    }
)
TRAINING_KEYS = frozenset({"training_compute", "retrain"})


class SolverCancelled(Exception):
    """The search was stopped (a newer edit made it stale)."""


@dataclass(frozen=True)
class Candidate:
    """One setup that meets every must, with what it costs and what it trades."""

    strategy: str
    summary: str  # the setup in words
    changes: dict[str, Any]  # scenario field path ('serving.rag.gpu') → value
    tco: float
    latency_total: float
    latency_ttft: float
    latency_p95: float
    hosted_in: str  # region words
    trades: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StrategySolution:
    strategy: str
    name: str
    candidates: list[Candidate]
    searched: int  # combinations screened
    current_tco: float
    current_meets: bool
    unmet: list[str]  # when nothing qualifies: which must no catalog entry meets, and why
    notes: list[str] = field(default_factory=list)
    smallest_model_billion: float = 0.0  # self-hosted models below this size were not searched
    fewest_bytes_per_weight: float = 0.0  # self-hosted weights below this were not searched


@dataclass(frozen=True)
class Solution:
    scenario: str
    currency: str
    strategies: dict[str, StrategySolution]
    seconds: float

    @property
    def searched(self) -> int:
        return sum(s.searched for s in self.strategies.values())


# --- the search space --------------------------------------------------------------------


@dataclass
class _Part:
    """Screened options for one part of the setup, as parallel arrays."""

    tco: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)  # p50 full-answer contribution, s
    ttft: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)
    region: list[str | None] = field(default_factory=list)
    # How to write entry i out (its field changes and its words), built only when shown.
    makers: list[tuple[Callable[[int], tuple[dict[str, Any], str]], int]] = field(
        default_factory=list
    )
    mode: list[str] = field(default_factory=list)
    model: list[str] = field(default_factory=list)
    coarse: list[str] = field(default_factory=list)  # the choice without its fine settings

    def describe(self, index: int) -> tuple[dict[str, Any], str]:
        make, row = self.makers[index]
        return make(row)


def _contribution(c: Component, q: Array, retrains: float) -> float:
    """What one component adds to the TCO over the horizon (q: each month's volume)."""
    if c.kind == "one_time":
        return float(c.amount)
    if c.kind == "per_query":
        return float(c.amount * q.sum())
    if c.kind == "per_retrain":
        return float(c.amount * retrains)
    return float(np.sum(c.monthly(np.reshape(q, (1, -1)))))


def precisions(min_bytes: float) -> tuple[float, ...]:
    """The weight precisions (bytes per weight) searched when none below ``min_bytes`` may be:
    those of BYTES_PER_WEIGHT at or above it, or ``min_bytes`` itself when it is above them
    all (a scenario at 4 bytes keeps its 32-bit weights)."""
    kept = tuple(b for b in BYTES_PER_WEIGHT if b >= min_bytes)
    return kept or (min_bytes,)


def _columns(bytes_per_weight: tuple[float, ...]) -> tuple[Array, Array]:
    bpw = np.repeat(np.array(bytes_per_weight), len(STREAMS)).reshape(-1, 1)
    streams = np.tile(np.array(STREAMS), len(bytes_per_weight)).reshape(-1, 1)
    return bpw, streams


def _with(model: Any, path: str, value: Any) -> Any:
    """A copy of a model with one nested field replaced (no validation: catalog ids/values)."""
    head, _, rest = path.partition(".")
    if not rest:
        return model.model_copy(update={head: value})
    return model.model_copy(update={head: _with(getattr(model, head), rest, value)})


def _apply_changes(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """The scenario with the changes applied and validated (what 'Apply' does)."""
    data = scenario.model_dump()
    for path, value in changes.items():
        node = data
        *parents, name = path.split(".")
        for parent in parents:
            node = node[parent]
        node[name] = value
    return Scenario.model_validate(data)


def apply_candidate(scenario: Scenario, candidate: Candidate) -> Scenario:
    return _apply_changes(scenario, candidate.changes)


def _serving_options(
    ctx: Context, key: str, q: Array, prompt: float, allowed: Callable[[str | None], bool],
    stop: StopFn, floor: float, min_bytes: float = 0.0,
) -> _Part:  # fmt: skip
    s = ctx.scenario
    option = s.serving.for_strategy(key)
    part = _Part()
    out_tokens = v(s.workload.output_tokens_per_query)
    # --- API models ---
    api_pairs: list[tuple[str, str]] = []  # (api model ref, offering id)
    if key == "rag":
        for ref, price in api_models().items():
            window = price.context_window
            if window is not None and window < prompt + out_tokens:
                continue
            api_pairs.append((ref, ""))
        api_pairs += [(o.api_model, o.id) for o in ctx.offerings.api.values()]
    elif option.mode is ServingMode.api:
        api_pairs.append((option.api_model, option.api_offering))
    ttft = v(option.api_time_to_first_token_s) + prompt / v(option.api_prefill_tokens_per_s)
    total = ttft + out_tokens / v(option.api_decode_tokens_per_s)
    p95 = total * v(option.api_p95_factor)
    catalog = api_models()
    mult = v(option.api_price_multiplier)
    for ref, offering_id in api_pairs:
        if offering_id:
            offering = ctx.offerings.api_offering(offering_id)
            region: str | None = offering.region
            where = offering.name
            factor = offering.price_factor
        else:
            region, _ = default_api_hosting(ref)
            where = f"{ref} ({region}, provider's endpoint)"
            factor = 1.0
        if not allowed(region):
            continue
        if key != "rag":  # the fine-tuned model's own API, priced as the scenario says
            try:
                inp, out, _ = ctx.api_prices(option)
            except CatalogError:
                continue
        else:
            listed = catalog.get(ref)
            if listed is None:
                continue
            inp = ctx.from_usd(listed.input_per_million_usd) * mult * factor
            out = ctx.from_usd(listed.output_per_million_usd) * mult * factor
        per_query = (prompt * inp + out_tokens * out) / 1e6
        part.tco.append(per_query * float(q.sum()))
        part.total.append(total)
        part.ttft.append(ttft)
        part.p95.append(p95)
        part.region.append(region)

        def api_choice(
            _row: int, ref: str = ref, offering_id: str = offering_id, where: str = where
        ) -> tuple[dict[str, Any], str]:
            change: dict[str, Any] = {
                f"serving.{key}.mode": "api",
                f"serving.{key}.api_model": ref,
                f"serving.{key}.api_offering": offering_id,
            }
            if key == "rag":
                change[f"serving.{key}.api_input_price_per_million"] = None
                change[f"serving.{key}.api_output_price_per_million"] = None
            return change, f"API: {where}"

        part.makers.append((api_choice, 0))
        part.mode.append("api")
        part.model.append("")
        listed_name = catalog[ref].name if ref in catalog else ref
        part.coarse.append(f"api:{listed_name}:{region}:{offering_id}")
    # --- self-hosted: model × GPU × offer, up to 12 precision/streams settings at once ---
    bpw, streams = _columns(precisions(min_bytes))
    hw = s.owned_hardware
    base_option = option.model_copy(
        update={
            "mode": ServingMode.self_hosted,
            "gpu_hour_price": None,
            "bytes_per_parameter": Estimate.model_construct(likely=bpw),  # type: ignore[arg-type]
            "concurrent_streams_per_replica": Estimate.model_construct(
                likely=streams  # type: ignore[arg-type]
            ),
        }
    )
    for model in ctx.catalogs.base_models:
        if model.parameters_billion < floor:
            continue  # smaller than the model size the search keeps
        for gpu in ctx.catalogs.gpus:
            offers: list[tuple[str, str | None, str]] = [("", None, "catalog price")]
            offers += [
                (o.id, o.region, o.name) for o in ctx.offerings.gpu.values() if o.gpu == gpu.id
            ]
            if hw.gpu == gpu.id:
                offers.append((OWNED_OFFER, "own", "own servers"))
            for offer_id, region, offer_words in offers:
                if stop():
                    raise SolverCancelled
                if not allowed(region):
                    continue
                changed = base_option.model_copy(
                    update={"gpu": gpu.id, "gpu_offering": offer_id, "self_hosted_model": model.id}
                )
                scenario = s.model_copy(
                    update={"serving": s.serving.model_copy(update={key: changed})}
                )
                if key != "rag":
                    scenario = _with(scenario, "fine_tuning.base_model", model.id)
                trial = dataclasses.replace(ctx, scenario=scenario, sampled=True)
                try:
                    comps, _, plan = _serving_components(trial, key, model.id, prompt)
                    t_ttft, t_total = latency_figures(trial, key, prompt, plan)
                    t_p95 = p95_figure(trial, key, t_total, plan)
                except (CatalogError, ArithmeticError, ValueError, ZeroDivisionError):
                    continue
                serving = next(c for c in comps if c.key == "serving")
                cost = np.sum(serving.monthly(np.reshape(q, (1, -1))), axis=-1)
                rows = np.broadcast_to(np.reshape(cost, (-1,)), (bpw.size,))
                p50s = np.broadcast_to(np.reshape(t_total.value, -1), (bpw.size,))
                ttfts = np.broadcast_to(np.reshape(t_ttft.value, -1), (bpw.size,))
                p95s = np.broadcast_to(np.reshape(t_p95.value, -1), (bpw.size,))
                ok = np.isfinite(rows) & np.isfinite(p95s)
                count = int(ok.sum())
                part.tco.extend(rows[ok].tolist())
                part.total.extend(p50s[ok].tolist())
                part.ttft.extend(ttfts[ok].tolist())
                part.p95.extend(p95s[ok].tolist())
                part.region.extend([region] * count)
                part.mode.extend(["self_hosted"] * count)
                part.model.extend([model.id] * count)
                part.coarse.extend([f"self:{model.id}:{gpu.id}:{offer_id}"] * count)

                def self_hosted(
                    i: int,
                    model_id: str = model.id,
                    model_name: str = model.name,
                    gpu_id: str = gpu.id,
                    gpu_name: str = gpu.name,
                    offer_id: str = offer_id,
                    offer_words: str = offer_words,
                ) -> tuple[dict[str, Any], str]:
                    change: dict[str, Any] = {
                        f"serving.{key}.mode": "self_hosted",
                        f"serving.{key}.gpu": gpu_id,
                        f"serving.{key}.gpu_offering": offer_id,
                        f"serving.{key}.gpu_hour_price": None,
                        f"serving.{key}.bytes_per_parameter": float(bpw[i, 0]),
                        f"serving.{key}.concurrent_streams_per_replica": float(streams[i, 0]),
                    }
                    if key == "rag":
                        change["serving.rag.self_hosted_model"] = model_id
                    else:
                        change["fine_tuning.base_model"] = model_id
                    words = (
                        f"{model_name} on {gpu_name} ({offer_words}), "
                        f"{precision_words(float(bpw[i, 0]))} weights, "
                        f"{int(streams[i, 0])} streams"
                    )
                    return change, words

                part.makers.extend((self_hosted, int(i)) for i in np.flatnonzero(ok))
    return part


def _retrieval_options(
    ctx: Context, key: str, q: Array, allowed: Callable[[str | None], bool]
) -> _Part:
    s = ctx.scenario
    part = _Part()
    hosted_region = s.rag.hosted_services_region.value
    factor = v(s.rag.retrieval_p95_factor)
    typed_ms = s.rag.retrieval_latency_ms
    for emb in ctx.catalogs.embedding_models:
        for store in ctx.catalogs.vector_stores:
            scenario = _with(_with(s, "rag.embedding_model", emb.id), "rag.vector_store", store.id)
            scenario = _with(scenario, "rag.embedding_price_per_million_tokens", None)
            trial = dataclasses.replace(ctx, scenario=scenario)
            try:
                comps, _ = _retrieval_components(trial, key)
            except (CatalogError, ArithmeticError, ValueError):
                continue
            # Self-hosted parts run with the serving (their region is the serving's); hosted
            # ones where the scenario says its hosted services are.
            hosted = [not e.self_hosted for e in (emb, store)]
            if any(hosted) and not allowed(hosted_region):
                continue
            region = (
                hosted_region
                if all(hosted)
                else "serving"
                if not any(hosted)
                else f"serving+{hosted_region}"
            )
            cost = sum(
                _contribution(c, q, 0.0)
                for c in comps
                if c.key in RETRIEVAL_KEYS and not c.overridden
            )
            search = typed_ms.likely if typed_ms is not None else store.typical_query_latency_ms
            p50 = (emb.typical_latency_ms + search) / 1000.0
            part.tco.append(cost)
            part.total.append(p50)
            part.ttft.append(p50)
            part.p95.append(p50 * factor)
            part.region.append(region)

            def retrieval_choice(
                _row: int,
                emb_id: str = emb.id,
                store_id: str = store.id,
                words: str = f"{emb.name} + {store.name}",
            ) -> tuple[dict[str, Any], str]:
                change = {
                    "rag.embedding_model": emb_id,
                    "rag.vector_store": store_id,
                    "rag.embedding_price_per_million_tokens": None,
                }
                return change, words

            part.makers.append((retrieval_choice, 0))
            part.mode.append("")
            part.model.append("")
            part.coarse.append(f"{emb.id}:{store.id}")
    return part


# --- solve ---------------------------------------------------------------------------------


def _region_rule(scenario: Scenario) -> tuple[Callable[[str | None], bool], str]:
    """Which hosting regions the residency item allows ('' when it is not a hard must)."""
    req = scenario.requirements
    if req.compliance.data_residency is not Need.hard:
        return (lambda _region: True), ""
    region = req.data_region.value
    if region == "own":
        # Own infrastructure only: self-hosted anywhere the client runs it; no provider API.
        return (lambda r: r not in ("EU", "US")), region
    return (lambda r: r in (region, "own")), region


def solve(
    project: Project,
    scenario: Scenario | str | None = None,
    *,
    keep: int = 3,
    should_stop: StopFn | None = None,
    keep_model_size: bool = True,
    min_parameters_billion: float | None = None,
    agree_with: Mapping[str, Any] | None = None,
    only: tuple[str, ...] = STRATEGIES,
    keep_precision: bool = True,
    min_bytes_per_weight: float | None = None,
) -> Solution:
    """The cheapest setups meeting every must, per strategy (see the module docstring).

    Answer quality is not scored, so by default a self-hosted model is never smaller than the
    one the scenario has for that strategy (``keep_model_size``): the search changes the GPU,
    the offering, the precision and the streams, not the model class the consultant chose.
    ``min_parameters_billion`` sets a floor of its own; with ``keep_model_size=False`` and no
    floor, any model in the catalog is a candidate (a smaller one is flagged in the trades).

    The same holds for the weights' precision (``keep_precision``): by default self-hosted
    weights are never stored in fewer bytes than the scenario's (8- and 4-bit quantization
    trade answer quality the search cannot see); ``min_bytes_per_weight`` sets a floor of its
    own (1.0: 8-bit or more), and with ``keep_precision=False`` and no floor 16-, 8- and
    4-bit weights are all searched.

    ``agree_with`` (scenario field path → value) keeps only setups that leave those fields as
    given — e.g. the retrieval RAG was given, which the hybrid shares; ``only`` limits the
    search to some strategies.
    """
    started = time.perf_counter()
    if not isinstance(scenario, Scenario):
        scenario = project.scenario(scenario)
    stop = should_stop or (lambda: False)
    try:
        current = evaluate(project, scenario)
    except EvaluationError:
        current = None
    ctx = context_for(project, scenario)
    models = cost_models(ctx)
    q0 = v(scenario.workload.queries_per_month)
    q = q0 * growth_vector(ctx)
    allowed, region = _region_rule(scenario)
    out: dict[str, StrategySolution] = {}
    for key in only:
        floor, floor_words = _model_floor(ctx, key, keep_model_size, min_parameters_billion)
        min_bytes = _precision_floor(scenario, key, keep_precision, min_bytes_per_weight)
        out[key] = _solve_strategy(
            project,
            scenario,
            ctx,
            key,
            models[key],
            q,
            allowed,
            region,
            keep,
            stop,
            current,
            floor,
            floor_words,
            agree_with or {},
            min_bytes,
        )
    return Solution(
        scenario=scenario.name,
        currency=project.currency,
        strategies=out,
        seconds=time.perf_counter() - started,
    )


def plain_value(value: Any) -> Any:
    """A value as the file would hold it (so 8.0 and 8 compare equal)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, Estimate):
        return plain_value(value.model_dump(exclude_none=True))
    return value


def agrees(changes: Mapping[str, Any], fixed: Mapping[str, Any]) -> bool:
    """Whether a setup's changes leave every field in ``fixed`` at its value there."""
    return all(plain_value(fixed[p]) == plain_value(v) for p, v in changes.items() if p in fixed)


def _model_floor(
    ctx: Context, key: str, keep_model_size: bool, min_parameters_billion: float | None
) -> tuple[float, str]:
    """The smallest self-hosted model searched (billions of parameters) and why, in words:
    the scenario's own model for this strategy (RAG's self-hosted model, the fine-tuned base
    model otherwise) when the size is kept, and/or the floor asked for."""
    floor, words = 0.0, ""
    if min_parameters_billion:
        floor, words = (
            min_parameters_billion,
            f"of at least {nf.number(min_parameters_billion)}B parameters",
        )
    if keep_model_size:
        s = ctx.scenario
        ref = s.serving.rag.self_hosted_model if key == "rag" else s.fine_tuning.base_model
        entry = ctx.catalogs.base_models.entries.get(ref or "")
        if entry is not None and entry.parameters_billion > floor:
            floor, words = entry.parameters_billion, f"no smaller than the scenario's {entry.name}"
    return floor, words


def _precision_floor(
    scenario: Scenario, key: str, keep_precision: bool, min_bytes_per_weight: float | None
) -> float:
    """The fewest bytes per weight searched for ``key``'s self-hosted serving: the scenario's
    own precision when it is kept (also when the scenario calls an API: its precision field
    then holds what self-hosting would start from), and/or the floor asked for."""
    floor = float(min_bytes_per_weight or 0.0)
    if keep_precision:
        floor = max(floor, float(scenario.serving.for_strategy(key).bytes_per_parameter.likely))
    return floor


def _limit_notes(floor: float, floor_words: str, min_bytes: float) -> list[str]:
    """What the search kept fixed because answer quality is not scored: the model size and
    the weights' precision."""
    notes = []
    if floor > 0:
        notes.append(
            f"self-hosted models {floor_words} only (answer quality is not scored, so the "
            "search keeps the model size; allow smaller models to search every size)"
        )
    if min_bytes > min(BYTES_PER_WEIGHT):
        notes.append(
            f"self-hosted weights of {precision_words(min_bytes)} or more only (quantization "
            "trades answer quality the search cannot see, so it keeps the precision; allow "
            "lower precision to search 8- and 4-bit weights)"
        )
    return notes


def precision_words(bytes_per_weight: float) -> str:
    """'16-bit' for 2 bytes per weight, '8-bit' for 1, '4-bit' for 0.5."""
    return f"{nf.number(bytes_per_weight * 8)}-bit"


def _musts(scenario: Scenario) -> list[tuple[str, str, float]]:
    """(figure, label, target) of each latency target marked must."""
    req = scenario.requirements
    items = [
        ("total", "p50 full answer", req.latency_target_s.likely, req.latency_need),
        ("ttft", "p50 first token", req.ttft_target_s.likely, req.ttft_need),
        ("p95", "p95 full answer", req.latency_p95_target_s.likely, req.latency_p95_need),
    ]
    return [(f, label, t) for f, label, t, need in items if need is TargetNeed.must]


def _solve_strategy(
    project: Project,
    scenario: Scenario,
    ctx: Context,
    key: str,
    model: Any,
    q: Array,
    allowed: Callable[[str | None], bool],
    region: str,
    keep: int,
    stop: StopFn,
    current: Any,
    floor: float = 0.0,
    floor_words: str = "",
    agree_with: Mapping[str, Any] | None = None,
    min_bytes: float = 0.0,
) -> StrategySolution:
    name = STRATEGY_NAMES[key]
    prompt = prompt_tokens(ctx, key)
    current_tco = float(model.tco(np.reshape(q[0], (-1, 1)))[0])
    current_ok = bool(current is not None and not current.strategies[key].excluded)
    # Structural exclusions (e.g. fine-tuning cannot cite sources): no setup lifts them.
    structural = []
    if current is not None:
        for reason in current.strategies[key].exclusion_reasons:
            if "latency target" in reason or "Data must stay" in reason:
                continue
            structural.append(reason)
    if structural:
        return StrategySolution(key, name, [], 0, current_tco, current_ok, [
            f"{name} {r.rstrip('.')} — no setup in the catalogs changes that"
            for r in structural])  # fmt: skip

    retrains = float(model.retrain_count)
    variable = SERVING_KEYS | RETRIEVAL_KEYS | TRAINING_KEYS
    fixed = current_tco - sum(
        _contribution(c, q, retrains)
        for c in model.components
        if c.key in variable and not c.overridden
    )
    serving = _serving_options(ctx, key, q, prompt, allowed, stop, floor, min_bytes)
    # Operations effort (its default depends on API vs self-hosted) per serving mode.
    ops: dict[str, float] = {}
    for mode in ("api", "self_hosted"):
        trial = dataclasses.replace(
            ctx, scenario=_with(ctx.scenario, f"serving.{key}.mode", ServingMode(mode))
        )
        comps = _people_components(trial, key)
        ops[mode] = sum(
            _contribution(c, q, 0.0) for c in comps if c.key == "operations" and not c.overridden
        )
    # Training cost per base model (fine-tuning and hybrid).
    training: dict[str, float] = {}
    if key != "rag":
        share = v(scenario.hybrid.training_share_pct) / 100.0 if key == "hybrid" else 1.0
        interval = (
            v(scenario.hybrid.retrain_interval_days)
            if key == "hybrid"
            else effective_retrain_interval(ctx)[0]
        )
        for base in ctx.catalogs.base_models:
            if base.parameters_billion < floor:
                continue
            trial = dataclasses.replace(
                ctx, scenario=_with(ctx.scenario, "fine_tuning.base_model", base.id)
            )
            try:
                comps, _, _, count = _training_components(trial, key, share, interval)
            except (CatalogError, ArithmeticError, ValueError):
                continue
            training[base.id] = sum(
                _contribution(c, q, float(count))
                for c in comps
                if c.key in TRAINING_KEYS and not c.overridden
            )
    s_tco = np.asarray(serving.tco) + np.array([ops[m] for m in serving.mode])
    if key != "rag":
        current_base = scenario.fine_tuning.base_model
        s_tco = s_tco + np.array(
            [training.get(m or current_base, np.inf) for m in serving.model], dtype=float
        )
    s_total, s_ttft, s_p95 = (np.asarray(a, dtype=float) for a in (
        serving.total, serving.ttft, serving.p95))  # fmt: skip
    if key == "fine_tuning":
        r = _Part(tco=[0.0], total=[0.0], ttft=[0.0], p95=[0.0], region=["serving"],
                  makers=[(lambda _row: ({}, ""), 0)], mode=[""], model=[""],
                  coarse=[""])  # fmt: skip
        # Serving figures already exclude retrieval for fine-tuning.
    else:
        r = _retrieval_options(ctx, key, q, allowed)
        # The serving latencies above include the scenario's current retrieval: take it out.
        emb = ctx.catalogs.embedding_models.get(scenario.rag.embedding_model)
        store = ctx.catalogs.vector_stores.get(scenario.rag.vector_store)
        typed = scenario.rag.retrieval_latency_ms
        search = typed.likely if typed is not None else store.typical_query_latency_ms
        cur = (emb.typical_latency_ms + search) / 1000.0
        api = np.array([m == "api" for m in serving.mode])
        # API latencies were computed without retrieval; self-hosted ones with the current one.
        s_total = np.where(api, s_total, s_total - cur)
        s_ttft = np.where(api, s_ttft, s_ttft - cur)
        s_p95 = np.where(api, s_p95, s_p95 - cur * v(scenario.rag.retrieval_p95_factor))
    searched = len(serving.tco) * len(r.tco)
    if not serving.tco or not r.tco:
        return StrategySolution(key, name, [], searched, current_tco, current_ok, [
            _nothing_hosted(name, region)], _limit_notes(floor, floor_words, min_bytes),
            floor, min_bytes)  # fmt: skip
    total = fixed + s_tco[:, None] + np.asarray(r.tco)[None, :]
    lat = {
        "total": s_total[:, None] + np.asarray(r.total)[None, :],
        "ttft": s_ttft[:, None] + np.asarray(r.ttft)[None, :],
        "p95": s_p95[:, None] + np.asarray(r.p95)[None, :],
    }
    feasible = np.isfinite(total)
    unmet: list[str] = []
    for figure_key, label, target in _musts(scenario):
        meets = lat[figure_key] <= target
        if not np.any(meets & feasible):
            best = float(np.min(np.where(feasible, lat[figure_key], np.inf)))
            unmet.append(
                f"{name}: no setup in the catalogs meets the {label} must of "
                f"{nf.number(target)} s (fastest: {nf.fixed(best, 2)} s)"
            )
        feasible &= meets
    # A self-hosted embedding/vector store is where the serving is: it needs serving in region.
    if region and region != "own":
        r_needs_serving = np.array([rg is not None and "serving" in rg for rg in r.region])
        s_in_region = np.array([rg in (region, "own") for rg in serving.region])
        feasible &= ~(r_needs_serving[None, :] & ~s_in_region[:, None])
    if agree_with and not unmet:
        s_ok = np.array(
            [agrees(serving.describe(i)[0], agree_with) for i in range(len(serving.tco))]
        )
        r_ok = np.array([agrees(r.describe(j)[0], agree_with) for j in range(len(r.tco))])
        feasible &= s_ok[:, None] & r_ok[None, :]
        if not np.any(feasible):
            unmet.append(
                f"{name}: no setup that keeps the choices made for the other strategies "
                "meets every must"
            )
    if unmet:
        # What the search left out may be why nothing met the musts: the notes say so.
        return StrategySolution(key, name, [], searched, current_tco, current_ok, unmet,
            _limit_notes(floor, floor_words, min_bytes), floor, min_bytes)  # fmt: skip
    flat = np.where(feasible, total, np.inf).ravel()
    # Cheapest first; among equal costs the lower p95 (more streams cost nothing at low load).
    order = np.lexsort((lat["p95"].ravel(), np.round(flat, 2)))
    verified: list[Candidate] = []
    seen: set[str] = set()
    tried = 0
    for index in order:
        if not np.isfinite(flat[index]) or tried >= VERIFY or len(verified) >= keep:
            break
        if stop():
            raise SolverCancelled
        i, j = divmod(int(index), len(r.tco))
        coarse = f"{serving.coarse[i]}|{r.coarse[j]}"
        if coarse in seen:
            continue
        serving_changes, serving_words = serving.describe(i)
        retrieval_changes, retrieval_words = r.describe(j)
        changes = {**serving_changes, **retrieval_changes}
        summary = serving_words + (f"; retrieval: {retrieval_words}" if retrieval_words else "")
        coarse = f"{serving.coarse[i]}|{r.coarse[j]}"
        if coarse in seen:
            continue
        seen.add(coarse)
        tried += 1
        try:
            applied = _apply_changes(scenario, changes)
            checked = _verify(project, applied, key)
        except (CatalogError, ArithmeticError, ValueError):
            continue
        if checked is None:
            continue
        tco, ttft, total, p95 = checked
        verified.append(
            Candidate(
                strategy=key,
                summary=summary,
                changes=changes,
                tco=tco,
                latency_total=total,
                latency_ttft=ttft,
                latency_p95=p95,
                hosted_in=_hosted_words(serving.region[i], r.region[j]),
            )
        )
    if not verified:
        unmet.append(
            f"{name}: the cheapest setups screened did not pass the full evaluation (a must "
            "fails there); loosen a must or widen the catalogs"
            if np.any(np.isfinite(flat))
            else _nothing_hosted(name, region)
        )
    verified.sort(key=lambda c: c.tco)
    notes = [
        f"{c.figure.label} is a flat override: it costs the same whatever the setup"
        for c in model.components
        if c.overridden and c.key in variable
    ]
    notes += _limit_notes(floor, floor_words, min_bytes)
    return StrategySolution(
        key,
        name,
        _with_trades(verified, ctx, scenario, key),
        searched,
        current_tco,
        current_ok,
        unmet,
        notes,
        floor,
        min_bytes,
    )


_COST_MODEL = {"fine_tuning": fine_tuning_cost, "rag": rag_cost, "hybrid": hybrid_cost}


def _verify(
    project: Project, scenario: Scenario, key: str
) -> tuple[float, float, float, float] | None:
    """The strategy's exact TCO and latencies with a setup applied, or None when the
    evaluation excludes it (the same rules as the scorecard: hard compliance, latency musts)."""
    ctx = context_for(project, scenario)
    model = _COST_MODEL[key](ctx)
    tco = tco_figure(ctx, model).value
    ttft, total = latency_figures(ctx, key, prompt_tokens(ctx, key), model.serving)
    p95 = p95_figure(ctx, key, total, model.serving)
    targets = latency_targets(total.value, ttft.value, p95.value, scenario.requirements)
    verdicts = compliance_verdicts(ctx, key)
    if excluded_by_compliance(verdicts) or latency_exclusions(targets):
        return None
    return tco, ttft.value, total.value, p95.value


def _nothing_hosted(name: str, region: str) -> str:
    if region == "own":
        return f"{name}: no setup runs on own infrastructure only (residency is a hard must)"
    if region:
        return f"{name}: no catalog entry is hosted in {REGION_NAMES[region]} for every part"
    return f"{name}: no setup could be priced from the catalogs"


def _hosted_words(serving: str | None, retrieval: str | None) -> str:
    places = {serving, retrieval} - {None, "serving"}
    places = {p.split("+")[-1] if p else p for p in places}
    words = sorted(REGION_NAMES.get(p or "", p or "") for p in places if p)
    if serving is None:
        words.append("serving GPUs where you rent them")
    return ", ".join(words) or "as the inputs say"


def _model_name(ctx: Context, ref: str | None) -> str:
    """A model as the client reads it: the catalog's or the price list's name, not its id."""
    if not ref:
        return "none"
    if ":" in ref:
        price = api_models().get(ref)
        return f"{price.provider} {price.name}" if price is not None else ref
    entry = ctx.catalogs.base_models.entries.get(ref)
    return entry.name if entry is not None else ref


def _model_trade(candidate: Candidate, scenario: Scenario, key: str, ctx: Context) -> list[str]:
    """A different model than the scenario's: quality is not scored, so say so."""
    option = scenario.serving.for_strategy(key)
    if option.mode is ServingMode.api:
        now = option.api_model
    elif key == "rag":
        now = option.self_hosted_model
    else:
        now = scenario.fine_tuning.base_model
    new = (
        candidate.changes.get(f"serving.{key}.api_model")
        or candidate.changes.get("serving.rag.self_hosted_model" if key == "rag" else "")
        or candidate.changes.get("fine_tuning.base_model")
    )
    if new and new != now:
        return [
            f"model {_model_name(ctx, new)} instead of {_model_name(ctx, now)}: "
            "answer quality is not scored — check it"
        ]
    return []


# Fields two strategies share: RAG and hybrid retrieve alike; fine-tuning and hybrid train the
# same base model.  A setup that changes one changes the other strategy too.
_SHARED = (
    ("rag.", ("rag", "hybrid"), "retrieval"),
    ("fine_tuning.base_model", ("fine_tuning", "hybrid"), "base model"),
)


def _shared_trade(candidate: Candidate, scenario: Scenario, key: str) -> list[str]:
    """Say when applying a setup also changes another strategy (through a shared field)."""
    out = []
    for prefix, keys, what in _SHARED:
        if key not in keys:
            continue
        changed = any(
            path.startswith(prefix) and plain_value(value) != plain_value(_current(scenario, path))
            for path, value in candidate.changes.items()
        )
        if changed:
            others = " and ".join(STRATEGY_NAMES[k] for k in keys if k != key)
            out.append(f"also changes {others}'s {what} (shared)")
    return out


def _current(scenario: Scenario, path: str) -> Any:
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part, None)
    return node


def _with_trades(
    candidates: list[Candidate], ctx: Context, scenario: Scenario, key: str
) -> list[Candidate]:
    """What each candidate gives up or gains against the cheapest."""
    if not candidates:
        return candidates
    best = candidates[0]
    out = [
        dataclasses.replace(
            best,
            trades=[
                "cheapest that meets every must",
                *_model_trade(best, scenario, key, ctx),
                *_shared_trade(best, scenario, key),
            ],
        )
    ]
    for c in candidates[1:]:
        extra = nf.money(c.tco - best.tco, ctx.money)
        same = extra == nf.money(0.0, ctx.money)
        trades = ["same cost" if same else f"+{extra} over the horizon"]
        trades += _model_trade(c, scenario, key, ctx)
        trades += _shared_trade(c, scenario, key)
        if c.latency_p95 < best.latency_p95 - 0.05:
            trades.append(
                f"faster: p95 {nf.fixed(c.latency_p95, 2)} s against "
                f"{nf.fixed(best.latency_p95, 2)} s"
            )
        elif c.latency_p95 > best.latency_p95 + 0.05:
            trades.append(f"slower: p95 {nf.fixed(c.latency_p95, 2)} s")
        if c.hosted_in != best.hosted_in:
            trades.append(f"hosted in {c.hosted_in}")
        out.append(dataclasses.replace(c, trades=trades))
    return out


def solution_json(solution: Solution) -> dict[str, Any]:
    """The solution as plain JSON (``ftrag solve --json``)."""
    return {
        "scenario": solution.scenario,
        "currency": solution.currency,
        "seconds": round(solution.seconds, 3),
        "combinations_searched": solution.searched,
        "strategies": {
            key: {
                "name": s.name,
                "current_tco": s.current_tco,
                "current_meets_every_must": s.current_meets,
                "unmet": s.unmet,
                "notes": s.notes,
                "smallest_model_billion": s.smallest_model_billion,
                "fewest_bytes_per_weight": s.fewest_bytes_per_weight,
                "candidates": [
                    {
                        "summary": c.summary,
                        "tco": c.tco,
                        "latency_total_s": c.latency_total,
                        "latency_ttft_s": c.latency_ttft,
                        "latency_p95_s": c.latency_p95,
                        "hosted_in": c.hosted_in,
                        "trades": c.trades,
                        "changes": c.changes,
                    }
                    for c in s.candidates
                ],
            }
            for key, s in solution.strategies.items()
        },
    }


def solution_text(solution: Solution) -> str:
    """The solution in plain text (``ftrag solve``)."""
    money = solution.currency
    lines = [
        f"Cheapest setups that meet every must — scenario {solution.scenario!r}",
        f"({nf.count(solution.searched)} combinations searched in "
        f"{nf.fixed(solution.seconds, 2)} s)",
    ]
    for s in solution.strategies.values():
        state = "meets every must" if s.current_meets else "misses a must"
        lines += ["", f"{s.name} — now {nf.money(s.current_tco, money)} ({state})"]
        for i, c in enumerate(s.candidates, 1):
            lines.append(
                f"  {i}. {nf.money(c.tco, money)} · p95 {nf.fixed(c.latency_p95, 2)} s · "
                f"p50 {nf.fixed(c.latency_total, 2)} s · hosted in {c.hosted_in}"
            )
            lines.append(f"     {c.summary}")
            lines.append(f"     trades: {'; '.join(c.trades)}")
        for reason in s.unmet:
            lines.append(f"  none: {reason}")
        for note in s.notes:
            lines.append(f"  note: {note}")
    return "\n".join(lines) + "\n"
