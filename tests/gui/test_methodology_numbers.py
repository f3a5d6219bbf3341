"""The Methodology text states the GPU-count rule the engine applies, with the engine's own
constants, and its 70B example comes out as the engine computes it."""

from __future__ import annotations

from engine import hardware
from engine.catalog import shipped_catalogs
from engine.hardware import serving_plan
from gui.views.methodology import METHODOLOGY_HTML


def test_methodology_states_the_engine_rule_and_its_70b_example_holds() -> None:
    text = " ".join(METHODOLOGY_HTML.split())
    assert f"{hardware.GPU_MEMORY_UTILIZATION:g} × GPU memory" in text
    assert f"{hardware.RUNTIME_RESERVE_GIB:g} GiB" in text
    assert "power of two" not in text
    assert "two 80 GB H100s" in text
    cat = shipped_catalogs()
    model, gpu = cat.base_models.get("llama-3.1-70b"), cat.gpus.get("h100-sxm")

    def gpus(streams: int, prompt: int) -> float:
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
        ).gpus_per_replica

    # "one request of 800 tokens: two GPUs. Sixteen concurrent RAG requests of 3,200 tokens
    # need 16.8 GB of KV cache: four GPUs."
    assert "one request of 800 tokens: two GPUs" in text
    assert gpus(1, 500) == 2
    assert "Sixteen concurrent RAG requests of 3,200 tokens" in text
    assert gpus(16, 2900) == 4
