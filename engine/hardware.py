"""First-principles compute and memory: training FLOPs and GPU-hours, memory fit, self-hosted
prefill/decode rates and replica sizing.

References: EleutherAI "Transformer Math 101" (C ≈ 6·N·D; 2N forward + 4N backward per token;
~16 bytes/param for mixed-precision AdamW); QLoRA (Dettmers et al. 2023, arXiv 2305.14314: a 65B
model fine-tuned on one 48 GB GPU); llm-analysis (cli99): per-layer latency = max(compute,
memory), KV cache = 2·layers·kv_heads·head_dim·bytes per token, +20 % memory overhead
(HF accelerate / EleutherAI).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.model.catalog_entries import BaseModelEntry, GpuEntry
from engine.model.scenario import FineTuneMethod

MEMORY_OVERHEAD = 1.2  # training: +20 % for activations, fragmentation, CUDA context
KV_BYTES_PER_VALUE = 2.0  # 16-bit KV cache
GIB = float(2**30)  # GPU memory is sold in binary units: an "80 GB" H100 holds 80 GiB

# --- how serving stacks size a replica -----------------------------------------------------
# vLLM pre-allocates gpu_memory_utilization × total GPU memory for weights + activations + KV
# cache; its default is 0.9 (vLLM engine arguments, docs.vllm.ai/en/latest/configuration/
# engine_args.html; TensorRT-LLM's free_gpu_memory_fraction defaults to 0.9 as well).
GPU_MEMORY_UTILIZATION = 0.9
# What else a serving process keeps on every GPU besides weights and KV cache: the CUDA
# context and NCCL buffers (vLLM logs them as "non_torch_memory", ~0.5 GiB) and the activation
# peak of its profiling forward pass (vLLM logs "PyTorch activation peak memory", 1–2 GiB at
# the default batched-token budget).  An approximation: 2 GiB per GPU.
RUNTIME_RESERVE_GIB = 2.0
# Tensor parallelism within one 8-GPU server (HGX/DGX nodes, the largest NVLink domain rented
# by the hour); counts above it are whole servers (pipeline stages).
GPUS_PER_NODE = 8
# Tensor-parallel communication: every transformer layer ends its attention and its MLP with an
# all-reduce of the activations (Megatron-LM, Shoeybi et al. 2019, arXiv 1909.08053, §3), i.e.
# 2 all-reduces per layer per forward pass.  Ring all-reduce time ≈ α + 2(g−1)/g × bytes ÷ β
# (NCCL's bus-bandwidth definition, nccl-tests PERFORMANCE.md).  α and β: orders of magnitude
# from nccl-tests all_reduce_perf small-message times (about 10 µs over NVLink, about 25 µs over
# PCIe) and sustained bus bandwidth (about 200 GB/s NVLink 3/4, about 20 GB/s PCIe 4.0 x16;
# a GPU catalog entry may give its own, link_bus_gb_s).
ALLREDUCES_PER_LAYER = 2.0
ALLREDUCE_LATENCY_S = {True: 10e-6, False: 25e-6}  # keyed by "has NVLink"
ALLREDUCE_BUS_BYTES_S = {True: 200e9, False: 20e9}
ACTIVATION_BYTES = 2.0  # 16-bit activations
# Target utilisation of a replica at the peak hour.  A replica is a single server whose busy
# time per query is fixed by the model (M/D/1): the mean wait before a query starts is
# ρ ÷ (2(1 − ρ)) busy times (Pollaczek–Khinchine) — 1.5 busy times at 0.75, a fraction of a
# second against a multi-second answer, but 4.5 at 0.9 and unbounded near 1.  0.75 is the
# middle of the 0.7–0.8 that autoscaling targets commonly use.
DEFAULT_TARGET_UTILISATION = 0.75

# Training FLOPs per parameter per token: forward 2N + backward 4N for full fine-tuning; LoRA and
# QLoRA skip the weight gradients of frozen weights (≈ 2N + 2N); recomputation adds a forward.
FLOPS_PER_PARAM_TOKEN = {
    FineTuneMethod.full: 6.0,
    FineTuneMethod.lora: 4.0,
    FineTuneMethod.qlora: 4.0,
}
RECOMPUTE_EXTRA = 2.0
# GPU memory per parameter while training (weights + gradients + optimizer state).
TRAIN_BYTES_PER_PARAM = {
    FineTuneMethod.full: 16.0,
    FineTuneMethod.lora: 2.0,
    FineTuneMethod.qlora: 0.6,
}


def parameters(model: BaseModelEntry) -> float:
    return model.parameters_billion * 1e9


def kv_bytes_per_token(model: BaseModelEntry) -> float:
    return 2.0 * model.layers * model.kv_heads * model.head_dim * KV_BYTES_PER_VALUE


def gpu_memory_bytes(gpu: GpuEntry) -> float:
    return gpu.memory_gb * GIB


def min_gpus_for(bytes_needed: float, gpu: GpuEntry) -> float:
    """Smallest training GPU count whose memory holds ``bytes_needed``, sharded across the GPUs
    (ZeRO-3 / FSDP): 1, 2 or 4 GPUs, else whole 8-GPU servers."""
    per_gpu = gpu_memory_bytes(gpu)
    count: float = _first_fitting(training_gpu_counts(), lambda g: bytes_needed / g <= per_gpu)
    return count


def training_gpu_counts() -> list[float]:
    """GPU counts a training job is rented in: 1, 2, 4, then whole 8-GPU servers."""
    return list(_TRAINING_GPU_COUNTS)


_TRAINING_GPU_COUNTS = (1.0, 2.0, 4.0, *(float(GPUS_PER_NODE * k) for k in range(1, 129)))


def serving_gpu_counts(model: BaseModelEntry) -> list[float]:
    """Tensor-parallel degrees a serving stack accepts for ``model``, smallest first.

    vLLM splits attention heads across GPUs, so the count must divide the attention heads; up
    to the KV-head count each GPU holds its share of KV heads, above it KV heads are
    replicated.  Within one 8-GPU server; beyond, whole servers (pipeline stages)."""
    tp = [
        float(g)
        for g in range(1, GPUS_PER_NODE + 1)
        if model.attention_heads % g == 0 and (model.kv_heads % g == 0 or g % model.kv_heads == 0)
    ]
    largest = tp[-1]
    return tp + [largest * k for k in range(2, 129)]


def _first_fitting(counts: list[float], fits: Callable[[float], Any], at_least: Any = 1.0) -> Any:
    """The first count (ascending) that is ≥ ``at_least`` and fits — element-wise, so a Monte
    Carlo column of inputs gets a column of counts.  The last count when none fits."""
    chosen: Any = None
    for g in counts:  # ascending; stops as soon as every element has its count
        ok = np.logical_and(fits(g), g >= np.asarray(at_least) - 1e-9)
        if chosen is None:
            if np.ndim(ok) == 0:
                if ok:
                    return g
                continue
            chosen = np.full(np.shape(ok), np.nan)
        chosen = np.where(np.isnan(chosen) & ok, g, chosen)
        if not np.isnan(chosen).any():
            return chosen
    if chosen is None:
        return counts[-1]
    return np.where(np.isnan(chosen), counts[-1], chosen)


@dataclass(frozen=True)
class TrainingPlan:
    flops_per_run: float
    gpu_hours_per_run: float  # pure compute, before job overhead
    memory_bytes: float
    min_gpus: float
    gpus_used: float
    flops_factor: float
    gpus_requested: float = 1.0

    @property
    def raised(self) -> bool:
        """True when the count typed was raised to make the training state fit."""
        return bool(np.any(self.gpus_used > self.gpus_requested))


def training_plan(
    model: BaseModelEntry,
    gpu: GpuEntry,
    method: FineTuneMethod,
    recompute: bool,
    tokens: float,
    epochs: float,
    mfu: float,
    gpus_requested: float,
) -> TrainingPlan:
    """GPU-hours from FLOPs; GPUs: the count typed, raised to the smallest rentable count
    (1, 2, 4, whole 8-GPU servers) at or above it whose memory holds the training state."""
    n = parameters(model)
    factor = FLOPS_PER_PARAM_TOKEN[method] + (RECOMPUTE_EXTRA if recompute else 0.0)
    flops = factor * n * tokens * epochs
    hours = flops / (gpu.peak_bf16_dense_tflops * 1e12 * mfu) / 3600.0
    memory = n * TRAIN_BYTES_PER_PARAM[method] * MEMORY_OVERHEAD
    per_gpu = gpu_memory_bytes(gpu)
    min_gpus = min_gpus_for(memory, gpu)
    # A typed count that fits is used as typed (a rig of 3 GPUs exists); one that does not is
    # raised to the smallest rentable count above it that does.
    fits_as_typed = memory / np.maximum(gpus_requested, 1.0) <= per_gpu
    raised = _first_fitting(
        training_gpu_counts(), lambda g: memory / g <= per_gpu, at_least=gpus_requested
    )
    used = np.where(fits_as_typed, gpus_requested, raised)
    return TrainingPlan(
        flops, hours, memory, min_gpus, _as_float(used), factor, _as_float(gpus_requested)
    )


def _as_float(x: Any) -> Any:
    return float(x) if np.ndim(x) == 0 else x


@dataclass(frozen=True)
class ReplicaSizing:
    """How many GPUs one serving replica needs, and why (every figure per GPU, in bytes)."""

    gpus: float
    gpus_requested: float | None
    minimum_gpus: float  # smallest valid count that fits, whatever was typed
    weights_bytes: float
    kv_cache_bytes: float  # all streams × (prompt + output) tokens, whole model
    usable_bytes_per_gpu: float  # GPU memory × utilisation − runtime reserve

    @property
    def raised(self) -> bool:
        if self.gpus_requested is None:
            return False
        return bool(np.any(self.gpus > self.gpus_requested))

    def needed_per_gpu(self, model: BaseModelEntry, gpus: float) -> float:
        needed: float = _needed_per_gpu(self.weights_bytes, self.kv_cache_bytes, model, gpus)
        return needed


def _kv_share(model: BaseModelEntry, gpus: Any) -> Any:
    """Share of the KV cache each GPU holds: 1/g, but never less than one KV head's share
    (above the KV-head count the heads are replicated)."""
    tp = np.minimum(gpus, GPUS_PER_NODE)
    stages = gpus / tp
    return np.maximum(1.0 / tp, 1.0 / model.kv_heads) / stages


def _needed_per_gpu(weights: Any, kv: Any, model: BaseModelEntry, gpus: Any) -> Any:
    return weights / gpus + kv * _kv_share(model, gpus)


def size_replica(
    model: BaseModelEntry,
    gpu: GpuEntry,
    *,
    weights_bytes: float,
    kv_cache_bytes: float,
    gpus_requested: float | None = None,
) -> ReplicaSizing:
    """GPUs per replica the way vLLM sizes it: the smallest tensor-parallel degree (dividing
    the attention heads, see serving_gpu_counts) at which weights ÷ g + the KV cache share +
    the runtime reserve fit in gpu_memory_utilization × GPU memory.  A typed count is kept
    when valid and big enough, else raised to the next valid count that fits."""
    usable = gpu_memory_bytes(gpu) * GPU_MEMORY_UTILIZATION - RUNTIME_RESERVE_GIB * GIB
    counts = serving_gpu_counts(model)

    def fits(g: float) -> Any:
        return _needed_per_gpu(weights_bytes, kv_cache_bytes, model, g) <= usable

    minimum = _first_fitting(counts, fits)
    gpus = minimum if gpus_requested is None else _first_fitting(counts, fits, gpus_requested)
    return ReplicaSizing(
        gpus=gpus,
        gpus_requested=gpus_requested,
        minimum_gpus=minimum,
        weights_bytes=weights_bytes,
        kv_cache_bytes=kv_cache_bytes,
        usable_bytes_per_gpu=usable,
    )


def allreduce_seconds(gpu: GpuEntry, gpus: Any, message_bytes: Any) -> Any:
    """One ring all-reduce of ``message_bytes`` across ``gpus`` (0 on one GPU)."""
    alpha = ALLREDUCE_LATENCY_S[gpu.nvlink]
    beta = (
        gpu.link_bus_gb_s * 1e9
        if gpu.link_bus_gb_s is not None
        else ALLREDUCE_BUS_BYTES_S[gpu.nvlink]
    )
    t = alpha + 2.0 * (gpus - 1.0) / gpus * message_bytes / beta
    return np.where(gpus > 1.0, t, 0.0)


def tp_comm_seconds(model: BaseModelEntry, gpu: GpuEntry, gpus: Any, tokens: Any) -> Any:
    """Tensor-parallel communication of one forward pass over ``tokens`` tokens: 2 all-reduces
    per layer of tokens × hidden size × 2 bytes."""
    message = tokens * model.hidden_size * ACTIVATION_BYTES
    return ALLREDUCES_PER_LAYER * model.layers * allreduce_seconds(gpu, gpus, message)


@dataclass(frozen=True)
class ServingPlan:
    """One self-hosted deployment: how a replica is built and how fast it runs."""

    model: BaseModelEntry
    gpu: GpuEntry
    gpus_per_replica: float
    memory_needed_bytes: float  # weights + KV cache of every stream (whole replica)
    prefill_seconds: float  # one query's prompt, the replica's GPUs to itself
    decode_step_seconds: float  # one decode step with all streams busy
    single_stream_tokens_per_s: float  # decode rate of a lone request
    busy_stream_tokens_per_s: float  # decode rate per stream at full batch
    seconds_per_query_busy: float  # replica time one query takes: prefill + its decode share
    streams: float
    hours_per_month: float
    gpu_hour_price: float
    target_utilisation: float = DEFAULT_TARGET_UTILISATION
    sizing: ReplicaSizing | None = None
    comm_seconds_per_step: float = 0.0  # tensor-parallel all-reduces in one decode step
    step: Callable[[Any], Any] | None = None  # decode step time for a batch of b streams
    # Bought, not rented: GPUs come in whole servers of this many, each paid for in full
    # whether its other GPUs are busy or not (None: rented by the GPU).
    server_gpus: Any = None
    # GPUs other services keep busy on those servers (a self-hosted embedding model's share):
    # counted before rounding up to whole servers; nothing when rented.
    extra_gpus: Any = 0.0

    @property
    def replica_tokens_per_s(self) -> float:
        """Output tokens per second one replica sustains at full batch (prefill included)."""
        out: float = self.streams * self.busy_stream_tokens_per_s
        return out

    @property
    def replica_queries_per_s(self) -> float:
        """Queries per second one replica completes when never idle: 1 ÷ busy time."""
        return 1.0 / self.seconds_per_query_busy

    def peak_queries_per_s(self, queries_per_month: Any, peak: float) -> Any:
        return queries_per_month * peak / (self.hours_per_month * 3600.0)

    def replicas(self, queries_per_month: NDArray[np.float64], peak: float) -> NDArray[np.float64]:
        """Replicas for the peak hour: ⌈peak query rate × busy time ÷ target utilisation⌉, ≥ 1."""
        # Replicas per query/month folded into one factor: this runs on every point of the
        # crossover grid × every month, on every keystroke.
        per_query = (
            peak
            * self.seconds_per_query_busy
            / (self.hours_per_month * 3600.0 * self.target_utilisation)
        )
        needed = np.ceil(queries_per_month * per_query - 1e-9)
        return np.maximum(needed, 1.0)

    def monthly_cost(
        self, queries_per_month: NDArray[np.float64], peak: float
    ) -> NDArray[np.float64]:
        cost: NDArray[np.float64]
        if self.server_gpus is None:
            per_replica = self.gpus_per_replica * self.hours_per_month * self.gpu_hour_price
            cost = self.replicas(queries_per_month, peak) * per_replica
        else:
            per_gpu = self.hours_per_month * self.gpu_hour_price
            cost = self.gpus_paid(queries_per_month, peak) * per_gpu
        return cost

    def gpus_paid(self, queries_per_month: NDArray[np.float64], peak: float) -> NDArray[np.float64]:
        """The GPUs the month is paid for: those the replicas use, or, on bought servers, every
        GPU of the whole servers they need (⌈GPUs used ÷ GPUs per server⌉ × GPUs per server)."""
        used = self.replicas(queries_per_month, peak) * self.gpus_per_replica
        if self.server_gpus is None:
            return used
        used = used + self.extra_gpus
        paid: NDArray[np.float64] = np.ceil(used / self.server_gpus - 1e-9) * self.server_gpus
        return paid

    def at_load(self, queries_per_month: Any, peak: float) -> LoadedReplica:
        """One replica at the peak hour, with the replicas the volume needs: its utilisation,
        the streams decoding at once, and the decode rate a request sees.

        The same busy-time model as the replica count: a replica busy a share ρ of the time
        decodes on average ρ × streams requests together (at least one); the other queries'
        prefills, which do not overlap decode, stretch every decode step by 1 ÷ (1 − λ ×
        prefill), λ the queries per second reaching the replica.  Queueing is not included.
        """
        volume = np.asarray(queries_per_month, dtype=float)
        replicas = self.replicas(volume, peak)
        rate = self.peak_queries_per_s(volume, peak) / replicas
        rho = np.minimum(rate * self.seconds_per_query_busy, 1.0)
        batch = np.clip(rho * self.streams, 1.0, self.streams)
        step = self.step(batch) if self.step is not None else self.decode_step_seconds
        stretch = 1.0 / np.maximum(1.0 - rate * self.prefill_seconds, 1e-3)
        return LoadedReplica(
            utilisation=_squeeze(rho),
            batch=_squeeze(batch),
            decode_tokens_per_s=_squeeze(1.0 / (step * stretch)),
            prefill_stretch=_squeeze(stretch),
        )


def _squeeze(x: Any) -> Any:
    arr = np.asarray(x, dtype=float)
    return float(arr.reshape(())) if arr.size == 1 else arr


@dataclass(frozen=True)
class LoadedReplica:
    utilisation: float  # share of the replica's time busy at the peak hour
    batch: float  # streams decoding together on average
    decode_tokens_per_s: float  # per request, prefills of other queries included
    prefill_stretch: float  # ≥ 1: how much other queries' prefills slow a decode step


def serving_plan(
    model: BaseModelEntry,
    gpu: GpuEntry,
    *,
    bytes_per_param: float,
    prompt_tokens: float,
    output_tokens: float,
    streams: float,
    bandwidth_efficiency: float,
    mfu: float,
    hours_per_month: float,
    gpu_hour_price: float,
    gpus_per_replica: float | None = None,
    target_utilisation: float = DEFAULT_TARGET_UTILISATION,
    server_gpus: Any = None,
    extra_gpus: Any = 0.0,
) -> ServingPlan:
    n = parameters(model)
    weights = n * bytes_per_param
    kv_token = kv_bytes_per_token(model)
    context = prompt_tokens + output_tokens
    kv_all = streams * context * kv_token
    sizing = size_replica(
        model, gpu, weights_bytes=weights, kv_cache_bytes=kv_all, gpus_requested=gpus_per_replica
    )
    g = sizing.gpus
    peak_flops = g * gpu.peak_bf16_dense_tflops * 1e12 * mfu
    bandwidth = gpu.memory_bandwidth_tb_s * 1e12 * bandwidth_efficiency  # per GPU
    prefill = 2.0 * n * prompt_tokens / peak_flops + tp_comm_seconds(model, gpu, g, prompt_tokens)
    mean_context = prompt_tokens + output_tokens / 2.0

    def step(batch: Any) -> Any:
        # Roofline per GPU: a decode step reads the GPU's share of the weights once plus its
        # share of every stream's KV cache, or is limited by 2·N FLOPs per generated token,
        # whichever is slower; then the tensor-parallel all-reduces of the step.
        memory_time = (
            weights / g + batch * mean_context * kv_token * _kv_share(model, g)
        ) / bandwidth
        compute_time = 2.0 * n * batch / peak_flops
        return np.maximum(memory_time, compute_time) + tp_comm_seconds(model, gpu, g, batch)

    busy_step = step(streams)
    return ServingPlan(
        model=model,
        gpu=gpu,
        gpus_per_replica=g,
        memory_needed_bytes=weights + kv_all,
        prefill_seconds=prefill,
        decode_step_seconds=busy_step,
        single_stream_tokens_per_s=1.0 / step(1.0),
        busy_stream_tokens_per_s=1.0 / busy_step,
        # Prefill runs alone (compute-bound, it does not overlap other queries' work); the
        # decode steps are shared by every stream in the batch.
        seconds_per_query_busy=prefill + output_tokens * busy_step / streams,
        streams=streams,
        hours_per_month=hours_per_month,
        gpu_hour_price=gpu_hour_price,
        target_utilisation=target_utilisation,
        sizing=sizing,
        comm_seconds_per_step=tp_comm_seconds(model, gpu, g, streams),
        step=step,
        server_gpus=server_gpus,
        extra_gpus=extra_gpus,
    )
