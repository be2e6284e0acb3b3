// olive-pe: OliVe weight pairs × int8 or OliVe activation pairs, `pairs` pairs per beat, decoded
// to (int, shift), multiplied exactly (int_w·int_a) << (shift_w + shift_a), summed and
// accumulated exactly over `elements` terms; a beat with in_last closes the dot product and
// offers it on out_acc. Oracle: numerics.oliveDecodePair / oliveDot. Latency: 1 cycle.
import { type Expr, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import { adderTree, fitSigned } from '../arith/index.js';
import { decodeOlivePair, oliveBits, type OliveTermExpr } from './pair-decoder.js';
import { deriveOlivePe, olivePeName, type OlivePeConfig } from './pe-config.js';

/** The 2·pairs activation terms of a beat. */
function activationTerms(cfg: OlivePeConfig, a: Expr): OliveTermExpr[] {
  const out: OliveTermExpr[] = [];
  if (cfg.activations === 'int8') {
    for (let i = 0; i < 2 * cfg.pairs; i++)
      out.push({ int: a.bits(8 * i + 7, 8 * i).asSigned(), shift: lit(0, u(3)) });
    return out;
  }
  const b = oliveBits(cfg.activations).bits;
  for (let j = 0; j < cfg.pairs; j++) {
    const base = 2 * b * j;
    out.push(
      ...decodeOlivePair(
        cfg.activations,
        a.bits(base + b - 1, base),
        a.bits(base + 2 * b - 1, base + b),
      ),
    );
  }
  return out;
}

export function generateOlivePe(cfg: OlivePeConfig): ModuleBuilder {
  const d = deriveOlivePe(cfg);
  const m = new ModuleBuilder(olivePeName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const w = m.input('in_w', u(d.wBits));
  const a = m.input('in_a', u(d.aBits));
  const last = m.input('in_last', u(1));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outAcc = m.output('out_acc', s(d.accBits));

  // 2. Datapath: decode, exact products, exact beat sum.
  const wb = oliveBits(cfg.weights).bits;
  const wTerms: OliveTermExpr[] = [];
  for (let j = 0; j < cfg.pairs; j++) {
    const base = 2 * wb * j;
    wTerms.push(
      ...decodeOlivePair(
        cfg.weights,
        w.bits(base + wb - 1, base),
        w.bits(base + 2 * wb - 1, base + wb),
      ),
    );
  }
  const aTerms = activationTerms(cfg, a);
  const prods = wTerms.map((t, i) => {
    const at = aTerms[i] as OliveTermExpr;
    const shift = cfg.activations === 'int8' ? t.shift : t.shift.add(at.shift);
    return fitSigned(t.int.mul(at.int).shlBy(shift), d.productBits);
  });
  const beatSum = m.wire('beat_sum', s(d.beatBits)).set(adderTree(prods, d.beatBits));

  // 3. Accumulator and output register.
  const outValidReg = m.reg('out_valid_r', u(1), { init: 0 });
  const ready = m.wire('ready', u(1)).set(outValidReg.not().or(outReady));
  const fire = inValid.and(ready);
  const acc = m.reg('acc', s(d.accBits), { init: 0 });
  // Wraps modulo 2^accBits only beyond `elements` terms between two in_last beats.
  const accNext = m.wire('acc_next', s(d.accBits)).set(acc.addWrap(fitSigned(beatSum, d.accBits)));
  acc.next(mux(last, lit(0, s(d.accBits)), accNext), fire);
  const result = m.reg('result', s(d.accBits), { init: 0 }).next(accNext, fire.and(last));
  outValidReg.next(mux(fire.and(last), lit(1, u(1)), outValidReg.and(outReady.not())));

  // 4. Outputs
  inReady.set(ready);
  outValid.set(outValidReg);
  outAcc.set(result);
  return m;
}
