"""mxgen's cocotb bridge: reader for `mxgen vectors` files, valid/ready stream drivers and
monitors with seeded random stalls, a clock/reset helper, a comparator with a readable report,
the generic stream test and a runner (docs/cocotb.md)."""

from .clocking import start_clock_and_reset
from .compare import Comparison, Mismatch, RunInfo, compare, format_beat
from .stream import ObservedBeat, ProtocolError, StreamDriver, StreamMonitor
from .stream_test import DutMismatchError, run_vectors, stream_test
from .vectors import (
    FORMAT,
    Field,
    Port,
    Stream,
    VectorFileError,
    Vectors,
    hex_value,
    load_vectors,
    parse_vectors,
)

__all__ = [
    "FORMAT",
    "Comparison",
    "DutMismatchError",
    "Field",
    "Mismatch",
    "ObservedBeat",
    "Port",
    "ProtocolError",
    "RunInfo",
    "Stream",
    "StreamDriver",
    "StreamMonitor",
    "VectorFileError",
    "Vectors",
    "compare",
    "format_beat",
    "hex_value",
    "load_vectors",
    "parse_vectors",
    "run_vectors",
    "start_clock_and_reset",
    "stream_test",
]
