"""ml_dtypes oracle for the mxgen numerics tests (formats.md 2-4).

Reads one JSON request from the file named by argv[1], writes one JSON answer to argv[2].
Request: {"tasks": [task, ...]}; each task is one of
  {"op": "decode", "dtype": D, "codes": [int]}            -> {"f64": [hex of float64 bits]}
  {"op": "encode", "dtype": D, "bits": [u32], "sat": b}   -> {"codes": [int]}
      sat: clamp the float32 input to +-max first (ml_dtypes astype is NONSAT for FP8).
  {"op": "mx", "elem": D | "int8", "emax": e, "blocks": [[u32]]}
      -> {"scales": [int], "f64": [[hex]]}: OCP floor scale from the exact exponent (np.frexp),
      elements cast from the exactly scaled float64 value (clamped to +-max), times 2^s.
D is an ml_dtypes name (float8_e4m3fn, float8_e5m2, float6_e2m3fn, float6_e3m2fn,
float4_e2m1fn, float8_e8m0fnu).
"""
import json
import sys

import ml_dtypes
import numpy as np


def f64_hex(a):
    return ["%016x" % v for v in np.asarray(a, dtype=np.float64).view(np.uint64).tolist()]


def dtype_of(name):
    return np.dtype(getattr(ml_dtypes, name))


def decode(task):
    codes = np.array(task["codes"], dtype=np.uint8)
    return {"f64": f64_hex(codes.view(dtype_of(task["dtype"])).astype(np.float64))}


def encode(task):
    dt = dtype_of(task["dtype"])
    x = np.array(task["bits"], dtype=np.uint32).view(np.float32)
    if task["sat"]:
        mx = np.float32(ml_dtypes.finfo(dt).max)
        x = np.clip(x, -mx, mx)
    return {"codes": x.astype(dt).view(np.uint8).tolist()}


def mx_block(elem, emax, bits):
    v = np.array(bits, dtype=np.uint32).view(np.float32).astype(np.float64)
    if not np.all(np.isfinite(v)):
        return 255, [float("nan")] * len(v)
    amax = np.max(np.abs(v))
    if amax == 0:
        return 0, v.tolist()
    _, e = np.frexp(amax)  # amax = m * 2^e, m in [0.5, 1): exact floor(log2 amax) = e - 1
    s = int(min(127, max(-127, (int(e) - 1) - emax)))
    scaled = np.ldexp(v, -s)  # exact in float64
    if elem == "int8":
        # np.round is ties-to-even; "+ 0.0" turns -0 into +0 (INT8 has no negative zero)
        q = np.clip(np.round(scaled * 64), -128, 127) / 64 + 0.0
    else:
        dt = dtype_of(elem)
        mx = float(ml_dtypes.finfo(dt).max)
        q = np.clip(scaled, -mx, mx).astype(dt).astype(np.float64)
    return s + 127, np.ldexp(q, s).tolist()


def mx(task):
    scales, out = [], []
    for blk in task["blocks"]:
        x, vals = mx_block(task["elem"], task["emax"], blk)
        scales.append(x)
        out.append(f64_hex(vals))
    return {"scales": scales, "f64": out}


def main():
    with open(sys.argv[1]) as fh:
        req = json.load(fh)
    ops = {"decode": decode, "encode": encode, "mx": mx}
    answers = [ops[t["op"]](t) for t in req["tasks"]]
    with open(sys.argv[2], "w") as fh:
        json.dump({"answers": answers}, fh)


if __name__ == "__main__":
    main()
