// `lower`: an add of two tensors that are each an int, a float element format (fp8 e4m3 /
// e5m2, fp6, fp4; static power-of-two tensor scales), OCP MX (E8M0 block scales on the stream),
// nvfp4 (E4M3 scale per 16 times g: a constant exponent), OliVe (olive4/olive8, olive4_dyn),
// blockdialect or mixed (decision 45)
// into an int or float element tensor (one RNE to the output, saturation; decision 39), or an OCP
// MX, nvfp4, OliVe or blockdialect tensor (binary32 RNE, then the format's quantizer) or a mixed one
// (the exact sums into the mixed quantizer; static operands only) (decision 45), becomes an
// add unit (hw-add.ts). Other formats get a one-line error naming the operand or the output.
import { getFormat } from '../numerics/index.js';
import { formatOf } from './eval.js';
import { formatLabel, OLIVE_DYN_OFFSET } from './formats.js';
import { type AddNode, type Graph, type Node, nodeByName } from './graph.js';
import { addModuleName } from './hw-add.js';
import { mxElementName, unsupported } from './lower-linear.js';
import { outputSpec as oliveOutputSpec } from './lower-out.js';
import type { AddOperand, AddUnitConfig } from './units.js';

const OPERANDS =
  'add operands are ints, float elements (fp8_e4m3, fp8_e5m2, fp6, fp4), OCP MX (mxint8, mxfp8/6/4), nvfp4, olive4/olive8, olive4_dyn, blockdialect or mixed';

function operandSpec(g: Graph, at: AddNode, n: Node, what: string): Omit<AddOperand, 'tensor'> {
  const f = formatOf(n);
  if (f.kind === 'mx' && mxElementName(f.name) !== f.name) {
    // an E8M0 block scale per 32 codes on the stream: exp + X is the code's LSB exponent
    const el = getFormat(mxElementName(f.name));
    return { element: el.name, bits: el.bits, exp: el.lsbExp - 127, mx: true };
  }
  if (f.kind === 'mixed') {
    // a signed code byte per channel, a d byte per group (in channel order): q · 2^(exp + d)
    const mixedGroups: number[] = [];
    let gi = 0;
    for (const r of f.map)
      for (let c = r.start; c < r.end; c += r.groupSize, gi++)
        for (let k = c; k < Math.min(r.end, c + r.groupSize); k++) mixedGroups[k] = gi;
    return { element: 'int8', bits: 8, exp: f.exp, mx: true, mixedGroups };
  }
  if (f.kind === 'nvfp4') {
    // E2M1 codes, an E4M3 scale per 16 on the stream: (E4M3 · E2M1) fixed at 2^(−9 − 1 + log2 g)
    const exp = getFormat('fp8_e4m3').lsbExp + getFormat('fp4_e2m1').lsbExp + f.scaleExp;
    return { element: 'fp4_e2m1', bits: 4, exp, mx: true, nvfp4: true };
  }
  if (f.kind === 'dialect')
    // DialectFP4 codes; per 32 the E8M0 X and the dialect id: ±h · 2^(X − 128)
    return { element: f.name, bits: 4, exp: -128, mx: true, dialect: true };
  if (f.kind === 'olive-dyn') {
    // olive4 pair codes with the token's X on the stream: σ = 2^(X − 127 + OLIVE_DYN_OFFSET)
    if ((at.type?.shape[1] ?? 1) % 2 !== 0)
      unsupported(g, at, `add ${what} ${n.name} is ${f.name} with an odd feature count`);
    return { element: f.name, bits: 4, exp: OLIVE_DYN_OFFSET - 127, mx: true, olive: 'olive4' };
  }
  if (f.kind === 'olive') {
    // pair codes: value = σ·(int << shift), σ = 2^sigmaExp (the OliVe PE's decoder, exactly)
    if ((at.type?.shape[1] ?? 1) % 2 !== 0)
      unsupported(g, at, `add ${what} ${n.name} is ${f.name} with an odd feature count`);
    return { element: f.name, bits: f.name === 'olive4' ? 4 : 8, exp: f.sigmaExp, olive: f.name };
  }
  const el = f.kind === 'element' ? getFormat(f.name) : undefined;
  if (f.kind !== 'element' || !el || !(el.kind === 'float' || el.kind === 'int'))
    unsupported(g, at, `add ${what} ${n.name} is ${formatLabel(f)}; ${OPERANDS}`);
  return { element: f.name, bits: el.bits, exp: el.lsbExp + f.scaleExp };
}

/** How the add unit writes its output: every field of AddUnitConfig after the operands. */
type OutSpec = Pick<
  AddUnitConfig,
  | 'outElement'
  | 'outBits'
  | 'outExp'
  | 'outUnsigned'
  | 'outMxFormat'
  | 'outTensorScaleExp'
  | 'outOlive'
  | 'outDialect'
  | 'outMixed'
  | 'outMx'
>;

/**
 * The output: an int code (exp = its LSB's; unsigned saturates at 0), a float element (exp = the
 * tensor scale), or a format quantized from binary32 (decision 45): OCP MX (mx-quantize per 32),
 * nvfp4 (mx-quantize per 16, g = 2^scaleExp) or OliVe (olive-encoder, lower-out's rules).
 */
function outputSpec(g: Graph, at: AddNode, a: AddOperand, b: AddOperand): OutSpec {
  const f = formatOf(at);
  const features = at.type?.shape[1] ?? 1;
  if (f.kind === 'mixed') {
    // the exact sums (static exponents only) into the mixed quantizer, as a cast into it
    const rt = [a, b].find((o) => o.mx && !o.nvfp4);
    if (rt)
      unsupported(
        g,
        at,
        `add output ${at.name} is ${formatLabel(f)} and operand ${rt.tensor} has run-time scales; the add unit writes a mixed tensor from operands at static exponents (int, float element, nvfp4, olive4/olive8) — cast ${rt.tensor} first`,
      );
    return {
      outElement: f.name,
      outBits: 8,
      outExp: 0,
      outMixed: { map: f.map, exp: f.exp },
      outMx: true,
    };
  }
  if (f.kind === 'mx') {
    const el = getFormat(mxElementName(f.name));
    return { outElement: el.name, outBits: el.bits, outExp: 0, outMxFormat: f.name, outMx: true };
  }
  if (f.kind === 'nvfp4')
    return {
      outElement: 'fp4_e2m1',
      outBits: 4,
      outExp: 0,
      outMxFormat: 'nvfp4',
      outTensorScaleExp: f.scaleExp,
      outMx: true,
    };
  if (f.kind === 'olive' || f.kind === 'olive-dyn') return oliveOutputSpec(g, at, f, features);
  if (f.kind === 'dialect') {
    // binary32 RNE, then one dialect-quantize (the online rule), as a cast into blockdialect
    if (features > 32)
      unsupported(
        g,
        at,
        `add output ${at.name} is blockdialect with ${features} features; the add unit writes one DialectFP4 block (at most 32)`,
      );
    if (f.rule !== 'online')
      unsupported(
        g,
        at,
        `add output ${at.name} is ${formatLabel(f)}; the add unit quantizes blockdialect online (dialect-quantize)`,
      );
    return { outElement: 'blockdialect', outBits: 4, outExp: 0, outDialect: true, outMx: true };
  }
  const el = f.kind === 'element' ? getFormat(f.name) : undefined;
  if (f.kind !== 'element' || !el || !(el.kind === 'float' || el.kind === 'int'))
    unsupported(
      g,
      at,
      `add output ${at.name} is ${formatLabel(f)}; the add unit writes ints, float elements (fp8_e4m3, fp8_e5m2, fp6, fp4), OCP MX, nvfp4, OliVe, blockdialect or mixed — set precision.tensors.${at.name} to one (or cast after the add)`,
    );
  return {
    outElement: f.name,
    outBits: el.bits,
    outExp: el.kind === 'float' ? f.scaleExp : el.lsbExp + f.scaleExp,
    ...(el.kind === 'int' && !el.signed ? { outUnsigned: true as const } : {}),
  };
}

export function lowerAdd(g: Graph, n: AddNode): AddUnitConfig {
  const operand = (name: string, what: string): AddOperand => {
    const src = nodeByName(g, name);
    if (!src) unsupported(g, n, `add ${what} ${name} does not exist`);
    return { tensor: name, ...operandSpec(g, n, src, what) };
  };
  const a = operand(n.a, 'operand a');
  const b = operand(n.b, 'operand b');
  const out = outputSpec(g, n, a, b);
  const base = {
    kind: 'add-unit' as const,
    node: n.name,
    features: n.type?.shape[1] ?? 1,
    a,
    b,
    ...out,
  };
  return { ...base, module: addModuleName(base) };
}
