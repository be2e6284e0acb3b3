"""Builds the ONNX test models with the onnx package (no network, no downloaded weights) and
their reference data with ONNX Runtime (FP32): <name>.onnx, <name>.x.npy, <name>.y.npy.

usage: python make_models.py <out-dir> <name>...
  (mlp, gpt2_mlp, llama_mlp, quarot, gpt2_attn, gpt2_attn_add, gpt2_attn_scale, digits, bad,
   bad_attn)
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 18


def const(name, a):
    return numpy_helper.from_array(np.asarray(a, dtype=np.float32), name)


def model(nodes, inits, inp, f_in, out, f_out, name, dyn_features=False):
    g = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info(inp, TensorProto.FLOAT, ["N", "F" if dyn_features else f_in])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", f_out])],
        inits,
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])
    m.ir_version = 9
    onnx.checker.check_model(m)
    return m


def rnd(rng, *shape, scale=None):
    s = scale if scale is not None else 1 / np.sqrt(shape[0])
    return (rng.standard_normal(shape) * s).astype(np.float32)


def mlp(rng):
    """Gemm(transB) → erf-GELU (Div/Erf/Add/Mul/Mul) → MatMul + Add → Relu → Identity → Gemm →
    decomposed LayerNorm (ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div, then Mul γ, Add β)."""
    F, H, O = 16, 32, 8
    n = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="/fc1/Gemm", transB=1),
        helper.make_node("Div", ["h", "sqrt2"], ["d"], name="/act/Div"),
        helper.make_node("Erf", ["d"], ["e"], name="/act/Erf"),
        helper.make_node("Add", ["e", "one"], ["e1"], name="/act/Add"),
        helper.make_node("Mul", ["h", "e1"], ["m"], name="/act/Mul"),
        helper.make_node("Mul", ["m", "half"], ["g"], name="/act/Mul_1"),
        helper.make_node("MatMul", ["g", "w2"], ["h2"], name="/fc2/MatMul"),
        helper.make_node("Add", ["h2", "b2"], ["h3"], name="/fc2/Add"),
        helper.make_node("Relu", ["h3"], ["r"], name="/relu/Relu"),
        helper.make_node("Identity", ["r"], ["r2"], name="/id/Identity"),
        helper.make_node("Gemm", ["r2", "w3", "b3"], ["z"], name="/head/Gemm", transB=1),
        # A decomposed LayerNorm in the middle of the graph, γ and β as a following Mul and Add.
        helper.make_node("ReduceMean", ["z", "axes"], ["mu"], name="/ln/ReduceMean", keepdims=1),
        helper.make_node("Sub", ["z", "mu"], ["zc"], name="/ln/Sub"),
        helper.make_node("Pow", ["zc", "two"], ["zc2"], name="/ln/Pow"),
        helper.make_node("ReduceMean", ["zc2", "axes"], ["var"], name="/ln/ReduceMean_1", keepdims=1),
        helper.make_node("Add", ["var", "eps"], ["ve"], name="/ln/Add"),
        helper.make_node("Sqrt", ["ve"], ["sd"], name="/ln/Sqrt"),
        helper.make_node("Div", ["zc", "sd"], ["zn"], name="/ln/Div"),
        helper.make_node("Mul", ["zn", "ln_g"], ["zg"], name="/ln/Mul"),
        helper.make_node("Add", ["zg", "ln_b"], ["y"], name="/ln/Add_1"),
    ]
    i = [
        const("w1", rnd(rng, H, F, scale=1 / 4)),
        const("b1", rnd(rng, H, scale=0.1)),
        const("sqrt2", np.sqrt(2.0)),
        const("one", 1.0),
        const("half", 0.5),
        const("w2", rnd(rng, H, H)),
        const("b2", rnd(rng, H, scale=0.1)),
        const("w3", rnd(rng, O, H, scale=1 / np.sqrt(H))),
        const("b3", rnd(rng, O, scale=0.1)),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "axes"),
        const("two", 2.0),
        const("eps", 1e-5),
        const("ln_g", 1 + rnd(rng, O, scale=0.1)),
        const("ln_b", rnd(rng, O, scale=0.05)),
    ]
    return model(n, i, "x", F, "y", O, "mlp"), F


def gpt2_mlp(rng):
    """LayerNormalization → c_fc (MatMul + Add) → tanh-GELU as torch.onnx emits it → c_proj → residual Add."""
    F, H = 32, 64
    n = [
        helper.make_node("LayerNormalization", ["x", "ln_g", "ln_b"], ["ln"], name="/ln_2/LayerNormalization", epsilon=1e-5),
        helper.make_node("MatMul", ["ln", "w_fc"], ["fc0"], name="/mlp/c_fc/MatMul"),
        helper.make_node("Add", ["fc0", "b_fc"], ["fc"], name="/mlp/c_fc/Add"),
        helper.make_node("Mul", ["fc", "half"], ["a0"], name="/mlp/act/Mul"),
        helper.make_node("Pow", ["fc", "three"], ["a1"], name="/mlp/act/Pow"),
        helper.make_node("Mul", ["a1", "c044"], ["a2"], name="/mlp/act/Mul_1"),
        helper.make_node("Add", ["fc", "a2"], ["a3"], name="/mlp/act/Add"),
        helper.make_node("Mul", ["a3", "c079"], ["a4"], name="/mlp/act/Mul_2"),
        helper.make_node("Tanh", ["a4"], ["a5"], name="/mlp/act/Tanh"),
        helper.make_node("Add", ["a5", "one"], ["a6"], name="/mlp/act/Add_1"),
        helper.make_node("Mul", ["a0", "a6"], ["act"], name="/mlp/act/Mul_3"),
        helper.make_node("MatMul", ["act", "w_proj"], ["p0"], name="/mlp/c_proj/MatMul"),
        helper.make_node("Add", ["p0", "b_proj"], ["p"], name="/mlp/c_proj/Add"),
        helper.make_node("Add", ["x", "p"], ["y"], name="/residual/Add"),
    ]
    i = [
        const("ln_g", 1 + rnd(rng, F, scale=0.1)),
        const("ln_b", rnd(rng, F, scale=0.05)),
        const("w_fc", rnd(rng, F, H)),
        const("b_fc", rnd(rng, H, scale=0.05)),
        const("half", 0.5),
        const("three", 3.0),
        const("c044", 0.044715),
        const("c079", np.sqrt(2 / np.pi)),
        const("one", 1.0),
        const("w_proj", rnd(rng, H, F)),
        const("b_proj", rnd(rng, F, scale=0.05)),
    ]
    return model(n, i, "x", F, "y", F, "gpt2_mlp"), F


def llama_mlp(rng):
    """RMSNorm (Pow/ReduceMean/Add/Sqrt/Div/Mul γ) → gate, up → SiLU (Sigmoid·Mul) · up → down → residual."""
    F, H = 32, 48
    n = [
        helper.make_node("Pow", ["x", "two"], ["s0"], name="/norm/Pow"),
        helper.make_node("ReduceMean", ["s0", "axes"], ["s1"], name="/norm/ReduceMean", keepdims=1),
        helper.make_node("Add", ["s1", "eps"], ["s2"], name="/norm/Add"),
        helper.make_node("Sqrt", ["s2"], ["s3"], name="/norm/Sqrt"),
        helper.make_node("Div", ["x", "s3"], ["s4"], name="/norm/Div"),
        helper.make_node("Mul", ["s4", "gamma"], ["h"], name="/norm/Mul"),
        helper.make_node("MatMul", ["h", "w_gate"], ["gate"], name="/mlp/gate_proj/MatMul"),
        helper.make_node("MatMul", ["h", "w_up"], ["up"], name="/mlp/up_proj/MatMul"),
        helper.make_node("Sigmoid", ["gate"], ["sg"], name="/mlp/act_fn/Sigmoid"),
        helper.make_node("Mul", ["gate", "sg"], ["silu"], name="/mlp/act_fn/Mul"),
        helper.make_node("Mul", ["silu", "up"], ["glu"], name="/mlp/Mul"),
        helper.make_node("MatMul", ["glu", "w_down"], ["down"], name="/mlp/down_proj/MatMul"),
        helper.make_node("Add", ["x", "down"], ["y"], name="/residual/Add"),
    ]
    i = [
        const("two", 2.0),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "axes"),
        const("eps", 1e-6),
        const("gamma", 1 + rnd(rng, F, scale=0.1)),
        const("w_gate", rnd(rng, F, H)),
        const("w_up", rnd(rng, F, H)),
        const("w_down", rnd(rng, H, F)),
    ]
    return model(n, i, "x", F, "y", F, "llama_mlp"), F


def quarot(rng):
    """QuaRot-style online rotation left as MatMul with the constant H_16/4 (Sylvester order),
    then MatMul → Relu → MatMul."""
    F, H, O = 16, 32, 8
    h = np.array([[(-1) ** bin(i & j).count("1") for j in range(F)] for i in range(F)]) / 4.0
    n = [
        helper.make_node("MatMul", ["x", "had"], ["r"], name="/rot/MatMul"),
        helper.make_node("MatMul", ["r", "w1"], ["h"], name="/fc1/MatMul"),
        helper.make_node("Relu", ["h"], ["a"], name="/act/Relu"),
        helper.make_node("MatMul", ["a", "w2"], ["y"], name="/fc2/MatMul"),
    ]
    i = [const("had", h), const("w1", rnd(rng, F, H)), const("w2", rnd(rng, H, O))]
    return model(n, i, "x", F, "y", O, "quarot"), F


ATT_T, ATT_F, ATT_H = 6, 32, 2  # 6 tokens, d_model 32, 2 heads of 16


def attention_block(rng, name, mask="where", scale=None, k_perm=(0, 2, 1, 3), merge_perm=(0, 2, 1, 3),
                    block=True, max_positions=None, dropout=False):
    """A GPT-2 attention block as torch.onnx emits HF GPT2Attention (eager) with static shapes:
    [ln_1 →] c_attn (Conv1D: Reshape → Gemm → Reshape) → Split q, k, v → Reshape [1, T, H, d] →
    Transpose (0, 2, 1, 3) (k: then (0, 1, 3, 2), or (0, 2, 3, 1) at once as older GPT-2) →
    MatMul q·kᵀ → Div by √d (or Mul by `scale`) → causal mask (Where with the bool triangle and
    finfo(float32).min, or Add of 0 / -1e9; with `max_positions` the triangle is GPT-2's
    registered `bias` buffer of that size, sliced to [.., :T, :T]) → Softmax → MatMul v → Transpose (0, 2, 1, 3) →
    Reshape [1, T, F] → c_proj (Reshape → Gemm → Reshape) [→ residual Add]."""
    T, F, H = ATT_T, ATT_F, ATT_H
    d = F // H
    tri = np.tril(np.ones((T, T), dtype=bool)).reshape(1, 1, T, T)
    ln = [const("ln_g", 1 + rnd(rng, F, scale=0.1)), const("ln_b", rnd(rng, F, scale=0.05))]
    i = (ln if block else []) + [
        const("w_attn", rnd(rng, F, 3 * F)),
        const("b_attn", rnd(rng, 3 * F, scale=0.05)),
        const("w_proj", rnd(rng, F, F)),
        const("b_proj", rnd(rng, F, scale=0.05)),
        numpy_helper.from_array(np.array([-1, F], dtype=np.int64), "flat"),
        numpy_helper.from_array(np.array([1, T, 3 * F], dtype=np.int64), "shape_qkv"),
        numpy_helper.from_array(np.array([1, T, F], dtype=np.int64), "shape_out"),
        numpy_helper.from_array(np.array([1, T, H, d], dtype=np.int64), "shape_heads"),
        numpy_helper.from_array(np.array([F, F, F], dtype=np.int64), "split"),
    ]
    src = "x"
    n = []
    if block:
        n.append(helper.make_node("LayerNormalization", ["x", "ln_g", "ln_b"], ["h"], name="/ln_1/LayerNormalization", epsilon=1e-5))
        src = "h"
    n += [
        helper.make_node("Reshape", [src, "flat"], ["h2"], name="/attn/c_attn/Reshape"),
        helper.make_node("Gemm", ["h2", "w_attn", "b_attn"], ["c"], name="/attn/c_attn/Gemm", alpha=1.0, beta=1.0),
        helper.make_node("Reshape", ["c", "shape_qkv"], ["qkv"], name="/attn/c_attn/Reshape_1"),
        helper.make_node("Split", ["qkv", "split"], ["q0", "k0", "v0"], name="/attn/Split", axis=2),
        helper.make_node("Reshape", ["q0", "shape_heads"], ["q1"], name="/attn/Reshape"),
        helper.make_node("Transpose", ["q1"], ["q"], name="/attn/Transpose", perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["k0", "shape_heads"], ["k1"], name="/attn/Reshape_1"),
        helper.make_node("Reshape", ["v0", "shape_heads"], ["v1"], name="/attn/Reshape_2"),
        helper.make_node("Transpose", ["v1"], ["v"], name="/attn/Transpose_2", perm=[0, 2, 1, 3]),
    ]
    if tuple(k_perm) == (0, 2, 1, 3):
        n += [helper.make_node("Transpose", ["k1"], ["k"], name="/attn/Transpose_1", perm=[0, 2, 1, 3]),
              helper.make_node("Transpose", ["k"], ["kt"], name="/attn/Transpose_3", perm=[0, 1, 3, 2])]
    else:
        n.append(helper.make_node("Transpose", ["k1"], ["kt"], name="/attn/Transpose_1", perm=list(k_perm)))
    n.append(helper.make_node("MatMul", ["q", "kt"], ["s"], name="/attn/MatMul"))
    if scale is None:
        i.append(const("sqrt_d", np.sqrt(d)))
        n.append(helper.make_node("Div", ["s", "sqrt_d"], ["ss"], name="/attn/Div"))
    else:
        i.append(const("scale", scale))
        n.append(helper.make_node("Mul", ["s", "scale"], ["ss"], name="/attn/Mul"))
    if mask == "where":
        i.append(const("mask_value", np.finfo(np.float32).min))
        if max_positions:
            P = max_positions
            i += [numpy_helper.from_array(np.tril(np.ones((P, P), dtype=bool)).reshape(1, 1, P, P), "bias_buffer"),
                  numpy_helper.from_array(np.array([0, 0], dtype=np.int64), "sl_starts"),
                  numpy_helper.from_array(np.array([T, T], dtype=np.int64), "sl_ends"),
                  numpy_helper.from_array(np.array([2, 3], dtype=np.int64), "sl_axes")]
            n.append(helper.make_node("Slice", ["bias_buffer", "sl_starts", "sl_ends", "sl_axes"], ["bias"], name="/attn/Slice"))
        else:
            i.append(numpy_helper.from_array(tri, "bias"))
        n.append(helper.make_node("Where", ["bias", "ss", "mask_value"], ["sm"], name="/attn/Where"))
        probs_in = "sm"
    elif mask in ("add", "window", "small"):
        keep = tri if mask != "window" else (tri & ~np.tril(np.ones((T, T), dtype=bool), -3)).reshape(1, 1, T, T)
        big = -1e9 if mask != "small" else -20.0
        i.append(const("attn_mask", np.where(keep, 0.0, big)))
        n.append(helper.make_node("Add", ["ss", "attn_mask"], ["sm"], name="/attn/Add"))
        probs_in = "sm"
    else:
        probs_in = "ss"
    n.append(helper.make_node("Softmax", [probs_in], ["p0" if dropout else "p"], name="/attn/Softmax", axis=-1))
    if dropout:  # attn_dropout, left in the export as an inference-mode Dropout
        n.append(helper.make_node("Dropout", ["p0"], ["p"], name="/attn/attn_dropout/Dropout"))
    n += [
        helper.make_node("MatMul", ["p", "v"], ["o"], name="/attn/MatMul_1"),
        helper.make_node("Transpose", ["o"], ["o1"], name="/attn/Transpose_4", perm=list(merge_perm)),
        helper.make_node("Reshape", ["o1", "shape_out"], ["o2"], name="/attn/Reshape_3"),
        helper.make_node("Reshape", ["o2", "flat"], ["o3"], name="/attn/c_proj/Reshape"),
        helper.make_node("Gemm", ["o3", "w_proj", "b_proj"], ["pr"], name="/attn/c_proj/Gemm", alpha=1.0, beta=1.0),
        helper.make_node("Reshape", ["pr", "shape_out"], ["a" if block else "y"], name="/attn/c_proj/Reshape_1"),
    ]
    if block:
        n.append(helper.make_node("Add", ["x", "a"], ["y"], name="/Add"))
    g = helper.make_graph(n, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, T, F])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, T, F])], i)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])
    m.ir_version = 9
    onnx.checker.check_model(m)
    return m


ATTENTION = {
    # The block as GPT2Block emits its attention half: ln_1, Where mask, Div by √d, residual.
    "gpt2_attn": dict(),
    # Older GPT-2 exports: k transposed at once (0, 2, 3, 1), Add of a -1e9 mask, Mul by 1/√d,
    # the attention dropout left as an inference-mode Dropout.
    "gpt2_attn_add": dict(mask="add", scale=0.25, k_perm=(0, 2, 3, 1), block=False, dropout=True),
    # A score scale that is not 1/√d (imported faithfully: folded into the q rows); the mask a
    # Slice of a 16-position triangle buffer, as torch.onnx leaves GPT-2's `bias` unfolded.
    "gpt2_attn_scale": dict(scale=0.3, block=False, max_positions=16),
}
BAD_ATTENTION = {
    "bad_attn_nomask": dict(mask="none"),
    "bad_attn_window": dict(mask="window"),
    "bad_attn_small": dict(mask="small"),
    "bad_attn_merge": dict(merge_perm=(0, 2, 3, 1)),
}


def save(m, out, name, external=False):
    path = os.path.join(out, f"{name}.onnx")
    if external:
        onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=f"{name}.data", size_threshold=64)
    else:
        onnx.save_model(m, path)
    return path


def reference(path, x):
    import onnxruntime as ort
    s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return s.run(None, {s.get_inputs()[0].name: x})[0]


def build(out, name):
    rng = np.random.default_rng({"mlp": 1, "gpt2_mlp": 2, "llama_mlp": 3, "quarot": 4}.get(name, 9))
    if name in ("mlp", "gpt2_mlp", "llama_mlp", "quarot"):
        m, F = {"mlp": mlp, "gpt2_mlp": gpt2_mlp, "llama_mlp": llama_mlp, "quarot": quarot}[name](rng)
        path = save(m, out, name, external=(name == "llama_mlp"))
        x = rng.standard_normal((6, F)).astype(np.float32)
        np.save(os.path.join(out, f"{name}.x.npy"), x)
        np.save(os.path.join(out, f"{name}.y.npy"), reference(path, x))
    elif name in ATTENTION:
        rng = np.random.default_rng(6)
        path = save(attention_block(rng, name, **ATTENTION[name]), out, name)
        # 3 sequences of T tokens, each run on its own (the model's batch is 1): x, y (3, T, F).
        x = rng.standard_normal((3, ATT_T, ATT_F)).astype(np.float32)
        np.save(os.path.join(out, f"{name}.x.npy"), x)
        np.save(os.path.join(out, f"{name}.y.npy"), np.concatenate([reference(path, x[k:k + 1]) for k in range(3)]))
    elif name == "bad_attn":
        for bad_name, kw in BAD_ATTENTION.items():
            save(attention_block(np.random.default_rng(7), bad_name, **kw), out, bad_name)
    elif name == "digits":
        digits()
    elif name == "bad":
        bad(out)


def digits_model(out):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier
    from skl2onnx import to_onnx

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    xtr, xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=400, random_state=0).fit(xtr, ytr)
    m = to_onnx(clf, xtr[:1], options={id(clf): {"zipmap": False}}, target_opset=17)
    onnx.save_model(m, os.path.join(out, "digits.onnx"))
    np.save(os.path.join(out, "digits.x.npy"), xte)
    np.save(os.path.join(out, "digits.labels.npy"), yte.astype(np.int64))
    print(f"sklearn test accuracy {clf.score(xte, yte):.12f}")


def digits():
    digits_model(sys.argv[1])


def bad(out):
    """Models an importer must refuse: an unsupported op, a dynamic feature dimension."""
    rng = np.random.default_rng(5)
    n = [helper.make_node("MatMul", ["x", "w"], ["h"], name="/fc/MatMul"),
         helper.make_node("Floor", ["h"], ["y"], name="/floor/Floor")]
    save(model(n, [const("w", rnd(rng, 8, 4))], "x", 8, "y", 4, "unsupported"), out, "bad_unsupported")
    n = [helper.make_node("Mul", ["x", "x"], ["y"], name="/sq/Mul")]
    save(model(n, [], "x", 8, "y", 8, "dynamic", dyn_features=True), out, "bad_dynamic")
    # The tanh-GELU pattern with a wrong constant (0.05 for 0.044715): not a GELU, so not fused.
    n = [helper.make_node("MatMul", ["x", "w"], ["h"], name="/fc/MatMul"),
         helper.make_node("Pow", ["h", "three"], ["a1"], name="/act/Pow"),
         helper.make_node("Mul", ["a1", "c"], ["a2"], name="/act/Mul"),
         helper.make_node("Add", ["h", "a2"], ["a3"], name="/act/Add"),
         helper.make_node("Mul", ["a3", "k"], ["a4"], name="/act/Mul_1"),
         helper.make_node("Tanh", ["a4"], ["a5"], name="/act/Tanh"),
         helper.make_node("Add", ["a5", "one"], ["a6"], name="/act/Add_1"),
         helper.make_node("Mul", ["h", "a6"], ["a7"], name="/act/Mul_2"),
         helper.make_node("Mul", ["a7", "half"], ["y"], name="/act/Mul_3")]
    i = [const("w", rnd(rng, 8, 4)), const("three", 3.0), const("c", 0.05),
         const("k", np.sqrt(2 / np.pi)), const("one", 1.0), const("half", 0.5)]
    save(model(n, i, "x", 8, "y", 4, "almost_gelu"), out, "bad_almost_gelu")


if __name__ == "__main__":
    for name in sys.argv[2:]:
        build(sys.argv[1], name)
