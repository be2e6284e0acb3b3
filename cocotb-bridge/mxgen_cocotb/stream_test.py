"""The generic stream test: drive every input beat, collect the output beats under random
back-pressure, compare them in order with the expected beats of the vector file.

Settings come from arguments, else from the environment (so that a runner can pass them):
  MXGEN_VECTORS   vector file path          MXGEN_SEED     stall seed (default: the file's seed)
  MXGEN_GAP       input gap probability      MXGEN_STALL    output stall probability
  MXGEN_TIMEOUT_CYCLES                       MXGEN_COCOTB_REPORT  write a JSON report there
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any, Dict, Optional, Union

import cocotb

from .clocking import start_clock_and_reset
from .compare import Comparison, RunInfo, compare
from .stream import ProtocolError, StreamDriver, StreamMonitor
from .vectors import Vectors, load_vectors

DEFAULT_GAP = 0.25
DEFAULT_STALL = 0.25


class DutMismatchError(ValueError):
    """The DUT's ports do not match the vector file (wrong design, or stale vectors)."""


def _handle(dut: Any, name: str, width: int) -> Any:
    try:
        h = getattr(dut, name)
    except AttributeError:
        raise DutMismatchError(
            f"the vector file names port {name!r}, which top {dut._name} does not have; "
            "regenerate the vectors for this design"
        ) from None
    if len(h) != width:
        raise DutMismatchError(
            f"port {name} is {len(h)} bits wide in top {dut._name} but {width} in the vector file; "
            "regenerate the vectors for this design"
        )
    return h


def default_timeout(vectors: Vectors, gap: float, stall: float) -> int:
    """Cycles without an output beat before giving up: generous for the stalls of both sides and
    the latency (the first beat waits for the whole pipeline)."""
    per_beat = 16.0 / ((1.0 - gap) * (1.0 - stall))
    return 1000 + int(per_beat) + 8 * (vectors.latency_cycles or 0)


async def run_vectors(
    dut: Any,
    vectors: Vectors,
    *,
    gap_probability: float = DEFAULT_GAP,
    stall_probability: float = DEFAULT_STALL,
    seed: Optional[int] = None,
    reset_cycles: int = 2,
    timeout_cycles: Optional[int] = None,
    drain_cycles: Optional[int] = None,
    simulator: str = "",
) -> Comparison:
    """Runs one stream test on `dut` and returns the comparison (it does not raise on mismatch)."""
    for p in vectors.ports:
        _handle(dut, p.name, p.width)
    h = lambda name: getattr(dut, name)  # noqa: E731
    ins, outs = vectors.in_stream, vectors.out_stream
    s = vectors.seed if seed is None else seed
    timeout = timeout_cycles or default_timeout(vectors, gap_probability, stall_probability)
    drain = drain_cycles if drain_cycles is not None else (vectors.latency_cycles or 0) + 8
    await start_clock_and_reset(
        h(vectors.clock),
        h(vectors.reset),
        reset_cycles=reset_cycles,
        idle=[h(ins.valid), h(outs.ready)] + [h(f.port) for f in ins.fields],
        constants={h(name): value for name, value in vectors.constants.items()},
    )
    driver = StreamDriver(
        h(vectors.clock),
        h(ins.valid),
        h(ins.ready),
        {f.name: h(f.port) for f in ins.fields},
        vectors.in_beats,
        gap_probability=gap_probability,
        rng=random.Random(f"mxgen:{s}:in"),
    )
    monitor = StreamMonitor(
        h(vectors.clock),
        h(outs.valid),
        h(outs.ready),
        {f.name: h(f.port) for f in outs.fields},
        stall_probability=stall_probability,
        rng=random.Random(f"mxgen:{s}:out"),
    )
    cocotb.start_soon(driver.run())
    await cocotb.start_soon(monitor.run(len(vectors.out_beats), drain, timeout))
    info = RunInfo(s, gap_probability, stall_probability, monitor.cycles, timeout, simulator)
    result = compare(vectors, monitor.beats, info, driver.errors + monitor.errors)
    result.stats = {
        "cycles": monitor.cycles,
        "inAccepted": len(driver.accepted_cycles),
        "inIdleCycles": driver.idle_cycles,
        "inStalledCycles": driver.stalled_cycles,
        "outBeats": len(monitor.beats),
        "outBackpressureCycles": monitor.backpressure_cycles,
    }
    if not driver.done and not driver.errors:
        left = len(driver.beats) - len(driver.accepted_cycles)
        result.protocol_errors.append(
            ProtocolError(monitor.cycles, ins.ready, f"{left} input beat(s) never accepted")
        )
    return result


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw in (None, "") else float(raw)


def _env_int(name: str) -> Optional[int]:
    raw = os.environ.get(name)
    return None if raw in (None, "") else int(raw)


async def stream_test(
    dut: Any,
    vectors_path: Union[str, Path, None] = None,
    **overrides: Any,
) -> Comparison:
    """Loads the vector file, runs `run_vectors`, logs the report, writes it to
    $MXGEN_COCOTB_REPORT (JSON) if set, and fails the cocotb test on any mismatch."""
    report_path = os.environ.get("MXGEN_COCOTB_REPORT")

    def write_report(ok: bool, text: str, stats: Dict[str, int]) -> None:
        if report_path:
            data = {"ok": ok, "report": text, "stats": stats}
            Path(report_path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    try:
        path = vectors_path or os.environ.get("MXGEN_VECTORS")
        if not path:
            raise ValueError("no vector file: pass vectors_path or set MXGEN_VECTORS")
        vectors = load_vectors(path)
        kwargs: Dict[str, Any] = {
            "gap_probability": _env_float("MXGEN_GAP", DEFAULT_GAP),
            "stall_probability": _env_float("MXGEN_STALL", DEFAULT_STALL),
            "seed": _env_int("MXGEN_SEED"),
            "timeout_cycles": _env_int("MXGEN_TIMEOUT_CYCLES"),
            "simulator": os.environ.get("MXGEN_SIMULATOR", cocotb.SIM_NAME or ""),
        }
        kwargs.update(overrides)
        result = await run_vectors(dut, vectors, **kwargs)
    except ValueError as e:  # VectorFileError, DutMismatchError, bad settings
        write_report(False, f"mxgen cocotb: {e}", {})
        raise
    text = result.report()
    write_report(result.ok, text, result.stats)
    if result.ok:
        dut._log.info(text)
    else:
        dut._log.error(text)
        raise AssertionError(text)
    return result
