"""Driver and monitor for the valid/ready streams of docs/streams.md, with seeded random stalls.

Both loop once per clock cycle: write this cycle's inputs right after the rising edge, wait for
ReadOnly (combinational logic settled), sample the handshake, then wait for the next rising
edge. A beat transfers in cycle t when valid and ready are both 1 in that sample. Cycle 0 is the
first cycle after reset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from cocotb.triggers import ReadOnly, RisingEdge

Value = Union[int, str]
"""A sampled field: an int, or the binary string (with x/z) when the value is not resolvable."""


@dataclass(frozen=True)
class ObservedBeat:
    cycle: int
    values: Mapping[str, Value]


@dataclass
class ProtocolError:
    cycle: int
    port: str
    message: str


def _sample(handle: Any) -> Value:
    v = handle.value
    return v.integer if v.is_resolvable else "0b" + v.binstr.lower()


def _port(handle: Any) -> str:
    """The handle's port name, without any hierarchy prefix."""
    return str(handle._name).split(".")[-1]


def _check_probability(name: str, p: float) -> float:
    if not 0.0 <= p < 1.0:
        raise ValueError(f"{name} must be in [0, 1); got {p}")
    return p


class StreamDriver:
    """Offers `beats` on an input stream; before each new beat, each cycle is left idle (valid 0)
    with probability `gap_probability`, drawn from `rng`. A beat is held stable until accepted."""

    def __init__(
        self,
        clk: Any,
        valid: Any,
        ready: Any,
        fields: Mapping[str, Any],
        beats: Sequence[Mapping[str, int]],
        *,
        gap_probability: float,
        rng: random.Random,
    ) -> None:
        self.clk, self.valid, self.ready, self.fields = clk, valid, ready, dict(fields)
        self.beats = list(beats)
        self.gap_probability = _check_probability("gap_probability", gap_probability)
        self.rng = rng
        self.accepted_cycles: List[int] = []
        self.idle_cycles = 0
        self.stalled_cycles = 0  # valid 1 and ready 0: back-pressure seen by the producer
        self.errors: List[ProtocolError] = []

    @property
    def done(self) -> bool:
        return len(self.accepted_cycles) == len(self.beats)

    async def run(self) -> None:
        """Call right after reset (cycle 0 starts); returns after the last beat's transfer."""
        cycle, offering = 0, False
        self.valid.value = 0
        while not self.done and not self.errors:
            if not offering:
                if self.rng.random() < self.gap_probability:
                    self.valid.value = 0
                    self.idle_cycles += 1
                else:
                    beat = self.beats[len(self.accepted_cycles)]
                    for name, handle in self.fields.items():
                        handle.value = beat[name]
                    self.valid.value = 1
                    offering = True
            await ReadOnly()
            if offering:
                r = self.ready.value
                if not r.is_resolvable:
                    self.errors.append(
                        ProtocolError(cycle, _port(self.ready), f"is {r.binstr} while valid is 1")
                    )
                elif r.integer == 1:
                    self.accepted_cycles.append(cycle)
                    offering = False
                else:
                    self.stalled_cycles += 1
            await RisingEdge(self.clk)
            cycle += 1
        self.valid.value = 0


class StreamMonitor:
    """Collects the beats of an output stream; each cycle `ready` is 0 with probability
    `stall_probability` (drawn from `rng`). Also checks that a beat offered while ready is 0
    stays offered, unchanged, in the next cycle (AXI-stream rule of docs/streams.md)."""

    def __init__(
        self,
        clk: Any,
        valid: Any,
        ready: Any,
        fields: Mapping[str, Any],
        *,
        stall_probability: float,
        rng: random.Random,
    ) -> None:
        self.clk, self.valid, self.ready, self.fields = clk, valid, ready, dict(fields)
        self.stall_probability = _check_probability("stall_probability", stall_probability)
        self.rng = rng
        self.beats: List[ObservedBeat] = []
        self.backpressure_cycles = 0  # valid 1 and ready 0
        self.cycles = 0
        self.timed_out = False
        self.errors: List[ProtocolError] = []

    async def run(self, expected: int, drain_cycles: int, timeout_cycles: int) -> None:
        """Samples until `expected` beats have arrived and then `drain_cycles` more cycles, or
        twice the longest gap seen between output beats if longer (ready held 1, to catch extra
        beats), or until `timeout_cycles` cycles pass without an output
        beat (a slow design keeps going as long as it makes progress)."""
        cycle = 0
        held: Optional[Dict[str, Value]] = None  # fields of a beat offered while ready was 0
        drained = 0
        last_beat = 0
        longest_gap = 0
        while cycle - last_beat < timeout_cycles:
            if len(self.beats) >= expected:
                if drained >= max(drain_cycles, 2 * longest_gap):
                    break
                drained += 1
                ready = 1
            else:
                ready = 0 if self.rng.random() < self.stall_probability else 1
            self.ready.value = ready
            await ReadOnly()
            v = self.valid.value
            if not v.is_resolvable:
                self.errors.append(ProtocolError(cycle, _port(self.valid), f"is {v.binstr}"))
                break
            values = {name: _sample(h) for name, h in self.fields.items()} if v.integer else None
            if held is not None:
                if values is None:
                    self._protocol(cycle, _port(self.valid), "dropped to 0 before the beat was taken")
                elif values != held:
                    changed = next(n for n in values if values[n] != held[n])
                    self._protocol(cycle, _port(self.fields[changed]), "changed before the beat was taken")
            if values is not None and ready:
                if self.beats:
                    longest_gap = max(longest_gap, cycle - last_beat)
                self.beats.append(ObservedBeat(cycle, values))
                last_beat = cycle
                held = None
            elif values is not None:
                self.backpressure_cycles += 1
                held = values
            else:
                held = None
            await RisingEdge(self.clk)
            cycle += 1
        self.cycles = cycle
        self.timed_out = len(self.beats) < expected
        self.ready.value = 0

    def _protocol(self, cycle: int, port: str, message: str) -> None:
        self.errors.append(ProtocolError(cycle, port, message))
