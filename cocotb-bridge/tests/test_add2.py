"""The bridge end to end on the hand-written fixture (fixtures/add2.sv, expected beats hand
calculated in fixtures/README.md): passes under seeded random stalls on Icarus and Verilator,
and fails with a readable report when an expected value, the beat count or the DUT is wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Dict

import pytest

from mxgen_cocotb.runner import RunResult, run

BuildDir = Callable[[str], Path]


def run_add2(
    fixtures: Path, build_dir: BuildDir, vectors: Path, key: str = "add2-icarus", **kw: Any
) -> RunResult:
    return run([fixtures / "add2.sv"], "add2", vectors, build_dir=build_dir(key), **kw)


def edited(fixtures: Path, tmp_path: Path, edit: Callable[[Dict[str, Any]], None]) -> Path:
    data = json.loads((fixtures / "add2.vectors.json").read_text())
    edit(data)
    p = tmp_path / "add2.vectors.json"
    p.write_text(json.dumps(data, indent=2))
    return p


def test_passes_without_stalls_in_latency_plus_beats_cycles(fixtures: Path, build_dir: BuildDir) -> None:
    r = run_add2(fixtures, build_dir, fixtures / "add2.vectors.json", gap_probability=0.0, stall_probability=0.0)
    assert r.ok, r.report
    assert "PASS, 10 output beats match" in r.report
    s = r.stats
    assert (s["inIdleCycles"], s["inStalledCycles"], s["outBackpressureCycles"]) == (0, 0, 0)
    # 10 beats back to back through 2 stages: last output in cycle 11, then 2 + 8 drain cycles.
    assert s["cycles"] == 12 + 10


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_passes_under_random_gaps_and_back_pressure(fixtures: Path, build_dir: BuildDir, seed: int) -> None:
    r = run_add2(
        fixtures, build_dir, fixtures / "add2.vectors.json", gap_probability=0.4, stall_probability=0.5, seed=seed
    )
    assert r.ok, r.report
    assert r.stats["outBackpressureCycles"] > 0, r.stats
    assert r.stats["inStalledCycles"] > 0, r.stats
    assert r.stats["inIdleCycles"] > 0, r.stats
    assert f"seed {seed}, input gaps 0.40, output stalls 0.50" in r.report


def test_passes_under_heavy_back_pressure(fixtures: Path, build_dir: BuildDir) -> None:
    r = run_add2(fixtures, build_dir, fixtures / "add2.vectors.json", gap_probability=0.0, stall_probability=0.85)
    assert r.ok, r.report
    assert r.stats["outBackpressureCycles"] >= 10, r.stats


def test_same_seed_gives_the_same_run(fixtures: Path, build_dir: BuildDir) -> None:
    a = run_add2(fixtures, build_dir, fixtures / "add2.vectors.json", seed=11)
    b = run_add2(fixtures, build_dir, fixtures / "add2.vectors.json", seed=11)
    assert a.ok and b.ok
    assert a.stats == b.stats


def test_a_corrupted_expected_value_fails_with_a_readable_report(
    fixtures: Path, build_dir: BuildDir, tmp_path: Path
) -> None:
    def corrupt(d: Dict[str, Any]) -> None:
        d["outBeats"][6]["xor"] = "0x27"  # the right value is 0x12 ^ 0x34 = 0x26

    r = run_add2(fixtures, build_dir, edited(fixtures, tmp_path, corrupt), seed=5)
    assert not r.ok
    lines = r.report.splitlines()
    assert lines[0] == "mxgen cocotb: design add2 (top add2): FAIL, 1 of 10 output beats wrong, missing or extra"
    assert lines[1].startswith("  icarus, seed 5, input gaps 0.25, output stalls 0.25, ")
    assert len(lines) == 4, r.report
    assert lines[2].startswith("  beat 6, cycle ")
    assert lines[2].endswith(", port out_xor: expected 0x27, actual 0x26")
    assert lines[3] == "    input beat 6: in_a=0x12 in_b=0x34"
    # cocotb itself recorded the test as failed
    assert r.results_xml is not None and "<failure" in r.results_xml.read_text()


def test_a_missing_expected_beat_shows_up_as_an_extra_beat(
    fixtures: Path, build_dir: BuildDir, tmp_path: Path
) -> None:
    def drop_last(d: Dict[str, Any]) -> None:
        d["outBeats"].pop()

    r = run_add2(fixtures, build_dir, edited(fixtures, tmp_path, drop_last))
    assert not r.ok
    assert "extra beat out_sum=0x01f out_xor=0x1f" in r.report


def test_an_expected_beat_that_never_comes_is_reported_missing(
    fixtures: Path, build_dir: BuildDir, tmp_path: Path
) -> None:
    def add_one(d: Dict[str, Any]) -> None:
        d["outBeats"].append({"sum": "0x001", "xor": "0x01"})

    r = run_add2(fixtures, build_dir, edited(fixtures, tmp_path, add_one), timeout_cycles=120)
    assert not r.ok
    assert "beat 10: missing, expected out_sum=0x001 out_xor=0x01 (only 10 output beats arrived)" in r.report
    assert "(gives up after 120 cycles without an output beat)" in r.report


def test_vectors_for_another_design_fail_naming_the_port(
    fixtures: Path, build_dir: BuildDir, tmp_path: Path
) -> None:
    def widen(d: Dict[str, Any]) -> None:
        for p in d["ports"]:
            if p["name"] == "out_xor":
                p["width"] = 9
        d["streams"]["out"]["fields"][1]["width"] = 9

    r = run_add2(fixtures, build_dir, edited(fixtures, tmp_path, widen))
    assert not r.ok
    assert "port out_xor is 8 bits wide in top add2 but 9 in the vector file" in r.report


def test_a_dut_that_ignores_back_pressure_is_caught(fixtures: Path, build_dir: BuildDir) -> None:
    r = run_add2(
        fixtures,
        build_dir,
        fixtures / "add2.vectors.json",
        key="add2-bug-icarus",
        defines={"ADD2_BUG_IGNORES_OUT_READY": 1},
        stall_probability=0.5,
        seed=3,
    )
    assert not r.ok
    assert "protocol: cycle " in r.report
    assert "before the beat was taken" in r.report


def test_verilator_passes_with_the_same_handshakes_as_icarus(fixtures: Path, build_dir: BuildDir) -> None:
    kw: Dict[str, Any] = {"gap_probability": 0.3, "stall_probability": 0.3, "seed": 9}
    v = run_add2(fixtures, build_dir, fixtures / "add2.vectors.json", key="add2-verilator", simulator="verilator", **kw)
    i = run_add2(fixtures, build_dir, fixtures / "add2.vectors.json", **kw)
    assert v.ok, v.report
    assert i.ok, i.report
    assert "  verilator, seed 9" in v.report
    assert v.stats == i.stats


def test_one_bit_of_the_last_port_of_the_last_beat_under_heavy_stalls_is_caught(
    fixtures: Path, build_dir: BuildDir, tmp_path: Path
) -> None:
    def flip(d: Dict[str, Any]) -> None:
        d["outBeats"][9]["xor"] = "0x9f"  # the right value is 0x10 ^ 0x0f = 0x1f: only bit 7 differs

    r = run_add2(
        fixtures, build_dir, edited(fixtures, tmp_path, flip), gap_probability=0.0, stall_probability=0.85, seed=4
    )
    assert not r.ok
    lines = r.report.splitlines()
    assert lines[0] == "mxgen cocotb: design add2 (top add2): FAIL, 1 of 10 output beats wrong, missing or extra"
    assert len(lines) == 4, r.report
    m = re.fullmatch(r"  beat 9, cycle (\d+), port out_xor: expected 0x9f, actual 0x1f", lines[2])
    assert m, r.report
    # Without stalls the last beat arrives in cycle 11; here it waited through stalls.
    assert int(m.group(1)) > 11
    assert r.stats["outBackpressureCycles"] >= 10, r.stats
