"""The comparator on hand-made observations (no simulator): beat order, missing and extra
beats, x values and the report text."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from mxgen_cocotb import Field, ObservedBeat, ProtocolError, RunInfo, Stream, Vectors, compare, load_vectors

V = load_vectors(Path(__file__).parent / "fixtures" / "add2.vectors.json")
INFO = RunInfo(seed=7, gap_probability=0.25, stall_probability=0.5, cycles=40, timeout_cycles=300)


def observed_as_expected() -> List[ObservedBeat]:
    return [ObservedBeat(3 + i, dict(b)) for i, b in enumerate(V.out_beats)]


def test_identical_beats_pass_with_a_one_line_verdict() -> None:
    c = compare(V, observed_as_expected(), INFO)
    assert c.ok
    lines = c.report().splitlines()
    assert lines[0] == "mxgen cocotb: design add2 (top add2): PASS, 10 output beats match"
    assert "seed 7, input gaps 0.25, output stalls 0.50, 40 cycles" in lines[1]


def test_a_wrong_field_names_beat_cycle_port_and_both_values() -> None:
    obs = observed_as_expected()
    values: Dict[str, object] = dict(obs[4].values)
    values["sum"] = 0x0FF  # expected 0x100 (0x80 + 0x80)
    obs[4] = ObservedBeat(obs[4].cycle, values)  # type: ignore[arg-type]
    c = compare(V, obs, INFO)
    assert not c.ok
    text = c.report()
    assert "FAIL, 1 of 10 output beats wrong, missing or extra" in text
    assert "  beat 4, cycle 7, port out_sum: expected 0x100, actual 0x0ff" in text
    assert "    input beat 4: in_a=0x80 in_b=0x80" in text


def test_missing_and_extra_beats_are_reported() -> None:
    c = compare(V, observed_as_expected()[:9], INFO)
    assert "beat 9: missing, expected out_sum=0x01f out_xor=0x1f (only 9 output beats arrived)" in c.report()
    obs = observed_as_expected() + [ObservedBeat(30, {"sum": 1, "xor": 2})]
    assert "beat 10, cycle 30: extra beat out_sum=0x001 out_xor=0x02" in compare(V, obs, INFO).report()


def test_unresolved_bits_never_match() -> None:
    obs = observed_as_expected()
    obs[0] = ObservedBeat(3, {"sum": "0b00000000x", "xor": 0})
    text = compare(V, obs, INFO).report()
    assert "beat 0, cycle 3, port out_sum: expected 0x000, actual 0b00000000x" in text


def test_a_swapped_pair_of_beats_is_two_mismatches_in_order() -> None:
    obs = observed_as_expected()
    obs[1], obs[2] = ObservedBeat(4, obs[2].values), ObservedBeat(5, obs[1].values)
    c = compare(V, obs, INFO)
    assert [(m.beat, m.port) for m in c.mismatches] == [
        (1, "out_sum"),
        (1, "out_xor"),
        (2, "out_sum"),
        (2, "out_xor"),
    ]


def test_protocol_errors_fail_the_comparison() -> None:
    c = compare(V, observed_as_expected(), INFO, [ProtocolError(12, "out_valid", "dropped")])
    assert not c.ok
    assert "  protocol: cycle 12, port out_valid: dropped" in c.report()


# A two-stream design whose last output field is 100 bits wide (built in memory, no simulator).
WIDE = Vectors(
    design="wide3",
    top="wide3",
    seed=1,
    clock="clk",
    reset="rst",
    ports=[],
    in_stream=Stream("in_valid", "in_ready", [Field("a", "in_a", 8)]),
    out_stream=Stream(
        "out_valid",
        "out_ready",
        [Field("lo", "out_lo", 4), Field("mid", "out_mid", 9), Field("wide", "out_wide", 100)],
    ),
    in_beats=[{"a": i} for i in range(6)],
    out_beats=[{"lo": i, "mid": 0x100 + i, "wide": (0xA << 96) | (i * 0x1234567)} for i in range(6)],
)


def wide_observed() -> List[ObservedBeat]:
    # Beats arrive on irregular cycles, as under output stalls.
    cycles = [2, 3, 7, 8, 13, 21]
    return [ObservedBeat(c, dict(b)) for c, b in zip(cycles, WIDE.out_beats)]


def test_only_the_last_field_of_the_last_beat_differs_in_one_bit() -> None:
    obs = wide_observed()
    assert compare(WIDE, obs, INFO).ok
    values: Dict[str, object] = dict(obs[5].values)
    values["wide"] = WIDE.out_beats[5]["wide"] ^ (1 << 99)
    obs[5] = ObservedBeat(21, values)  # type: ignore[arg-type]
    c = compare(WIDE, obs, INFO)
    assert [(m.beat, m.cycle, m.port) for m in c.mismatches] == [(5, 21, "out_wide")]
    assert (
        "  beat 5, cycle 21, port out_wide: expected 0xa000000000000000005b05b03, "
        "actual 0x2000000000000000005b05b03"
    ) in c.report()


def test_one_middle_bit_of_the_wide_field_after_a_stall_gap() -> None:
    # Beat 4 arrives at cycle 13, five cycles after beat 3 (a stall): bit 47 is wrong.
    obs = wide_observed()
    values: Dict[str, object] = dict(obs[4].values)
    values["wide"] = WIDE.out_beats[4]["wide"] ^ (1 << 47)
    obs[4] = ObservedBeat(13, values)  # type: ignore[arg-type]
    c = compare(WIDE, obs, INFO)
    assert [(m.beat, m.cycle, m.port) for m in c.mismatches] == [(4, 13, "out_wide")]
    assert (
        "  beat 4, cycle 13, port out_wide: expected 0xa0000000000000000048d159c, "
        "actual 0xa0000000000008000048d159c"
    ) in c.report()
