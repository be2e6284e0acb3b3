// VCD output: a golden file for a tiny counter (derived by hand below) and instance scopes.
import { expect } from 'chai';
import { VcdWriter, compile, vcdId } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

function counter2() {
  const k = new Kit('counter');
  const en = k.input('en', 1);
  const q = k.reg('count', 2, 0n, en);
  k.next(q, k.cell('add', 2, [q, k.lit(1n, 2)]));
  k.output('value', q);
  return netlist(k.def());
}

// Hand derivation: clk is `!`, rst `"`, then identifiers in port order: en `#`, value `$`; the
// named register `count` is the same value as `value`, so it shares `$`. Stimulus: en = 1,
// reset(1), step(3). Cycle 0 (time 0): rst 1, count 0. The reset edge keeps count 0; cycle 1
// (time 10): rst 0, count 0; cycle 2: count 1; cycle 3: count 2 (b10). clk = 1 at 10t, 0 at
// 10t + 5; close() stamps time 40, the start of cycle 4.
const GOLDEN = `$version mxgen native simulator $end
$timescale 1ns $end
$scope module counter $end
$var wire 1 ! clk $end
$var wire 1 " rst $end
$var wire 1 # en $end
$var wire 2 $ value [1:0] $end
$var wire 2 $ count [1:0] $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
1!
1"
1#
b0 $
$end
#5
0!
#10
1!
0"
#15
0!
#20
1!
b1 $
#25
0!
#30
1!
b10 $
#35
0!
#40
`;

describe('sim: VCD', () => {
  it('writes the golden waveform of a 2-bit counter', () => {
    const sim = compile(counter2());
    let text = '';
    const vcd = new VcdWriter(sim, (s) => (text += s));
    sim.poke('en', 1);
    sim.reset(1);
    sim.step(3);
    vcd.close();
    expect(text).to.equal(GOLDEN);
  });

  it('signals: false lists the ports only; close() writes once, and nothing is recorded after it', () => {
    const sim = compile(counter2());
    let text = '';
    const vcd = new VcdWriter(sim, (s) => (text += s), { signals: false });
    // The header without the register `count` (a signal, not a port).
    expect(text).to.equal(GOLDEN.slice(0, GOLDEN.indexOf('#0\n')).replace('$var wire 2 $ count [1:0] $end\n', ''));
    sim.poke('en', 1);
    sim.reset(1);
    sim.step(3);
    vcd.close();
    const closed = text;
    expect(closed.endsWith('#35\n0!\n#40\n')).to.equal(true);
    sim.step(2);
    vcd.close();
    expect(text).to.equal(closed);
    // Closed before any cycle: no closing timestamp.
    let empty = '';
    const idle = new VcdWriter(compile(counter2()), (s) => (empty += s));
    idle.close();
    expect(empty.endsWith('$enddefinitions $end\n')).to.equal(true);
  });

  it('nests instance scopes and is identical across runs', () => {
    const c = counter2().modules[0];
    if (!c) throw new Error('no module');
    const record = (): string => {
      const k = new Kit('top');
      const en = k.input('en', 1);
      const a = k.inst('u_a', c, { en });
      k.output('v', a.value as number);
      const sim = compile(netlist(c, k.def()));
      let text = '';
      const vcd = new VcdWriter(sim, (s) => (text += s));
      sim.poke('en', 1);
      sim.step(2);
      vcd.close();
      return text;
    };
    const text = record();
    expect(record()).to.equal(text);
    expect(text).to.contain('$scope module top $end');
    expect(text).to.match(/\$scope module u_a \$end\n(\$var wire [^\n]*\n)+\$upscope \$end\n\$upscope \$end/);
    expect(text).to.contain(' count [1:0] $end');
  });

  it('the header: instance signals in their scope (even named like a top port), no second clk or rst; closed: no samples', () => {
    const c = counter2().modules[0];
    if (!c) throw new Error('no module');
    const k = new Kit('top');
    const en = k.input('en', 1);
    // top-level signals named like the VCD's own clk and rst: not listed again
    k.output('y', k.cell('and', 1, [k.wire('clk', en), k.wire('rst', en)]));
    const a = k.inst('u_a', c, { en });
    k.output('v', a.value as number);
    const sim = compile(netlist(c, k.def()));
    let text = '';
    const vcd = new VcdWriter(sim, (s) => (text += s));
    vcd.close();
    // a closed writer ignores a sample even when called directly
    const closed = text;
    vcd.sample(3);
    expect(text).to.equal(closed);
    expect(text.slice(0, text.indexOf('$enddefinitions'))).to.equal(
      [
        '$version mxgen native simulator $end',
        '$timescale 1ns $end',
        '$scope module top $end',
        '$var wire 1 ! clk $end',
        '$var wire 1 " rst $end',
        '$var wire 1 # en $end',
        '$var wire 1 $ y $end',
        '$var wire 2 % v [1:0] $end',
        '$var wire 2 % u_a_value [1:0] $end',
        '$scope module u_a $end',
        '$var wire 1 # en $end',
        '$var wire 2 % count [1:0] $end',
        '$var wire 2 % value [1:0] $end',
        '$upscope $end',
        '$upscope $end',
        '',
      ].join('\n'),
    );
  });

  it('uses printable identifiers: 94 one-character codes, then two characters', () => {
    expect(vcdId(0)).to.equal('!');
    expect(vcdId(93)).to.equal('~');
    expect(vcdId(94)).to.equal('!"');
  });
});
