// The linear unit for MX × MX layers with several 32-element blocks per token (K = 32·C): the
// shared step controller walks G groups of `lanes` output features × C blocks; per step every
// lane's registry `mx-dot` (k = 32, binary32 output) is offered block c of the token (its codes
// and its E8M0 scale) and block c of its weight row (scale and 32 codes from the DataStore:
// constant tables, or SRAM read one cycle ahead). Each lane's registry `fp32-acc` sums its C
// binary32 block results in order from +0 with fp32Add — exactly the golden `fp32-blockwise`
// DotGeneral (eval.ts `mxBlockwise`). The finished binary32 totals go to the output stage:
// - an int output: the binary32 decoded to a signed significand and exponent, then the run-time
//   shift int cast (castToIntLane, d = outExp − e; memory mode: outExp is the `c` word);
// - an MX output: every 32 finished features (lanes divide 32, or are a multiple of it) go
//   through an `mx-quantize` (k = 32, floor) as soon as they are complete; codes and scales are
//   collected into the output registers (block b's scale at out_y_scale[8b + 7 : 8b]).
// A fused relu turns every code with its sign bit set into +0 (the golden code-level relu; MX
// scales are kept).
import { getComponent, parseConfig } from '../../../components/index.js';
import { cat, driveStream, type Expr, lit, mux, s, streamOut, u } from '../../../hdl/index.js';
import { getFormat } from '../../../numerics/index.js';
import { castToIntLane, ubits } from '../../../components/index.js';
import { finishUnit, shiftWord, tokenInSram, tokenUnit } from '../control.js';
import type { GeneratedUnit, UnitPortWidths } from '../control.js';
import { collectGroups } from '../../hw-out.js';
import { packWord } from '../../hw-weights.js';
import { type LinearUnitConfig, outScaleBits } from '../../units.js';
import { internalError, MxgenError } from '../../../hdl/index.js';

const BLOCK = 32;

/** Signed significand (s26) and exponent (s10) of a finite binary32 pattern: v = sig·2^exp. */
function decodeBinary32(v: Expr): { sig: Expr; exp: Expr } {
  const e = v.bits(30, 23);
  const normal = e.orR();
  const mag = cat(normal, v.bits(22, 0)).toSigned().extend(26);
  const sig = mux(v.bit(31), mag.neg().trunc(26), mag);
  const exp = mux(normal, e, lit(1, u(8)))
    .toSigned()
    .sub(lit(150, s(9)));
  return { sig, exp };
}

/** A code with its sign bit set becomes +0 (per element of `w` bits). */
function reluCodes(codes: Expr, w: number, n: number): Expr {
  const parts: Expr[] = [];
  for (let i = 0; i < n; i++) {
    const c = codes.bits(w * i + w - 1, w * i);
    parts.push(mux(c.bit(w - 1), lit(0, u(w)), c));
  }
  return cat(...parts.reverse());
}

/**
 * Stream ports: the token's codes and a scale per block; int codes, or MX codes and scales. A
 * chunked stream (decision 57) carries one chunk of blocks per beat, with the chunk's scales.
 */
export function mxBlockPorts(c: LinearUnitConfig): UnitPortWidths {
  const q = c.component?.kind === 'mx-dot' && c.component.quantize !== undefined;
  const inF = c.inChunked ? c.tile : c.inFeatures;
  return {
    x: inF * getFormat(c.input.element).bits,
    xScale: 8 * Math.max(1, Math.ceil(inF / BLOCK)),
    y: (c.outChunk ?? c.outFeatures) * c.outBits,
    yScale: q ? (c.outChunk ? (8 * c.outChunk) / BLOCK : outScaleBits(c)) : 0,
  };
}

export function generateMxBlockLinear(c: LinearUnitConfig): GeneratedUnit {
  const comp = c.component;
  if (comp?.kind !== 'mx-dot' || comp.blocks === undefined)
    throw internalError('generateMxBlockLinear needs mx-dot lanes with blocks');
  const kind = getComponent('mx-dot');
  const cfg = parseConfig(kind, comp.config, `${c.node}.component`);
  const dot = kind.generate(cfg);
  const dotIo = kind.stream(cfg);
  const bW = (dotIo.in.find((f) => f.name === 'b_elems')?.width ?? 0) / BLOCK;
  const aW = (dotIo.in.find((f) => f.name === 'a_elems')?.width ?? 0) / BLOCK;
  const accKind = getComponent('fp32-acc');
  const acc = accKind.generate(parseConfig(accKind, { stages: 1 }, `${c.node}.acc`));
  const K = c.inFeatures;
  const N = c.outFeatures;
  const P = c.lanes;
  const G = N / P;
  const C = comp.blocks;
  if (K !== C * BLOCK)
    throw new MxgenError('config', `${c.node}: K = ${K} is not ${C} blocks of ${BLOCK}`, {
      hint: 'an MX layer needs K to be a multiple of the block size (32)',
    });
  const inBits = getFormat(c.input.element).bits;
  const q = comp.quantize;
  // Real-size tokens (tokenInSram): codes and block scales in a double-buffered SRAM, filled one
  // chunk per beat when the producer sends chunks (`inChunked`, decision 57). A chunked output
  // (`outChunk`): each quantized block (codes and scale, one SRAM word) goes into the output SRAM.
  const buffered = tokenInSram(c);
  const outChunk = c.outChunk;
  if (outChunk !== undefined && (!comp.quantize || c.lanes > BLOCK || outChunk % BLOCK !== 0))
    throw internalError(`${c.node}: a chunked output needs MX blocks quantized one at a time`);
  const { m, mem, load, io, ctl } = tokenUnit(
    c,
    mxBlockPorts(c),
    { groups: G, chunks: C },
    buffered,
    outChunk ? { groups: outChunk / BLOCK, chunks: N / outChunk } : undefined,
  );
  const { busy, accept } = ctl;
  const cW = ctl.chunkBits;
  let xBlock: Expr;
  let xScale: Expr;
  if (buffered) {
    // Block `chunk` and its scale read at the step: they arrive with the step's weights.
    xBlock = ctl.buffered('x', io.inX, BLOCK * inBits);
    xScale = ctl.buffered('x_scale', io.inScale ?? lit(0, u(8 * C)), 8);
  } else {
    // The token: codes and scales, held while the unit runs; block `chunk` by indexed part-select.
    const xTok = m.reg('x_tok', u(K * inBits), { enable: accept }).next(io.inX);
    const xSc = m
      .reg('x_scales', u(8 * C), { enable: accept })
      .next(io.inScale ?? lit(0, u(8 * C)));
    const select = (name: string, word: Expr, w: number): Expr =>
      C === 1
        ? word
        : m.wire(name, u(w)).set(word.shrBy(ctl.chunk.extend(cW + ubits(w)).mulWrap(w)).trunc(w));
    xBlock = select('x_block', xTok, BLOCK * inBits);
    xScale = select('x_scale', xSc, 8);
  }
  const aParts: Expr[] = [];
  for (let i = 0; i < BLOCK; i++)
    aParts.push(xBlock.bits(inBits * i + inBits - 1, inBits * i).extend(aW));
  const aWord = cat(...aParts.reverse());
  const aField = buffered ? aWord : ctl.fed('feed_a', aWord);
  const aScale = buffered ? xScale : ctl.fed('feed_as', xScale);
  const feedValid = ctl.fed('feed_valid', ctl.step);
  // Weight blocks per step i = g·C + chunk (memory: read one cycle ahead of the lanes).
  const wstore = ctl.weights();
  const rowOf = (i: number, p: number): { j: number; b: number } => ({
    j: Math.floor(i / C) * P + p,
    b: i % C,
  });
  const one = lit(1, u(1));
  let dotValid: Expr = lit(0, u(1));
  const dots: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const bScale = wstore.field(`s${p}`, 8, (i) => {
      const { j, b } = rowOf(i, p);
      return BigInt(comp.rowScales[j * C + b] ?? 0);
    });
    const bElems = wstore.field(`e${p}`, bW * BLOCK, (i) => {
      const { j, b } = rowOf(i, p);
      return packWord((comp.rowCodes[j] ?? []).slice(b * BLOCK, (b + 1) * BLOCK), bW);
    });
    const inst = m.instance(dot, `dot${p}`);
    driveStream(inst, {
      valid: feedValid,
      payload: { a_scale: aScale, a_elems: aField, b_scale: bScale, b_elems: bElems },
    });
    const res = streamOut(inst, ['fp32'], one);
    if (p === 0) dotValid = res.valid;
    dots.push(res.payload.fp32 as Expr);
  }
  // Block results arrive in step order; the C-th of a group closes each lane's binary32 sum.
  const bcnt = m.reg('bcnt', u(cW));
  const lastBlock = bcnt.eq(C - 1);
  bcnt.next(
    mux(accept, lit(0, u(cW)), mux(dotValid, mux(lastBlock, lit(0, u(cW)), bcnt.addWrap(1)), bcnt)),
  );
  let totValid: Expr = lit(0, u(1));
  const totals = dots.map((d, p) => {
    const a = m.instance(acc, `acc${p}`);
    driveStream(a, { valid: dotValid, payload: { value: d, last: lastBlock } });
    const res = streamOut(a, ['value'], one);
    if (p === 0) totValid = res.valid;
    return m.wire(`total${p}`, u(32)).set(res.payload.value as Expr);
  });
  const rcv = ctl.receiver();
  rcv.next(ctl.received(totValid));
  // An int output's shift (an MX output has none: its store stays empty).
  const { store: cstore, shift: memShift } = shiftWord(m, mem && !q, c.outExp);
  let finished: Expr;
  if (!q) {
    // Int output: the binary32 total cast exactly like the golden (sat(RNE(v·2^-outExp))).
    const shift = memShift ?? lit(c.outExp, s(12));
    const codes = totals.map((t, p) => {
      const { sig, exp } = decodeBinary32(t);
      const code = castToIntLane(m, `cast${p}`, sig, shift.sub(exp), c.outBits);
      return m
        .wire(`lane${p}`, u(c.outBits))
        .set(c.relu ? mux(code.bit(c.outBits - 1), lit(0, u(c.outBits)), code) : code);
    });
    io.outY.set(collectGroups(m, 'y', codes, G, totValid));
    finished = totValid.and(rcv.eq(G - 1));
  } else {
    // MX output: R groups fill a block of 32 features (lanes < 32), or a group holds Q blocks.
    const R = Math.max(1, BLOCK / P);
    const Q = Math.max(1, P / BLOCK);
    const NB = N / (BLOCK * Q);
    const blk = collectGroups(m, 'blk', totals, R, totValid);
    const blockDone = R === 1 ? totValid : totValid.and(rcv.bits(ubits(R - 1) - 1, 0).eq(R - 1));
    const qIn = m.reg('q_valid', u(1)).next(blockDone);
    const qkind = getComponent('mx-quantize');
    const quant = qkind.generate(parseConfig(qkind, { format: q.format, k: BLOCK }, `${c.node}.q`));
    let qOut: Expr = lit(0, u(1));
    const elems: Expr[] = [];
    const scales: Expr[] = [];
    for (let i = 0; i < Q; i++) {
      const qi = m.instance(quant, `quant${i}`);
      driveStream(qi, {
        valid: qIn,
        payload: {
          values: Q === 1 ? blk : blk.bits(32 * BLOCK * i + 32 * BLOCK - 1, 32 * BLOCK * i),
        },
      });
      const res = streamOut(qi, ['elems', 'scale'], one);
      if (i === 0) qOut = res.valid;
      const e = res.payload.elems as Expr;
      elems.push(c.relu ? reluCodes(e, c.outBits, BLOCK) : e);
      scales.push(res.payload.scale as Expr);
    }
    const nbW = ubits(Math.max(NB - 1, 1));
    const qcnt = m.reg('qcnt', u(nbW));
    qcnt.next(mux(accept, lit(0, u(nbW)), mux(qOut, qcnt.addWrap(1), qcnt)));
    if (outChunk) {
      // Decision 57: block b (its scale above its codes) is word b of the output SRAM; a beat of
      // W = outChunk / 32 words is split back into the chunk's codes and its W scales.
      const W = outChunk / BLOCK;
      const eW = BLOCK * c.outBits;
      const word = cat(scales[0] as Expr, elems[0] as Expr);
      const beat = ctl.finishBuffered(word, qOut, qOut.and(qcnt.eq(NB - 1)));
      const at = (i: number, lo: number, w: number): Expr =>
        beat.bits((eW + 8) * i + lo + w - 1, (eW + 8) * i + lo);
      const parts = (lo: number, w: number): Expr =>
        W === 1 ? at(0, lo, w) : cat(...Array.from({ length: W }, (_, i) => at(W - 1 - i, lo, w)));
      io.outY.set(parts(0, eW));
      io.outScale?.set(parts(eW, 8));
      return finishUnit(m, [wstore, busy], [cstore], load, c.imagePrefix ?? c.node);
    }
    io.outY.set(collectGroups(m, 'y_elems', elems, NB, qOut));
    io.outScale?.set(collectGroups(m, 'y_scale', scales, NB, qOut));
    finished = qOut.and(qcnt.eq(NB - 1));
  }
  ctl.finish(finished);
  return finishUnit(m, [wstore, busy], [cstore], load, c.imagePrefix ?? c.node);
}
