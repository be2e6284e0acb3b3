// Storage layout (src/sim/layout.ts) on a hand-built slot list, and the rising-edge statements'
// behaviour (src/sim/commit.ts) at their edges: a write address wider than 32 bits whose low
// word is in range, writes past the depth, later ports winning, reset clears and wide inits.
import { expect } from 'chai';
import {
  compile,
  layoutOf,
  nextRef,
  nextWordRefs,
  readRef,
  readWords,
  storeRef,
  wordRefs,
  type Slot,
  type SlotDef,
} from '../../../src/sim/index.js';
import { commitStatements } from '../../../src/sim/commit.js';
import { flatten } from '../../../src/sim/flatten.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';

const s = (width: number, def: SlotDef): Slot => ({ width, label: 'x', loc: undefined, def });
const cell: SlotDef = { kind: 'cell', op: 'add', args: [] };
const reg: SlotDef = { kind: 'reg', reg: 0 };

describe('sim: storage layout', () => {
  it('narrow values in N, wide in W (one index per 32-bit word), registers in R / RW', () => {
    const slots = [
      s(8, cell),
      s(70, cell),
      s(4, reg),
      s(65, reg),
      s(32, cell),
      s(33, { kind: 'const', value: 2n ** 32n + 5n }),
      s(32, reg),
      s(3, { kind: 'const', value: 6n }),
    ];
    const l = layoutOf(slots);
    expect(l.array).to.deep.equal(['N', 'W', 'R', 'RW', 'N', 'W', 'R', 'N']);
    expect([...l.index]).to.deep.equal([0, 0, 0, 0, 1, 3, 1, 2]);
    expect(l.counts).to.deep.equal({ N: 3, W: 5, R: 2, RW: 3 });
    expect([storeRef(l, 0), storeRef(l, 1), storeRef(l, 2), storeRef(l, 3), storeRef(l, 6)]).to.deep.equal(['N[0]', 'W[0]', 'R[0]', 'RW[0]', 'R[1]']);
    expect([nextRef(l, 2), nextRef(l, 3), nextRef(l, 6)]).to.deep.equal(['RX[0]', 'RWX[0]', 'RX[1]']);
    expect(wordRefs(l, 1, 70)).to.deep.equal(['W[0]', 'W[1]', 'W[2]']);
    expect(wordRefs(l, 3, 65)).to.deep.equal(['RW[0]', 'RW[1]', 'RW[2]']);
    expect(nextWordRefs(l, 3, 65)).to.deep.equal(['RWX[0]', 'RWX[1]', 'RWX[2]']);
    expect(readWords(slots, l, 5)).to.deep.equal(['5', '1']);
    expect(readWords(slots, l, 1)).to.deep.equal(['W[0]', 'W[1]', 'W[2]']);
    expect([readRef(slots, l, 7), readRef(slots, l, 4)]).to.deep.equal(['6', 'N[1]']);
  });
});

describe('sim: rising-edge statements', () => {
  it('a 40-bit write address: 2^32 + 1 is past the depth (no write to word 1); later ports win; reset clears', () => {
    const k = new Kit('wa');
    const a = k.input('a', 40);
    const d = k.input('d', 70);
    const we = k.input('we', 1);
    const ra = k.input('ra', 2);
    const [rd] = k.mem('m', 70, 4, [ra], [
      { addr: a, data: d, en: we },
      { addr: k.lit(3n, 40), data: k.lit(2n ** 69n + 9n, 70), en: k.cell('and', 1, [we, k.cell('slice', 1, [a], { lo: 1 })]) },
    ]);
    const r = k.reg('r', 70, 2n ** 68n + 3n);
    k.next(r, d);
    k.output('rd', rd as number);
    k.output('r', r);
    const nl = netlist(k.def(true));
    const sim = compile(nl);
    const ref = new NetlistInterpreter(nl);
    const cycle = (vals: Record<string, bigint>, rst = 0): void => {
      sim.poke('rst', rst);
      ref.rst = BigInt(rst);
      for (const [p, v] of Object.entries(vals)) {
        sim.poke(p, v);
        ref.poke(p, v);
      }
      sim.step();
      ref.step();
    };
    const read = (addr: number): bigint[] => {
      sim.poke('ra', addr);
      ref.poke('ra', BigInt(addr));
      expect(sim.peek('rd'), `word ${addr}`).to.equal(ref.peek('rd'));
      return [sim.peek('rd')];
    };
    cycle({ a: 1n, d: 11n, we: 1n, ra: 0n });
    cycle({ a: 2n ** 32n + 1n, d: 22n, we: 1n });
    cycle({ a: 4n, d: 33n, we: 1n });
    expect([read(0), read(1), read(2), read(3)].flat()).to.deep.equal([0n, 11n, 0n, 0n]);
    // a = 3 (bit 1 set): both ports write word 3; the later (constant) one wins.
    cycle({ a: 3n, d: 44n, we: 1n });
    expect(read(3)).to.deep.equal([2n ** 69n + 9n]);
    expect(sim.peek('r')).to.equal(44n);
    cycle({ we: 0n }, 1);
    expect([read(1), read(3)].flat()).to.deep.equal([0n, 0n]);
    expect(sim.peek('r')).to.equal(2n ** 68n + 3n);
    expect(ref.peek('r')).to.equal(2n ** 68n + 3n);
  });

  it('without a wake function a write wakes nothing (no statement after the store)', () => {
    const k = new Kit('wk');
    const a = k.input('a', 2);
    k.mem('m', 8, 4, [], [{ addr: a, data: k.input('d', 8), en: k.input('we', 1) }]);
    const d = flatten(netlist(k.def(true)));
    expect(commitStatements(d, layoutOf(d.slots)).update).to.deep.equal(['if (N[2] && N[0] < 4) { M0[N[0]] = N[1];  }']);
  });
});
