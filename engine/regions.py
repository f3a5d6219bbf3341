"""Where each part of a strategy is hosted, and what a regional offering costs.

API offerings name a genai-prices model and the provider's regional endpoint (e.g. Azure OpenAI's
EU Data Zone, Anthropic on AWS Bedrock in Frankfurt, Mistral's EU-hosted La Plateforme), with the
regional price factor and whether the provider keeps prompts for a while.  GPU offers are clouds'
GPUs in a region at that cloud's price, often in EUR.  Both ship in
resources/catalogs/regional_offerings.json and can be overridden per project like any catalog
entry.  A model picked without an offering is hosted where its provider's default endpoint is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from engine.catalog import CATALOG_DIR, CatalogError
from engine.model.catalog_entries import ApiOffering, CatalogOverrides, GpuOffer

# Default endpoint of a provider (genai-prices provider prefix → region, keeps data).  Most
# providers' public APIs process data in the US and keep prompts up to 30 days for abuse
# monitoring; Mistral's La Plateforme is hosted in the EU.
PROVIDER_DEFAULT: dict[str, tuple[str, bool]] = {"mistral": ("EU", True)}
DEFAULT_HOSTING: tuple[str, bool] = ("US", True)


@dataclass(frozen=True)
class Offerings:
    api: dict[str, ApiOffering]
    gpu: dict[str, GpuOffer]
    usd_per_eur: float
    overridden: frozenset[str] = frozenset()

    def api_offering(self, offering_id: str) -> ApiOffering:
        try:
            return self.api[offering_id]
        except KeyError:
            raise CatalogError(
                f"regional offerings: no API offering {offering_id!r} "
                f"(known: {', '.join(sorted(self.api))})"
            ) from None

    def gpu_offer(self, offer_id: str) -> GpuOffer:
        try:
            return self.gpu[offer_id]
        except KeyError:
            raise CatalogError(
                f"regional offerings: no GPU offer {offer_id!r} "
                f"(known: {', '.join(sorted(self.gpu))})"
            ) from None

    def with_overrides(self, overrides: CatalogOverrides) -> Offerings:
        if not overrides.api_offerings and not overrides.gpu_offers:
            return self
        return Offerings(
            {**self.api, **overrides.api_offerings},
            {**self.gpu, **overrides.gpu_offers},
            self.usd_per_eur,
            frozenset(overrides.api_offerings) | frozenset(overrides.gpu_offers),
        )


@cache
def shipped_offerings() -> Offerings:
    raw: dict[str, Any] = json.loads(
        (CATALOG_DIR / "regional_offerings.json").read_text(encoding="utf-8")
    )
    api = {e["id"]: ApiOffering.model_validate(e) for e in raw["api"]}
    gpu = {e["id"]: GpuOffer.model_validate(e) for e in raw["gpu"]}
    return Offerings(api, gpu, float(raw["usd_per_eur"]))


def offerings_for(overrides: CatalogOverrides) -> Offerings:
    return shipped_offerings().with_overrides(overrides)


@cache
def default_api_hosting(api_model: str) -> tuple[str, bool]:
    """(region, keeps data) of a provider's default endpoint for a genai-prices model ref."""
    provider = api_model.split(":", 1)[0].lower()
    if provider == "aws" and ":eu." in api_model.lower():
        return "EU", False
    return PROVIDER_DEFAULT.get(provider, DEFAULT_HOSTING)


def gpu_offer_price(offer: GpuOffer, currency: str, usd_rate: float, usd_per_eur: float) -> float:
    """An offer's price per GPU-hour in the project currency (as it is when the currencies
    match; else through USD, EUR at the catalog's reference rate)."""
    if offer.currency == currency:
        return offer.price_per_gpu_hour
    if offer.currency == "USD":
        return offer.price_per_gpu_hour * usd_rate
    if offer.currency == "EUR":
        return offer.price_per_gpu_hour * usd_per_eur * usd_rate
    raise CatalogError(
        f"GPU offer {offer.id!r} is priced in {offer.currency}; only USD, EUR or the project's "
        "currency can be converted"
    )
