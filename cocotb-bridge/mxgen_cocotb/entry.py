"""cocotb test module that runs the generic stream test on $MXGEN_VECTORS (used by the runner:
`MODULE=mxgen_cocotb.entry`)."""

import cocotb

from .stream_test import stream_test


@cocotb.test()
async def mxgen_vectors(dut):  # type: ignore[no-untyped-def]
    """Drives the vector file's input beats and compares the output beats in order."""
    await stream_test(dut)
