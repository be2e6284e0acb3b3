"""The vector-file reader: the fixture parses, and each kind of malformed file is rejected with
a message naming the file, the field and the problem."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict

import pytest

from mxgen_cocotb import VectorFileError, hex_value, load_vectors, parse_vectors

FIXTURE = Path(__file__).parent / "fixtures" / "add2.vectors.json"


def raw() -> Dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def test_fixture_parses_into_ports_streams_and_beats() -> None:
    v = load_vectors(FIXTURE)
    assert (v.design, v.top, v.seed, v.latency_cycles) == ("add2", "add2", 7, 2)
    assert [f.port for f in v.in_stream.fields] == ["in_a", "in_b"]
    assert [f.width for f in v.out_stream.fields] == [9, 8]
    assert len(v.in_beats) == 10 and len(v.out_beats) == 10
    # beat 2 of the file: a=0xff b=0x01 -> sum 0x100 xor 0xfe
    assert v.in_beats[2] == {"a": 255, "b": 1}
    assert v.out_beats[2] == {"sum": 256, "xor": 254}


def test_hex_value_pads_to_the_width_in_nibbles() -> None:
    assert hex_value(3, 9) == "0x003"
    assert hex_value(0, 1) == "0x0"
    assert hex_value(0xAB, 8) == "0xab"
    assert hex_value(1 << 64, 65) == "0x10000000000000000"


def reject(data: Dict[str, Any], *needles: str) -> None:
    with pytest.raises(VectorFileError) as e:
        parse_vectors(data, "v.json")
    for n in needles:
        assert n in str(e.value), str(e.value)


def test_wrong_format_tag_is_rejected() -> None:
    d = raw()
    d["format"] = "mxgen-vectors/0"
    reject(d, "v.json: format:", "mxgen-vectors/1")


def test_value_wider_than_its_field_is_rejected() -> None:
    d = raw()
    d["inBeats"][3]["a"] = "0x100"  # 256 needs 9 bits; in_a has 8
    reject(d, "inBeats[3].a", "0x100 does not fit in 8 bits")


def test_missing_and_unknown_fields_are_rejected() -> None:
    d = raw()
    del d["outBeats"][1]["xor"]
    reject(d, "outBeats[1]", "missing field 'xor'")
    d = raw()
    d["inBeats"][0]["c"] = "0x1"
    reject(d, "inBeats[0]", "unknown field 'c'")


def test_non_hex_value_is_rejected() -> None:
    d = raw()
    d["outBeats"][0]["sum"] = 5
    reject(d, "outBeats[0].sum", "hex string")


def test_field_port_must_exist_with_its_width() -> None:
    d = raw()
    d["streams"]["out"]["fields"][0]["width"] = 8
    reject(d, "streams.out.fields[0]", "'out_sum' must be a 8-bit output port")


def test_input_port_that_nothing_drives_is_rejected() -> None:
    d = raw()
    d["ports"].append({"name": "mode", "direction": "input", "width": 2})
    reject(d, "input port 'mode' is neither a stream port nor in constants")
    d["constants"] = {"mode": "0x2"}
    assert parse_vectors(d).constants == {"mode": 2}


def test_unreadable_file_says_to_run_mxgen_vectors(tmp_path: Path) -> None:
    with pytest.raises(VectorFileError, match="run `mxgen vectors` first"):
        load_vectors(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    with pytest.raises(VectorFileError, match=r"bad.json:1:3: not valid JSON"):
        load_vectors(bad)


def test_parse_does_not_mutate_its_input() -> None:
    d = raw()
    before = copy.deepcopy(d)
    parse_vectors(d)
    assert d == before


# Issue 19: bad input is a VectorFileError naming the file (run.py: stderr, exit 1), never a
# mismatch; a binary file, a file without input beats and a file of another top are refused.
def test_binary_empty_and_wrong_top_files_are_errors_naming_the_file(tmp_path: Path) -> None:
    from mxgen_cocotb.vectors import check_vectors_for

    binary = tmp_path / "bin.json"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(VectorFileError, match=r"bin\.json: not a vector file \(binary"):
        load_vectors(binary)
    empty = raw()
    empty["inBeats"] = []
    empty["outBeats"] = []
    (tmp_path / "empty.json").write_text(json.dumps(empty))
    with pytest.raises(VectorFileError, match=r"empty\.json: inBeats: .*no input beats"):
        check_vectors_for(tmp_path / "empty.json", "add2")
    with pytest.raises(VectorFileError, match=r"add2\.vectors\.json: top: .*'add2', but the run is on 'other'"):
        check_vectors_for(FIXTURE, "other")
    assert check_vectors_for(FIXTURE, "add2").top == "add2"
