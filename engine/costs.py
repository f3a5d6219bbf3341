"""Cost of each strategy, every component separately.

    TCO_s(Q) = one_time_s + Σ_month [ monthly_s(Q_m) + Q_m × per_query_s ] + retrains_s × retrain_s

A strategy is a :class:`CostModel`: its components, each a one-time sum, a per-retrain sum, a
per-query price, or a monthly cost that may depend on the month's volume (self-hosted replicas
and vector-store minimums make it a step function).  The same model produces the breakdown at
the scenario's volume, the TCO curves and the crossovers, so the figures always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine import hardware, price_age
from engine import numbers as nf
from engine.context import (
    DAYS_PER_MONTH,
    HOURS_ALWAYS_ON,
    HOURS_BUSINESS,
    Context,
    column,
    figure,
    opt,
    prompt_tokens,
    scalar,
    v,
)
from engine.hardware import ServingPlan, TrainingPlan, serving_plan, training_plan
from engine.model.catalog_entries import VectorStoreEntry
from engine.model.results import CostComponent, Figure
from engine.model.scenario import (
    COST_COMPONENTS,
    OWNED_OFFER,
    STRATEGY_NAMES,
    Availability,
    ServingMode,
    ServingOption,
    TrainingVenue,
)
from engine.owned import owned_capex_figure, owned_price_figure
from engine.people import people_figures

Array = NDArray[np.float64]
MonthlyFn = Callable[[Array], Array]
BLOCK_CELLS = 2**16  # volume × month cells priced at once (half a megabyte of floats a matrix)
# Builds a component whose figure reads the scenario's month-1 volume again, at the volume of
# another context, with the strategy figures that read it too (see CostModel.at_volume).
AtVolume = Callable[[Context], tuple["Component", dict[str, Figure]]]


@dataclass
class Component:
    key: str
    kind: str  # one_time | monthly | per_query | per_retrain
    figure: Figure  # the value at the scenario's volume (month 1 for monthly)
    amount: float = 0.0  # one_time / per_query / per_retrain amount, or a flat monthly amount
    monthly_fn: MonthlyFn | None = None  # volume-dependent monthly cost
    overridden: bool = False
    at_volume: AtVolume | None = None  # set when the figure reads the month-1 volume

    def monthly(self, q: Array) -> Array:
        if self.monthly_fn is not None:
            return self.monthly_fn(q)
        return q * 0.0 + self.amount


@dataclass
class CostModel:
    strategy: str
    components: list[Component]
    retrain_months: list[int]  # month index (0-based) of each retrain inside the horizon
    retrain_count: float  # len(retrain_months); a sample column in a Monte Carlo pass
    growth: Array  # volume multiplier per month: (1 + g)^m
    figures: dict[str, Figure] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    serving: ServingPlan | None = None
    sampled: bool = False  # built for a Monte Carlo pass: rows of volumes are sample rows
    one_time: float = field(init=False)
    per_query: float = field(init=False)
    per_retrain: float = field(init=False)

    def of_kind(self, kind: str) -> list[Component]:
        return [c for c in self.components if c.kind == kind]

    def __post_init__(self) -> None:
        # Sums used on every TCO evaluation, computed once (the crossover search calls tco()
        # many times per edit), in one pass: each adds its components' amounts in order, from 0.
        sums: dict[str, float] = {"one_time": 0, "per_query": 0, "per_retrain": 0, "monthly": 0}
        self._monthly_fns: list[MonthlyFn] = []
        for c in self.components:
            if c.kind == "monthly" and c.monthly_fn is not None:
                self._monthly_fns.append(c.monthly_fn)
            else:
                sums[c.kind] = sums[c.kind] + c.amount
        self.one_time = sums["one_time"]
        self.per_query = sums["per_query"]
        self.per_retrain = sums["per_retrain"]
        self._monthly_flat = sums["monthly"]
        self._months = len(self.growth)
        self._flat_growth = bool(np.all(self.growth == 1.0))
        self._priced: dict[tuple[Any, ...], Array] = {}

    def monthly_matrix(self, q0: Array) -> Array:
        """Running cost of every month (rows: base volumes q0, columns: months).

        ``q0`` is flattened to a column, so a (N, 1) column of sampled volumes lines up with
        (N, 1) columns of sampled prices in a Monte Carlo pass."""
        q = np.reshape(q0, (-1, 1)) * self.growth
        total = q * self.per_query + self._monthly_flat
        for fn in self._monthly_fns:
            total = total + fn(q)
        return total

    def tco(self, q0: Array) -> Array:
        """Total cost over the horizon for each base monthly volume in ``q0``.

        Under growth every volume takes a row of months.  A deterministic model prices many
        volumes in blocks of rows whose month matrices stay in the CPU's cache (at a 600-month
        horizon that is three times faster than one matrix of every row); each row is
        computed as it would be alone.  A Monte Carlo model's rows are its sample rows, priced
        together."""
        fixed = self.one_time + self.retrain_count * self.per_retrain
        if self._flat_growth:  # every month alike: one month × horizon
            q = np.reshape(q0, (-1, 1))
            month = q * self.per_query + self._monthly_flat
            for fn in self._monthly_fns:
                month = month + fn(q)
            total = fixed + self._months * month
        elif self.sampled or np.size(q0) * self._months <= BLOCK_CELLS:
            total = fixed + self.monthly_matrix(q0).sum(axis=1, keepdims=True)
        else:
            rows = np.reshape(q0, -1)
            step = max(1, BLOCK_CELLS // self._months)
            total = np.concatenate(
                [
                    fixed + self.monthly_matrix(rows[i : i + step]).sum(axis=1, keepdims=True)
                    for i in range(0, len(rows), step)
                ]
            )
        return np.reshape(total, -1)

    def tco_kept(self, name: tuple[Any, ...], volumes: Array) -> Array:
        """``tco(volumes)``, kept by this model under ``name``, which says which volumes they
        are (the crossover grid; a curve's point count and range): a model kept across edits
        (engine.evaluate) prices them once.  The array is shared: read it, never write it."""
        found = self._priced.get(name)
        if found is None:
            found = self._priced[name] = self.tco(volumes)
        return found

    def cumulative(self, q0: float) -> Array:
        """Cumulative spend at the end of each month (one-time spend paid in month 1)."""
        monthly = self.monthly_matrix(np.array([q0], dtype=float))[0]
        lumps = np.zeros_like(monthly)
        for month in self.retrain_months:
            lumps[month] += self.per_retrain
        return self.one_time + np.cumsum(monthly + lumps)

    def monthly_fixed_at(self, q0: float) -> float:
        q = column(q0)
        return scalar(sum(c.monthly(q) for c in self.of_kind("monthly")))

    def results(self) -> list[CostComponent]:
        return [
            CostComponent(key=c.key, kind=c.kind, figure=c.figure, overridden=c.overridden)  # type: ignore[arg-type]
            for c in self.components
        ]

    def at_volume(self, ctx: Context) -> CostModel:
        """This model with the figures that read the month-1 volume built at ``ctx``'s.

        Nothing else in a model reads that volume: the cost functions, the sums and every other
        figure are the same at any volume, so ``cost_models`` of a context that differs from
        this model's only in the volume gives exactly ``at_volume(ctx)`` of it (the evaluation
        keeps models across volume edits this way).  This model is left as it is."""
        components = list(self.components)
        figures = dict(self.figures)  # replaced keys keep their place
        rebuilt: list[int] = []
        keys: list[str] = []
        for index, component in enumerate(components):
            if component.at_volume is not None:
                components[index], read = component.at_volume(ctx)
                figures.update(read)
                rebuilt.append(index)
                keys += read
        model = replace(self, components=components, figures=figures)
        on = _flag_date(ctx)
        if on is not None:
            _flag_price_age(model, on, rebuilt, keys)
        return model


# --- shared pieces ---------------------------------------------------------------------------


def growth_vector(ctx: Context) -> Array:
    months = horizon_months(ctx)
    g = v(ctx.scenario.workload.monthly_growth_pct) / 100.0
    factors: Array = np.power(1.0 + g, np.arange(months, dtype=float))
    return factors


def retrain_count(ctx: Context, interval_days: float) -> float:
    """Retrains strictly inside the horizon: at interval, 2×interval, … (< horizon)."""
    horizon_days = horizon_months(ctx) * DAYS_PER_MONTH
    return np.maximum(0.0, np.ceil(horizon_days / interval_days - 1e-9) - 1.0)  # type: ignore[no-any-return]


def retrain_months(ctx: Context, interval_days: float) -> list[int]:
    """The month (0-based) of each retrain inside the horizon (for cumulative spend)."""
    if ctx.sampled:
        return []
    count = int(retrain_count(ctx, interval_days))
    return [int(k * interval_days / DAYS_PER_MONTH) for k in range(1, count + 1)]


def horizon_months(ctx: Context) -> int:
    """The horizon is a whole number of months and is never sampled (curves need one length)."""
    months = v(ctx.scenario.workload.horizon_months)
    return round(months if isinstance(months, float) else float(np.mean(months)))


def _component(
    ctx: Context,
    strategy: str,
    key: str,
    computed: Figure,
    *,
    monthly_fn: MonthlyFn | None = None,
    at_volume: AtVolume | None = None,
) -> Component:
    """A computed component, replaced by the scenario's flat override when one is given
    (``at_volume``: how to build it at another month-1 volume, when its figure reads it)."""
    label, kind, unit = COST_COMPONENTS[key]
    override = ctx.scenario.cost_overrides.get(f"{strategy}.{key}")
    unit = unit.replace("money", ctx.money)
    if override is not None:
        fig = figure(
            f"{strategy}.{key}",
            label,
            override,
            unit,
            "flat figure entered by the consultant (override)",
            {"computed value it replaces": (computed.value, unit)},
            note=""
            if ctx.sampled
            else f"Computed would be {nf.fixed(computed.value, 2)}: {computed.formula}",
        )
        return Component(key, kind, fig, amount=override, overridden=True, at_volume=at_volume)
    return Component(
        key, kind, computed, amount=computed.value, monthly_fn=monthly_fn, at_volume=at_volume
    )


def _training_components(
    ctx: Context, strategy: str, examples_share: float, interval_days: float
) -> tuple[list[Component], dict[str, Figure], list[str], float]:
    s = ctx.scenario
    ft, kn = s.fine_tuning, s.knowledge
    money = ctx.money
    rate = v(s.workload.engineering_rate_per_hour)
    examples = v(kn.training_examples) * examples_share
    tokens = examples * v(kn.tokens_per_example)
    epochs, runs = v(ft.epochs), v(ft.trial_runs)
    share = v(ft.retrain_data_share_pct) / 100.0
    figures: dict[str, Figure] = {}
    warnings: list[str] = []
    model = ctx.base_model(ft.base_model)

    if ft.venue is TrainingVenue.gpus:
        gpu = ctx.gpu(ft.training_gpu)
        price, price_source = ctx.gpu_hour_price(
            gpu, ft.training_gpu_hour_price, ft.training_gpu_offering
        )
        plan: TrainingPlan = training_plan(
            model,
            gpu,
            ft.method,
            ft.activation_recomputation,
            tokens,
            epochs,
            v(ft.mfu),
            np.round(v(ft.training_gpu_count)),
        )
        overhead = v(ft.overhead_gpu_hours_per_run)
        gpu_hours = (plan.gpu_hours_per_run + overhead) * runs
        figures["training_flops"] = figure(
            f"{strategy}.training_flops",
            "Training compute per run",
            plan.flops_per_run,
            "FLOP",
            "c × N × D × epochs (c = 6 full, 4 LoRA/QLoRA, +2 with recomputation)",
            {
                "c": (plan.flops_factor, "FLOP/param/token"),
                "N (parameters)": (model.parameters_billion * 1e9, "params"),
                "D (training tokens)": (tokens, "tokens"),
                "epochs": (epochs, ""),
            },
        )
        figures["training_gpu_hours"] = figure(
            f"{strategy}.training_gpu_hours",
            "Training GPU-hours (all runs)",
            gpu_hours,
            "GPU-hours",
            "(FLOPs ÷ (peak FLOP/s × MFU) ÷ 3600 + job overhead) × trial runs",
            {
                "peak": (gpu.peak_bf16_dense_tflops, "TFLOP/s dense BF16"),
                "GPU": (gpu.name, ""),
                "MFU": (v(ft.mfu), ""),
                "job overhead": (overhead, "GPU-hours/run"),
                "trial runs": (runs, ""),
            },
        )
        figures["training_memory"] = figure(
            f"{strategy}.training_memory",
            "Training memory",
            plan.memory_bytes / 1e9,
            "GB",
            "N × bytes per parameter (16 full, 2 LoRA, 0.6 QLoRA) × 1.2 overhead "
            "(activations, fragmentation, CUDA context)",
            {"N": (model.parameters_billion * 1e9, "params"), "method": (ft.method.value, "")},
        )
        figures["training_gpus"] = figure(
            f"{strategy}.training_gpus",
            "Training GPUs used",
            plan.gpus_used,
            "GPUs",
            "the GPUs typed when the training state, sharded across them, fits their memory; "
            "else the smallest count of 1, 2, 4 or whole 8-GPU servers above it that fits",
            {
                "typed": (scalar(np.round(v(ft.training_gpu_count))), "GPUs"),
                "training state": (plan.memory_bytes / 1e9, "GB"),
                "smallest count that fits": (plan.min_gpus, "GPUs"),
                "memory per GPU": (gpu.memory_gb, "GiB"),
            },
            note=(
                f"Raised from the {nf.number(scalar(np.round(v(ft.training_gpu_count))))} "
                f"typed: {nf.count(plan.memory_bytes / 1e9)} GB of training state does not "
                "fit on fewer."
                if plan.raised and not ctx.sampled
                else ""
            ),
        )
        figures["training_wall_hours"] = figure(
            f"{strategy}.training_wall_hours",
            "Training wall-clock time (all runs)",
            gpu_hours / plan.gpus_used,
            "hours",
            "GPU-hours ÷ GPUs used",
            {"GPU-hours": (gpu_hours, "GPU-hours"), "GPUs": (plan.gpus_used, "")},
        )
        overridden = f"{strategy}.training_compute" in ctx.scenario.cost_overrides
        requested = np.round(v(ft.training_gpu_count))
        if not ctx.sampled and plan.gpus_used > requested and not overridden:
            warnings.append(
                f"{model.name} with {ft.method.value} needs "
                f"{nf.count(plan.memory_bytes / 1e9)} GB to "
                f"train: raised training GPUs from {nf.number(requested)} to "
                f"{nf.number(plan.gpus_used)} × {gpu.name}."
            )
        compute = figure(
            f"{strategy}.training_compute",
            "Training compute",
            gpu_hours * price,
            money,
            "GPU-hours × price per GPU-hour",
            {
                "GPU-hours": (gpu_hours, "GPU-hours"),
                "price": (price, f"{money}/GPU-hour"),
                "price source": (price_source, ""),
            },
        )
        retrain_compute = ((plan.gpu_hours_per_run * share) + overhead) * price
        retrain_compute_formula = (
            "(GPU-hours of one run × share of data retrained + job overhead) × price"
        )
    else:
        price_m = v(ft.managed_price_per_million_training_tokens)
        compute = figure(
            f"{strategy}.training_compute",
            "Training (managed API)",
            price_m * tokens * epochs * runs / 1e6,
            money,
            "price per M training tokens × tokens × epochs × trial runs ÷ 1e6",
            {
                "price": (price_m, f"{money}/M tokens"),
                "training tokens": (tokens, "tokens"),
                "epochs": (epochs, ""),
                "trial runs": (runs, ""),
            },
        )
        retrain_compute = price_m * tokens * share * epochs / 1e6
        retrain_compute_formula = "price per M tokens × tokens × share retrained × epochs ÷ 1e6"

    labelling = v(kn.labelling_cost_per_example)
    lump = v(kn.data_preparation_lump_sum)
    prep = figure(
        f"{strategy}.data_preparation",
        "Data preparation",
        examples * labelling + lump,
        money,
        "examples × cost per example + lump sum",
        {
            "examples": (examples, "examples"),
            "cost per example": (labelling, money),
            "lump sum": (lump, money),
        },
    )
    eng_hours = v(ft.engineering_hours)
    engineering = figure(
        f"{strategy}.engineering",
        "Engineering set-up",
        eng_hours * rate,
        money,
        "hours × engineering rate",
        {"hours": (eng_hours, "h"), "rate": (rate, f"{money}/h")},
    )
    retrain_hours = v(ft.retrain_engineering_hours)
    retrain = figure(
        f"{strategy}.retrain",
        "Each retrain",
        retrain_compute + examples * share * labelling + retrain_hours * rate,
        f"{money}/retrain",
        f"{retrain_compute_formula} + examples × share × cost per example + hours × rate",
        {
            "compute": (retrain_compute, money),
            "share retrained": (share * 100, "%"),
            "examples": (examples, ""),
            "engineering hours": (retrain_hours, "h"),
        },
    )
    count = retrain_count(ctx, interval_days)
    figures["retrains"] = figure(
        f"{strategy}.retrains",
        "Retrains within the horizon",
        count,
        "retrains",
        "⌈horizon days ÷ interval⌉ − 1 (retrains strictly inside the horizon)",
        {
            "interval": (interval_days, "days"),
            "horizon": (horizon_months(ctx) * DAYS_PER_MONTH, "days"),
        },
    )
    comps = [
        _component(ctx, strategy, "training_compute", compute),
        _component(ctx, strategy, "data_preparation", prep),
        _component(ctx, strategy, "engineering", engineering),
        _component(ctx, strategy, "retrain", retrain),
    ]
    return comps, figures, warnings, count


def effective_retrain_interval(ctx: Context) -> tuple[float, str]:
    """The fine-tuning retrain interval, shortened to meet the freshness target if asked."""
    ft = ctx.scenario.fine_tuning
    interval = v(ft.retrain_interval_days)
    if not ft.retrain_to_meet_freshness:
        return interval, ""
    target = v(ctx.scenario.requirements.freshness_target_days)
    lead = v(ft.lead_time_days)
    if ctx.sampled:  # the same rule, sample by sample
        needed = np.maximum(1.0, target - lead)
        return np.where(target > lead, np.minimum(interval, needed), interval), ""  # type: ignore[return-value]
    if target <= lead:
        return interval, (
            f"The freshness target ({nf.number(target)} days) is shorter than the retrain "
            f"lead time "
            f"({nf.number(lead)} days): no retrain cadence can meet it; kept the "
            f"{nf.number(interval)}-day interval."
        )
    needed = max(1.0, target - lead)
    if needed < interval:
        return needed, (
            f"Retrain interval shortened from {nf.number(interval)} to {nf.number(needed)} "
            f"days to meet the "
            f"{nf.number(target)}-day freshness target (interval + {nf.number(lead)}-day "
            f"lead time ≤ target)."
        )
    return interval, ""


# --- serving -------------------------------------------------------------------------------


def _serving_components(
    ctx: Context, strategy: str, served_model_id: str, context_tokens: float
) -> tuple[list[Component], dict[str, Figure], ServingPlan | None]:
    s = ctx.scenario
    option = s.serving.for_strategy(strategy)
    money = ctx.money
    prompt_out = v(s.workload.output_tokens_per_query)
    figures: dict[str, Figure] = {}
    zero_unit = {"per_query": f"{money}/query", "monthly": f"{money}/month"}
    if option.mode is ServingMode.api:
        inp, out, source = ctx.api_prices(option)
        gen = figure(
            f"{strategy}.generation",
            "Generation (API tokens)",
            (context_tokens * inp + prompt_out * out) / 1e6,
            f"{money}/query",
            "(input tokens × input price + output tokens × output price) ÷ 1e6",
            {
                "input tokens": (context_tokens, "tokens"),
                "output tokens": (prompt_out, "tokens"),
                "input price": (inp, f"{money}/M tokens"),
                "output price": (out, f"{money}/M tokens"),
                "price source": (source, ""),
            },
        )
        none = figure(
            f"{strategy}.serving",
            "Self-hosted serving (GPUs)",
            0.0,
            zero_unit["monthly"],
            "not self-hosted: the API price covers serving",
        )
        return (
            [
                _component(ctx, strategy, "serving", none),
                _component(ctx, strategy, "generation", gen),
            ],
            figures,
            None,
        )

    model = ctx.base_model(served_model_id)
    gpu = ctx.gpu(option.gpu)
    price, price_source = ctx.gpu_hour_price(gpu, option.gpu_hour_price, option.gpu_offering)
    hours = HOURS_ALWAYS_ON if option.availability is Availability.always_on else HOURS_BUSINESS
    typed_gpus = opt(option.gpus_per_replica)
    owned = _on_owned_servers(option)
    if owned and hours != HOURS_ALWAYS_ON:
        # An owned server costs the whole month whether it serves 220 or 730 hours.
        price = price * HOURS_ALWAYS_ON / hours
        price_source += "; owned servers cost the whole month, so × 730 ÷ serving hours"
    plan = serving_plan(
        model,
        gpu,
        bytes_per_param=v(option.bytes_per_parameter),
        prompt_tokens=context_tokens,
        output_tokens=prompt_out,
        streams=np.round(v(option.concurrent_streams_per_replica)),
        bandwidth_efficiency=v(option.bandwidth_efficiency),
        mfu=v(option.inference_mfu),
        hours_per_month=hours,
        gpu_hour_price=price,
        gpus_per_replica=None if typed_gpus is None else np.round(typed_gpus),
        target_utilisation=v(option.target_utilisation),
        server_gpus=np.round(v(s.owned_hardware.gpus_per_server)) if owned else None,
        extra_gpus=_embedding_share_on_owned(ctx, strategy),
    )
    peak = v(s.workload.peak_to_average_load)
    streams = np.round(v(option.concurrent_streams_per_replica))
    busy = figure(
        f"{strategy}.serving_busy_seconds",
        "Replica time per query",
        plan.seconds_per_query_busy,
        "s",
        "prefill (alone on the replica) + output tokens × decode step at full batch ÷ "
        "concurrent requests",
        {
            "prefill": (plan.prefill_seconds, "s"),
            "output tokens": (prompt_out, "tokens"),
            "decode step at full batch": (plan.decode_step_seconds, "s"),
            "concurrent requests": (streams, "streams"),
            "one replica completes": (plan.replica_queries_per_s, "queries/s"),
        },
    )
    sizing = plan.sizing
    assert sizing is not None
    g = plan.gpus_per_replica
    gpu_note = ""
    if sizing.raised and not ctx.sampled:
        typed_count = sizing.gpus_requested or 1.0
        if typed_count not in hardware.serving_gpu_counts(model):
            why = (
                f"its {model.attention_heads} attention heads ({model.kv_heads} KV heads) "
                f"cannot be split over {nf.number(typed_count)} GPUs"
            )
        else:
            why = (
                f"it needs {nf.fixed(sizing.needed_per_gpu(model, typed_count) / 1e9, 1)} GB "
                f"per GPU on {nf.number(typed_count)}, more than the "
                f"{nf.fixed(sizing.usable_bytes_per_gpu / 1e9, 1)} GB usable"
            )
        gpu_note = f"Raised from the {nf.number(typed_count)} typed: {why}."
    gpus_per_replica = figure(
        f"{strategy}.serving_gpus_per_replica",
        "GPUs per replica",
        g,
        "GPUs",
        "smallest tensor-parallel count g (dividing the attention heads; whole 8-GPU servers "
        "beyond 8) with weights ÷ g + KV-cache share + runtime reserve ≤ GPU memory × "
        "utilisation" + ("" if typed_gpus is None else ", at or above the count typed"),
        {
            "model": (model.name, ""),
            "GPU": (gpu.name, ""),
            "typed": ("empty (derived)" if typed_gpus is None else typed_gpus, "GPUs"),
            "weights": (sizing.weights_bytes / 1e9, "GB"),
            "KV cache, all requests": (sizing.kv_cache_bytes / 1e9, "GB"),
            "per GPU at this count": (sizing.needed_per_gpu(model, g) / 1e9, "GB"),
            "GPU memory": (gpu.memory_gb, "GiB"),
            "memory utilisation (vLLM default)": (hardware.GPU_MEMORY_UTILIZATION, ""),
            "runtime reserve": (hardware.RUNTIME_RESERVE_GIB, "GiB/GPU"),
            "usable per GPU": (sizing.usable_bytes_per_gpu / 1e9, "GB"),
            "attention / KV heads": (f"{model.attention_heads} / {model.kv_heads}", ""),
            "smallest count that fits": (sizing.minimum_gpus, "GPUs"),
        },
        note=gpu_note,
    )
    decode = figure(
        f"{strategy}.decode_tokens_per_s",
        "Decode speed (one request)",
        plan.single_stream_tokens_per_s,
        "tokens/s",
        "1 ÷ (weight and KV bytes per GPU ÷ (bandwidth × efficiency) + tensor-parallel "
        "all-reduces: 2 per layer × (latency + 2(g−1)/g × activation bytes ÷ link bandwidth))",
        {
            "bandwidth": (gpu.memory_bandwidth_tb_s, "TB/s per GPU"),
            "GPUs": (g, ""),
            "efficiency": (v(option.bandwidth_efficiency), ""),
            "weights": (model.parameters_billion * v(option.bytes_per_parameter), "GB"),
            "all-reduces per step": (
                scalar(np.where(g > 1, hardware.ALLREDUCES_PER_LAYER * model.layers, 0.0)),
                "",
            ),
            "link": ("NVLink" if gpu.nvlink else "PCIe", ""),
            "all-reduce time per step, full batch": (plan.comm_seconds_per_step * 1000, "ms"),
        },
    )
    gen = figure(
        f"{strategy}.generation",
        "Generation (API tokens)",
        0.0,
        f"{money}/query",
        "self-hosted: generation is paid for by the GPUs",
    )
    owned_hour = owned_price_figure(ctx, strategy) if owned else None

    def serving_fn(q: Array) -> Array:
        return plan.monthly_cost(q, peak)

    def at_volume(at: Context) -> tuple[Component, dict[str, Figure]]:
        """The serving component and the figures that read the month-1 volume, at ``at``'s."""
        q0 = v(at.scenario.workload.queries_per_month)
        replicas = scalar(plan.replicas(column(q0), peak))
        monthly = scalar(plan.monthly_cost(column(q0), peak))
        read: dict[str, Figure] = {}
        read["serving_replicas"] = figure(
            f"{strategy}.serving_replicas",
            "Replicas at the scenario's volume",
            replicas,
            "replicas",
            "max(1, ⌈peak queries/s × replica time per query ÷ target utilisation⌉)",
            {
                "queries": (q0, "queries/month"),
                "peak-to-average": (peak, "×"),
                "serving hours": (hours, "h/month"),
                "peak queries/s": (plan.peak_queries_per_s(q0, peak), "queries/s"),
                "replica time per query": (plan.seconds_per_query_busy, "s"),
                "target utilisation": (plan.target_utilisation, ""),
            },
        )
        formula = "replicas × GPUs per replica × serving hours × price per GPU-hour"
        inputs: dict[str, tuple[float | str, str]] = {
            "replicas": (replicas, ""),
            "GPUs per replica": (plan.gpus_per_replica, ""),
        }
        if owned:
            gpus_used = replicas * plan.gpus_per_replica + plan.extra_gpus
            formula = (
                "whole servers × GPUs per server × serving hours × price per GPU-hour: a "
                "bought server costs its whole month, its idle GPUs too"
            )
            if plan.extra_gpus:
                inputs["self-hosted embedding"] = (plan.extra_gpus, "GPUs")
            inputs["GPUs used"] = (gpus_used, "GPUs")
            inputs["GPUs per server"] = (plan.server_gpus, "")
            inputs["GPUs paid (whole servers)"] = (
                scalar(plan.gpus_paid(column(q0), peak)),
                "GPUs",
            )
            read["owned_capex"] = owned_capex_figure(at, strategy, gpus_used)
        inputs["hours"] = (hours, "h/month")
        inputs["price"] = (price, f"{money}/GPU-hour")
        inputs["price source"] = (price_source, "")
        serving = figure(
            f"{strategy}.serving",
            "Self-hosted serving (GPUs)",
            monthly,
            f"{money}/month",
            formula,
            inputs,
        )
        component = _component(
            at, strategy, "serving", serving, monthly_fn=serving_fn, at_volume=at_volume
        )
        return component, read

    serving, read = at_volume(ctx)
    figures["serving_busy_seconds"] = busy
    figures["serving_replicas"] = read["serving_replicas"]
    figures["serving_gpus_per_replica"] = gpus_per_replica
    figures["decode_tokens_per_s"] = decode
    if owned_hour is not None:
        figures["owned_gpu_hour"] = owned_hour
        figures["owned_capex"] = read["owned_capex"]
    return [serving, _component(ctx, strategy, "generation", gen)], figures, plan


# --- retrieval -----------------------------------------------------------------------------


def embedding_price(ctx: Context) -> tuple[float, str]:
    rag = ctx.scenario.rag
    typed = opt(rag.embedding_price_per_million_tokens)
    if typed is not None:
        return typed, "typed"
    entry = ctx.catalogs.embedding_models.get(rag.embedding_model)
    return ctx.from_usd(
        entry.usd_per_million_tokens
    ), f"catalog: {entry.source}, as of {entry.as_of}"


def _retrieval_components(ctx: Context, strategy: str) -> tuple[list[Component], dict[str, Figure]]:
    s = ctx.scenario
    rag, kn = s.rag, s.knowledge
    money = ctx.money
    emb_price, emb_source = embedding_price(ctx)
    emb = ctx.catalogs.embedding_models.get(rag.embedding_model)
    store = ctx.catalogs.vector_stores.get(rag.vector_store)
    corpus = v(kn.corpus_tokens)
    chunks = np.ceil(corpus / v(rag.chunk_tokens))
    change = v(kn.corpus_change_pct_per_month) / 100.0
    metadata_bytes = v(rag.metadata_bytes_per_chunk)
    vector_bytes = emb.dimensions * VECTOR_BYTES_PER_DIMENSION
    record_bytes = vector_bytes + metadata_bytes
    storage_gb = chunks * record_bytes / 1e9
    vector_gb = chunks * vector_bytes / 1e9
    billed_gb = storage_gb if store.storage_bills_metadata else vector_gb
    figures = {
        "chunks": figure(
            f"{strategy}.chunks",
            "Vectors stored",
            chunks,
            "vectors",
            "⌈corpus tokens ÷ chunk size⌉",
            {"corpus": (corpus, "tokens"), "chunk": (v(rag.chunk_tokens), "tokens")},
        ),
        "storage_gb": figure(
            f"{strategy}.storage_gb",
            "Vector-store storage",
            storage_gb,
            "GB",
            "vectors × (dimensions × 4 bytes + text and metadata bytes) ÷ 1e9",
            {
                "vectors": (chunks, ""),
                "dimensions": (emb.dimensions, ""),
                "metadata": (metadata_bytes, "bytes"),
                "of which vectors": (vector_gb, "GB"),
            },
        ),
    }

    corpus_embedding = figure(
        f"{strategy}.corpus_embedding",
        "Embedding the corpus",
        corpus * emb_price / 1e6,
        money,
        "corpus tokens × embedding price ÷ 1e6",
        {
            "corpus": (corpus, "tokens"),
            "price": (emb_price, f"{money}/M tokens"),
            "price source": (emb_source, ""),
        },
    )
    reembed = figure(
        f"{strategy}.reembedding",
        "Re-embedding changed documents",
        corpus * change * emb_price / 1e6,
        f"{money}/month",
        "corpus tokens × share changed per month × embedding price ÷ 1e6",
        {
            "corpus": (corpus, "tokens"),
            "changed": (change * 100, "%/month"),
            "price": (emb_price, f"{money}/M tokens"),
            "price source": (emb_source, ""),
        },
    )
    query_tokens = v(s.workload.prompt_tokens_per_query)
    query_emb = figure(
        f"{strategy}.query_embedding",
        "Query embedding",
        query_tokens * emb_price / 1e6,
        f"{money}/query",
        "prompt tokens × embedding price ÷ 1e6",
        {
            "tokens": (query_tokens, "tokens"),
            "price": (emb_price, f"{money}/M tokens"),
            "price source": (emb_source, ""),
        },
    )
    read_price = ctx.from_usd(store.read_usd_per_million_units)
    units, units_rule = read_units_per_query(store, storage_gb, vector_gb)
    estimate = " (estimate)" if store.estimate else ""
    retrieval = figure(
        f"{strategy}.retrieval",
        "Vector search reads",
        units * read_price / 1e6,
        f"{money}/query",
        "read units per query × price per million read units ÷ 1e6; " + units_rule,
        {
            "read units": (units, "units/query"),
            "price": (read_price, f"{money}/M units"),
            "index (vectors + metadata)": (storage_gb, "GB"),
            "store": (store.name + estimate, ""),
            "source": (f"{store.source}, as of {store.as_of}", ""),
        },
        note=_estimate_note(store),
    )
    fixed = ctx.from_usd(store.fixed_monthly_usd)
    storage_cost = billed_gb * ctx.from_usd(store.storage_usd_per_gb_month)
    dimensions_cost = (
        chunks * emb.dimensions / 1e6 * ctx.from_usd(store.usd_per_million_dimensions_month)
    )
    per_vector_writes = (
        record_bytes / 1000.0 * store.write_units_per_kb
        if store.write_units_per_kb > 0
        else store.write_units_per_vector
    )
    writes = chunks * change * per_vector_writes
    write_cost = writes * ctx.from_usd(store.write_usd_per_million_units) / 1e6
    minimum = ctx.from_usd(store.minimum_monthly_usd)
    base = fixed + storage_cost + dimensions_cost + write_cost
    read_per_query = retrieval.value

    def store_fn(q: Array) -> Array:
        # Usage below the plan's minimum is topped up to the minimum (reads are billed per
        # query in "retrieval"; the top-up belongs to the plan's fixed part).
        topped: Array = base + np.maximum(0.0, minimum - base - q * read_per_query)
        return topped

    def at_volume(at: Context) -> tuple[Component, dict[str, Figure]]:
        """The vector store at ``at``'s month-1 volume (the top-up to the minimum reads it)."""
        q0 = v(at.scenario.workload.queries_per_month)
        store_fig = figure(
            f"{strategy}.vector_store",
            "Vector store",
            scalar(store_fn(column(q0))),
            f"{money}/month",
            "fixed + storage GB × price + stored dimensions × price + writes × price, topped up "
            "to the plan's monthly minimum (reads counted per query)",
            {
                "store": (store.name + estimate, ""),
                "fixed": (fixed, f"{money}/month"),
                "storage": (storage_cost, f"{money}/month"),
                "storage billed": (billed_gb, "GB"),
                "stored dimensions": (dimensions_cost, f"{money}/month"),
                "writes": (write_cost, f"{money}/month"),
                "write units per vector": (per_vector_writes, "units"),
                "minimum": (minimum, f"{money}/month"),
                "pricing": (store.pricing_model, ""),
                "source": (f"{store.source}, as of {store.as_of}", ""),
            },
            note=_estimate_note(store),
        )
        component = _component(
            at, strategy, "vector_store", store_fig, monthly_fn=store_fn, at_volume=at_volume
        )
        return component, {}

    vector_store, _ = at_volume(ctx)
    comps = [
        _component(ctx, strategy, "corpus_embedding", corpus_embedding),
        vector_store,
        _component(ctx, strategy, "reembedding", reembed),
        _component(ctx, strategy, "query_embedding", query_emb),
        _component(ctx, strategy, "retrieval", retrieval),
        _retrieval_servers(ctx, strategy),
    ]
    return comps, figures


VECTOR_BYTES_PER_DIMENSION = 4.0  # float32, as every vendor here stores and bills vectors


def read_units_per_query(
    store: VectorStoreEntry, index_gb: float, vector_gb: float
) -> tuple[float, str]:
    """Read units one query costs under the vendor's metering rule, and that rule in words.

    - namespace_gb (Pinecone serverless): a query costs read units in proportion to the
      namespace size, 1 RU per GB of records (vectors + metadata), at least 0.25 RU.
    - vector_gb_table (Zilliz serverless): the vendor's table of vCUs per search against the
      GB of vectors scanned, interpolated on log-log axes, at least the per-search minimum.
    - fixed: a fixed number of units per query.
    """
    floor = store.read_units_min_per_query
    if store.read_units_basis == "namespace_gb":
        units = np.maximum(floor, store.read_units_per_gb * index_gb)
        rule = (
            f"read units = max({nf.number(floor)}, {nf.number(store.read_units_per_gb)} per GB "
            "of index) — the vendor meters a query in proportion to the namespace size"
        )
    elif store.read_units_basis == "vector_gb_table" and store.read_units_table:
        xs = np.log10([max(x, 1e-12) for x, _ in store.read_units_table])
        ys = np.log10([max(y, 1e-12) for _, y in store.read_units_table])
        looked_up = 10.0 ** np.interp(np.log10(np.maximum(vector_gb, 1e-12)), xs, ys)
        units = np.maximum(floor, looked_up)
        rule = (
            "read units from the vendor's table of units per search against the GB of vectors "
            f"scanned (log-log interpolation), at least {nf.number(floor)}"
        )
    else:
        units = np.maximum(floor, store.read_units_per_query)
        rule = "a fixed number of read units per query"
    return units, rule


def _estimate_note(store: VectorStoreEntry) -> str:
    if not store.estimate:
        return ""
    return (
        f"Estimate: {store.name}'s figures are our estimate, not the vendor's published "
        "terms — check before quoting."
    )


def _on_owned_servers(option: ServingOption) -> bool:
    """Self-hosted serving on the client's own servers, priced by them (no typed price)."""
    return (
        option.mode is ServingMode.self_hosted
        and option.gpu_offering == OWNED_OFFER
        and option.gpu_hour_price is None
    )


def _embedding_share_on_owned(ctx: Context, strategy: str) -> float:
    """The GPU share a self-hosted embedding model takes on the own servers that the
    strategy's serving pays for whole (0 when it does not run there)."""
    s = ctx.scenario
    if strategy not in ("rag", "hybrid") or not _on_owned_servers(s.serving.for_strategy(strategy)):
        return 0.0
    if not ctx.catalogs.embedding_models.get(s.rag.embedding_model).self_hosted:
        return 0.0
    share: float = v(s.rag.embedding_server_gpus)
    return share


def _retrieval_servers(ctx: Context, strategy: str) -> Component:
    """A self-hosted embedding model keeps a share of a GPU busy all month."""
    s = ctx.scenario
    emb = ctx.catalogs.embedding_models.get(s.rag.embedding_model)
    money = ctx.money
    if emb.self_hosted and _on_owned_servers(s.serving.for_strategy(strategy)):
        fig = figure(
            f"{strategy}.retrieval_servers",
            "Self-hosted embedding (server share)",
            0.0,
            f"{money}/month",
            f"the embedding model ({emb.name}) runs on the own servers that serving pays for "
            "whole: its GPU share is counted with serving's GPUs there",
            {"GPU share": (v(s.rag.embedding_server_gpus), "GPUs")},
        )
        return _component(ctx, strategy, "retrieval_servers", fig)
    if not emb.self_hosted:
        fig = figure(
            f"{strategy}.retrieval_servers",
            "Self-hosted embedding (server share)",
            0.0,
            f"{money}/month",
            f"the embedding model ({emb.name}) is a hosted API: no server of ours",
        )
        return _component(ctx, strategy, "retrieval_servers", fig)
    option = s.serving.for_strategy(strategy)
    gpu = ctx.gpu(option.gpu)
    price, source = ctx.gpu_hour_price(gpu, option.gpu_hour_price, option.gpu_offering)
    share = v(s.rag.embedding_server_gpus)
    fig = figure(
        f"{strategy}.retrieval_servers",
        "Self-hosted embedding (server share)",
        share * HOURS_ALWAYS_ON * price,
        f"{money}/month",
        "GPU share × 730 h × price per GPU-hour (the strategy's serving GPU)",
        {
            "GPU share": (share, "GPUs"),
            "GPU": (gpu.name, ""),
            "price": (price, f"{money}/GPU-hour"),
            "price source": (source, ""),
        },
    )
    return _component(ctx, strategy, "retrieval_servers", fig)


def _rag_engineering(ctx: Context, strategy: str) -> Component:
    rate = v(ctx.scenario.workload.engineering_rate_per_hour)
    hours = v(ctx.scenario.rag.engineering_hours)
    fig = figure(
        f"{strategy}.engineering",
        "Engineering set-up",
        hours * rate,
        ctx.money,
        "hours × engineering rate",
        {"hours": (hours, "h"), "rate": (rate, f"{ctx.money}/h")},
    )
    return _component(ctx, strategy, "engineering", fig)


def _people_components(ctx: Context, strategy: str) -> list[Component]:
    build, ops = people_figures(ctx, strategy)
    return [
        _component(ctx, strategy, "build_effort", build),
        _component(ctx, strategy, "operations", ops),
    ]


# --- the three strategies ------------------------------------------------------------------


def fine_tuning_cost(ctx: Context) -> CostModel:
    s = ctx.scenario
    interval, note = effective_retrain_interval(ctx)
    comps, figures, warnings, count = _training_components(ctx, "fine_tuning", 1.0, interval)
    if note:
        warnings.append(note)
    serve, serve_figs, plan = _serving_components(
        ctx, "fine_tuning", s.fine_tuning.base_model, v(s.workload.prompt_tokens_per_query)
    )
    figures.update(serve_figs)
    figures["retrain_interval_days"] = figure(
        "fine_tuning.retrain_interval_days",
        "Retrain interval used",
        interval,
        "days",
        "the retrain interval, shortened to meet the freshness target when asked",
        {"entered": (v(s.fine_tuning.retrain_interval_days), "days")},
        note=note,
    )
    months = retrain_months(ctx, interval)
    growth = growth_vector(ctx)
    comps = comps + serve + _people_components(ctx, "fine_tuning")
    return CostModel(
        "fine_tuning", comps, months, count, growth, figures, warnings, plan, ctx.sampled
    )


def rag_cost(ctx: Context) -> CostModel:
    s = ctx.scenario
    retrieval, figures = _retrieval_components(ctx, "rag")
    context = prompt_tokens(ctx, "rag")
    serve, serve_figs, plan = _serving_components(
        ctx, "rag", s.serving.rag.self_hosted_model, context
    )
    figures.update(serve_figs)
    figures["prompt_tokens"] = figure(
        "rag.prompt_tokens",
        "Input tokens per query",
        context,
        "tokens",
        "prompt tokens + top-k × chunk size",
        {
            "prompt": (v(s.workload.prompt_tokens_per_query), "tokens"),
            "top-k": (v(s.rag.top_k), "chunks"),
            "chunk": (v(s.rag.chunk_tokens), "tokens"),
        },
    )
    comps = [_rag_engineering(ctx, "rag"), *retrieval, *serve, *_people_components(ctx, "rag")]
    return CostModel("rag", comps, [], 0.0, growth_vector(ctx), figures, [], plan, ctx.sampled)


def hybrid_cost(ctx: Context) -> CostModel:
    s = ctx.scenario
    share = v(s.hybrid.training_share_pct) / 100.0
    interval = v(s.hybrid.retrain_interval_days)
    training, figures, warnings, count = _training_components(ctx, "hybrid", share, interval)
    # Engineering: the fine-tuning pipeline and the retrieval pipeline are both built.
    ft_eng = training[2]
    rag_eng = _rag_engineering(ctx, "hybrid")
    if not ft_eng.overridden and not rag_eng.overridden:
        total = ft_eng.amount + rag_eng.amount
        rate = v(s.workload.engineering_rate_per_hour)
        fig = figure(
            "hybrid.engineering",
            "Engineering set-up",
            total,
            ctx.money,
            "(fine-tuning hours + RAG hours) × engineering rate",
            {
                "fine-tuning hours": (v(s.fine_tuning.engineering_hours), "h"),
                "RAG hours": (v(s.rag.engineering_hours), "h"),
                "rate": (rate, f"{ctx.money}/h"),
            },
        )
        training[2] = Component("engineering", "one_time", fig, amount=total)
    retrieval, rfigs = _retrieval_components(ctx, "hybrid")
    figures.update(rfigs)
    context = prompt_tokens(ctx, "hybrid")
    serve, serve_figs, plan = _serving_components(ctx, "hybrid", s.fine_tuning.base_model, context)
    figures.update(serve_figs)
    figures["prompt_tokens"] = figure(
        "hybrid.prompt_tokens",
        "Input tokens per query",
        context,
        "tokens",
        "prompt tokens + hybrid top-k × chunk size",
        {
            "prompt": (v(s.workload.prompt_tokens_per_query), "tokens"),
            "top-k": (v(s.hybrid.top_k), "chunks"),
            "chunk": (v(s.rag.chunk_tokens), "tokens"),
        },
    )
    comps = training + retrieval + serve + _people_components(ctx, "hybrid")
    months = retrain_months(ctx, interval)
    growth = growth_vector(ctx)
    return CostModel("hybrid", comps, months, count, growth, figures, warnings, plan, ctx.sampled)


_BUILDERS: dict[str, Callable[[Context], CostModel]] = {
    "fine_tuning": fine_tuning_cost,
    "rag": rag_cost,
    "hybrid": hybrid_cost,
}


def cost_model(ctx: Context, strategy: str) -> CostModel:
    """One strategy's cost model.  It reads the scenario's serving option of that strategy
    only (``Serving.for_strategy``), never another strategy's: engine.evaluate keeps the other
    models across an edit of one serving option."""
    model = _BUILDERS[strategy](ctx)
    if not ctx.sampled:
        model.warnings.extend(_serving_warnings(ctx, strategy, model.serving))
        on = _flag_date(ctx)
        if on is not None:
            _flag_price_age(model, on)
    return model


def cost_models(ctx: Context) -> dict[str, CostModel]:
    return {key: cost_model(ctx, key) for key in _BUILDERS}


def _flag_date(ctx: Context) -> date | None:
    """The date prices are judged against, or None when figures are not flagged (no date, or a
    Monte Carlo pass)."""
    return None if ctx.sampled else ctx.price_date


def _flag_price_age(
    model: CostModel,
    on: date,
    components: Sequence[int] | None = None,
    figures: Sequence[str] | None = None,
) -> None:
    """Every computed figure resting on a price older than six months says so in its note
    (of the components at ``components`` and the figures of ``figures``, when given)."""
    for index in range(len(model.components)) if components is None else components:
        component = model.components[index]
        if not component.overridden:
            component.figure = price_age.flagged(component.figure, on)
    for key in list(model.figures) if figures is None else figures:
        model.figures[key] = price_age.flagged(model.figures[key], on)


def _serving_warnings(ctx: Context, strategy: str, plan: ServingPlan | None) -> list[str]:
    """Say so when the GPUs per replica typed had to be raised (unless serving is a flat
    figure, where the count does not matter)."""
    if plan is None or plan.sizing is None or not plan.sizing.raised:
        return []
    if f"{strategy}.serving" in ctx.scenario.cost_overrides:
        return []
    typed = plan.sizing.gpus_requested or 0.0
    return [
        f"{STRATEGY_NAMES[strategy]} serving: raised GPUs per replica from "
        f"{nf.number(typed)} to {nf.number(plan.gpus_per_replica)} × {plan.gpu.name} "
        f"({plan.model.name} with the KV cache of {nf.number(plan.streams)} concurrent "
        "requests does not fit on fewer, or its attention heads cannot be split over the "
        "count typed)."
    ]


SUMMARIES = ("one_time", "monthly_fixed", "per_query")  # a model's totals, in this order


def summary_figures(
    ctx: Context,
    model: CostModel,
    monthly_fixed: float | None = None,
    keys: Collection[str] = SUMMARIES,
) -> dict[str, Figure]:
    """One-time, month-1 fixed and per-query totals, each with the components it adds up
    (``monthly_fixed``: the model's ``monthly_fixed_at`` the scenario's volume, when known;
    ``keys``: only those totals — of the three only the month-1 running cost reads the
    volume)."""
    money = ctx.money
    if monthly_fixed is None:
        monthly_fixed = model.monthly_fixed_at(v(ctx.scenario.workload.queries_per_month))
    out = {}
    for key, kind, label, unit, value in (
        ("one_time", "one_time", "One-time cost", money, model.one_time),
        (
            "monthly_fixed",
            "monthly",
            "Fixed running cost (month 1)",
            f"{money}/month",
            monthly_fixed,
        ),
        ("per_query", "per_query", "Cost per query", f"{money}/query", model.per_query),
    ):
        if key not in keys:
            continue
        parts = [c for c in model.components if c.kind == kind]
        out[key] = figure(
            f"{model.strategy}.{key}",
            label,
            value,
            unit,
            "sum of: " + (", ".join(c.figure.label for c in parts) or "nothing"),
            {c.figure.label: (c.figure.value, c.figure.unit) for c in parts},
        )
    return out


def stale_prices_note(ctx: Context, model: CostModel) -> str:
    """What a strategy's total cost says about the prices it rests on: the components whose
    catalog or API prices are more than six months old at the project's date ('' when none
    is, or in a Monte Carlo pass).  The volume does not change it."""
    if ctx.price_date is None or ctx.sampled:
        return ""
    stale = sorted(
        {
            (p.as_of, c.figure.label)
            for c in model.components
            if not c.overridden
            for p in price_age.prices_of(c.figure, ctx.price_date)
            if p.stale
        }
    )
    if not stale:
        return ""
    labels = ", ".join(dict.fromkeys(label.lower() for _, label in stale))
    return f"Rests on prices more than six months old ({labels}): {price_age.flag(stale[0][0])}."


def tco_figure(
    ctx: Context,
    model: CostModel,
    monthly_fixed: float | None = None,
    note: str | None = None,
) -> Figure:
    """Total cost over the horizon at the scenario's volume (``monthly_fixed`` as in
    :func:`summary_figures`; ``note``: the model's :func:`stale_prices_note`, when known)."""
    q0 = v(ctx.scenario.workload.queries_per_month)
    tco = scalar(model.tco(column(q0)))
    months = len(model.growth)
    money = ctx.money
    if note is None:
        note = stale_prices_note(ctx, model)
    return figure(
        f"{model.strategy}.tco",
        f"{STRATEGY_NAMES[model.strategy]} total cost over {months} months",
        tco,
        money,
        "one-time + Σ months (monthly fixed + queries × per-query) + retrains × cost per retrain",
        {
            "one-time": (model.one_time, money),
            "monthly fixed (month 1)": (
                model.monthly_fixed_at(q0) if monthly_fixed is None else monthly_fixed,
                f"{money}/month",
            ),
            "per query": (model.per_query, f"{money}/query"),
            "queries (month 1)": (q0, "queries/month"),
            "growth": (v(ctx.scenario.workload.monthly_growth_pct), "%/month"),
            "months": (months, ""),
            "retrains": (model.retrain_count, ""),
            "cost per retrain": (model.per_retrain, money),
        },
        note=note,
    )
