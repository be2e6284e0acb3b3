"""Builds RTL and runs the generic stream test through cocotb's Python runner (`cocotb.runner`,
experimental in cocotb 1.8), on Icarus Verilog or Verilator. Returns the comparison report
instead of raising, so that callers (pytest, the generated run.py) decide what a failure means."""

from __future__ import annotations

import json
import os
import shutil
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional, Sequence, Union

from .stream_test import DEFAULT_GAP, DEFAULT_STALL
from .vectors import check_vectors_for

SIMULATORS = ("icarus", "verilator")

PathLike = Union[str, Path]


@dataclass
class RunResult:
    ok: bool
    report: str
    stats: Dict[str, int] = field(default_factory=dict)
    results_xml: Optional[Path] = None


def _failure_text(results_xml: Path) -> str:
    """The failure messages cocotb wrote to its results file, if any."""
    if not results_xml.is_file():
        return f"the simulator ended without writing {results_xml.name} (see its output above)"
    msgs = []
    for f in ET.parse(results_xml).iter("failure"):
        msgs.append(f.get("message") or (f.text or "").strip() or "failure without a message")
    return "\n".join(msgs) or "no failures recorded"


def run(
    sources: Sequence[PathLike],
    top: str,
    vectors: PathLike,
    *,
    simulator: str = "icarus",
    build_dir: PathLike = "sim_build",
    gap_probability: float = DEFAULT_GAP,
    stall_probability: float = DEFAULT_STALL,
    seed: Optional[int] = None,
    timeout_cycles: Optional[int] = None,
    test_module: str = "mxgen_cocotb.entry",
    build_args: Sequence[str] = (),
    defines: Optional[Dict[str, object]] = None,
    waves: bool = False,
) -> RunResult:
    """Builds `sources` with top module `top` in `build_dir` (rebuilt only when a source is newer
    than the build; use a separate `build_dir` per set of `defines`) and runs `test_module` (default: the generic stream test) on the vector file `vectors`."""
    if simulator not in SIMULATORS:
        raise ValueError(f"simulator must be one of {', '.join(SIMULATORS)}; got {simulator!r}")
    # Bad input is an error (VectorFileError) here, before a simulator starts, never a "mismatch".
    check_vectors_for(vectors, top)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "runners are experimental"
        from cocotb.runner import get_runner
    build = Path(build_dir).resolve()
    build.mkdir(parents=True, exist_ok=True)
    # SRAM init images ($readmemh, docs/hdl.md) sit next to the SV; the simulator reads them
    # relative to its working directory, the build directory.
    for folder in sorted({Path(s).resolve().parent for s in sources}):
        for image in sorted(folder.glob("*.hex")):
            shutil.copyfile(image, build / image.name)
    report_path = build / "mxgen-report.json"
    report_path.unlink(missing_ok=True)
    env = {
        "MXGEN_VECTORS": str(Path(vectors).resolve()),
        "MXGEN_GAP": repr(gap_probability),
        "MXGEN_STALL": repr(stall_probability),
        "MXGEN_COCOTB_REPORT": str(report_path),
        "MXGEN_SIMULATOR": simulator,
    }
    if seed is not None:
        env["MXGEN_SEED"] = str(seed)
    if timeout_cycles is not None:
        env["MXGEN_TIMEOUT_CYCLES"] = str(timeout_cycles)
    runner = get_runner(simulator)
    extra = list(build_args)
    if simulator == "icarus":
        # cocotb's Makefile flow sets a timescale for Icarus; its runner does not (1 s default).
        cmds = build / "cmds.f"
        cmds.write_text("+timescale+1ns/1ps\n", encoding="utf-8")
        extra = ["-f", str(cmds), *extra]
    else:
        extra = ["--timescale", "1ns/1ps", *extra]
    runner.build(
        verilog_sources=[Path(s).resolve() for s in sources],
        hdl_toplevel=top,
        build_dir=build,
        build_args=extra,
        defines=dict(defines or {}),
    )
    results_xml = "results.xml"
    try:
        runner.test(
            test_module=test_module,
            hdl_toplevel=top,
            build_dir=build,
            extra_env=env,
            results_xml=results_xml,
            waves=waves,
        )
    except SystemExit:
        pass  # cocotb's runner signals failing tests this way under pytest; the report says why
    name = getattr(runner, "current_test_name", "test")
    xml = build / (f"{name}.{results_xml}" if os.getenv("PYTEST_CURRENT_TEST") else results_xml)
    if report_path.is_file():
        data = json.loads(report_path.read_text(encoding="utf-8"))
        return RunResult(bool(data["ok"]), str(data["report"]), dict(data["stats"]), xml)
    return RunResult(False, _failure_text(xml), {}, xml)
