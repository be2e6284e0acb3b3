// Transaction model of olive-pe: numerics.oliveDecodePair on every pair, numerics.oliveDot for the
// exact sum, one output beat per in_last beat (two's complement pattern of out_acc).
import { oliveDecodePair, oliveDot, type OliveTerm } from '../../numerics/index.js';
import type { Beat } from '../registry.js';
import { deriveOlivePe, type OlivePeConfig } from './pe-config.js';

function terms(f: OlivePeConfig['activations'], v: bigint, pairs: number): OliveTerm[] {
  const out: OliveTerm[] = [];
  if (f === 'int8') {
    for (let i = 0; i < 2 * pairs; i++)
      out.push({ int: Number(BigInt.asIntN(8, v >> BigInt(8 * i))), shift: 0 });
    return out;
  }
  const b = f === 'olive4' ? 4 : 8;
  const mask = (1n << BigInt(b)) - 1n;
  for (let j = 0; j < pairs; j++) {
    const c0 = Number((v >> BigInt(2 * b * j)) & mask);
    const c1 = Number((v >> BigInt(2 * b * j + b)) & mask);
    out.push(...oliveDecodePair(f, c0, c1));
  }
  return out;
}

export function referenceOlivePe(cfg: OlivePeConfig, inBeats: readonly Beat[]): Beat[] {
  const d = deriveOlivePe(cfg);
  const out: Beat[] = [];
  let acc = 0n;
  for (const b of inBeats) {
    const wt = terms(cfg.weights, b['w'] ?? 0n, cfg.pairs);
    const at = terms(cfg.activations, b['a'] ?? 0n, cfg.pairs);
    acc = BigInt.asIntN(d.accBits, acc + oliveDot(wt, at));
    if ((b['last'] ?? 0n) === 1n) {
      out.push({ acc: BigInt.asUintN(d.accBits, acc) });
      acc = 0n;
    }
  }
  return out;
}
