// Levelization (src/sim/levelize.ts): depth-first post-order from slot 0 upwards over cells,
// memory reads, tables and priority encoders; a loop is a comb-loop error naming each hop.
// Slot lists are written by hand; the expected orders follow the rule in the file comment.
import { expect } from 'chai';
import { combLoopError, depsOf, levelize, type Slot, type SlotDef } from '../../../src/sim/index.js';

const slot = (label: string, def: SlotDef, loc?: string): Slot => ({ width: 4, label, loc, def });
const cell = (...args: number[]): SlotDef => ({ kind: 'cell', op: 'add', args });

describe('sim: levelize', () => {
  it('orders operands first, depth-first from slot 0 upwards; inputs, constants and registers are not evaluated', () => {
    const slots = [
      slot('in', { kind: 'input', port: 'in' }),
      slot('s1', cell(2, 0)),
      slot('s2', cell(0, 3)),
      slot('k', { kind: 'const', value: 1n }),
      slot('s4', cell(1, 2, 5)),
      slot('r', { kind: 'reg', reg: 0 }),
      slot('m', { kind: 'memRead', mem: 0, addr: 4 }),
      slot('t', { kind: 'table', index: 6, values: [1], dflt: 0 }),
      slot('p', { kind: 'prio', src: 7, lo: 0, n: 2, up: true, values: [1, 2], dflt: 0 }),
      slot('s9', cell(8, 5)),
    ];
    expect(levelize(slots)).to.deep.equal([2, 1, 4, 6, 7, 8, 9]);
    expect([depsOf(slots[6] as Slot), depsOf(slots[7] as Slot), depsOf(slots[8] as Slot), depsOf(slots[5] as Slot)]).to.deep.equal([[4], [6], [7], []]);
    // A later root whose operands are done adds only itself.
    expect(levelize([slot('a', cell()), slot('b', cell(0)), slot('c', cell(1, 0))])).to.deep.equal([0, 1, 2]);
    expect(levelize([slot('c', cell(1, 2)), slot('b', cell(2)), slot('a', cell())])).to.deep.equal([2, 1, 0]);
  });

  it('a loop through a memory read, a table and an encoder names every hop from where it closes', () => {
    const slots = [
      slot('x', cell(1), 'f.ts:1:1'),
      slot('m', { kind: 'memRead', mem: 0, addr: 2 }, 'f.ts:2:1'),
      slot('t', { kind: 'table', index: 3, values: [1], dflt: 0 }, 'f.ts:3:1'),
      slot('p', { kind: 'prio', src: 1, lo: 0, n: 1, up: true, values: [1], dflt: 0 }),
    ];
    let err: unknown;
    try {
      levelize(slots);
    } catch (e) {
      err = e;
    }
    const e = err as ReturnType<typeof combLoopError>;
    expect(e.kind).to.equal('comb-loop');
    expect(e.message).to.equal('combinational loop through 3 signals: m -> t -> p -> m');
    expect(e.loc).to.equal('f.ts:2:1');
    expect(e.notes).to.deep.equal(['m at f.ts:2:1', 't at f.ts:3:1', 'p at unknown location']);
    expect(e.hint).to.equal('break the loop with a register, or compute the value from signals that do not depend on it');
  });

  it('a one-signal loop', () => {
    const e = combLoopError([['a', undefined]]);
    expect(e.message).to.equal('combinational loop through 1 signal: a -> a');
    expect(e.loc).to.equal(undefined);
    expect(() => levelize([slot('a', cell(0), 'g.ts:9:2')])).to.throw('combinational loop through 1 signal: a -> a');
  });
});
