// The bundled designs and their compiled forms, shared by the end-to-end tests.
import { readdirSync } from 'node:fs';
import { readDesignFile } from '../../src/flow/design-file.js';
import {
  compileGraph,
  type Compiled,
  ConstCache,
  weightExponent,
  emitPass,
  inferPass,
  lowerPass,
  parallelizePass,
  PASSES,
  quantizePass,
  runPasses,
  topOf,
  memoriesOf,
  type WeightsStorage,
  withOverrides,
} from '../../src/ir/index.js';

export const DESIGN_DIR = 'templates/designs';

/** gpt2-block with an int4 KV cache of static per-channel scales (decision 44). */
export const GPT2_KV_CHANNEL = 'test/ir/fixtures/gpt2-block-kv-channel.yaml';

/** A multi-block MX × MX layer with an MX output of 4 blocks at the top (64 lanes). */
export const MX_BLOCKS_OUT = 'test/ir/fixtures/mx-blocks-out.yaml';

/**
 * Small designs whose residual add reads OliVe (olive4, olive4_dyn), blockdialect or mixed operands or writes MX, nvfp4,
 * OliVe, olive4_dyn and uint outputs, and MXFP4 weights × MXFP8 activations around layernorm and softmax (decision 45;
 * test/ir/add-outputs.test.ts checks them natively): in the embedded batch.
 */
export const ADD_OUT_FIXTURES = [
  'add-in-dialect',
  'add-in-mixed',
  'add-in-nvfp4',
  'add-in-olive',
  'add-in-olive-dyn',
  'add-out-dialect',
  'add-out-mx',
  'add-out-mixed',
  'add-out-mx-chain',
  'add-out-nvfp4',
  'add-out-olive',
  'add-out-olive-dyn',
  'add-out-uint',
  'mx-act-rows',
].map((f) => `test/ir/fixtures/${f}.yaml`);

/**
 * The decoding transformer blocks (gpt2-block*, llama-block*): 21 500 cycles each and, with
 * embedded weights, 2–4 MB of SV each, so their embedded Verilator batch is a build of its own
 * (test/e2e/verilator-embedded-blocks.test.ts) beside the other designs'.
 */
export function isDecodingBlock(path: string): boolean {
  return /\/(?:gpt2|llama)-block[^/]*\.yaml$/.test(path);
}

/**
 * The real-size bundled designs (a GPT-2-small FFN and its precision variants): millions of
 * weights and thousands of cycles per token, so test/e2e/real-size.test.ts runs them with a few
 * tokens instead of the 20-tensor sweeps of the small designs.
 */
export function isRealSize(path: string): boolean {
  return /\/ffn-gpt2[^/]*\.yaml$/.test(path);
}

/** Every bundled design file (`all`) or the small ones the 20-tensor sweeps run. */
export function bundledDesigns(all = false): string[] {
  return readdirSync(DESIGN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${DESIGN_DIR}/${f}`)
    .filter((p) => all || !isRealSize(p));
}

export function compileFile(path: string, storage?: WeightsStorage): Compiled {
  const g = readDesignFile(path);
  return compileGraph(storage ? withOverrides(g, { weightsStorage: storage }) : g);
}

/** Input tensors per design in the end-to-end tests (each `tokens` beats): 20, more with MXGEN_FUZZ_N. */
export const TENSORS = Math.max(20, Number(process.env.MXGEN_FUZZ_N ?? '0') || 0);

/**
 * A bundled design compiled with the OliVe σ of tensor `node` forced to 2^sigmaExp after
 * calibration (a smaller σ than calibrated drives many values into the outlier and saturation
 * range of the on-chip encoder); golden model and hardware both use the forced σ.
 */
export function compileWithSigma(path: string, node: string, sigmaExp: number): Compiled {
  // Its own design name: its SRAM images (biases moved with σ) must not clash with the calibrated
  // design's in a shared Verilator run.
  const g0 = readDesignFile(path);
  const q = runPasses(
    { ...g0, name: `${g0.name}_sigma_m${Math.abs(sigmaExp)}` },
    [inferPass, quantizePass],
    PASSES,
  ).graph;
  const n = q.nodes.find((x) => x.name === node);
  const f = n?.type?.format;
  if (!n?.type || f?.kind !== 'olive') throw new Error(`${node} is not an OliVe tensor`);
  n.type = { ...n.type, format: { ...f, sigmaExp } };
  // A consumer's bias sits at the accumulator LSB 2^(σ_exp + weight exponent): move it along.
  const consts = new ConstCache(q);
  for (const l of q.nodes)
    if (l.op === 'linear' && l.input === node && l.bias) {
      const b = q.nodes.find((x) => x.name === l.bias);
      const exp = sigmaExp + weightExponent(consts.quantized(l.weight));
      if (b?.type) b.type = { ...b.type, format: { kind: 'fixed', bits: 32, exp } };
    }
  const r = runPasses(q, [parallelizePass, lowerPass, emitPass], PASSES);
  return { graph: r.graph, top: topOf(r.graph), memories: memoriesOf(r.graph), timings: r.timings };
}

/** The OliVe-encoder design and the forced σ the e2e tests also run (many outliers). */
export const OLIVE_FORCED = {
  path: `${DESIGN_DIR}/olive-enc.yaml`,
  node: 'h',
  sigmaExp: -5,
} as const;
