"""p50 latency per query (SPEC §3.3): time to first token and time to the full answer.

API: provider's time to first token + prompt tokens ÷ prefill rate, then output tokens ÷ decode
rate (provider figures, editable).  Self-hosted: from first principles (engine.hardware):
prefill ≈ 2·N·prompt tokens ÷ (peak FLOP/s × MFU); decode is memory-bandwidth bound.
RAG adds query embedding + vector search before generation, and a longer prompt.
"""

from __future__ import annotations

from engine.context import Context, figure, opt, v
from engine.hardware import ServingPlan
from engine.model.results import Figure
from engine.model.scenario import ServingMode


def latency_figures(
    ctx: Context, strategy: str, prompt_tokens: float, plan: ServingPlan | None
) -> tuple[Figure, Figure]:
    s = ctx.scenario
    option = s.serving.for_strategy(strategy)
    out_tokens = v(s.workload.output_tokens_per_query)
    inputs: dict[str, tuple[float | str, str]] = {}
    retrieval_s = 0.0
    if strategy != "fine_tuning":
        emb = ctx.catalogs.embedding_models.get(s.rag.embedding_model)
        store = ctx.catalogs.vector_stores.get(s.rag.vector_store)
        search_ms = opt(s.rag.retrieval_latency_ms)
        if search_ms is None:
            search_ms = store.typical_query_latency_ms
        retrieval_s = (emb.typical_latency_ms + search_ms) / 1000.0
        inputs["query embedding"] = (emb.typical_latency_ms / 1000.0, "s")
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
