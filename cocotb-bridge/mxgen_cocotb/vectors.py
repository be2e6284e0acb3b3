"""Reader of the vector files `mxgen vectors` writes (format `mxgen-vectors/1`, docs/cocotb.md).

Values are hex strings in the file and Python ints here; nothing is computed from them: expected
output beats come from the TypeScript golden models, never from Python.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

FORMAT = "mxgen-vectors/1"

_HEX = re.compile(r"^0x[0-9a-fA-F]+$")

Beat = Dict[str, int]
"""One beat: field name -> bit pattern (unsigned int)."""


class VectorFileError(ValueError):
    """A vector file that does not follow the format; the message names the file and the field."""


@dataclass(frozen=True)
class Port:
    name: str
    direction: str  # "input" | "output"
    width: int


@dataclass(frozen=True)
class Field:
    name: str  # field name used in beats, e.g. "a"
    port: str  # port name, e.g. "in_a"
    width: int


@dataclass(frozen=True)
class Stream:
    valid: str
    ready: str
    fields: Sequence[Field]

    def field_names(self) -> List[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class Vectors:
    design: str
    top: str
    seed: int
    clock: str
    reset: str
    ports: Sequence[Port]
    in_stream: Stream
    out_stream: Stream
    in_beats: Sequence[Beat]
    out_beats: Sequence[Beat]
    latency_cycles: Optional[int] = None
    constants: Mapping[str, int] = field(default_factory=dict)
    source: str = "<memory>"

    def port(self, name: str) -> Optional[Port]:
        return next((p for p in self.ports if p.name == name), None)


def hex_value(value: int, width: int) -> str:
    """The file's spelling of a value: 0x, lowercase, zero-padded to ceil(width/4) digits."""
    digits = max(1, (width + 3) // 4)
    return f"0x{value:0{digits}x}"


class _Ctx:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> VectorFileError:
        return VectorFileError(f"{self.source}: {path}: {message}")

    def obj(self, value: Any, path: str) -> Dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be an object; got {type(value).__name__}")
        return value

    def arr(self, value: Any, path: str) -> List[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"must be an array; got {type(value).__name__}")
        return value

    def str_(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or value == "":
            raise self.fail(path, f"must be a non-empty string; got {value!r}")
        return value

    def int_(self, value: Any, path: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(path, f"must be an integer >= {minimum}; got {value!r}")
        return value

    def hex_(self, value: Any, path: str, width: int) -> int:
        if not isinstance(value, str) or not _HEX.match(value):
            raise self.fail(path, f"must be a hex string like '0x1f'; got {value!r}")
        n = int(value, 16)
        if n >= 1 << width:
            raise self.fail(path, f"{value} does not fit in {width} bits")
        return n


def _stream(ctx: _Ctx, raw: Any, path: str, ports: Mapping[str, Port], direction: str) -> Stream:
    o = ctx.obj(raw, path)
    other = "output" if direction == "input" else "input"
    valid = ctx.str_(o.get("valid"), f"{path}.valid")
    ready = ctx.str_(o.get("ready"), f"{path}.ready")
    for name, want, where in ((valid, direction, "valid"), (ready, other, "ready")):
        p = ports.get(name)
        if p is None or p.direction != want or p.width != 1:
            raise ctx.fail(f"{path}.{where}", f"{name!r} must be a 1-bit {want} port in ports")
    fields: List[Field] = []
    for i, rf in enumerate(ctx.arr(o.get("fields"), f"{path}.fields")):
        fp = f"{path}.fields[{i}]"
        fo = ctx.obj(rf, fp)
        name = ctx.str_(fo.get("name"), f"{fp}.name")
        port = ctx.str_(fo.get("port"), f"{fp}.port")
        width = ctx.int_(fo.get("width"), f"{fp}.width", 1)
        p = ports.get(port)
        if p is None or p.direction != direction or p.width != width:
            raise ctx.fail(fp, f"port {port!r} must be a {width}-bit {direction} port in ports")
        if any(f.name == name for f in fields):
            raise ctx.fail(f"{fp}.name", f"field {name!r} appears twice")
        fields.append(Field(name, port, width))
    if not fields:
        raise ctx.fail(f"{path}.fields", "a stream needs at least one field")
    return Stream(valid, ready, tuple(fields))


def _beats(ctx: _Ctx, raw: Any, path: str, stream: Stream) -> List[Beat]:
    beats: List[Beat] = []
    names = stream.field_names()
    for i, rb in enumerate(ctx.arr(raw, path)):
        bp = f"{path}[{i}]"
        bo = ctx.obj(rb, bp)
        extra = [k for k in bo if k not in names]
        if extra:
            raise ctx.fail(bp, f"unknown field {extra[0]!r}; the stream's fields are {names}")
        beat: Beat = {}
        for f in stream.fields:
            if f.name not in bo:
                raise ctx.fail(bp, f"missing field {f.name!r}")
            beat[f.name] = ctx.hex_(bo[f.name], f"{bp}.{f.name}", f.width)
        beats.append(beat)
    return beats


def parse_vectors(data: Any, source: str = "<memory>") -> Vectors:
    """Validates a decoded vector file; raises VectorFileError naming the field."""
    ctx = _Ctx(source)
    o = ctx.obj(data, "$")
    if o.get("format") != FORMAT:
        raise ctx.fail("format", f"must be {FORMAT!r}; got {o.get('format')!r}")
    ports: Dict[str, Port] = {}
    for i, rp in enumerate(ctx.arr(o.get("ports"), "ports")):
        po = ctx.obj(rp, f"ports[{i}]")
        name = ctx.str_(po.get("name"), f"ports[{i}].name")
        direction = po.get("direction")
        if direction not in ("input", "output"):
            raise ctx.fail(f"ports[{i}].direction", f"must be 'input' or 'output'; got {direction!r}")
        if name in ports:
            raise ctx.fail(f"ports[{i}].name", f"port {name!r} appears twice")
        ports[name] = Port(name, direction, ctx.int_(po.get("width"), f"ports[{i}].width", 1))
    clock = ctx.str_(o.get("clock", "clk"), "clock")
    reset = ctx.str_(o.get("reset", "rst"), "reset")
    for name, where in ((clock, "clock"), (reset, "reset")):
        p = ports.get(name)
        if p is None or p.direction != "input" or p.width != 1:
            raise ctx.fail(where, f"{name!r} must be a 1-bit input port in ports")
    streams = ctx.obj(o.get("streams"), "streams")
    in_stream = _stream(ctx, streams.get("in"), "streams.in", ports, "input")
    out_stream = _stream(ctx, streams.get("out"), "streams.out", ports, "output")
    constants: Dict[str, int] = {}
    for name, value in ctx.obj(o.get("constants", {}), "constants").items():
        p = ports.get(name)
        if p is None or p.direction != "input":
            raise ctx.fail(f"constants.{name}", f"{name!r} must be an input port in ports")
        constants[name] = ctx.hex_(value, f"constants.{name}", p.width)
    driven = {clock, reset, in_stream.valid, out_stream.ready, *constants}
    driven.update(f.port for f in in_stream.fields)
    undriven = [p.name for p in ports.values() if p.direction == "input" and p.name not in driven]
    if undriven:
        raise ctx.fail("ports", f"input port {undriven[0]!r} is neither a stream port nor in constants")
    latency = o.get("latencyCycles")
    return Vectors(
        design=ctx.str_(o.get("design"), "design"),
        top=ctx.str_(o.get("top"), "top"),
        seed=ctx.int_(o.get("seed"), "seed"),
        clock=clock,
        reset=reset,
        ports=tuple(ports.values()),
        in_stream=in_stream,
        out_stream=out_stream,
        in_beats=_beats(ctx, o.get("inBeats"), "inBeats", in_stream),
        out_beats=_beats(ctx, o.get("outBeats"), "outBeats", out_stream),
        latency_cycles=None if latency is None else ctx.int_(latency, "latencyCycles"),
        constants=constants,
        source=source,
    )


def load_vectors(path: Union[str, Path]) -> Vectors:
    """Reads and validates a vector file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise VectorFileError(f"{p}: cannot read the vector file ({e.strerror}); run `mxgen vectors` first") from e
    except UnicodeDecodeError as e:
        raise VectorFileError(
            f"{p}: not a vector file (binary data, not UTF-8 JSON, at byte {e.start}); run `mxgen vectors`"
        ) from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise VectorFileError(f"{p}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from e
    return parse_vectors(data, str(p))


def check_vectors_for(path: Union[str, Path], top: str) -> Vectors:
    """Loads a vector file for a run on `top`: a file of another top, or without input beats, is
    an error (VectorFileError naming the file) before any simulator starts."""
    v = load_vectors(path)
    if v.top != top:
        raise VectorFileError(f"{path}: top: the vector file is for top {v.top!r}, but the run is on {top!r}")
    if len(v.in_beats) == 0:
        raise VectorFileError(f"{path}: inBeats: the vector file has no input beats; nothing would be checked")
    return v
