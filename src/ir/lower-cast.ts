// `lower`: a standalone cast (not fused into the linear it reads) of an int tensor with a static
// power-of-two scale becomes a cast unit (hw-cast.ts) with the output conversions of a linear
// unit (lower-out.ts: signed int, OliVe, olive4_dyn) plus MX (≤ 32 features, one block).
import { getFormat } from '../numerics/index.js';
import { formatOf } from './eval.js';
import { formatLabel } from './formats.js';
import { type CastNode, type Graph, nodeByName } from './graph.js';
import { castModuleName } from './hw-cast.js';
import { mxElementName, unsupported } from './lower-linear.js';
import { outputSpec } from './lower-out.js';
import type { CastUnitConfig } from './units.js';

export function lowerCast(g: Graph, n: CastNode): CastUnitConfig {
  const src = nodeByName(g, n.input) ?? n;
  const inF = formatOf(src);
  const outF = formatOf(n);
  const features = n.type?.shape[1] ?? 1;
  if (inF.kind === 'mx') {
    // MX → signed int (decision 45): so an MX activation can feed the integer row ops
    const out = outF.kind === 'element' ? getFormat(outF.name) : undefined;
    if (outF.kind !== 'element' || out?.kind !== 'int' || !out.signed)
      unsupported(
        g,
        n,
        `cast ${formatLabel(inF)} → ${formatLabel(outF)} (a cast of an MX tensor writes signed ints)`,
      );
    const ie = getFormat(mxElementName(inF.name));
    const base = {
      kind: 'cast-unit' as const,
      node: n.name,
      features,
      input: { element: ie.name, bits: ie.bits, signed: true, mx: true as const },
      inputExp: ie.lsbExp - 127,
      outElement: outF.name,
      outBits: out.bits,
      outExp: out.lsbExp + outF.scaleExp,
    };
    return { ...base, module: castModuleName(base) };
  }
  const el = inF.kind === 'element' ? getFormat(inF.name) : undefined;
  if (inF.kind !== 'element' || el?.kind !== 'int')
    unsupported(
      g,
      n,
      `cast ${formatLabel(inF)} → ${formatLabel(outF)} (a standalone cast reads int or MX tensors)`,
    );
  const input = { element: inF.name, bits: el.bits, signed: el.signed };
  const inputExp = el.lsbExp + inF.scaleExp;
  let spec: Omit<CastUnitConfig, 'kind' | 'module' | 'node' | 'features' | 'input' | 'inputExp'>;
  if (outF.kind === 'mx') {
    if (features > 32)
      unsupported(g, n, `cast to ${outF.name} needs at most 32 features (one MX block)`);
    const oe = mxElementName(outF.name);
    spec = {
      outElement: oe,
      outBits: getFormat(oe).bits,
      outExp: 0,
      outMxFormat: outF.name,
      outMx: true,
    };
  } else if (outF.kind === 'dialect') {
    if (features > 32)
      unsupported(g, n, `cast to ${outF.name} needs at most 32 features (one DialectFP4 block)`);
    spec = { outElement: 'blockdialect', outBits: 4, outExp: 0, outDialect: true, outMx: true };
  } else if (outF.kind === 'mixed') {
    spec = {
      outElement: outF.name,
      outBits: 8,
      outExp: 0,
      outMixed: { map: outF.map, exp: outF.exp },
      outMx: true,
    };
  } else spec = outputSpec(g, n, outF, features);
  const base = { kind: 'cast-unit' as const, node: n.name, features, input, inputExp, ...spec };
  return { ...base, module: castModuleName(base) };
}
