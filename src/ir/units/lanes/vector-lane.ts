// A vector MAC lane: `tile` element codes of the activation and of the weight per beat, each
// decoded to its fixed form (arith decodeElementFixed), multiplied exactly, summed by a balanced
// tree and accumulated; the beat with in_last closes the sum, which appears on out_acc with
// out_valid one cycle later (the same beat protocol as the registry olive-pe / scalable-pe lanes).
// The layer unit instantiates one per lane; one module per (formats, tile, accumulator width).
import { type Expr, lit, ModuleBuilder, mux, s, u } from '../../../hdl/index.js';
import { getFormat } from '../../../numerics/index.js';
import {
  adderTree,
  decodeElementFixed,
  elementMaxSig,
  fitSigned,
  sbits,
} from '../../../components/index.js';

export interface VectorLaneConfig {
  readonly aElement: string;
  readonly bElement: string;
  readonly tile: number;
  readonly accBits: number;
}

/** Accumulator bits for `k` products of the two formats' largest fixed-form magnitudes. */
export function vectorAccBits(aElement: string, bElement: string, k: number): number {
  return sbits(BigInt(k) * elementMaxSig(aElement) * elementMaxSig(bElement));
}

const LANES = new Map<string, ModuleBuilder>();

export function vectorLane(c: VectorLaneConfig): ModuleBuilder {
  const name = `vmac_${c.aElement}_${c.bElement}_t${c.tile}_acc${c.accBits}`;
  const known = LANES.get(name);
  if (known) return known;
  const aw = getFormat(c.aElement).bits;
  const bw = getFormat(c.bElement).bits;
  const aSig = sbits(elementMaxSig(c.aElement));
  const bSig = sbits(elementMaxSig(c.bElement));
  const m = new ModuleBuilder(name, { config: c });
  const inValid = m.input('in_valid', u(1));
  const inLast = m.input('in_last', u(1));
  const inA = m.input('in_a', u(c.tile * aw));
  const inB = m.input('in_b', u(c.tile * bw));
  const prods: Expr[] = [];
  for (let t = 0; t < c.tile; t++) {
    const a = decodeElementFixed(inA.bits(t * aw + aw - 1, t * aw), c.aElement, aSig);
    const b = decodeElementFixed(inB.bits(t * bw + bw - 1, t * bw), c.bElement, bSig);
    prods.push(a.mul(b));
  }
  const partial = adderTree(prods, c.accBits);
  const acc = m.reg('acc', s(c.accBits), { init: 0 });
  const sum = m.wire('acc_next', s(c.accBits)).set(fitSigned(acc.add(partial), c.accBits));
  acc.next(mux(inValid, mux(inLast, lit(0, s(c.accBits)), sum), acc));
  const done = m.reg('done', u(1), { init: 0 }).next(inValid.and(inLast));
  const total = m.reg('total', s(c.accBits), { enable: inValid.and(inLast) }).next(sum);
  m.output('out_valid', u(1)).set(done);
  m.output('out_acc', u(c.accBits)).set(total.asUnsigned());
  LANES.set(name, m);
  return m;
}
