"""Comparator: expected output beats (from `mxgen vectors`) against the beats a monitor observed,
in order and independent of stalls. The report names the beat, cycle, port and both values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

from .stream import ObservedBeat, ProtocolError, Value
from .vectors import Stream, Vectors, hex_value

MAX_LINES = 10


@dataclass(frozen=True)
class Mismatch:
    beat: int
    cycle: Optional[int]  # None for a beat that never arrived
    port: str  # "" for a whole missing or extra beat
    expected: Optional[str]  # None for an extra beat
    actual: Optional[str]  # None for a missing beat


@dataclass
class RunInfo:
    """How the run was stimulated; printed in the report so that it can be reproduced."""

    seed: int
    gap_probability: float
    stall_probability: float
    cycles: int
    timeout_cycles: int
    simulator: str = ""


@dataclass
class Comparison:
    vectors: Vectors
    observed: Sequence[ObservedBeat]
    info: RunInfo
    mismatches: List[Mismatch] = field(default_factory=list)
    protocol_errors: List[ProtocolError] = field(default_factory=list)
    stats: Dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.protocol_errors

    def report(self) -> str:
        v = self.vectors
        n = len(v.out_beats)
        head = f"mxgen cocotb: design {v.design} (top {v.top}):"
        if self.ok:
            lines = [f"{head} PASS, {n} output beats match"]
        else:
            parts = []
            if self.mismatches:
                beats = len({m.beat for m in self.mismatches})
                parts.append(f"{beats} of {n} output beats wrong, missing or extra")
            if self.protocol_errors:
                parts.append(f"{len(self.protocol_errors)} protocol error(s)")
            lines = [f"{head} FAIL, {', '.join(parts)}"]
        i = self.info
        sim = f"{i.simulator}, " if i.simulator else ""
        lines.append(
            f"  {sim}seed {i.seed}, input gaps {i.gap_probability:.2f}, "
            f"output stalls {i.stall_probability:.2f}, {i.cycles} cycles "
            f"(gives up after {i.timeout_cycles} cycles without an output beat), vectors {v.source}"
        )
        # Protocol errors first: they usually explain the value mismatches that follow.
        for e in self.protocol_errors[:MAX_LINES]:
            lines.append(f"  protocol: cycle {e.cycle}, port {e.port}: {e.message}")
        if len(self.protocol_errors) > MAX_LINES:
            lines.append(f"  ... and {len(self.protocol_errors) - MAX_LINES} more protocol errors")
        shown = 0
        for m in self.mismatches:
            if shown == MAX_LINES:
                lines.append(f"  ... and {len(self.mismatches) - MAX_LINES} more")
                break
            shown += 1
            lines.append(self._line(m))
            context = self._input_context(m)
            if context:
                lines.append(context)
        return "\n".join(lines)

    def _line(self, m: Mismatch) -> str:
        if m.actual is None:
            return (
                f"  beat {m.beat}: missing, expected {m.expected} "
                f"(only {len(self.observed)} output beats arrived)"
            )
        if m.expected is None:
            return f"  beat {m.beat}, cycle {m.cycle}: extra beat {m.actual}"
        return f"  beat {m.beat}, cycle {m.cycle}, port {m.port}: expected {m.expected}, actual {m.actual}"

    def _input_context(self, m: Mismatch) -> str:
        """With as many input beats as output beats, beat i answers input beat i: show it."""
        v = self.vectors
        if len(v.in_beats) != len(v.out_beats) or m.beat >= len(v.in_beats):
            return ""
        return f"    input beat {m.beat}: {format_beat(v.in_stream, v.in_beats[m.beat])}"


def format_value(value: Value, width: int) -> str:
    return hex_value(value, width) if isinstance(value, int) else value


def format_beat(stream: Stream, beat: Mapping[str, Value]) -> str:
    return " ".join(f"{f.port}={format_value(beat[f.name], f.width)}" for f in stream.fields)


def compare(
    vectors: Vectors,
    observed: Sequence[ObservedBeat],
    info: RunInfo,
    protocol_errors: Sequence[ProtocolError] = (),
) -> Comparison:
    """Compares beat i of `observed` with expected beat i, field by field, in stream order."""
    out = vectors.out_stream
    c = Comparison(vectors, observed, info, protocol_errors=list(protocol_errors))
    for i, want in enumerate(vectors.out_beats):
        if i >= len(observed):
            c.mismatches.append(Mismatch(i, None, "", format_beat(out, want), None))
            continue
        got = observed[i]
        for f in out.fields:
            act = got.values[f.name]
            if act != want[f.name]:
                exp = hex_value(want[f.name], f.width)
                c.mismatches.append(Mismatch(i, got.cycle, f.port, exp, format_value(act, f.width)))
    for i in range(len(vectors.out_beats), len(observed)):
        got = observed[i]
        c.mismatches.append(Mismatch(i, got.cycle, "", None, format_beat(out, got.values)))
    return c
