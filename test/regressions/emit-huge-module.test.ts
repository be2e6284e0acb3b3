// Found by the 64×64 MAC-array generation bench: the emitter and the simulator's code generator
// spread arrays with one element per declaration into function calls (`Math.max(...xs)`,
// `out.push(...lines)`), which overflows V8's stack past ~10^5 elements. A module with 150 000
// registers and wires must emit and compile.
import { expect } from 'chai';
import { emitSv } from '../../src/emit/sv/index.js';
import {
  elaborate,
  ModuleBuilder,
  setSrcLocCapture,
  srcLocCaptureEnabled,
  u,
} from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';

describe('regression: very large modules', () => {
  it('a module with 150 000 registers emits SystemVerilog and compiles to a simulator', () => {
    const was = srcLocCaptureEnabled();
    setSrcLocCapture(false);
    try {
      const n = 150_000;
      const m = new ModuleBuilder('huge_chain');
      const din = m.input('din', u(1));
      const en = m.input('en', u(1));
      let prev = din;
      for (let i = 0; i < n; i++) {
        const r = m.reg(`r${i}`, u(1), { init: 0, enable: en });
        r.next(prev);
        prev = r;
      }
      m.output('dout', u(1)).set(prev);
      const nl = elaborate(m);
      const sv = emitSv(nl)
        .files.map((f) => f.text)
        .join('');
      expect(sv).to.contain('r149999 <= r149998;');
      const sim = compile(nl);
      sim.poke('en', 1);
      sim.poke('din', 1);
      sim.reset(1);
      sim.step(3);
      expect(sim.peekSignal('r2')).to.equal(1n);
      expect(sim.peekSignal('r3')).to.equal(0n);
    } finally {
      setSrcLocCapture(was);
    }
  });
});
