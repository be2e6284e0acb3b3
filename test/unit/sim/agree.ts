// The native simulator against the reference interpreter (test/support/netlist-interp.ts) on one
// random netlist (random-netlist.ts): shared by the property spec and its small deterministic
// variant (property-small.test.ts, in the mutation profile).
import { expect } from 'chai';
import { compile } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Rng, randomNetlist } from './random-netlist.js';

export function agree(seed: number, cycles: number): void {
  const nl = randomNetlist(seed);
  // Every other netlist without named signals (the model the flows use: more logic dropped). A
  // model of many chunks has two forms that the simulator switches between at run time; windows
  // of 1-3 cycles switch them all the time. Every fourth netlist cuts the plain form into small
  // functions by tokens (by default it is one function here), at other boundaries than the chunks
  // of the tracked form. Those and every fourth other one split every enabled register's cone
  // above a few tokens into functions of its own (called under the enable; codegen.ts:
  // coneTokens), of plainTokens each: values cross them through storage.
  const sim = compile(nl, {
    chunkSize: 1 + (seed % 7) * 5,
    signals: seed % 2 === 0,
    calibrationWindow: 1 + (seed % 3),
    ...(seed % 4 === 1 ? { plainTokens: 5 + (seed % 13) * 9, coneTokens: seed % 5 } : {}),
    ...(seed % 4 === 3 ? { coneTokens: seed % 7 } : {}),
  });
  const ref = new NetlistInterpreter(nl);
  const r = new Rng(seed ^ 0x5eed);
  const top = nl.modules[nl.modules.length - 1];
  if (!top) throw new Error('no top');
  const ins = top.ports.filter((p) => p.dir === 'in');
  const outs = top.ports.filter((p) => p.dir === 'out');
  // Every third netlist steps through runWords, one cycle per call: the cycle loops time the two
  // forms, so with windows of 1-3 cycles the forms switch all the time.
  const viaWords = seed % 3 === 0;
  const simIns = sim.ports.filter((p) => p.dir === 'in');
  const words = new Uint32Array(1 + sim.wordCount('in'));
  for (let t = 0; t < cycles; t++) {
    const rst = t < 2 || r.int(10) === 0 ? 1 : 0;
    sim.poke('rst', rst);
    ref.rst = BigInt(rst);
    const vals = new Map<string, bigint>();
    for (const p of ins) {
      const v = r.bits(p.width);
      vals.set(p.name, v);
      sim.poke(p.name, v);
      ref.poke(p.name, v);
    }
    for (const p of outs) {
      const got = sim.peek(p.name);
      const want = ref.peek(p.name);
      if (got !== want)
        expect.fail(`seed ${seed}, cycle ${t}, port ${p.name}: native 0x${got.toString(16)}, reference 0x${want.toString(16)}`);
    }
    if (viaWords) {
      words[0] = rst;
      let k = 1;
      for (const p of simIns) {
        let v = BigInt.asUintN(p.width, vals.get(p.name) ?? 0n);
        for (let j = 0; j < Math.ceil(p.width / 32); j++, v >>= 32n) words[k++] = Number(v & 0xffffffffn);
      }
      sim.runWords(words, 1);
    } else sim.step();
    ref.step();
  }
}
