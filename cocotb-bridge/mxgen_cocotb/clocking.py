"""Clock and synchronous reset for a stream DUT (docs/streams.md: rising edge, active-high rst).

The clock period is given in simulator steps so that it works whatever timescale the simulator
uses (the cocotb runner passes none to Icarus).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge


async def start_clock_and_reset(
    clk: Any,
    rst: Any,
    *,
    reset_cycles: int = 2,
    period_steps: int = 10,
    idle: Iterable[Any] = (),
    constants: Mapping[Any, int] = {},
) -> None:
    """Starts the clock, holds `rst` high for `reset_cycles` rising edges with every handle in
    `idle` at 0 and every constant applied, then releases reset.

    Returns right after a rising edge with `rst` written 0: the caller's next writes belong to
    cycle 0, the first cycle after reset.
    """
    if reset_cycles < 1:
        raise ValueError(f"reset_cycles must be at least 1; got {reset_cycles}")
    if period_steps < 2 or period_steps % 2:
        raise ValueError(f"period_steps must be an even number >= 2; got {period_steps}")
    rst.value = 1
    for h in idle:
        h.value = 0
    for h, v in constants.items():
        h.value = v
    cocotb.start_soon(Clock(clk, period_steps, units="step").start(start_high=False))
    for _ in range(reset_cycles):
        await RisingEdge(clk)
    rst.value = 0
