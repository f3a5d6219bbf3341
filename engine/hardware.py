"""First-principles compute and memory: training FLOPs and GPU-hours, memory fit, self-hosted
prefill/decode rates and replica sizing.

References: EleutherAI "Transformer Math 101" (C ≈ 6·N·D; 2N forward + 4N backward per token;
~16 bytes/param for mixed-precision AdamW); QLoRA (Dettmers et al. 2023, arXiv 2305.14314: a 65B
model fine-tuned on one 48 GB GPU); llm-analysis (cli99): per-layer latency = max(compute,
memory), KV cache = 2·layers·kv_heads·head_dim·bytes per token, +20 % memory overhead
(HF accelerate / EleutherAI).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.model.catalog_entries import BaseModelEntry, GpuEntry
from engine.model.scenario import FineTuneMethod

MEMORY_OVERHEAD = 1.2  # +20 % for activations, fragmentation, CUDA context
KV_BYTES_PER_VALUE = 2.0  # 16-bit KV cache

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


def min_gpus_for(bytes_needed: float, gpu: GpuEntry) -> float:
    """Smallest GPU count whose memory holds ``bytes_needed`` (tensor-parallel: a power of 2)."""
    raw = np.maximum(1.0, np.ceil(bytes_needed / (gpu.memory_gb * 1e9) - 1e-9))
    return 2.0 ** np.ceil(np.log2(raw))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class TrainingPlan:
    flops_per_run: float
    gpu_hours_per_run: float  # pure compute, before job overhead
    memory_bytes: float
    min_gpus: float
    gpus_used: float
    flops_factor: float


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
    n = parameters(model)
    factor = FLOPS_PER_PARAM_TOKEN[method] + (RECOMPUTE_EXTRA if recompute else 0.0)
    flops = factor * n * tokens * epochs
    hours = flops / (gpu.peak_bf16_dense_tflops * 1e12 * mfu) / 3600.0
    memory = n * TRAIN_BYTES_PER_PARAM[method] * MEMORY_OVERHEAD
    min_gpus = min_gpus_for(memory, gpu)
    return TrainingPlan(
        flops, hours, memory, min_gpus, np.maximum(min_gpus, gpus_requested), factor
    )


@dataclass(frozen=True)
class ServingPlan:
    """One self-hosted deployment: how a replica is built and how fast it runs."""

    model: BaseModelEntry
    gpu: GpuEntry
    gpus_per_replica: float
    memory_needed_bytes: float
    prefill_seconds: float
    decode_step_seconds: float  # one decode step with all streams busy
    single_stream_tokens_per_s: float  # decode rate of a lone request (p50 latency)
    busy_stream_tokens_per_s: float  # decode rate per stream at full batch
    seconds_per_query_busy: float  # how long a query occupies a stream at full batch
    streams: float
    hours_per_month: float
    gpu_hour_price: float

    @property
    def replica_tokens_per_s(self) -> float:
        """Output tokens per second one replica sustains at full batch."""
        return self.streams * self.busy_stream_tokens_per_s

    def replicas(self, queries_per_month: NDArray[np.float64], peak: float) -> NDArray[np.float64]:
        """Replicas needed for the peak hour: ceil(peak query rate × occupancy ÷ streams), ≥ 1."""
        # Replicas per query/month, folded into one factor: this runs on every point of the
        # crossover grid × every month, on every keystroke.
        per_query = peak * self.seconds_per_query_busy / (self.hours_per_month * 3600.0)
        needed = np.ceil(queries_per_month * (per_query / self.streams) - 1e-9)
        return np.maximum(needed, 1.0)

    def monthly_cost(
        self, queries_per_month: NDArray[np.float64], peak: float
    ) -> NDArray[np.float64]:
        per_replica = self.gpus_per_replica * self.hours_per_month * self.gpu_hour_price
        cost: NDArray[np.float64] = self.replicas(queries_per_month, peak) * per_replica
        return cost


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
) -> ServingPlan:
    n = parameters(model)
    weights = n * bytes_per_param
    kv_token = kv_bytes_per_token(model)
    context = prompt_tokens + output_tokens
    memory = (weights + streams * context * kv_token) * MEMORY_OVERHEAD
    g = min_gpus_for(memory, gpu)
    peak_flops = g * gpu.peak_bf16_dense_tflops * 1e12 * mfu
    bandwidth = g * gpu.memory_bandwidth_tb_s * 1e12 * bandwidth_efficiency
    prefill = 2.0 * n * prompt_tokens / peak_flops
    mean_context = prompt_tokens + output_tokens / 2.0

    def step(batch: float) -> float:
        # Roofline: a decode step reads all weights once plus every stream's KV cache, or is
        # limited by 2·N FLOPs per generated token, whichever is slower.
        memory_time = (weights + batch * mean_context * kv_token) / bandwidth
        compute_time = 2.0 * n * batch / peak_flops
        return np.maximum(memory_time, compute_time)  # type: ignore[no-any-return]

    busy_step = step(streams)
    return ServingPlan(
        model=model,
        gpu=gpu,
        gpus_per_replica=g,
        memory_needed_bytes=memory,
        prefill_seconds=prefill,
        decode_step_seconds=busy_step,
        single_stream_tokens_per_s=1.0 / step(1),
        busy_stream_tokens_per_s=1.0 / busy_step,
        seconds_per_query_busy=prefill + output_tokens * busy_step,
        streams=streams,
        hours_per_month=hours_per_month,
        gpu_hour_price=gpu_hour_price,
    )
