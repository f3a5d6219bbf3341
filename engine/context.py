"""What every formula module needs: the scenario's likely values, the catalogs (with the
project's overrides), the currency conversion, and a compact way to record a Figure."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from engine.catalog import ApiPrice, Catalogs, api_price
from engine.model.base import Estimate
from engine.model.catalog_entries import BaseModelEntry, GpuEntry
from engine.model.results import Figure, FigureInput, figure_input, make_figure
from engine.model.scenario import OWNED_OFFER, OwnedHardware, Scenario, ServingOption
from engine.regions import Offerings, gpu_offer_price, shipped_offerings

DAYS_PER_MONTH = 365.0 / 12.0  # 30.4167: a month is a twelfth of a year throughout
HOURS_ALWAYS_ON = 730.0  # 8,760 h / 12
HOURS_BUSINESS = 220.0  # 10 h × 22 working days


def v(estimate: Estimate) -> float:
    """The likely value of an estimate (the deterministic engine's input).

    In a Monte Carlo pass (engine.uncertainty) an estimate's ``likely`` holds a column of
    samples instead, shape (N, 1): every formula in costs / hardware / latency / freshness is
    written with numpy operations so the same code evaluates all samples at once.
    """
    return estimate.likely


def scalar(x: float | NDArray[np.float64]) -> float:
    """A one-element result as a float; a column of samples is passed through unchanged."""
    if isinstance(x, float):  # a number already (numpy's float64 too): no array round trip
        return float(x)
    arr = np.asarray(x, dtype=float)
    if arr.size == 1:
        return float(arr.reshape(()))
    return arr  # type: ignore[return-value]  # Monte Carlo pass: a column of samples


def column(x: float | NDArray[np.float64]) -> NDArray[np.float64]:
    """``x`` as a column of rows, shape (N, 1): one number as a 1 × 1 array (built directly:
    numpy's reshape of a bare number takes four times as long), a sample column as it is."""
    if isinstance(x, float):
        return np.array([[x]])
    return np.reshape(x, (-1, 1))


def opt(estimate: Estimate | None) -> float | None:
    return None if estimate is None else estimate.likely


def figure(
    key: str,
    label: str,
    value: float,
    unit: str,
    formula: str,
    inputs: dict[str, tuple[float | str, str]] | None = None,
    note: str = "",
) -> Figure:
    if isinstance(value, _REAL) and not math.isfinite(value):
        raise _not_finite(label, value)
    made: list[FigureInput] = []
    if inputs:
        for name, (number, number_unit) in inputs.items():
            if isinstance(number, _REAL) and not math.isfinite(number):
                raise _not_finite(name, number)
            made.append(figure_input(name, number, number_unit))
    return make_figure(key, label, scalar(value), unit, formula, made, note)


_REAL = (float, int)  # numbers checked to be finite (a Monte Carlo column is not checked)


def _not_finite(name: str, number: float | str) -> ArithmeticError:
    return ArithmeticError(f"{name} is not a finite number ({number}); check the inputs")


# Owned hardware (engine.owned has the figures): a server's monthly cost and the effective price
# of one of its GPU-hours, which the context uses when a GPU offer is "own servers".


def server_monthly_cost(hw: OwnedHardware) -> float:
    """Running cost of one owned server per month (amortisation included)."""
    power = v(hw.power_kw) * v(hw.pue) * HOURS_ALWAYS_ON * v(hw.price_per_kwh)
    amortised: float = (
        v(hw.server_price) / np.round(v(hw.amortisation_months))
        + power
        + v(hw.hosting_per_month)
        + v(hw.support_per_month)
    )
    return amortised


def owned_gpu_hour_price(hw: OwnedHardware) -> float:
    price: float = server_monthly_cost(hw) / (np.round(v(hw.gpus_per_server)) * HOURS_ALWAYS_ON)
    return price


@dataclass(frozen=True)
class Context:
    scenario: Scenario
    catalogs: Catalogs
    currency: str
    usd_rate: float  # project currency per USD
    sampled: bool = False  # a Monte Carlo pass: estimates hold (N, 1) sample columns
    price_date: date | None = None  # prices older than six months before it are flagged
    offerings: Offerings = field(default_factory=shipped_offerings)  # regional API/GPU offers

    @property
    def money(self) -> str:
        return self.currency

    def from_usd(self, usd: float) -> float:
        return usd * self.usd_rate

    def gpu(self, gpu_id: str) -> GpuEntry:
        return self.catalogs.gpus.get(gpu_id)

    def base_model(self, model_id: str) -> BaseModelEntry:
        return self.catalogs.base_models.get(model_id)

    def gpu_hour_price(
        self, gpu: GpuEntry, typed: Estimate | None, offer_id: str = ""
    ) -> tuple[float, str]:
        """(price per GPU-hour in project currency, where it came from)."""
        if typed is not None:
            return typed.likely, "typed"
        if offer_id == OWNED_OFFER:
            hw = self.scenario.owned_hardware
            if hw.gpu != gpu.id:
                raise ValueError(
                    f"the owned servers hold {hw.gpu} GPUs, not the {gpu.name} chosen: pick "
                    f"{hw.gpu} or another GPU offer"
                )
            return owned_gpu_hour_price(hw), (
                "own servers (Owned hardware): amortised purchase + power + hosting + support, "
                "per GPU-hour of a 730-hour month"
            )
        if offer_id:
            offer = self.offerings.gpu_offer(offer_id)
            if offer.gpu != gpu.id:
                raise ValueError(
                    f"GPU offer {offer.name!r} is for {offer.gpu}, not the {gpu.name} chosen: "
                    "pick that GPU or another offer"
                )
            price = gpu_offer_price(offer, self.currency, self.usd_rate, self.offerings.usd_per_eur)
            source = f"{offer.name}: {offer.source}, as of {offer.as_of}"
            if offer.currency != self.currency:
                source += f" ({offer.currency} {offer.price_per_gpu_hour:g}/GPU-hour converted)"
            return price, source
        source = (
            "catalog (overridden in this project)"
            if self.catalogs.gpus.is_overridden(gpu.id)
            else f"catalog: {gpu.source}, as of {gpu.as_of}"
        )
        return self.from_usd(gpu.on_demand_usd_per_hour), source

    def api_prices(self, option: ServingOption) -> tuple[float, float, str]:
        """(input, output) price per million tokens in project currency, and their source."""
        typed_in, typed_out = (
            opt(option.api_input_price_per_million),
            opt(option.api_output_price_per_million),
        )
        catalog: ApiPrice | None = None
        offering = self.offerings.api_offering(option.api_offering) if option.api_offering else None
        if typed_in is None or typed_out is None:
            catalog = api_price(offering.api_model if offering else option.api_model)
        # The multiplier (e.g. 2× for a fine-tuned model on a provider API) applies to catalog
        # prices only: a typed price is the price.  A regional offering adds its price factor.
        mult = v(option.api_price_multiplier) * (offering.price_factor if offering else 1.0)
        inp = (
            typed_in
            if catalog is None or typed_in is not None
            else (mult * self.from_usd(catalog.input_per_million_usd))
        )
        out = (
            typed_out
            if catalog is None or typed_out is not None
            else (mult * self.from_usd(catalog.output_per_million_usd))
        )
        assert inp is not None
        assert out is not None
        if catalog is None:
            source = "typed prices"
        else:
            checked = f", checked {catalog.checked}" if catalog.checked else ""
            source = f"genai-prices: {catalog.provider} {catalog.model}{checked}"
            if offering is not None:
                source += (
                    f" × {offering.price_factor:g} for {offering.name} ({offering.source}, as of "
                    f"{offering.as_of})"
                )
        return inp, out, source


def prompt_tokens(ctx: Context, key: str) -> float:
    """Input tokens of one query for strategy ``key``: the prompt, plus the retrieved chunks
    for RAG and the hybrid."""
    s = ctx.scenario
    prompt = v(s.workload.prompt_tokens_per_query)
    if key == "rag":
        return prompt + v(s.rag.top_k) * v(s.rag.chunk_tokens)
    if key == "hybrid":
        return prompt + v(s.hybrid.top_k) * v(s.rag.chunk_tokens)
    return prompt
