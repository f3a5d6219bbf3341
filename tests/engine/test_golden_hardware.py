"""Golden reference cases for self-hosted serving and training, against an independent
first-principles calculation written out here (not the engine's code).

Reference calculator (the roofline model of llm-analysis, cli99/llm-analysis, and of
LLM-Viewer, arXiv 2402.16363), for N parameters, g GPUs, b concurrent requests, prompt P,
output O, 16-bit weights and KV cache, MFU 0.5 for prefill, bandwidth efficiency 0.6:

    prefill  = 2 · N · P ÷ (g · peak FLOP/s · MFU)
    KV/token = 2 · layers · KV heads · head dim · 2 bytes
    step     = max((2 N + b · (P + O/2) · KV/token) ÷ (g · bandwidth · 0.6),
                   2 · N · b ÷ (g · peak · MFU))
    decode   = 1 ÷ step   (tokens/s per request)
    total    = prefill + O · step

GPU figures from the vendors' datasheets: A10G 70 TFLOP/s dense BF16, 0.6 TB/s; A100 SXM4
80GB 312 TFLOP/s, 2.039 TB/s; H100 SXM5 989 TFLOP/s, 3.35 TB/s.  Model figures from the models'
config.json (see resources/catalogs/base_models.json).  The reference leaves out what the
engine adds on purpose — tensor-parallel all-reduces (about 10 µs each over NVLink, 2 per layer
and step) — so the two agree within a few per cent and must agree within 25 %.

Training reference: Touvron et al., "Llama 2", arXiv 2307.09288, Table 2 — pre-training Llama 2
7B took 184,320 and 13B 368,640 A100-80GB GPU-hours for 2.0 T tokens.  The same arithmetic as a
full fine-tune (6 · N · D FLOPs) at an MFU of 0.4 must land within 25 % of those published hours.
"""

from __future__ import annotations

import pytest

from engine.catalog import shipped_catalogs
from engine.hardware import serving_plan, training_plan
from engine.model.scenario import FineTuneMethod

CAT = shipped_catalogs()
TOLERANCE = 0.25

# (model, gpu, GPUs, requests b, prompt P, output O,
#  reference prefill s, reference decode tokens/s per request, reference total s)
# Each reference line computed by hand with the formulas above, e.g. the first:
#   prefill = 2 × 8.03e9 × 400 ÷ (1 × 70e12 × 0.5)                     = 0.1835 s
#   step    = (16.06e9 + 1 × 550 × 131,072) ÷ (0.6e12 × 0.6)            = 44.81 ms → 22.32 tok/s
#   total   = 0.1835 + 300 × 0.04481                                     = 13.63 s
SERVING = [
    ("llama-3.1-8b", "a10g", 1, 1, 400, 300, 0.1835, 22.32, 13.627),
    ("llama-3.1-8b", "a100-80gb", 1, 1, 2900, 300, 0.2986, 74.33, 4.335),
    ("mistral-7b", "a100-80gb", 1, 16, 2900, 300, 0.2696, 58.55, 5.394),
    ("llama-3.1-8b", "h100-sxm", 1, 32, 400, 300, 0.0130, 109.44, 2.754),
    ("llama-2-13b", "a100-80gb", 1, 1, 1000, 200, 0.1669, 45.41, 4.571),
    ("llama-3.1-70b", "h100-sxm", 2, 1, 400, 300, 0.0571, 28.45, 10.600),
    ("llama-3.1-70b", "h100-sxm", 4, 16, 2900, 300, 0.2069, 51.18, 6.068),
    # LLaMA-65B (multi-head attention, 64 KV heads) on 2 × H100 with tensor parallelism 2.
    ("llama-65b", "h100-sxm", 2, 1, 1000, 200, 0.1320, 30.12, 6.772),
    ("llama-65b", "h100-sxm", 2, 4, 1000, 200, 0.1320, 28.29, 7.202),
]


@pytest.mark.parametrize(
    ("model_id", "gpu_id", "gpus", "streams", "prompt", "output", "prefill", "decode", "total"),
    SERVING,
)
def test_serving_matches_the_reference_calculation(
    model_id: str,
    gpu_id: str,
    gpus: int,
    streams: int,
    prompt: int,
    output: int,
    prefill: float,
    decode: float,
    total: float,
) -> None:
    plan = serving_plan(
        CAT.base_models.get(model_id),
        CAT.gpus.get(gpu_id),
        bytes_per_param=2,
        prompt_tokens=prompt,
        output_tokens=output,
        streams=streams,
        bandwidth_efficiency=0.6,
        mfu=0.5,
        hours_per_month=730,
        gpu_hour_price=1.0,
    )
    # The engine derives the GPU count itself: the reference's count is the one that fits.
    assert plan.gpus_per_replica == gpus
    rate = plan.busy_stream_tokens_per_s
    assert plan.prefill_seconds == pytest.approx(prefill, rel=TOLERANCE)
    assert rate == pytest.approx(decode, rel=TOLERANCE)
    assert plan.prefill_seconds + output / rate == pytest.approx(total, rel=TOLERANCE)


def test_65b_on_two_h100s_with_tensor_parallelism_2_typed() -> None:
    # 65.29e9 × 2 bytes = 130.6 GB of weights: 65.3 GB per GPU on two, under the 75.2 GB usable
    # (80 GiB × 0.9 − 2 GiB). Typed TP 2 is kept; decode is twice one GPU's bandwidth.
    plan = serving_plan(
        CAT.base_models.get("llama-65b"),
        CAT.gpus.get("h100-sxm"),
        bytes_per_param=2,
        prompt_tokens=1000,
        output_tokens=200,
        streams=1,
        bandwidth_efficiency=0.6,
        mfu=0.5,
        hours_per_month=730,
        gpu_hour_price=1.0,
        gpus_per_replica=2,
    )
    assert plan.gpus_per_replica == 2
    assert plan.sizing is not None and not plan.sizing.raised
    assert plan.single_stream_tokens_per_s == pytest.approx(30.12, rel=0.1)


def test_70b_on_h100_two_gpus_when_the_kv_cache_fits_else_four() -> None:
    """The Methodology text's example, with its arithmetic.

    Usable per H100: 80 GiB × 0.9 − 2 GiB = 85.90 × 0.9 − 2.15 = 75.16 GB.
    Llama 3.1 70B, 16-bit: 70.55e9 × 2 = 141.1 GB of weights → 70.55 GB per GPU on two,
    leaving 4.61 GB per GPU. KV cache: 2 × 80 layers × 8 KV heads × 128 × 2 bytes = 327,680
    bytes per token, half of it on each GPU.
    - One request of 400 + 300 tokens: 700 × 327,680 = 0.23 GB → 0.11 GB per GPU: fits on 2.
    - Sixteen RAG requests of 2,900 + 300 tokens: 16 × 3,200 × 327,680 = 16.8 GB → 8.4 GB per
      GPU on two, more than 4.61: four GPUs (35.3 + 4.2 = 39.5 GB per GPU).
    """
    model, gpu = CAT.base_models.get("llama-3.1-70b"), CAT.gpus.get("h100-sxm")

    def plan(streams: int, prompt: int):  # type: ignore[no-untyped-def]
        return serving_plan(
            model,
            gpu,
            bytes_per_param=2,
            prompt_tokens=prompt,
            output_tokens=300,
            streams=streams,
            bandwidth_efficiency=0.6,
            mfu=0.5,
            hours_per_month=730,
            gpu_hour_price=1.0,
        )

    one = plan(1, 400)
    assert one.sizing is not None
    assert one.sizing.usable_bytes_per_gpu / 1e9 == pytest.approx(75.16, abs=0.01)
    assert one.gpus_per_replica == 2
    rag = plan(16, 2900)
    assert rag.sizing is not None
    assert rag.sizing.kv_cache_bytes / 1e9 == pytest.approx(16.78, abs=0.01)
    assert rag.gpus_per_replica == 4


@pytest.mark.parametrize(
    ("model_id", "published_gpu_hours"),
    [("llama-2-7b", 184_320), ("llama-2-13b", 368_640)],
)
def test_full_training_gpu_hours_match_published_llama_2_figures(
    model_id: str, published_gpu_hours: float
) -> None:
    plan = training_plan(
        CAT.base_models.get(model_id),
        CAT.gpus.get("a100-80gb"),
        FineTuneMethod.full,
        recompute=False,
        tokens=2.0e12,
        epochs=1,
        mfu=0.4,
        gpus_requested=1,
    )
    # 7B: 6 × 6.74e9 × 2e12 ÷ (312e12 × 0.4) ÷ 3600 = 180,021 h (published 184,320: −2.3 %)
    # 13B: 6 × 13.02e9 × 2e12 ÷ (312e12 × 0.4) ÷ 3600 = 347,756 h (published 368,640: −5.7 %)
    assert plan.gpu_hours_per_run == pytest.approx(published_gpu_hours, rel=TOLERANCE)
    assert plan.gpu_hours_per_run == pytest.approx(published_gpu_hours, rel=0.06)


def test_a_typed_gpu_count_too_small_is_raised_and_every_output_says_so() -> None:
    from engine.assumptions import assumptions
    from engine.evaluate import evaluate
    from engine.model import Project, Scenario
    from engine.report import evaluation_json

    s = Scenario.model_validate(
        {
            "fine_tuning": {"base_model": "llama-3.3-70b"},
            "serving": {
                "fine_tuning": {"mode": "self_hosted", "gpu": "h100-sxm", "gpus_per_replica": 1}
            },
        }
    )
    project = Project(scenarios=[s])
    ev = evaluate(project)
    fig = ev.strategies["fine_tuning"].figures["serving_gpus_per_replica"]
    assert fig.value == 2
    assert fig.note.startswith("Raised from the 1 typed")
    assert any("raised GPUs per replica from 1 to 2" in w for w in ev.warnings)
    # The serving cost is priced on the count used.
    serving = next(c for c in ev.strategies["fine_tuning"].components if c.key == "serving")
    assert {i.name: i.value for i in serving.figure.inputs}["GPUs per replica"] == 2
    data = evaluation_json(ev)
    assert data["strategies"]["fine_tuning"]["figures"]["serving_gpus_per_replica"]["value"] == 2
    rows = {r.path: r for g in assumptions(project, s) for r in g.rows}
    row = rows["serving.fine_tuning.gpus_per_replica"]
    assert row.value == 2
    assert "raised by the engine from the 1 typed" in row.source
    # Left empty, the count is derived, and the report prints it.
    derived = rows["serving.hybrid.gpus_per_replica"]
    assert (
        derived.value
        == evaluate(project).strategies["hybrid"].figures["serving_gpus_per_replica"].value
    )
    assert derived.source.startswith("left empty: derived")
