// src/hdl/stream.ts: the one Beat type, packBeat/unpackBeat (field 0 in the low bits, the inverse
// of each other), and connectStream/streamOut between instances, simulated; plus the one place
// recorded port values become beats (src/sim recordedBeats).
import { expect } from 'chai';
import fc from 'fast-check';
import {
  connectStream,
  driveStream,
  elaborate,
  ModuleBuilder,
  MxgenError,
  packBeat,
  payloadPort,
  streamAccept,
  streamOut,
  streamReady,
  u,
  unpackBeat,
  type PayloadField,
} from '../../../src/hdl/index.js';
import { compile, recordedBeats } from '../../../src/sim/index.js';

const FIELDS: PayloadField[] = [
  { name: 'y', width: 12 },
  { name: 'y_scale', width: 8 },
];

describe('hdl: streams and beats', () => {
  it('packBeat puts field 0 in the low bits; unpackBeat inverts it', () => {
    expect(packBeat({ y: 0xabcn, y_scale: 0x7fn }, FIELDS)).to.equal(0x7fabcn);
    expect(packBeat({ y: 1n }, FIELDS)).to.equal(1n); // a missing field is 0
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 4095n }),
        fc.bigInt({ min: 0n, max: 255n }),
        (y, yScale) => {
          const b = { y, y_scale: yScale };
          expect(unpackBeat(packBeat(b, FIELDS), FIELDS)).to.deep.equal(b);
        },
      ),
    );
  });

  it('a field value wider than its field is a shape error naming the field', () => {
    const e = (() => {
      try {
        packBeat({ y: 1n << 12n }, FIELDS);
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(e).to.be.instanceOf(MxgenError);
    expect((e as MxgenError).kind).to.equal('shape');
    expect((e as MxgenError).message).to.equal('packBeat: field y = 4096 does not fit its 12 bits');
  });

  it('connectStream drives <prefix>_valid and the payload, and returns <prefix>_ready', () => {
    const child = new ModuleBuilder('stream_child');
    const v = child.input('in_valid', u(1));
    const x = child.input('in_x', u(8));
    const r = child.input('out_ready', u(1));
    child.output('in_ready', u(1)).set(r);
    child.output('out_valid', u(1)).set(v);
    child.output('out_y', u(8)).set(x.not());
    const top = new ModuleBuilder('stream_top');
    const a = top.instance(child, 'a');
    const b = top.instance(child, 'b');
    const inReady = connectStream(a, {
      valid: top.input('in_valid', u(1)),
      payload: { x: top.input('in_x', u(8)) },
    });
    const mid = streamOut(a, ['y']);
    streamAccept(a, connectStream(b, { valid: mid.valid, payload: { x: mid.payload.y! } }));
    const out = streamOut(b, ['y'], top.input('out_ready', u(1)));
    top.output('in_ready', u(1)).set(inReady);
    top.output('out_valid', u(1)).set(out.valid);
    top.output('out_y', u(8)).set(out.payload.y!);
    const sim = compile(elaborate(top));
    sim.poke('in_valid', 1n);
    sim.poke('in_x', 0x5an);
    sim.poke('out_ready', 1n);
    expect([sim.peek('out_valid'), sim.peek('out_y'), sim.peek('in_ready')]).to.deep.equal([
      1n,
      0x5an,
      1n,
    ]);
    sim.poke('out_ready', 0n);
    expect(sim.peek('in_ready')).to.equal(0n);
  });

  it("driveStream, streamReady and the field '' (a join operand's bare port)", () => {
    const child = new ModuleBuilder('join_child');
    const av = child.input('in_a_valid', u(1));
    const a = child.input('in_a', u(4));
    child.output('in_a_ready', u(1)).set(av);
    child.output('y', u(4)).set(a);
    expect(payloadPort('in_a', '')).to.equal('in_a');
    expect(payloadPort('in', 'x')).to.equal('in_x');
    const top = new ModuleBuilder('join_top');
    const h = top.instance(child, 'j');
    driveStream(h, { valid: top.input('v', u(1)), payload: { '': top.input('d', u(4)) } }, 'in_a');
    expect([...h.connections.keys()].sort()).to.deep.equal(['in_a', 'in_a_valid']);
    top.output('r', u(1)).set(streamReady(h, 'in_a'));
    top.output('y', u(4)).set(h.out('y'));
    const sim = compile(elaborate(top));
    sim.poke('v', 1n);
    sim.poke('d', 9n);
    expect([sim.peek('r'), sim.peek('y')]).to.deep.equal([1n, 9n]);
  });

  it('recordedBeats keeps the cycles with out_valid and out_ready after reset', () => {
    const rec = {
      outputs: ['out_valid', 'out_y'],
      inputPorts: ['rst', 'out_ready'],
      rows: [
        [1n, 1n],
        [0n, 1n],
        [0n, 0n],
        [0n, 1n],
        [0n, 1n],
      ],
      resetCycles: 1,
    };
    const values = [
      [1n, 9n], // reset: ignored
      [1n, 3n],
      [1n, 4n], // not ready: ignored
      [0n, 5n], // not valid: ignored
      [1n, 6n],
    ];
    expect(recordedBeats(rec, values, ['y'])).to.deep.equal({
      beats: [{ y: 3n }, { y: 6n }],
      cycles: [0, 3],
    });
  });
});
