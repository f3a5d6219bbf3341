"""Owned hardware: servers the client buys, turned into an effective cost per GPU-hour.

    monthly cost of a server = price ÷ amortisation months + power kW × PUE × 730 h × price per kWh
                               + hosting + support
    cost per GPU-hour        = monthly cost of a server ÷ (GPUs per server × 730 h)

An owned server costs the same whether it is busy 220 or 730 hours a month, and whether one of
its GPUs serves or all of them: serving on owned GPUs is priced for the whole month and for whole
servers (⌈GPUs used ÷ GPUs per server⌉ of them, a self-hosted embedding's GPU share counted
among the GPUs used).  A client who shares servers with other work
enters its share as the server (its part of the price, the GPUs it gets).  The purchase itself
(capex) is shown beside the running figures: the TCO carries the amortised share of it that falls
inside the horizon.  Training on owned GPUs is priced by the GPU-hours it uses: the servers' other
hours are assumed to go to other work.
"""

from __future__ import annotations

import numpy as np

from engine.context import (  # the GPU-hour price lives there: the context prices GPU offers
    HOURS_ALWAYS_ON,
    Context,
    figure,
    owned_gpu_hour_price,
    v,
)
from engine.model.results import Figure


def owned_price_figure(ctx: Context, strategy: str) -> Figure:
    hw = ctx.scenario.owned_hardware
    money = ctx.money
    power = v(hw.power_kw) * v(hw.pue) * HOURS_ALWAYS_ON * v(hw.price_per_kwh)
    return figure(
        f"{strategy}.owned_gpu_hour",
        "Owned GPU, effective cost per GPU-hour",
        owned_gpu_hour_price(hw),
        f"{money}/GPU-hour",
        "(price ÷ amortisation + kW × PUE × 730 h × price per kWh + hosting + support) ÷ "
        "(GPUs per server × 730 h)",
        {
            "server price (capex)": (v(hw.server_price), money),
            "amortisation": (v(hw.amortisation_months), "months"),
            "power": (power, f"{money}/month"),
            "hosting": (v(hw.hosting_per_month), f"{money}/month"),
            "support": (v(hw.support_per_month), f"{money}/month"),
            "GPUs per server": (v(hw.gpus_per_server), ""),
        },
    )


def owned_capex_figure(ctx: Context, strategy: str, gpus_used: float) -> Figure:
    """The purchase the plan needs: whole servers for the GPUs used (shown, not added)."""
    hw = ctx.scenario.owned_hardware
    per_server = np.round(v(hw.gpus_per_server))
    servers = np.ceil(gpus_used / per_server - 1e-9)
    return figure(
        f"{strategy}.owned_capex",
        "Capex: servers to buy",
        servers * v(hw.server_price),
        ctx.money,
        "⌈GPUs used ÷ GPUs per server⌉ × server price (capex; the TCO carries its amortised "
        "share inside the horizon, as part of the GPU-hour price)",
        {
            "GPUs used": (gpus_used, "GPUs"),
            "servers": (servers, ""),
            "server price": (v(hw.server_price), ctx.money),
        },
    )
