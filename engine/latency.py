"""Latency per query: p50 time to first token and to the full answer, and the p95 full answer.

API: provider's time to first token + prompt tokens ÷ prefill rate, then output tokens ÷ decode
rate (provider figures, editable).  Self-hosted: from first principles (engine.hardware):
prefill ≈ 2·N·prompt tokens ÷ (peak FLOP/s × MFU); decode is memory-bandwidth bound.
RAG adds query embedding + vector search before generation, and a longer prompt.

p95 (the tail a service-level agreement is written on), see docs/latency-tail.md:

* API: the p50 generation time × the provider's p95 ÷ p50 factor (an input);
* self-hosted: queueing at the serving utilisation in the peak hour — an M/D/c approximation
  (Erlang C for M/M/c with c = replicas × concurrent streams, halved for deterministic service
  times, Allen–Cunneen) gives the 95th-percentile wait — plus prefill, plus decode at the rate
  a stream gets when the batch is as full as the utilisation says;
* retrieval: the p50 query embedding + vector search × its p95 ÷ p50 factor (an input).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.context import Context, column, figure, opt, scalar, v
from engine.hardware import ServingPlan
from engine.model.results import Figure
from engine.model.scenario import ServingMode


def retrieval_ms(ctx: Context) -> tuple[float, float]:
    """(query embedding, vector search) milliseconds of one retrieval at the median: the
    catalog's typical latencies, the search time as typed where it is."""
    s = ctx.scenario
    emb = ctx.catalogs.embedding_models.get(s.rag.embedding_model)
    search_ms = opt(s.rag.retrieval_latency_ms)
    if search_ms is None:
        search_ms = ctx.catalogs.vector_stores.get(s.rag.vector_store).typical_query_latency_ms
    return emb.typical_latency_ms, search_ms


def reads_volume(plan: ServingPlan | None) -> bool:
    """Whether the latency figures read the scenario's volume: self-hosted ones do (they are
    at the peak hour's load, which the volume sets); an API's do not."""
    return plan is not None


def latency_figures(
    ctx: Context, strategy: str, prompt_tokens: float, plan: ServingPlan | None
) -> tuple[Figure, Figure]:
    s = ctx.scenario
    option = s.serving.for_strategy(strategy)
    out_tokens = v(s.workload.output_tokens_per_query)
    inputs: dict[str, tuple[float | str, str]] = {}
    retrieval_s = 0.0
    if strategy != "fine_tuning":
        embed_ms, search_ms = retrieval_ms(ctx)
        retrieval_s = (embed_ms + search_ms) / 1000.0
        inputs["query embedding"] = (embed_ms / 1000.0, "s")
        inputs["vector search"] = (search_ms / 1000.0, "s")

    if option.mode is ServingMode.api or plan is None:
        ttft_api = v(option.api_time_to_first_token_s)
        prefill = prompt_tokens / v(option.api_prefill_tokens_per_s)
        decode_rate = v(option.api_decode_tokens_per_s)
        inputs |= {
            "provider time to first token": (ttft_api, "s"),
            "prompt tokens": (prompt_tokens, "tokens"),
            "prefill rate": (v(option.api_prefill_tokens_per_s), "tokens/s"),
        }
        ttft = retrieval_s + ttft_api + prefill
        formula = "retrieval + provider time to first token + prompt tokens ÷ prefill rate"
        if strategy == "fine_tuning":
            formula = "provider time to first token + prompt tokens ÷ prefill rate"
    else:
        prefill = plan.prefill_seconds
        # The peak hour, with the replicas the volume needs (the same busy-time model that
        # counts them): requests decode in a batch and other queries' prefills interleave.
        load = plan.at_load(v(s.workload.queries_per_month), v(s.workload.peak_to_average_load))
        decode_rate = load.decode_tokens_per_s
        inputs |= {
            "prefill (2·N·prompt tokens ÷ (GPUs × peak × MFU) + all-reduces)": (prefill, "s"),
            "prompt tokens": (prompt_tokens, "tokens"),
            "GPUs per replica": (plan.gpus_per_replica, ""),
            "replica busy at peak": (load.utilisation, ""),
            "requests decoding together": (load.batch, ""),
        }
        ttft = retrieval_s + prefill
        formula = (
            "retrieval + prefill" if strategy != "fine_tuning" else "prefill"
        ) + " (self-hosted, first principles, at the peak hour; queueing not included)"
    ttft_fig = figure(
        f"{strategy}.latency_ttft", "Time to first token (p50)", ttft, "s", formula, inputs
    )
    total = ttft + out_tokens / decode_rate
    total_fig = figure(
        f"{strategy}.latency_total",
        "Time to full answer (p50)",
        total,
        "s",
        "time to first token + output tokens ÷ decode rate",
        {
            "time to first token": (ttft, "s"),
            "output tokens": (out_tokens, "tokens"),
            "decode rate": (decode_rate, "tokens/s"),
        },
    )
    return ttft_fig, total_fig


EXACT_SERVERS = 256  # Erlang C exactly up to this many parallel streams, Halfin-Whitt above
MAX_UTILISATION = 0.999  # a queue at 100 % grows without bound: shown at 99.9 %


def erlang_c(servers: float, offered: float) -> float:
    """Probability that an arriving request waits (M/M/c, Erlang C), vectorised.

    ``servers`` c and ``offered`` load a = λ × service time (Erlangs, a < c).  Up to
    :data:`EXACT_SERVERS` slots it is exact: the Erlang B recursion B(k) = a·B(k−1) ÷
    (k + a·B(k−1)), then C = B ÷ (1 − ρ(1 − B)).  Beyond, the Halfin–Whitt approximation
    C ≈ 1 ÷ (1 + β·Φ(β) ÷ φ(β)) with β = (1 − ρ)·√c, which is accurate for many servers.
    Far from saturation (the Poisson load more than 4 standard deviations under c) the
    probability is below 10⁻⁴ and taken as 0.
    """
    c = np.maximum(np.asarray(servers, dtype=float), 1.0)
    a = np.asarray(offered, dtype=float)
    rho = np.minimum(a / c, MAX_UTILISATION)
    a = rho * c
    light = c > a + 4.0 * np.sqrt(a) + 6.0
    shape = np.broadcast(c, a).shape
    if np.all(light):  # far from saturation everywhere (a deterministic engine's usual case)
        return scalar(np.zeros(shape))
    many = c > EXACT_SERVERS
    b = np.ones(shape)
    exact = np.where(light | many, 0.0, c)
    if b.ndim == 0:  # one number: the same recursion on floats, without a numpy call a step
        one, load = 1.0, float(a)
        for k in range(1, int(exact) + 1):
            one = _erlang_b_step(load, one, k)
        b = np.asarray(one)
    for k in range(1, int(np.max(exact)) + 1 if b.ndim else 0):
        b = np.where(k <= exact, _erlang_b_step(a, b, k), b)
    recursion = b / (1.0 - rho * (1.0 - b))
    beta = (1.0 - rho) * np.sqrt(c)
    cdf = 0.5 * (1.0 + _erf(beta / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * beta**2) / math.sqrt(2.0 * math.pi)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # Far in the light tail pdf underflows to 0: the probability of waiting is then 0.
        halfin_whitt = np.where(pdf > 0.0, 1.0 / (1.0 + beta * cdf / pdf), 0.0)
    wait: float = scalar(np.where(light, 0.0, np.where(many, halfin_whitt, recursion)))
    return wait


def _erlang_b_step(load: Any, b: Any, k: int) -> Any:
    """B(k) from B(k − 1) at offered load ``load`` (numbers or arrays alike)."""
    return load * b / (k + load * b)


def _erf(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The error function on an array (numpy has none; math.erf element by element)."""
    flat = np.asarray(x, dtype=float)
    if flat.ndim == 0:
        return np.asarray(math.erf(float(flat)))
    out: NDArray[np.float64] = np.vectorize(math.erf, otypes=[float])(flat)
    return out


def p95_wait_seconds(servers: float, offered: float, service_s: float) -> float:
    """95th-percentile queueing delay, M/D/c by the Allen–Cunneen correction of M/M/c.

    M/M/c: P(W > t) = C·exp(−(c − a)·t ÷ s), so t95 = s ÷ (c − a) × ln(C ÷ 0.05) when C > 5 %;
    deterministic service halves the waiting time ((Ca² + Cs²) ÷ 2 with Ca² = 1, Cs² = 0).
    """
    c = np.maximum(np.asarray(servers, dtype=float), 1.0)
    a = np.minimum(np.asarray(offered, dtype=float), MAX_UTILISATION * c)
    prob = np.asarray(erlang_c(c, a), dtype=float)
    if not np.any(prob > 0.05):  # nobody waits long enough to matter (the usual case)
        return scalar(np.zeros(np.broadcast(prob, c, a, service_s).shape))
    t = service_s / (c - a) * np.log(np.maximum(prob, 1e-300) / 0.05)
    wait: float = scalar(0.5 * np.where(prob > 0.05, t, 0.0))
    return wait


def p95_figure(ctx: Context, strategy: str, total: Figure, plan: ServingPlan | None) -> Figure:
    """Time to the full answer for the slowest 1 query in 20 (see the module docstring)."""
    s = ctx.scenario
    option = s.serving.for_strategy(strategy)
    retrieval_p50 = 0.0
    factor_r = v(s.rag.retrieval_p95_factor)
    inputs: dict[str, tuple[float | str, str]] = {}
    if strategy != "fine_tuning":
        embed_ms, search_ms = retrieval_ms(ctx)
        retrieval_p50 = (embed_ms + search_ms) / 1000.0
        inputs["retrieval p50"] = (retrieval_p50, "s")
        inputs["retrieval p95 ÷ p50"] = (factor_r, "×")
    retrieval_p95 = retrieval_p50 * factor_r
    if option.mode is ServingMode.api or plan is None:
        factor = v(option.api_p95_factor)
        generation = total.value - retrieval_p50
        value = retrieval_p95 + generation * factor
        inputs |= {"generation p50": (generation, "s"), "provider p95 ÷ p50": (factor, "×")}
        formula = "retrieval p50 × its p95 factor + generation p50 × provider p95 factor"
    else:
        q0 = v(s.workload.queries_per_month)
        peak = v(s.workload.peak_to_average_load)
        replicas = scalar(plan.replicas(column(q0), peak))
        servers = replicas * plan.streams
        arrivals = q0 * peak / (plan.hours_per_month * 3600.0)  # queries/s in the peak hour
        offered = arrivals * plan.seconds_per_query_busy
        utilisation = np.minimum(offered / servers, MAX_UTILISATION)
        wait = p95_wait_seconds(servers, offered, plan.seconds_per_query_busy)
        # The p50 figure already answers at the peak hour's load (batched decode, interleaved
        # prefills; queueing excluded): the tail adds the wait for a free stream and the
        # retrieval tail, so p95 is never below p50.
        value = total.value + (retrieval_p95 - retrieval_p50) + wait
        inputs |= {
            "full answer p50 at the peak hour": (total.value, "s"),
            "utilisation at peak": (scalar(utilisation) * 100.0, "%"),
            "parallel streams (replicas × streams)": (servers, ""),
            "p95 queueing wait": (wait, "s"),
        }
        formula = (
            "full answer p50 at the peak hour + retrieval tail (p95 − p50) + p95 queueing wait "
            "(M/D/c at the peak-hour utilisation)"
        )
    return figure(
        f"{strategy}.latency_p95", "Time to full answer (p95)", value, "s", formula, inputs
    )
