// Transaction model of mx-dot from numerics: mxDot (E8M0 blocks) or the NVFP4 rule of 9.2, whose
// (S, Eres) form is built from decodeSig of the E4M3 scales and cross-checked against nvfp4Dot.
import {
  decodeSig,
  dotResultToBinary32,
  mxDot,
  getMxFormat,
  nvfp4Dot,
  same,
  finite,
  toBinary32Bits,
  type DotResult,
  type MxBlock,
} from '../../numerics/index.js';
import { MxgenError } from '../../hdl/index.js';
import type { Beat } from '../registry.js';
import { unpackWords } from '../mx-scale/index.js';
import { deriveMxDot, type MxDotConfig } from './config.js';

const NAN32 = 0x7fc00000n;

function blockOf(name: string, scale: bigint, elems: bigint, bits: number, k: number): MxBlock {
  return { format: getMxFormat(name), scale: Number(scale), codes: unpackWords(elems, bits, k) };
}

/** NVFP4 block result in the hardware's (S, Eres) form (9.2 + 5.2). */
function nvfp4Result(cfg: MxDotConfig, b: Beat): { r: DotResult; fp32: number } {
  const sa = Number(b['a_scale'] ?? 0n);
  const sb = Number(b['b_scale'] ?? 0n);
  const ca = unpackWords(b['a_elems'] ?? 0n, 4, cfg.k);
  const cb = unpackWords(b['b_elems'] ?? 0n, 4, cfg.k);
  const nanScale = (x: number): boolean => x >= 0x80 || x === 0x7f;
  const exact = nvfp4Dot({ scale: sa, codes: ca }, { scale: sb, codes: cb });
  if (nanScale(sa) || nanScale(sb)) return { r: { kind: 'nan' }, fp32: toBinary32Bits(exact) };
  // Inner block sum: the E2M1 × E2M1 part of mxDot with unit scales (X = 127), lsb 2^-2.
  const inner = mxDot(
    { format: getMxFormat('mxfp4_e2m1'), scale: 127, codes: ca },
    { format: getMxFormat('mxfp4_e2m1'), scale: 127, codes: cb },
  );
  if (inner.kind !== 'finite')
    throw new MxgenError('usage', 'mx-dot reference: E2M1 blocks have no specials');
  const xa = decodeSig('fp8_e4m3', sa);
  const xb = decodeSig('fp8_e4m3', sb);
  if (xa.kind !== 'finite' || xb.kind !== 'finite')
    throw new MxgenError(
      'usage',
      'mx-dot reference: a finite E4M3 scale decodes to a finite value',
    );
  const sum = inner.sum * xa.sig * xb.sig;
  const exp = inner.exp + xa.exp + xb.exp;
  // Self-check: the (S, Eres) form has the value numerics.nvfp4Dot computes.
  const val = finite(false, sum, exp);
  const zero = sum === 0n;
  if (!(zero ? exact.kind === 'finite' && exact.sig === 0n : same(val, exact)))
    throw new MxgenError('mismatch', `mx-dot reference: (S, Eres) disagrees with nvfp4Dot`);
  return { r: { kind: 'finite', sum, exp }, fp32: toBinary32Bits(exact) };
}

export function referenceMxDot(cfg: MxDotConfig, inBeats: readonly Beat[]): Beat[] {
  const d = deriveMxDot(cfg);
  const mask = (1n << BigInt(d.sumBits)) - 1n;
  const emask = (1n << BigInt(d.expBits)) - 1n;
  return inBeats.map((b) => {
    let r: DotResult;
    let fp32: number;
    if (d.nvfp4) ({ r, fp32 } = nvfp4Result(cfg, b));
    else {
      const a = blockOf(cfg.format, b['a_scale'] ?? 0n, b['a_elems'] ?? 0n, d.bitsA, cfg.k);
      const bb = blockOf(
        cfg.bFormat ?? cfg.format,
        b['b_scale'] ?? 0n,
        b['b_elems'] ?? 0n,
        d.bitsB,
        cfg.k,
      );
      r = mxDot(a, bb);
      fp32 = dotResultToBinary32(r);
    }
    const out: Record<string, bigint> = {
      sum: r.kind === 'finite' ? r.sum & mask : 0n,
      exp: r.kind === 'finite' ? BigInt(r.exp) & emask : 0n,
      nan: r.kind === 'nan' ? 1n : 0n,
      pinf: r.kind === 'inf' && !r.neg ? 1n : 0n,
      ninf: r.kind === 'inf' && r.neg ? 1n : 0n,
    };
    if (cfg.fp32) out['fp32'] = r.kind === 'nan' ? NAN32 : BigInt(fp32);
    return out;
  });
}
